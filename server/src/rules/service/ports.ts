// Helpers shared by the `service` group: which pod templates a Service selects,
// how a targetPort resolves against them (FindPort semantics), the manual
// endpoints of a selector-less Service, and small text helpers for messages.
import { isMap, type Node } from 'yaml';
import { distance } from 'fastest-levenshtein';
import {
  get,
  podTemplate,
  selectorMatches,
  servingContainers,
  type ContainerPortView,
  type ContainerView,
  type PodTemplateView,
  type ServicePortView,
  type ServiceView,
} from '../../engine/model';
import { isPlainObject, type Chunk, type Resource } from '../../engine/parse';
import type { Edit, RuleContext } from '../../engine/rule';
import { closest, compareNames, describe, stableLabels } from '../util';

export const PROTOCOLS = new Set(['TCP', 'UDP', 'SCTP']);
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

/** IANA_SVC_NAME (F-06): what a container port name and a named targetPort must be. */
export function isIanaPortName(s: string): boolean {
  return s.length >= 1 && s.length <= 15 && /^[-a-z0-9]+$/.test(s) && /[a-z]/.test(s) && !s.includes('--') && !s.startsWith('-') && !s.endsWith('-');
}

/**
 * The pod templates a Service selects in its namespace: none for ExternalName,
 * for a missing or empty selector, or when nothing in the input matches.
 */
export function selectedTemplates(ctx: RuleContext, svc: ServiceView): PodTemplateView[] {
  if (svc.type === 'ExternalName' || !svc.selector || Object.keys(svc.selector).length === 0) return [];
  return ctx
    .selectTemplates(ctx.namespaceOf(svc.resource), svc.selector)
    .map((t) => podTemplate(t))
    .filter((t): t is PodTemplateView => !!t);
}

export interface PortDecl {
  t: PodTemplateView;
  c: ContainerView;
  p: ContainerPortView;
}

/** Ports of the containers that serve traffic, in FindPort order (containers, then sidecars). */
export function servingPorts(t: PodTemplateView): PortDecl[] {
  return servingContainers(t).flatMap((c) => c.ports.map((p) => ({ t, c, p })));
}

/** Every declared port of a template, plain init containers included. */
export function allPorts(t: PodTemplateView): PortDecl[] {
  return t.containers.flatMap((c) => c.ports.map((p) => ({ t, c, p })));
}

/** FindPort for a named targetPort: the first serving port with that name and protocol. */
export function findNamedPort(t: PodTemplateView, name: string, protocol: string): PortDecl | undefined {
  return servingPorts(t).find((d) => d.p.name === name && d.p.protocol === protocol);
}

/** The first serving port declaring a number with a protocol. */
export function findNumberedPort(t: PodTemplateView, n: number, protocol: string): PortDecl | undefined {
  return servingPorts(t).find((d) => d.p.containerPort === n && d.p.protocol === protocol);
}

/** A container port name, treating '' as no name. */
export function portName(p: ContainerPortView): string | undefined {
  return p.name ? p.name : undefined;
}

/** `Deployment web` / `Deployment web, Pod debug` (distinct, in order). */
export function owners(templates: readonly PodTemplateView[]): string {
  return [...new Set(templates.map((t) => describe(t.resource)))].join(', ');
}

/** `container app of Deployment web` */
export function containerLabel(d: { t: PodTemplateView; c: ContainerView }): string {
  const kind = d.c.list === 'containers' ? 'container' : d.c.sidecar ? 'sidecar container' : 'init container';
  return `${kind} ${d.c.name ?? `#${d.c.index}`} of ${describe(d.t.resource)}`;
}

/** `80`, `80 ("http")`, `53/UDP ("dns")` */
export function servicePortLabel(sp: ServicePortView): string {
  const num = `${sp.port ?? `ports[${sp.index}]`}${sp.protocol === 'TCP' ? '' : `/${sp.protocol}`}`;
  return sp.name ? `${num} ("${sp.name}")` : num;
}

/** `8080/TCP "http"` */
export function containerPortLabel(p: ContainerPortView): string {
  return `${p.containerPort ?? '?'}/${p.protocol}${portName(p) ? ` "${p.name}"` : ''}`;
}

/** A valid port number (F-05). */
export function isPortNumber(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535;
}

/** targetPort is absent, empty, a number or a string (not a wrongly typed value the view defaulted away). */
export function plainTargetPort(r: Resource, portPath: (string | number)[]): boolean {
  const raw = get(r.value, [...portPath, 'targetPort']);
  return raw === undefined || raw === null || typeof raw === 'number' || typeof raw === 'string';
}

