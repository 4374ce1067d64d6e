// Helpers shared by the service-spec rules: the effective Service type, port
// naming, DNS formats, and the node port allocation plan (which nodePort each
// claim would get, so that fixes of different findings never pick the same port).
import { isMap, isScalar, type Node, type YAMLMap } from 'yaml';
import { renderScalar } from '../../engine/edits';
import { WELL_KNOWN_PORT_NAMES, type Path } from '../../engine/model';
import { isPlainObject, type Chunk, type Resource } from '../../engine/parse';
import { defineFacet, type Edit, type RuleContext } from '../../engine/rule';
import { detectEol } from '../../engine/text';

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
export const SERVICE_TYPES: readonly ServiceType[] = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];

/** A core (v1) Service: other API groups reuse the kind name (Knative's serving.knative.dev Service). */
export function isCoreService(r: Resource): boolean {
  return r.kind === 'Service' && r.group === '';
}

/** The Service's spec as a plain object ({} when absent or not a map). */
export function specOf(r: Resource): Record<string, any> {
  return isPlainObject(r.value.spec) ? r.value.spec : {};
}

/** True when spec.type is written (an empty or null type is defaulted like an absent one). */
export function typeExplicit(r: Resource): boolean {
  const t = specOf(r).type;
  return t !== undefined && t !== null && t !== '';
}

/**
 * The type after defaulting (absent, null or "" → ClusterIP, D-01), or
 * undefined when spec.type is not one of the four types (the schema rule
 * reports that; type-dependent checks stay quiet).
 */
export function effectiveType(r: Resource): ServiceType | undefined {
  const t = specOf(r).type;
  if (t === undefined || t === null || t === '') return 'ClusterIP';
  return typeof t === 'string' && (SERVICE_TYPES as readonly string[]).includes(t) ? (t as ServiceType) : undefined;
}

/** `ClusterIP (the default)` or `NodePort`. */
export function typeText(r: Resource, t: ServiceType): string {
  return typeExplicit(r) ? t : `${t} (the default)`;
}

/** Protocol after defaulting (D-02): absent, null or "" → TCP. */
export function protocolOf(p: unknown): string {
  const v = isPlainObject(p) ? p.protocol : undefined;
  return typeof v === 'string' && v !== '' ? v : 'TCP';
}

