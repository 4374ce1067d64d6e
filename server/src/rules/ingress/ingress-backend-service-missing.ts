import { ingress } from '../../engine/model';
import { defineRule } from '../../engine/rule';
import { checkServiceName } from '../backends';
import { backendLabel, isAnnotationAction } from './common';

// a backend naming a Service that is not in the Ingress's namespace gets
// 503s from the controller. Open world: a namespace without any Service in the
// input set is not checked (the Services come from elsewhere).
export default defineRule({
  id: 'ingress-backend-service-missing',
  severity: 'warning',
  description: 'An Ingress backend names a Service that does not exist in the Ingress namespace.',
  fixable: true,
  kinds: ['Ingress'],
  check(r, ctx) {
    const ing = ingress(r);
    if (!ing) return;
    const backends = ing.backends.filter((b) => !b.resource && b.serviceName && !isAnnotationAction(b));
    if (!backends.length) return;
    const ns = ctx.namespaceOf(r);
    for (const b of backends) {
      const wanted = b.serviceName!;
      checkServiceName(ctx, r, {
        wanted,
        namespace: ns,
        at: b.serviceNamePath,
        hasPort: (svc) => svc.ports.some((p) => (b.portNumber !== undefined && p.port === b.portNumber) || (b.portName !== undefined && p.name === b.portName)),
        message: (suggestion) =>
          `In Ingress ${r.name ?? '<unnamed>'}, ${backendLabel(b)} names Service "${wanted}", but namespace ${ns} has no Service of that name, so requests routed there fail (usually with a 503).${suggestion}`,
      });
    }
  },
});
