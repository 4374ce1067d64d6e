import { podTemplate } from '../../engine/model';
import { defineRule } from '../../engine/rule';
import { describe } from '../util';
import { claimText, containerText, hostPortClaims, TEMPLATE_KINDS } from './host-ports';

// One hint per pod template, so an editor can offer to expose it through a
// Service instead. It names what host-level exposure gives up.
export default defineRule({
  id: 'pod-host-exposure',
  severity: 'hint',
  description: 'A pod is reached through its node (hostPort or hostNetwork) instead of a Service.',
  fixable: false,
  kinds: TEMPLATE_KINDS,
  check(r, ctx) {
    const t = podTemplate(r);
    if (!t) return;
    const what = t.isPod ? describe(r) : `The pods of ${describe(r)}`;
    const agent = r.kind === 'DaemonSet' ? ' Fine for a node agent;' : '';
    if (t.hostNetwork) {
      ctx.report({
        message:
          `${what} use${t.isPod ? 's' : ''} hostNetwork: ${t.isPod ? 'it shares' : 'they share'} the node's network stack and can see all of its traffic, ` +
          `${t.isPod ? 'its' : 'their'} address changes with the node ${t.isPod ? 'it lands' : 'they land'} on, only one such pod per node can listen on each port, ` +
          `and nothing balances load across pods.${agent} ${agent ? 'otherwise a' : 'A'} Service gives a stable address and load balancing.`,
        at: [...t.specPath, 'hostNetwork'],
        part: 'pair',
      });
      return;
    }
    const claims = hostPortClaims(t, false).filter((c) => c.declared);
    if (!claims.length) return;
    const first = claims[0];
    const more = claims.length > 1 ? ` (and ${claims.length - 1} more host port${claims.length > 2 ? 's' : ''})` : '';
    ctx.report({
      message:
        `${what} ${t.isPod ? 'is' : 'are'} exposed on host port ${claimText(first)} of ${containerText(first.container)}${more}: ` +
        `clients must follow the pod from node to node, only one such pod fits on each node, and nothing balances load across pods.${agent} ` +
        `${agent ? 'otherwise a' : 'A'} Service (NodePort or LoadBalancer) gives a stable address and load balancing.`,
      at: [...first.port.path, 'hostPort'],
      part: 'pair',
    });
  },
});
