import { gatewayRoute, get, GATEWAY_GROUP, ROUTE_KINDS } from '../../engine/model';
import { isPlainObject, type Resource } from '../../engine/parse';
import { defineRule } from '../../engine/rule';
import { refLabel, unresolvedEffect } from './common';

// HR-17: a backendRef to a Service in another namespace is refused unless a
// ReferenceGrant in that namespace lets the route's kind from the route's
// namespace refer to Services there (the Gateway API's default is to deny). The
// route's ResolvedRefs condition turns False with reason RefNotPermitted.
// Checked only when the Service itself is in the files (that namespace is part of
// the input); without any ReferenceGrant there the grant may be kept elsewhere,
// so the finding is then a note.
export default defineRule({
  id: 'route-backend-not-permitted',
  severity: 'warning',
  description: 'A Gateway API route refers to a Service in another namespace, and no ReferenceGrant there allows it.',
  fixable: false,
  kinds: ROUTE_KINDS,
  check(r, ctx) {
    const route = gatewayRoute(r);
    if (!route) return;
    const own = ctx.namespaceOf(r);
    for (const b of route.backends) {
      if (!b.name || !b.namespace || b.namespace === own) continue;
      if (!ctx.named('Service', b.namespace, b.name).length) continue;
      const grants = ctx.inNamespace('ReferenceGrant', b.namespace).filter((g) => g.group === GATEWAY_GROUP);
      if (grants.some((g) => permits(g, r.kind, own, b.name!))) continue;
      ctx.report({
        message:
          `In ${refLabel(r, b)} names Service ${b.name} in namespace ${b.namespace}, and ` +
          `${grants.length ? `none of the ReferenceGrants there (${grants.map((g) => g.name ?? '<unnamed>').slice(0, 3).join(', ')}${grants.length > 3 ? ', ...' : ''})` : `no ReferenceGrant in ${b.namespace}`} ` +
          `lets ${r.kind}s from namespace ${own} refer to it: the reference is refused (ResolvedRefs False, RefNotPermitted) and ${unresolvedEffect(r.kind)}.` +
          (grants.length ? '' : ' If the grant is kept in another repository, this is fine.'),
        at: [...b.path, 'namespace'],
        // no grant at all in the files: it may be managed elsewhere
        severity: grants.length ? 'warning' : 'information',
      });
    }
  },
});

/** Does a ReferenceGrant let `kind` routes of namespace `from` refer to Service `name` of its own namespace? */
function permits(grant: Resource, kind: string, from: string, name: string): boolean {
  const list = (path: string[]) => {
    const v = get(grant.value, path);
    return Array.isArray(v) ? v.filter(isPlainObject) : [];
  };
  const fromOk = list(['spec', 'from']).some((f) => f.group === GATEWAY_GROUP && f.kind === kind && f.namespace === from);
  const toOk = list(['spec', 'to']).some((t) => (t.group === '' || t.group === undefined || t.group === null) && t.kind === 'Service' && (t.name === undefined || t.name === null || t.name === '' || t.name === name));
  return fromOk && toOk;
}
