// X-12 / ALLOC-02: a node port belongs to one Service in the whole cluster
// (nodePorts and healthCheckNodePorts share one allocator, across namespaces).
// ALLOC-03: inside one Service, ports with different `port` numbers cannot share
// a nodePort (the same port number over two protocols can, ALLOC-03v).
// ALLOC-07: a healthCheckNodePort cannot reuse one of the Service's nodePorts.
import { replaceScalar } from '../../engine/edits';
import { defineRule, type Edit, type Fix } from '../../engine/rule';
import { claimText, isCoreService, type NodePortClaim, nodePortPlan, requestsNodePorts, svcName } from './shared';

function field(c: NodePortClaim): string {
  return c.kind === 'nodePort' ? 'nodePort' : 'healthCheckNodePort';
}

function held(c: NodePortClaim): string {
  return c.kind === 'nodePort' ? `for ${claimText(c)}` : 'as its healthCheckNodePort';
}

export default defineRule({
  id: 'service-nodeport-duplicate',
  severity: 'error',
  description: 'Two Services (or two ports of one Service) request the same node port; the API server refuses the second.',
  fixable: true,
  kinds: ['Service'],
  check(r, ctx) {
    // a Service that requests no node port has no claim to check: skip the plan
    // (and the dependency on every Service in scope it would bring)
    if (!isCoreService(r) || !requestsNodePorts(r)) return;
    const plan = nodePortPlan(ctx, r);
    const claims = plan.claims.get(r) ?? [];
    const name = `Service ${r.name ?? '<unnamed>'}`;
    const fixFor = (c: NodePortClaim, moving: NodePortClaim[]): Fix[] => {
      if (c.newValue === undefined) return [];
      const edits: Edit[] = [];
      for (const m of moving) {
        const node = r.nodeAt(m.path);
        if (node) edits.push(replaceScalar(r.chunk, node, c.newValue));
      }
      const sharing = !!c.sharesWith;
      return edits.length ? [{ title: `Use ${field(c)} ${c.newValue} (${sharing ? `shared with the other port ${c.port} entry` : 'a free port'})`, isPreferred: true, edits }] : [];
    };
    const free = (c: NodePortClaim) =>
      c.newValue === undefined
        ? ''
        : c.sharesWith
          ? ` Use ${c.newValue}, the node port of the other port ${c.port} entry: entries with the same port number may share it.`
          : ` Port ${c.newValue} is free.`;

    for (const c of claims) {
      if (c.status === 'internal' && c.holder) {
        const h = c.holder;
        const message =
          c.kind === 'nodePort'
            ? `${name} requests nodePort ${c.value} for ${claimText(c)}, but its ${claimText(h)} already holds it. Only ports with the same ` +
              `port number (such as 53/TCP and 53/UDP) can share a node port, so the API server refuses the Service.${free(c)}`
            : `healthCheckNodePort ${c.value} of ${name} is already the nodePort of its ${claimText(h)}; health check ports and node ports ` +
              `come from one allocator, so the API server refuses the Service.${free(c)}`;
        ctx.report({
          message,
          at: c.path,
          related: [{ loc: ctx.loc(r, h.path), message: `${field(h)} ${h.value} of ${claimText(h)}` }],
          fixes: () => fixFor(c, [c]),
        });
        continue;
      }
      if (c.status !== 'ok' || c.cross.length === 0) continue;
      const others = c.cross.map((o) => `${svcName(ctx, o.svc, r)} ${held(o)}`);
      const list = others.length === 1 ? others[0] : `${others.slice(0, -1).join(', ')} and ${others[others.length - 1]}`;
      const message =
        `${field(c)} ${c.value}${c.kind === 'nodePort' ? ` on ${claimText(c)}` : ''} of ${name} is also requested by ${list}. ` +
        `A node port belongs to a single Service in the whole cluster, so whichever is applied second is refused.${free(c)}`;
      const moving = [c, ...claims.filter((s) => s.status === 'shared' && s.holder === c)];
      ctx.report({
        message,
        at: c.path,
        related: c.cross.map((o) => ({ loc: ctx.loc(o.svc, o.path), message: `${field(o)} ${o.value} of ${svcName(ctx, o.svc, r)}` })),
        fixes: () => fixFor(c, moving),
      });
    }
  },
});