/** Replaces the text of a node (any node, e.g. a flow map) with `text`. */
export function replaceNodeText(chunk: Chunk, node: Node, text: string): Edit {
  const [start, end0] = node.range!;
  let end = Math.max(end0, start);
  while (end > start && /\s/.test(chunk.text[end - 1])) end--;
  return { loc: { chunk, range: chunk.rangeOf(start, end) }, newText: text };
}

// ---------------------------------------------------------------------------
// Manual endpoints

/** Endpoints (same name) and EndpointSlices (service-name label) that back a Service, in its namespace. */
export function manualEndpointsFor(ctx: RuleContext, r: Resource): Resource[] {
  const ns = ctx.namespaceOf(r);
  const eps = r.name === undefined ? [] : ctx.named('Endpoints', ns, r.name);
  const slices = ctx.inNamespace('EndpointSlice', ns).filter((s) => r.name !== undefined && sliceServiceName(s) === r.name);
  return [...eps, ...slices];
}

/** The Service an EndpointSlice belongs to (its kubernetes.io/service-name label). */
export function sliceServiceName(s: Resource): string | undefined {
  const labels = get(s.value, ['metadata', 'labels']);
  if (!isPlainObject(labels)) return undefined;
  const v = labels[SERVICE_NAME_LABEL];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
}

/** A Service that behaves as selector-less: no selector, null, or `{}` (X-03: stored as absent). */
export function isSelectorless(r: Resource): boolean {
  const raw = get(r.value, ['spec', 'selector']);
  return raw === undefined || raw === null || (isPlainObject(raw) && Object.keys(raw).length === 0);
}

// ---------------------------------------------------------------------------
// Closest workload by name

/**
 * How alike two object names are (lower is closer): 0 equal, 1 one is the other
 * plus a dash-separated part (`db` / `db-endpoints`), 2+ a plausible typo,
 * Infinity unrelated.
 */
export function nameSimilarity(name: string, other: string): number {
  if (!name || !other) return Infinity;
  if (other === name) return 0;
  if (other.startsWith(`${name}-`) || name.startsWith(`${other}-`) || other.endsWith(`-${name}`) || name.endsWith(`-${other}`)) return 1;
  if (closest(name, [other]) !== undefined) return 2 + distance(name, other);
  return Infinity;
}

/** The most similar name (nameSimilarity), if any is related. */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const s = nameSimilarity(name, c);
    if (s < bestScore || (s === bestScore && best !== undefined && c < best)) {
      best = c;
      bestScore = s;
    }
  }
  return bestScore === Infinity ? undefined : best;
}

/**
 * The template whose workload name is closest to `name`: equal, then one name
 * containing the other, then a plausible typo; when the namespace holds a single
 * candidate, that one.
 */
export function closestWorkload(name: string | undefined, templates: readonly PodTemplateView[], loneFallback = true): PodTemplateView | undefined {
  const usable = templates.filter((t) => Object.keys(stableLabels(t.labels)).length > 0);
  if (usable.length === 0) return undefined;
  if (name) {
    const ranked = usable.map((t) => ({ t, s: nameSimilarity(name, t.resource.name ?? '') })).filter((x) => x.s !== Infinity);
    ranked.sort((a, b) => a.s - b.s || compareNames(a.t.resource.name ?? '', b.t.resource.name ?? ''));
    if (ranked.length) return ranked[0].t;
  }
  if (!loneFallback) return undefined;
  // a lone serving workload (run-to-completion Jobs are not what a Service fronts)
  const serving = usable.filter((t) => t.resource.kind !== 'Job' && t.resource.kind !== 'CronJob');
  const identities = new Set(serving.map((t) => `${t.resource.kind}/${t.resource.name ?? ''}`));
  return identities.size === 1 ? serving[0] : undefined;
}

/**
 * Labels a Service should select to reach a template's pods: the workload's own
 * `matchLabels` (its stable identity) when set, else the template's labels minus
 * the ones controllers generate.
 */
export function podIdentityLabels(t: PodTemplateView): Record<string, string> {
  const r = t.resource;
  let sel: unknown;
  if (r.kind === 'ReplicationController') sel = get(r.value, ['spec', 'selector']);
  else if (!t.isPod && r.kind !== 'Job' && r.kind !== 'CronJob') sel = get(r.value, ['spec', 'selector', 'matchLabels']);
  if (isPlainObject(sel)) {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(sel)) if (t.labels[k] !== undefined && t.labels[k] === String(v)) out[k] = t.labels[k];
    if (Object.keys(out).length) return out;
  }
  return stableLabels(t.labels);
}

/** True when the map at a path is written in flow style (`{...}`). */
export function isFlowMapAt(r: Resource, path: (string | number)[]): boolean {
  const n = path.length ? r.nodeAt(path) : r.node;
  return isMap(n) && !!n.flow;
}