export function intOf(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

/** The raw `spec.ports` list ([] when absent or not a list). */
export function rawPorts(r: Resource): unknown[] {
  const p = specOf(r).ports;
  return Array.isArray(p) ? p : [];
}

/** `80/TCP`, or `ports[2]` when the port number is missing. */
export function portText(p: unknown, index: number): string {
  const port = isPlainObject(p) ? intOf(p.port) : undefined;
  return port !== undefined ? `${port}/${protocolOf(p)}` : `ports[${index}]`;
}

/** `Service web`, with the namespace when it differs from the one of `from`. */
export function svcName(ctx: RuleContext, r: Resource, from?: Resource): string {
  const ns = ctx.namespaceOf(r);
  const base = `Service ${r.name ?? '<unnamed>'}`;
  return from && ctx.namespaceOf(from) !== ns ? `${base} in namespace ${ns}` : base;
}

// ---------------------------------------------------------------------------
// DNS formats (F-01, F-02)

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function isDns1123Label(s: string): boolean {
  return s.length <= 63 && LABEL.test(s);
}

export function isDns1123Subdomain(s: string): boolean {
  return s.length <= 253 && SUBDOMAIN.test(s);
}

export function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

export function looksLikeIPv6(s: string): boolean {
  return /^\[?[0-9a-fA-F:.]+\]?$/.test(s) && s.includes(':') && s.split(':').length > 2;
}

// ---------------------------------------------------------------------------
// Port names

/** A port's name as written: undefined when absent, null or "" (the API treats all three as unnamed). */
export function portName(p: unknown): string | undefined | null {
  if (!isPlainObject(p)) return null;
  const n = p.name;
  if (n === undefined || n === null || n === '') return undefined;
  return typeof n === 'string' ? n : null; // null: a non-string name is the schema rule's business
}

/**
 * Names for the unnamed ports of a port list: well-known port names first
 * (DNS keeps the CoreDNS convention: `dns` for UDP, `dns-tcp` for TCP next to
 * it), then the targetPort's name, then `port-<port>`; a name taken by another
 * port gets the protocol or a counter appended. Names are unique DNS-1123 labels.
 * `only` limits the result to those indices (others keep their names as taken).
 */
export function suggestPortNames(ports: readonly unknown[], only?: ReadonlySet<number>): Map<number, string> {
  const taken = new Set<string>();
  ports.forEach((p, i) => {
    const n = portName(p);
    if (typeof n === 'string' && !(only && only.has(i))) taken.add(n);
  });
  const out = new Map<number, string>();
  ports.forEach((p, i) => {
    if (!isPlainObject(p)) return;
    if (only ? !only.has(i) : portName(p) !== undefined) return;
    const port = intOf(p.port);
    const proto = protocolOf(p).toLowerCase();
    const bases: string[] = [];
    if (port === 53) {
      const udpSibling = ports.some((q, k) => k !== i && isPlainObject(q) && intOf(q.port) === 53 && protocolOf(q) === 'UDP');
      bases.push(proto === 'tcp' && udpSibling ? 'dns-tcp' : 'dns');
    } else if (port !== undefined && WELL_KNOWN_PORT_NAMES[port]) {
      bases.push(WELL_KNOWN_PORT_NAMES[port]);
    }
    if (typeof p.targetPort === 'string' && p.targetPort) bases.push(p.targetPort);
    // only a real port number makes a name (`port-1e+21` is no DNS label, and the loop below would never end)
    const fallback = port !== undefined && port > 0 && port <= 65535 ? `port-${port}` : `port-${i + 1}`;
    bases.push(fallback);
    const candidates: string[] = [];
    for (const b of bases) {
      candidates.push(b);
      if (proto !== 'tcp') candidates.push(`${b}-${proto}`);
    }
    let name = candidates.find((c) => isDns1123Label(c) && !taken.has(c));
    for (let n = 2; !name; n++) {
      const c = `${fallback}-${n}`;
      if (isDns1123Label(c) && !taken.has(c)) name = c;
    }
    taken.add(name);
    out.set(i, name);
  });
  return out;
}

/** Renders a scalar that must stay a string under YAML 1.1 readers too (`on`, `yes`, `1e3` get quoted). */
export function renderString(value: string, like?: Node): string {
  if (/^(y|yes|n|no|on|off|true|false|null|~)$/i.test(value) || /^[-+.\d]/.test(value) && !Number.isNaN(Number(value))) {
    return JSON.stringify(value);
  }
  return renderScalar(value, like);
}

/**
 * Inserts `key: value` as the first entry of a block map (a port's `name`
 * reads best first: `- name: http`); flow and empty maps append instead.
 */
export function insertFirstKey(chunk: Chunk, map: YAMLMap, key: string, rendered: string): Edit | undefined {
  if (map.flow || map.items.length === 0) {
    if (!map.flow || !map.range || chunk.text[map.range[0]] !== '{') return undefined; // (a pair in a flow sequence has no braces)
    const [start] = map.range;
    if (map.items.length) {
      // before the first pair, touching nothing else: what lies between is not always
      // white space to `yaml` (a lone CR there is part of the first key)
      const at = chunk.text[start + 1] === ' ' ? start + 2 : start + 1; // `{ a: 1 }` → `{ key: v, a: 1 }`
      return { loc: { chunk, range: chunk.rangeOf(at, at) }, newText: `${key}: ${rendered}, ` };
    }
    let end = map.range[1];
    while (end > start && /\s/.test(chunk.text[end - 1])) end--;
    const close = chunk.text.lastIndexOf('}', end - 1);
    // an empty map: written anew, unless something (a comment) is inside it
    if (close < start || chunk.text.slice(start + 1, close).trim()) return undefined;
    return { loc: { chunk, range: chunk.rangeOf(start, close + 1) }, newText: `{${key}: ${rendered}}` };
  }
  const first = map.items[0].key as Node | null;
  if (!isScalar(first) || !first.range) return undefined;
  const at = first.range[0];
  const col = chunk.lines.positionAt(at).character;
  const eol = detectEol(chunk.text);
  return { loc: { chunk, range: chunk.rangeOf(at, at) }, newText: `${key}: ${rendered}${eol}${' '.repeat(col)}` };
}

/** Inserts `key: value` on its own line right after a block map's pair (for keys that belong together). */
export function insertAfterPair(chunk: Chunk, map: YAMLMap, after: string, key: string, rendered: string): Edit | undefined {
  if (map.flow) return undefined;
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === after);
  const keyNode = pair?.key as Node | undefined;
  if (!pair || !keyNode?.range) return undefined;
  const last = (pair.value as Node | null)?.range ? (pair.value as Node) : keyNode;
  if (isMap(last) || (last as any).items) return undefined; // only after scalar values
  let end = last.range![1];
  while (end > last.range![0] && /\s/.test(chunk.text[end - 1])) end--;
  const line = chunk.lines.positionAt(end).line;
  const at = chunk.lines.lineEnd(line);
  const col = chunk.lines.positionAt(keyNode.range[0]).character;
  return { loc: { chunk, range: chunk.rangeOf(at, at) }, newText: `${detectEol(chunk.text)}${' '.repeat(col)}${key}: ${rendered}` };
}

