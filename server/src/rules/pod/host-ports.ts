// Shared helpers of the pod rules: which host ports a pod template holds on
// its node, how two of them clash (the scheduler's NodePorts filter), and
// where two templates could never meet on one node.
import { get, podTemplate, replicaCount, WORKLOAD_TEMPLATE_PATHS, type ContainerPortView, type ContainerView, type Path, type PodTemplateView } from '../../engine/model';
import { isPlainObject, type Resource } from '../../engine/parse';
import { defineFacet, type RuleContext } from '../../engine/rule';

/** Every kind with a pod template (category 'template'). */
export const TEMPLATE_KINDS: readonly string[] = ['Pod', ...Object.keys(WORKLOAD_TEMPLATE_PATHS)];

export interface HostPortClaim {
  template: PodTemplateView;
  container: ContainerView;
  port: ContainerPortView;
  protocol: string;
  /** hostIP as written ('' when absent or empty) */
  hostIP: string;
  /**
   * The port held on the node: hostPort, or under hostNetwork the containerPort
   * (D-10: the API server fills hostPort = containerPort on every Pod, including
   * the pods a controller creates from its template).
   */
  hostPort: number;
  /** hostPort is written in the manifest (not implied by hostNetwork) */
  declared: boolean;
  /** what to underline: the hostPort value, or the containerPort value when hostNetwork implies it */
  at: Path;
}

/** true: app containers and sidecars (what the scheduler counts, SCHED-05); false: every container. */
export function hostPortClaims(t: PodTemplateView, servingOnly: boolean): HostPortClaim[] {
  const out: HostPortClaim[] = [];
  for (const c of t.containers) {
    if (servingOnly && c.list === 'initContainers' && !c.sidecar) continue;
    for (const p of c.ports) {
      const declared = p.hostPort !== undefined && p.hostPort > 0;
      const hostPort = declared ? p.hostPort : t.hostNetwork && p.containerPort !== undefined && p.containerPort > 0 ? p.containerPort : undefined;
      if (hostPort === undefined) continue;
      out.push({
        template: t,
        container: c,
        port: p,
        protocol: p.protocol,
        hostIP: p.hostIP ?? '',
        hostPort,
        declared,
        at: [...p.path, declared ? 'hostPort' : 'containerPort'],
      });
    }
  }
  return out;
}

/** Empty and 0.0.0.0 mean every address (SCHED-01); `::` is a specific address to the scheduler (SCHED-04). */
export function isWildcardIP(ip: string): boolean {
  return ip === '' || ip === '0.0.0.0';
}

export function hostIPsOverlap(a: string, b: string): boolean {
  return isWildcardIP(a) || isWildcardIP(b) || a === b;
}

/** Same protocol and port with overlapping addresses: the two cannot be on one node. */
export function claimsOverlap(a: HostPortClaim, b: HostPortClaim): boolean {
  return a.protocol === b.protocol && a.hostPort === b.hostPort && hostIPsOverlap(a.hostIP, b.hostIP);
}

/** `8080/TCP`, `10.0.0.1:8080/TCP`, `[fd00::1]:8080/TCP` */
export function claimText(c: HostPortClaim): string {
  const ip = c.hostIP === '' ? '' : c.hostIP.includes(':') ? `[${c.hostIP}]:` : `${c.hostIP}:`;
  return `${ip}${c.hostPort}/${c.protocol}`;
}

/** `container "web"`, `sidecar "proxy"`, `init container "setup"` */
export function containerText(c: ContainerView): string {
  const kind = c.list === 'containers' ? 'container' : c.sidecar ? 'sidecar' : 'init container';
  return c.name ? `${kind} "${c.name}"` : `${kind} #${c.index + 1}`;
}

// ---------------------------------------------------------------------------
// Node placement: two templates that can never land on the same node never clash.

export interface NodeConstraints {
  nodeName?: string;
  /** node label key -> the values a node must have (from nodeSelector and a single required affinity term) */
  labels: Map<string, Set<string>>;
}

function constrain(labels: Map<string, Set<string>>, key: string, values: string[]): void {
  const prev = labels.get(key);
  labels.set(key, new Set(prev ? values.filter((v) => prev.has(v)) : values));
}

export function nodeConstraints(t: PodTemplateView): NodeConstraints {
  const spec = get(t.resource.value, t.specPath);
  const labels = new Map<string, Set<string>>();
  if (!isPlainObject(spec)) return { labels };
  if (isPlainObject(spec.nodeSelector)) {
    for (const [k, v] of Object.entries(spec.nodeSelector)) if (typeof v === 'string') constrain(labels, k, [v]);
  }
  const terms = get(spec, ['affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms']);
  // Terms are ORed: only a single term pins the node labels.
  if (Array.isArray(terms) && terms.length === 1 && isPlainObject(terms[0]) && Array.isArray(terms[0].matchExpressions)) {
    for (const e of terms[0].matchExpressions) {
      if (isPlainObject(e) && e.operator === 'In' && typeof e.key === 'string' && Array.isArray(e.values) && e.values.every((v: unknown) => typeof v === 'string')) {
        constrain(labels, e.key, e.values);
      }
    }
  }
  return { nodeName: typeof spec.nodeName === 'string' && spec.nodeName ? spec.nodeName : undefined, labels };
}

