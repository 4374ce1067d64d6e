import { get, podTemplate, replicaCount, type Path } from '../../engine/model';
import { isPlainObject, type Resource } from '../../engine/parse';
import { defineRule, type Related, type RuleContext } from '../../engine/rule';
import { describe, plural } from '../util';
import { claimText, hostPortClaims, scaledValue, TEMPLATE_KINDS } from './host-ports';

interface Scale {
  /** pods the controller keeps at once in steady state */
  replicas: number;
  /** where the replica count comes from (for related info) */
  replicasAt?: { r: Resource; path: Path; what: string };
  /** extra pods a rolling update starts next to the old ones */
  surge: number;
  surgeText?: string;
  surgeAt?: Path;
  /** the update waits for a new pod before it removes an old one (maxUnavailable resolves to 0) */
  surgeBlocks: boolean;
  /** DaemonSet surge: the extra pod lands on the same node as the old one */
  sameNode?: boolean;
}

/** An HPA that scales this workload above one replica. */
function autoscaler(ctx: RuleContext, r: Resource): { r: Resource; max: number } | undefined {
  for (const h of ctx.inNamespace('HorizontalPodAutoscaler', ctx.namespaceOf(r))) {
    const ref = get(h.value, ['spec', 'scaleTargetRef']);
    const max = get(h.value, ['spec', 'maxReplicas']);
    if (isPlainObject(ref) && ref.kind === r.kind && ref.name === r.name && typeof max === 'number' && Number.isInteger(max) && max > 1) {
      return { r: h, max };
    }
  }
  return undefined;
}

/** Deployment-style rolling update (Deployment, Argo Rollout canary): maxSurge rounds up, maxUnavailable down. */
function rolling(ru: unknown, replicas: number, path: Path): Pick<Scale, 'surge' | 'surgeText' | 'surgeAt' | 'surgeBlocks'> {
  const cfg = isPlainObject(ru) ? ru : {};
  const rawSurge = cfg.maxSurge ?? '25%';
  const surge = scaledValue(rawSurge, replicas, true);
  const unavailable = scaledValue(cfg.maxUnavailable ?? '25%', replicas, false);
  if (surge === undefined || surge <= 0) return { surge: 0, surgeBlocks: false };
  return {
    surge,
    surgeText: cfg.maxSurge === undefined ? `the default maxSurge of ${rawSurge}` : `maxSurge ${rawSurge}`,
    surgeAt: cfg.maxSurge === undefined ? undefined : [...path, 'maxSurge'],
    surgeBlocks: unavailable === 0,
  };
}

function scaleOf(r: Resource, ctx: RuleContext): Scale | undefined {
  const v = r.value;
  if (r.kind === 'Pod') return undefined;
  if (r.kind === 'DaemonSet') {
    // One pod per node by design; but a surging update starts the new pod on the
    // node that still runs the old one, and both want the same host port.
    const strategy = get(v, ['spec', 'updateStrategy']);
    const type = isPlainObject(strategy) ? (strategy.type ?? 'RollingUpdate') : 'RollingUpdate';
    const raw = get(v, ['spec', 'updateStrategy', 'rollingUpdate', 'maxSurge']);
    if (type !== 'RollingUpdate' || raw === undefined) return undefined;
    const surge = scaledValue(raw, 1, true);
    if (surge === undefined || surge <= 0) return undefined;
    return { replicas: 1, surge, surgeText: `maxSurge ${raw}`, surgeAt: ['spec', 'updateStrategy', 'rollingUpdate', 'maxSurge'], surgeBlocks: true, sameNode: true };
  }
  if (r.kind === 'Job' || r.kind === 'CronJob') {
    const base = r.kind === 'Job' ? ['spec'] : ['spec', 'jobTemplate', 'spec'];
    const parallelism = get(v, [...base, 'parallelism']);
    const completions = get(v, [...base, 'completions']);
    const p = parallelism === undefined ? 1 : typeof parallelism === 'number' && Number.isInteger(parallelism) ? parallelism : undefined;
    if (p === undefined) return undefined;
    const c = typeof completions === 'number' && Number.isInteger(completions) ? completions : undefined;
    const n = c === undefined ? p : Math.min(p, c);
    return { replicas: n, replicasAt: { r, path: [...base, 'parallelism'], what: `parallelism ${p}` }, surge: 0, surgeBlocks: false };
  }
  const replicas = replicaCount(r);
  if (replicas === undefined || replicas <= 0) return undefined;
  const explicit = get(v, ['spec', 'replicas']) !== undefined;
  const scale: Scale = {
    replicas,
    replicasAt: explicit ? { r, path: ['spec', 'replicas'], what: `replicas: ${replicas}` } : undefined,
    surge: 0,
    surgeBlocks: false,
  };
  const hpa = autoscaler(ctx, r);
  if (hpa && hpa.max > scale.replicas) {
    scale.replicas = hpa.max;
    scale.replicasAt = { r: hpa.r, path: ['spec', 'maxReplicas'], what: `${describe(hpa.r)} scales it up to ${hpa.max}` };
  }
  if (r.kind === 'Deployment') {
    const type = get(v, ['spec', 'strategy', 'type']) ?? 'RollingUpdate';
    if (type === 'RollingUpdate') Object.assign(scale, rolling(get(v, ['spec', 'strategy', 'rollingUpdate']), replicas, ['spec', 'strategy', 'rollingUpdate']));
  } else if (r.kind === 'Rollout') {
    const strategy = get(v, ['spec', 'strategy']);
    if (isPlainObject(strategy) && strategy.blueGreen !== undefined) {
      // the preview ReplicaSet comes up at full size next to the active one
      Object.assign(scale, { surge: replicas, surgeText: 'the blue-green preview', surgeAt: ['spec', 'strategy', 'blueGreen'], surgeBlocks: true });
    } else {
      Object.assign(scale, rolling(get(v, ['spec', 'strategy', 'canary']), replicas, ['spec', 'strategy', 'canary']));
    }
  }
  return scale;
}

