import { gatewayRoute, ROUTE_KINDS } from '../../engine/model';
import { defineRule } from '../../engine/rule';
import { checkServiceName } from '../backends';
import { refLabel, unresolvedEffect } from './common';

// X-08 / HR-18: a backendRef naming a Service that is not in its namespace
// (the route's, or the ref's own `namespace`) does not resolve: the route's
// ResolvedRefs condition turns False with reason BackendNotFound. Open world, as
// for Ingress: a namespace without any Service in the input set is not checked.
export default defineRule({
  id: 'route-backend-service-missing',
  severity: 'warning',
  description: 'A Gateway API route (HTTPRoute, GRPCRoute, TCPRoute, ...) has a backendRef naming a Service that does not exist in its namespace.',
  fixable: true,
  kinds: ROUTE_KINDS,
  check(r, ctx) {
    const route = gatewayRoute(r);
    if (!route) return;
    for (const b of route.backends) {
      if (!b.name) continue;
      const wanted = b.name;
      const ns = b.namespace ?? ctx.namespaceOf(r);
      checkServiceName(ctx, r, {
        wanted,
        namespace: ns,
        at: [...b.path, 'name'],
        hasPort: (svc) => svc.ports.some((p) => p.port === b.port),
        message: (suggestion) =>
          `In ${refLabel(r, b)} names Service "${wanted}", but namespace ${ns} has no Service of that name: the reference does not resolve ` +
          `(ResolvedRefs False, BackendNotFound) and ${unresolvedEffect(r.kind)}.${suggestion}`,
      });
    }
  },
});