/** True when no node meets both sets of constraints: two templates whose pods never share a node (different nodeName, or node label requirements that exclude each other). */
export function constraintsExclude(x: NodeConstraints, y: NodeConstraints): boolean {
  if (x.nodeName && y.nodeName && x.nodeName !== y.nodeName) return true;
  for (const [k, values] of x.labels) {
    const other = y.labels.get(k);
    if (other && ![...values].some((v) => other.has(v))) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------
// Free host ports, for fixes.

/** A workload with replicas: 0 (or a Job with parallelism: 0) runs no pod, so it holds no port. */
export function scaledToZero(r: Resource): boolean {
  if (r.kind === 'Job' || r.kind === 'CronJob') return get(r.value, [...(r.kind === 'Job' ? ['spec'] : ['spec', 'jobTemplate', 'spec']), 'parallelism']) === 0;
  return r.kind !== 'Pod' && r.kind !== 'DaemonSet' && replicaCount(r) === 0;
}

/**
 * What the host port rules read of the other templates of a scope: identity,
 * whether it runs pods, where they may run, and every host port claim. A
 * template without host ports is not in the list at all, so editing it (or the
 * labels or images of any template) re-runs none of the host port checks of
 * the others.
 */
export const HOST_PORTS = defineFacet('template-host-ports', (r) => {
  const t = podTemplate(r);
  if (!t) return undefined;
  const claims = hostPortClaims(t, false);
  if (!claims.length) return undefined;
  const where = nodeConstraints(t);
  return JSON.stringify([
    r.group,
    r.kind,
    r.explicitNamespace ?? null,
    r.name ?? null,
    scaledToZero(r),
    where.nodeName ?? null,
    [...where.labels].map(([k, v]) => [k, [...v]]),
    claims.map((c) => [c.hostPort, c.protocol, c.hostIP, c.declared, c.at, c.container.list, c.container.index, c.container.name ?? null, !!c.container.sidecar]),
  ]);
});

/** A template of a conflict scope that holds host ports, with what the host port rules ask of it. */
export interface HostPortHolder {
  resource: Resource;
  template: PodTemplateView;
  /** runs no pod (replicas: 0) */
  idle: boolean;
  where: NodeConstraints;
  /** app containers and sidecars: what the scheduler counts */
  serving: HostPortClaim[];
}

export interface HostPortsInScope {
  holders: HostPortHolder[];
  /** `protocol/hostPort` -> the holders with a serving claim on it, in scope order */
  byPort: Map<string, HostPortHolder[]>;
  /** every host port any of them holds (init containers too) */
  used: Set<number>;
}

const portKey = (c: HostPortClaim) => `${c.protocol}/${c.hostPort}`;

/**
 * The host ports of a conflict scope, worked out once per answer of the index
 * (every template of the scope asks the same): looking up a port's holders
 * keeps the check of a scope with many host-port workloads linear.
 */
const byAnswer = new WeakMap<readonly Resource[], HostPortsInScope>();
export function hostPortsInScope(ctx: RuleContext, r: Resource): HostPortsInScope {
  const answer = ctx.inScope('template', r, HOST_PORTS);
  let known = byAnswer.get(answer);
  if (!known) {
    known = { holders: [], byPort: new Map(), used: new Set() };
    for (const o of answer) {
      const t = podTemplate(o);
      if (!t) continue;
      for (const c of hostPortClaims(t, false)) known.used.add(c.hostPort);
      const holder = { resource: o, template: t, idle: scaledToZero(o), where: nodeConstraints(t), serving: hostPortClaims(t, true) };
      known.holders.push(holder);
      for (const key of new Set(holder.serving.map(portKey))) {
        const list = known.byPort.get(key);
        if (list) list.push(holder);
        else known.byPort.set(key, [holder]);
      }
    }
    byAnswer.set(answer, known);
  }
  return known;
}

/** The holders of the scope with a serving claim on the port and protocol of `c`, in scope order. */
export function holdersOf(scope: HostPortsInScope, c: HostPortClaim): readonly HostPortHolder[] {
  return scope.byPort.get(portKey(c)) ?? [];
}

/** Host ports (any protocol) held by any template in r's conflict scope. */
export function usedHostPorts(ctx: RuleContext, r: Resource): Set<number> {
  const used = new Set(hostPortsInScope(ctx, r).used);
  const t = podTemplate(r);
  if (t) for (const c of hostPortClaims(t, false)) used.add(c.hostPort);
  return used;
}

/**
 * The lowest port above `from` that nothing uses. It stays out of the node port
 * range unless `from` was already in it (a hostPort there collides with
 * NodePort Services, ALLOC-09).
 */
export function freeHostPort(from: number, used: Set<number>, range: { min: number; max: number }): number | undefined {
  const inRange = (p: number) => p >= range.min && p <= range.max;
  for (let p = from + 1; p <= 65535; p++) {
    if (used.has(p)) continue;
    if (!inRange(from) && inRange(p)) continue;
    return p;
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Integer-or-percent values (maxSurge, maxUnavailable).

/** Resolves an int-or-percent against a total; undefined when the value is not usable. */
export function scaledValue(v: unknown, total: number, roundUp: boolean): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string') {
    const m = /^(\d+)%$/.exec(v);
    if (!m) return undefined; // a bare number in quotes is not a valid IntOrString percentage
    const exact = (Number(m[1]) * total) / 100;
    return roundUp ? Math.ceil(exact) : Math.floor(exact);
  }
  return undefined;
}