// SCHED-07: one pod per node per host port. A controller that keeps more than
// one pod at once needs that many nodes with the port free.
export default defineRule({
  id: 'pod-hostport-scaling',
  severity: 'information',
  description: 'A workload that runs several pods at once (replicas, rolling-update surge) uses a host port, so each pod needs a node of its own.',
  fixable: false,
  kinds: TEMPLATE_KINDS.filter((k) => k !== 'Pod'),
  check(r, ctx) {
    const t = podTemplate(r);
    if (!t) return;
    const claims = hostPortClaims(t, true);
    if (!claims.length) return;
    const scale = scaleOf(r, ctx);
    if (!scale || scale.replicas + scale.surge <= 1) return;

    const declared = claims.find((c) => c.declared);
    const port = claimText(declared ?? claims[0]);
    const via = declared ? `host port ${port}` : `hostNetwork port ${port}`;
    const related: Related[] = [];
    let message: string;
    if (scale.sameNode) {
      message =
        `${describe(r)} holds ${via} on every node, and its update strategy (${scale.surgeText}) starts the new pod on a node before the old one stops: ` +
        `the new pod cannot get the port there, stays Pending, and the rollout stalls. Set maxSurge to 0 and roll with maxUnavailable instead.`;
    } else {
      const parts: string[] = [];
      if (scale.replicas > 1) {
        parts.push(
          `${describe(r)} runs ${plural(scale.replicas, 'pod')} that each claim ${via}, but only one fits per node: ` +
            `it needs ${scale.replicas} nodes with the port free, or the rest stay Pending.`,
        );
      }
      const advice =
        scale.replicas > 1
          ? 'A Service in front of the pods avoids the limit; if one pod per node is the intent, a DaemonSet says so.'
          : r.kind === 'Deployment'
            ? 'Use strategy Recreate or maxSurge: 0, or put a Service in front instead of the host port.'
            : 'A Service in front of the pods avoids the limit.';
      if (scale.surge > 0) {
        const lead = scale.replicas > 1 ? 'A rolling update also' : `A rolling update of ${describe(r)}`;
        parts.push(
          `${lead} starts ${plural(scale.surge, 'extra pod')} (${scale.surgeText}) before stopping an old one, and ${scale.surge > 1 ? 'each needs' : 'it needs'} ` +
            `another node with ${via} free` +
            (scale.surgeBlocks ? ': without a spare node the rollout stalls.' : ', or the rollout waits for an old pod to stop.'),
        );
      }
      parts.push(advice);
      message = parts.join(' ');
    }
    if (scale.replicasAt && scale.replicas > 1) related.push({ loc: ctx.loc(scale.replicasAt.r, scale.replicasAt.path), message: scale.replicasAt.what });
    if (scale.surge > 0 && scale.surgeAt) related.push({ loc: ctx.loc(r, scale.surgeAt), message: scale.surgeText ?? 'surge' });
    const at = declared ? declared.at : [...t.specPath, 'hostNetwork'];
    ctx.report({ message, at, related });
  },
});
