import { get, podTemplate, replicaCount, type PodTemplateView } from '../../engine/model';
import type { Resource } from '../../engine/parse';
import { defineRule, type Fix, type Related, type RuleContext } from '../../engine/rule';
import { replaceScalar } from '../../engine/edits';
import { describe } from '../util';
import {
  claimsOverlap,
  claimText,
  containerText,
  freeHostPort,
  constraintsExclude,
  holdersOf,
  hostPortClaims,
  hostPortsInScope,
  nodeConstraints,
  scaledToZero,
  TEMPLATE_KINDS,
  usedHostPorts,
  type HostPortClaim,
} from './host-ports';

/** The literal key the API server compares within one pod (POD-07), before or after D-10 defaulting. */
function apiKey(c: HostPortClaim, afterDefaulting: boolean): string | undefined {
  const hostPort = c.declared ? c.hostPort : afterDefaulting ? c.hostPort : undefined;
  return hostPort === undefined ? undefined : `${c.protocol}/${c.hostIP}/${hostPort}`;
}

/** Ports the API compares with each other: all app containers together; each init container on its own. */
function apiGroup(c: HostPortClaim): string {
  return c.container.list === 'containers' ? 'containers' : `init:${c.container.index}`;
}

/** Ports that run at the same time on the node: app containers and sidecars together; each plain init container alone. */
function runtimeGroup(c: HostPortClaim): string {
  return c.container.list === 'containers' || c.container.sidecar ? 'serving' : `init:${c.container.index}`;
}

function owner(t: PodTemplateView): string {
  return describe(t.resource);
}

/** A free host port to move a claim to (the used ports are read now, during the check), and the fix that does it. */
function fixFor(ctx: RuleContext, r: Resource, c: HostPortClaim, used: () => Set<number>): { fixes: () => Fix[]; free?: number } {
  // With hostNetwork the hostPort must equal the containerPort (POD-08/09): moving one means changing what the process listens on.
  const none = { fixes: () => [] };
  if (!c.declared || c.template.hostNetwork || !r.hasScalarAt(c.at)) return none;
  const free = freeHostPort(c.hostPort, used(), ctx.config.nodePortRange);
  if (free === undefined) return none;
  return {
    free,
    fixes: () => [{ title: `Use free host port ${free}`, isPreferred: true, edits: [replaceScalar(r.chunk, r.nodeAt(c.at)!, free)] }],
  };
}

export default defineRule({
  id: 'pod-hostport-conflict',
  severity: 'error',
  description:
    'Two ports claim the same host port and protocol on overlapping host addresses: inside one pod the API server or the node refuses it; across workloads the pods cannot share a node.',
  fixable: true,
  kinds: TEMPLATE_KINDS,
  check(r, ctx) {
    const t = podTemplate(r);
    if (!t) return;
    let usedCache: Set<number> | undefined;
    const used = () => (usedCache ??= usedHostPorts(ctx, r));

    // ---- within one pod
    const all = hostPortClaims(t, false);
    for (let j = 0; j < all.length; j++) {
      const b = all[j];
      for (let i = 0; i < j; i++) {
        const a = all[i];
        if (runtimeGroup(a) !== runtimeGroup(b) || !claimsOverlap(a, b)) continue;
        const sameGroup = apiGroup(a) === apiGroup(b);
        const literalInTemplate = sameGroup && apiKey(a, false) !== undefined && apiKey(a, false) === apiKey(b, false);
        const literalInPod = sameGroup && apiKey(a, true) === apiKey(b, true);
        // One container declaring the same port twice binds one socket: only the API's literal check matters then.
        if (!literalInPod && a.container === b.container && a.port.containerPort === b.port.containerPort) continue;
        const { fixes, free } = fixFor(ctx, r, b, used);
        const where = containerText(b.container);
        const other = containerText(a.container);
        let message: string;
        const same = a.container === b.container;
        if (literalInTemplate || (literalInPod && t.isPod)) {
          message = same
            ? `${where.charAt(0).toUpperCase()}${where.slice(1)} claims host port ${claimText(b)} twice: the API server rejects ${owner(t)}.`
            : `Host port ${claimText(b)} of ${where} is already claimed by ${other} in the same pod: the API server rejects ${owner(t)}.`;
        } else if (literalInPod) {
          const who = same ? `${where} declares containerPort ${b.hostPort}/${b.protocol} twice, and each becomes` : `${where} and ${other} both turn containerPort ${b.hostPort}/${b.protocol} into`;
          message = `With hostNetwork, ${who} host port ${claimText(b)}: the API server accepts ${owner(t)} but rejects every pod it creates.`;
        } else if (!a.declared && !b.declared) {
          message = `With hostNetwork, ${where} and ${other} both listen on node port ${claimText(b)}: only one of the two processes can bind it.`;
        } else {
          message = `Host port ${claimText(b)} of ${where} overlaps ${claimText(a)} of ${same ? 'the same container' : `${other} in the same pod`}: the node can give that port to only one of them.`;
        }
        if (free !== undefined) message += ` Host port ${free} is free.`;
        ctx.report({
          message,
          at: b.at,
          related: [{ loc: ctx.loc(r, a.at), message: `host port ${claimText(a)} of ${other}` }],
          fixes,
        });
        break; // one finding per port, against its first clash
      }
    }

    // ---- across workloads (SCHED-01..03, SCHED-06): distinct objects in the conflict scope
    const mine = hostPortClaims(t, true);
    if (!mine.length || scaledToZero(r)) return;
    const scope = hostPortsInScope(ctx, r);
    const where = nodeConstraints(t);
    for (const c of mine) {
      // per other workload (in scope order), its first claim that overlaps c
      const hits: HostPortClaim[] = [];
      for (const o of holdersOf(scope, c)) {
        if (o.resource === r || o.idle || ctx.sameIdentity(o.resource, r) || constraintsExclude(where, o.where)) continue;
        const hit = o.serving.find((oc) => claimsOverlap(c, oc));
        if (hit) hits.push(hit);
      }
      if (!hits.length) continue;
      const first = hits[0];
      const me = owner(t);
      const them = owner(first.template);
      const otherNs = ctx.namespaceOf(first.template.resource);
      const nsNote = otherNs !== ctx.namespaceOf(r) ? `, namespace ${otherNs}` : '';
      let message = `Host port ${claimText(c)} of ${me} (${containerText(c.container)}) is also claimed by ${them} (${containerText(first.container)}${nsNote})`;
      if (first.hostIP !== c.hostIP) message += ` as ${claimText(first)}`;
      if (hits.length > 1) message += ` and ${hits.length - 1} more workload${hits.length > 2 ? 's' : ''}`;
      const ds = r.kind === 'DaemonSet' ? me : first.template.resource.kind === 'DaemonSet' ? them : undefined;
      message += ds
        ? `: ${ds} runs a pod on every node it targets, so on those nodes whichever pod comes second stays Pending.`
        : `: their pods can never run on the same node, so one stays Pending when no other node has the port free.`;
      const { fixes, free } = fixFor(ctx, r, c, used);
      if (free !== undefined) message += ` Host port ${free} is free.`;
      const related: Related[] = hits.map((h) => ({
        loc: ctx.loc(h.template.resource, h.at),
        message: `host port ${claimText(h)} of ${owner(h.template)} (${containerText(h.container)})`,
      }));
      ctx.report({ message, at: c.at, severity: 'warning', related, fixes });
    }
  },
});
