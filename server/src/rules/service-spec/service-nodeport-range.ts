// ALLOC-01: a requested nodePort (or healthCheckNodePort) outside the API
// server's --service-node-port-range is refused by the allocator. Validation
// itself never range-checks it, and on a ClusterIP Service a nodePort is
// service-type-mismatch's business (SVC-11), so only NodePort and
// LoadBalancer Services (and LoadBalancer + Local for the health check port) count.
import { mapAt, removeKey, replaceScalar } from '../../engine/edits';
import { defineRule, type Fix } from '../../engine/rule';
import { claimText, isCoreService, nodePortPlan, requestsNodePorts } from './shared';

export default defineRule({
  id: 'service-nodeport-range',
  severity: 'error',
  description: 'A nodePort lies outside the cluster node port range; the API server refuses the Service.',
  fixable: true,
  kinds: ['Service'],
  check(r, ctx) {
    // a Service that requests no node port has no claim to check: skip the plan
    // (and the dependency on every Service in scope it would bring)
    if (!isCoreService(r) || !requestsNodePorts(r)) return;
    const plan = nodePortPlan(ctx, r);
    const claims = plan.claims.get(r) ?? [];
    const range = `${plan.min}-${plan.max}`;
    for (const c of claims) {
      if (c.status !== 'out-of-range') continue;
      const field = c.kind === 'nodePort' ? 'nodePort' : 'healthCheckNodePort';
      const sharing = !!c.sharesWith;
      const fixes = (): Fix[] => {
        const out: Fix[] = [];
        const node = r.nodeAt(c.path);
        if (c.newValue !== undefined && node) {
          out.push({
            title: `Use ${field} ${c.newValue} (${sharing ? `shared with the other port ${c.port} entry` : `lowest free port in ${range}`})`,
            isPreferred: true,
            edits: [replaceScalar(r.chunk, node, c.newValue)],
          });
        }
        const parent = mapAt(r, c.path.slice(0, -1));
        const removal = parent && removeKey(r.chunk, parent, field);
        if (removal) out.push({ title: `Remove ${field} (the cluster picks a free one)`, edits: [removal] });
        return out;
      };
      const suggestion =
        c.newValue === undefined
          ? ' Every port of the range is taken in these files.'
          : sharing
            ? ` Use ${c.newValue}, the node port ${c.sharesWith!.newValue !== undefined ? 'suggested for' : 'of'} the other port ${c.port} entry: entries with the same port number share one node port.`
            : ` The lowest free port in range is ${c.newValue}.`;
      ctx.report({
        message:
          `${field} ${c.value}${c.kind === 'nodePort' ? ` on ${claimText(c)}` : ''} of Service ${r.name ?? '<unnamed>'} ` +
          `is outside the node port range ${range}, so the API server refuses the Service.${suggestion} ` +
          `Or leave ${field} out and let the cluster allocate one.`,
        at: c.path,
        fixes,
      });
    }
  },
});