export function mapNode(r: Resource, path: Path): YAMLMap | undefined {
  const n = path.length ? r.nodeAt(path) : r.node;
  return isMap(n) ? n : undefined;
}

// ---------------------------------------------------------------------------
// Node port allocation plan

export interface NodePortClaim {
  svc: Resource;
  kind: 'nodePort' | 'healthCheckNodePort';
  /** index in spec.ports (-1 for healthCheckNodePort) */
  portIndex: number;
  /** path of the value */
  path: Path;
  value: number;
  port?: number;
  protocol: string;
  /**
   * ok: allocated; shared: rides on an earlier port with the same `port` and
   * nodePort; out-of-range: ALLOC-01; internal: the Service already holds the
   * value on another port (ALLOC-03) or as a nodePort (ALLOC-07).
   */
  status: 'ok' | 'shared' | 'out-of-range' | 'internal';
  /** for shared/internal: the claim that holds the value */
  holder?: NodePortClaim;
  /** for ok claims: claims of other Services (other identities) holding the same value (X-12/ALLOC-02) */
  cross: NodePortClaim[];
  /** the value a fix moves this claim to */
  newValue?: number;
  /** set when newValue is the node port of another port with the same number (shared, ALLOC-03v) */
  sharesWith?: NodePortClaim;
}

export interface NodePortPlan {
  min: number;
  max: number;
  claims: Map<Resource, NodePortClaim[]>;
}

/** What the port allocator would do with one Service's requested node ports (alloc.go: initNodePorts). */
function simulate(svc: Resource, min: number, max: number): NodePortClaim[] {
  if (!isCoreService(svc)) return [];
  const type = effectiveType(svc);
  if (type !== 'NodePort' && type !== 'LoadBalancer') return [];
  const claims: NodePortClaim[] = [];
  const owner = new Map<number, NodePortClaim>();
  const byPort = new Map<string, NodePortClaim>();
  rawPorts(svc).forEach((p, i) => {
    if (!isPlainObject(p)) return;
    const value = intOf(p.nodePort);
    if (value === undefined || value === 0) return;
    const port = intOf(p.port);
    const claim: NodePortClaim = {
      svc,
      kind: 'nodePort',
      portIndex: i,
      path: ['spec', 'ports', i, 'nodePort'],
      value,
      port,
      protocol: protocolOf(p),
      status: 'ok',
      cross: [],
    };
    claims.push(claim);
    if (value < min || value > max) {
      claim.status = 'out-of-range';
      return;
    }
    // ports with the same `port` number share one node port (ALLOC-03v)
    const portKey = port !== undefined ? String(port) : `#${i}`;
    const prior = byPort.get(portKey);
    if (prior && prior.value === value) {
      claim.status = 'shared';
      claim.holder = prior;
      return;
    }
    const held = owner.get(value);
    if (held) {
      claim.status = 'internal';
      claim.holder = held;
      return;
    }
    owner.set(value, claim);
    if (!prior) byPort.set(portKey, claim);
  });
  const spec = specOf(svc);
  const hc = intOf(spec.healthCheckNodePort);
  // a healthCheckNodePort is only allocated for LoadBalancer + Local (SVC-23 reports it elsewhere)
  if (hc && type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local') {
    const claim: NodePortClaim = {
      svc,
      kind: 'healthCheckNodePort',
      portIndex: -1,
      path: ['spec', 'healthCheckNodePort'],
      value: hc,
      protocol: 'TCP',
      status: 'ok',
      cross: [],
    };
    claims.push(claim);
    if (hc < min || hc > max) claim.status = 'out-of-range';
    else if (owner.has(hc)) {
      claim.status = 'internal';
      claim.holder = owner.get(hc);
    }
  }
  return claims;
}

function position(r: Resource): [string, number, number] {
  return [r.uri, r.chunk.startLine, r.chunk.resources.indexOf(r)];
}

function comparePosition(a: Resource, b: Resource): number {
  const [ua, la, ia] = position(a);
  const [ub, lb, ib] = position(b);
  return ua < ub ? -1 : ua > ub ? 1 : la - lb || ia - ib;
}

/** by the scope's (shared, frozen) query result: one plan per scope version, however many Services read it */
const planCache = new WeakMap<readonly Resource[], { range: string; defaultNamespace: string; plan: NodePortPlan }>();

/** True when a Service asks for a node port itself (a nodePort or a healthCheckNodePort). */
export function requestsNodePorts(r: Resource): boolean {
  const hc = intOf(specOf(r).healthCheckNodePort);
  return (hc !== undefined && hc !== 0) || rawPorts(r).some((p) => isPlainObject(p) && !!intOf(p.nodePort));
}

/**
 * What the node port plan reads of a Service: its identity and, per port, the
 * values the allocator and the messages use. Services that request no node port
 * are not in the plan at all, so an edit of anything else (a targetPort, a
 * selector, a Service without node ports) never re-runs the plan's readers.
 */
export const NODE_PORTS = defineFacet('service-node-ports', (s) => {
  if (!isCoreService(s)) return undefined;
  const spec = specOf(s);
  const hc = intOf(spec.healthCheckNodePort);
  const ports = rawPorts(s);
  if (hc === undefined && !ports.some((p) => isPlainObject(p) && intOf(p.nodePort) !== undefined)) return undefined;
  return JSON.stringify([
    s.explicitNamespace ?? null,
    s.name ?? null,
    effectiveType(s) ?? null,
    spec.externalTrafficPolicy === 'Local',
    hc ?? null,
    ports.map((p) => (isPlainObject(p) ? [intOf(p.nodePort) ?? null, intOf(p.port) ?? null, protocolOf(p), portName(p) ?? null] : 0)),
  ]);
});

/**
 * The node port plan of the conflict scope of `r`: every Service's claims, the
 * conflicts between them, and for each claim that must move a distinct free
 * port (the lowest ones of the range not held by any Service in the scope).
 * The same for every Service of the scope, so fixes applied together agree.
 */
export function nodePortPlan(ctx: RuleContext, r: Resource): NodePortPlan {
  const { min, max } = ctx.config.nodePortRange;
  const scope = ctx.inScope('Service', r, NODE_PORTS);
  const range = `${min}-${max}`;
  const cached = planCache.get(scope);
  if (cached && cached.range === range && cached.defaultNamespace === ctx.config.defaultNamespace) return cached.plan;
  const services = scope.filter(isCoreService).sort(comparePosition);

  const claims = new Map<Resource, NodePortClaim[]>();
  const used = new Set<number>();
  for (const s of services) {
    claims.set(s, simulate(s, min, max));
    // every requested value in range is taken, whatever the Service's type
    for (const p of rawPorts(s)) {
      const v = isPlainObject(p) ? intOf(p.nodePort) : undefined;
      if (v !== undefined && v >= min && v <= max) used.add(v);
    }
    const hc = intOf(specOf(s).healthCheckNodePort);
    if (hc !== undefined && hc >= min && hc <= max) used.add(hc);
  }

  // cross-Service conflicts between allocated claims
  const byValue = new Map<number, NodePortClaim[]>();
  for (const list of claims.values()) {
    for (const c of list) if (c.status === 'ok') byValue.set(c.value, [...(byValue.get(c.value) ?? []), c]);
  }
  for (const holders of byValue.values()) {
    if (holders.length < 2) continue;
    for (const c of holders) c.cross = holders.filter((o) => o.svc !== c.svc && !ctx.sameIdentity(o.svc, c.svc));
  }

  const handed = new Set<number>();
  const nextFree = (): number | undefined => {
    for (let p = min; p <= max; p++) {
      if (!used.has(p) && !handed.has(p)) {
        handed.add(p);
        return p;
      }
    }
    return undefined;
  };
  const needsMove = (c: NodePortClaim) => c.status === 'out-of-range' || c.status === 'internal' || (c.status === 'ok' && c.cross.length > 0);
  const assign = (c: NodePortClaim): void => {
    if (c.newValue !== undefined || !needsMove(c)) return;
    if (c.kind === 'nodePort' && c.status !== 'ok' && c.port !== undefined) {
      // share the node port of another port with the same number, as the allocator does
      const sibling = claims
        .get(c.svc)!
        .find((s) => s !== c && s.kind === 'nodePort' && s.port === c.port && (s.status === 'ok' || s.newValue !== undefined));
      if (sibling) {
        assign(sibling);
        c.newValue = sibling.newValue ?? sibling.value;
        c.sharesWith = sibling;
        return;
      }
    }
    c.newValue = nextFree();
  };
  for (const list of claims.values()) for (const c of list) assign(c);
  for (const list of claims.values()) for (const c of list) if (c.status === 'shared' && c.holder?.newValue !== undefined) c.newValue = c.holder.newValue;

  const plan: NodePortPlan = { min, max, claims };
  planCache.set(scope, { range, defaultNamespace: ctx.config.defaultNamespace, plan });
  return plan;
}

/** `port 80/TCP` or `healthCheckNodePort` for messages. */
export function claimText(c: NodePortClaim): string {
  if (c.kind === 'healthCheckNodePort') return 'healthCheckNodePort';
  const p = rawPorts(c.svc)[c.portIndex];
  const name = portName(p);
  const suffix = typeof name === 'string' ? ` (${name})` : '';
  return c.port !== undefined ? `port ${portText(p, c.portIndex)}${suffix}` : `ports[${c.portIndex}]${suffix}`;
}
