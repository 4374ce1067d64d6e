// Cross-resource questions the features ask: which workloads a Service selects,
// which Services select a workload, where a targetPort lands, who uses a
// Service port, which node ports are taken. One `Lookup` lives for one request
// and reads resource groups that mirror the engine's index (see `Groups`).
//
// Engine change we would prefer: read access to the Workspace's own index
// (`inNamespace`/`inScope`/`all` without recording dependencies), so the
// features would not keep a mirror of it.
import { gatewayRoute, get, ingress, ROUTE_KINDS, type RouteParentView, type RouteView, podTemplate, selectorMatches, service, categoryOf, type IngressBackendView, type IngressView, type PodTemplateView, type ServicePortView, type ServiceView } from '../engine/model';
import { isPlainObject, type Chunk, type Resource } from '../engine/parse';
import type { FileState, Workspace } from '../engine/workspace';
import { findNamedPort, findNumberedPort, isSelectorless, sliceServiceName, type PortDecl } from '../rules/service/ports';

export interface RouteBackend {
  route: Resource;
  /** path of the backendRef */
  path: (string | number)[];
  name?: string;
  namespace: string;
  port?: number;
  hostnames: string[];
  /** first path match value of the rule, if any */
  httpPath?: string;
}

export interface Landing {
  t: PodTemplateView;
  /** the declared container port it lands on (undefined for a numeric targetPort no container declares) */
  decl?: PortDecl;
  /** the number traffic arrives on (undefined when a named port is not found) */
  number?: number;
}

/**
 * Resources grouped by `<category>|<namespace>`, `<category>@<scope>` and
 * `<category>*`, kept per Workspace between calls and brought up to date at
 * the start of each call: files whose FileState object changed are diffed by
 * chunk (the engine reuses unchanged chunks), so an edit costs only the
 * documents it touched. A configuration change rebuilds everything.
 */
class Groups {
  private config: unknown;
  private files = new Map<string, FileState>();
  private chunks = new Map<string, Set<Chunk>>();
  readonly groups = new Map<string, Set<Resource>>();

  sync(ws: Workspace): void {
    if (ws.config !== this.config) {
      this.config = ws.config;
      this.files.clear();
      this.chunks.clear();
      this.groups.clear();
    }
    const seen = new Set<string>();
    for (const uri of ws.uris()) {
      seen.add(uri);
      const f = ws.file(uri)!;
      if (this.files.get(uri) === f) continue;
      this.files.set(uri, f);
      const before = this.chunks.get(uri) ?? new Set<Chunk>();
      const after = new Set(f.chunks);
      for (const c of before) if (!after.has(c)) for (const r of c.resources) this.remove(ws, r);
      for (const c of after) if (!before.has(c)) for (const r of c.resources) this.add(ws, r);
      this.chunks.set(uri, after);
    }
    for (const uri of [...this.files.keys()]) {
      if (seen.has(uri)) continue;
      for (const c of this.chunks.get(uri) ?? []) for (const r of c.resources) this.remove(ws, r);
      this.files.delete(uri);
      this.chunks.delete(uri);
    }
  }

  private keys(ws: Workspace, r: Resource): string[] {
    const cat = categoryOf(r);
    return [`${cat}|${ws.namespaceOf(r)}`, `${cat}@${ws.scopeKey(r.uri)}`, `${cat}*`];
  }

  private add(ws: Workspace, r: Resource): void {
    for (const key of this.keys(ws, r)) {
      let set = this.groups.get(key);
      if (!set) this.groups.set(key, (set = new Set()));
      set.add(r);
    }
  }

  private remove(ws: Workspace, r: Resource): void {
    for (const key of this.keys(ws, r)) this.groups.get(key)?.delete(r);
  }
}

const groupsOf = new WeakMap<Workspace, Groups>();

/** File order: by uri, then by place in the file. */
function byPlace(a: Resource, b: Resource): number {
  if (a.uri !== b.uri) return a.uri < b.uri ? -1 : 1;
  return a.chunk.startLine - b.chunk.startLine || (a.node.range?.[0] ?? 0) - (b.node.range?.[0] ?? 0);
}

export class Lookup {
  private synced = false;
  private readonly lists = new Map<string, Resource[]>();

  constructor(readonly ws: Workspace) {}

  private group(key: string): Resource[] {
    let list = this.lists.get(key);
    if (list) return list;
    let g = groupsOf.get(this.ws);
    if (!g) groupsOf.set(this.ws, (g = new Groups()));
    if (!this.synced) {
      g.sync(this.ws);
      this.synced = true;
    }
    list = [...(g.groups.get(key) ?? [])].sort(byPlace);
    this.lists.set(key, list);
    return list;
  }

  ns(r: Resource): string {
    return this.ws.namespaceOf(r);
  }

  inNamespace(category: string, namespace: string): Resource[] {
    return this.group(`${category}|${namespace}`);
  }

  inScope(category: string, r: Resource): Resource[] {
    return this.group(`${category}@${this.ws.scopeKey(r.uri)}`);
  }

  all(category: string): Resource[] {
    return this.group(`${category}*`);
  }

  private memo = new Map<string, unknown>();

  private once<T>(key: string, f: () => T): T {
    if (this.memo.has(key)) return this.memo.get(key) as T;
    const v = f();
    this.memo.set(key, v);
    return v;
  }

  templates(namespace: string): PodTemplateView[] {
    return this.once(`t|${namespace}`, () =>
      this.inNamespace('template', namespace)
        .map((r) => podTemplate(r))
        .filter((t): t is PodTemplateView => !!t),
    );
  }

  services(namespace: string): ServiceView[] {
    return this.once(`s|${namespace}`, () =>
      this.inNamespace('Service', namespace)
        .map((r) => service(r))
        .filter((s): s is ServiceView => !!s),
    );
  }

  servicesNamed(namespace: string, name: string | undefined): ServiceView[] {
    if (!name) return [];
    const byName = this.once(`sn|${namespace}`, () => {
      const m = new Map<string, ServiceView[]>();
      for (const s of this.services(namespace)) if (s.resource.name) m.set(s.resource.name, [...(m.get(s.resource.name) ?? []), s]);
      return m;
    });
    return byName.get(name) ?? [];
  }

  /** Pod templates a Service selects (none for ExternalName or a missing/empty selector). */
  selected(svc: ServiceView): PodTemplateView[] {
    if (svc.type === 'ExternalName' || !svc.selector || Object.keys(svc.selector).length === 0) return [];
    const selector = svc.selector;
    const ns = this.ns(svc.resource);
    // candidates: the templates carrying the rarest of the selector's pairs
    const byPair = this.once(`tp|${ns}`, () => {
      const m = new Map<string, PodTemplateView[]>();
      for (const t of this.templates(ns)) for (const [k, v] of Object.entries(t.labels)) m.set(`${k}=${v}`, [...(m.get(`${k}=${v}`) ?? []), t]);
      return m;
    });
    let candidates: PodTemplateView[] | undefined;
    for (const [k, v] of Object.entries(selector)) {
      const list = byPair.get(`${k}=${v}`) ?? [];
      if (!candidates || list.length < candidates.length) candidates = list;
    }
    return (candidates ?? []).filter((t) => selectorMatches(selector, t.labels));
  }

  /** Services whose selector matches a template. */
  selecting(t: PodTemplateView): ServiceView[] {
    const ns = this.ns(t.resource);
    // services indexed by one pair of their selector: a match must carry it
    const byPair = this.once(`sp|${ns}`, () => {
      const m = new Map<string, ServiceView[]>();
      for (const s of this.services(ns)) {
        if (s.type === 'ExternalName' || !s.selector) continue;
        const first = Object.entries(s.selector)[0];
        if (first) m.set(`${first[0]}=${first[1]}`, [...(m.get(`${first[0]}=${first[1]}`) ?? []), s]);
      }
      return m;
    });
    const out: ServiceView[] = [];
    for (const [k, v] of Object.entries(t.labels)) for (const s of byPair.get(`${k}=${v}`) ?? []) if (selectorMatches(s.selector!, t.labels)) out.push(s);
    return out.sort((a, b) => byPlace(a.resource, b.resource));
  }

  /** Where a Service port's traffic lands in one template (FindPort semantics). */
  landing(sp: ServicePortView, t: PodTemplateView): Landing {
    const target = sp.targetPort;
    if (typeof target === 'string') {
      const decl = findNamedPort(t, target, sp.protocol);
      return { t, decl, number: decl?.p.containerPort };
    }
    if (typeof target === 'number') return { t, decl: findNumberedPort(t, target, sp.protocol), number: target };
    return { t };
  }

  ingresses(namespace: string): IngressView[] {
    return this.once(`i|${namespace}`, () =>
      this.inNamespace('Ingress', namespace)
        .map((r) => ingress(r))
        .filter((i): i is IngressView => !!i),
    );
  }

  /** Ingress backends naming a Service (by name, in its namespace). */
  ingressBackendsOf(svc: ServiceView): { ing: IngressView; b: IngressBackendView }[] {
    const name = svc.resource.name;
    if (!name) return [];
    const ns = this.ns(svc.resource);
    const byName = this.once(`ib|${ns}`, () => {
      const m = new Map<string, { ing: IngressView; b: IngressBackendView }[]>();
      for (const ing of this.ingresses(ns)) for (const b of ing.backends) if (b.serviceName) m.set(b.serviceName, [...(m.get(b.serviceName) ?? []), { ing, b }]);
      return m;
    });
    return byName.get(name) ?? [];
  }

  /** The Service port an Ingress backend refers to. */
  backendPort(svc: ServiceView, b: { portNumber?: number; portName?: string }): ServicePortView | undefined {
    if (b.portNumber !== undefined) return svc.ports.find((p) => p.port === b.portNumber);
    if (b.portName !== undefined) return svc.ports.find((p) => p.name === b.portName);
    return undefined;
  }

  /** Does a backend use this Service port? */
  usesPort(sp: ServicePortView, b: { portNumber?: number; portName?: string }): boolean {
    if (b.portNumber !== undefined) return sp.port === b.portNumber;
    return b.portName !== undefined && sp.name === b.portName;
  }

  /** The Gateways (gateway.networking.k8s.io) of that name in a namespace: every definition of it. */
  gatewaysNamed(namespace: string, name: string | undefined): Resource[] {
    return name ? this.inNamespace('Gateway', namespace).filter((g) => g.name === name) : [];
  }

  /** The routes in the files whose parentRefs name Gateway `g`, with those refs (in order). */
  parentRefsTo(g: Resource): { route: Resource; view: RouteView; routeNs: string; refs: RouteParentView[] }[] {
    const gwNs = this.ns(g);
    const out: { route: Resource; view: RouteView; routeNs: string; refs: RouteParentView[] }[] = [];
    for (const route of ROUTE_KINDS.flatMap((k) => this.all(k))) {
      const view = gatewayRoute(route);
      if (!view) continue;
      const routeNs = this.ns(route);
      const refs = view.parents.filter((p) => p.name === g.name && (p.namespace ?? routeNs) === gwNs);
      if (refs.length) out.push({ route, view, routeNs, refs });
    }
    return out;
  }

  /** HTTPRoute backendRefs in the workspace that name a Service. */
  routeBackendsOf(svc: ServiceView): RouteBackend[] {
    const name = svc.resource.name;
    const ns = this.ns(svc.resource);
    if (!name) return [];
    const all = this.once('routes', () => this.all('HTTPRoute').flatMap((r) => routeBackends(r, this.ns(r))));
    return all.filter((b) => b.name === name && b.namespace === ns);
  }

  /** Endpoints (same name) and EndpointSlices (service-name label) backing a Service. */
  manualEndpoints(svc: Resource): Resource[] {
    const ns = this.ns(svc);
    if (!svc.name) return [];
    return [
      ...this.inNamespace('Endpoints', ns).filter((e) => e.name === svc.name),
      ...this.inNamespace('EndpointSlice', ns).filter((s) => sliceServiceName(s) === svc.name),
    ];
  }

  /** Services without a selector in a namespace (the ones Endpoints/EndpointSlices may back). */
  selectorless(namespace: string): ServiceView[] {
    return this.services(namespace).filter((s) => s.type !== 'ExternalName' && isSelectorless(s.resource));
  }

  /** nodePorts requested in the conflict scope of `r`: port -> Services (other identities than `r`). */
  nodePortsInScope(r: Resource): Map<number, { svc: ServiceView; sp: ServicePortView }[]> {
    const out = new Map<number, { svc: ServiceView; sp: ServicePortView }[]>();
    const id = this.ws.identity(r);
    for (const other of this.inScope('Service', r)) {
      if (other !== r && other.name === r.name && this.ws.identity(other) === id) continue;
      const svc = service(other);
      if (!svc || (svc.type !== 'NodePort' && svc.type !== 'LoadBalancer')) continue;
      for (const sp of svc.ports) {
        if (sp.nodePort === undefined) continue;
        const list = out.get(sp.nodePort) ?? [];
        list.push({ svc, sp });
        out.set(sp.nodePort, list);
      }
    }
    return out;
  }

  /** The lowest nodePort in the configured range that no other Service in the scope requests. */
  nextFreeNodePort(r: Resource, exclude: Iterable<number> = []): number | undefined {
    const used = new Set<number>(exclude);
    for (const [port, users] of this.nodePortsInScope(r)) if (users.some((u) => u.svc.resource !== r)) used.add(port);
    const { min, max } = this.ws.config.nodePortRange;
    for (let p = min; p <= max; p++) if (!used.has(p)) return p;
    return undefined;
  }

  ingressClasses(): Resource[] {
    return this.all('IngressClass');
  }
}

// ---------------------------------------------------------------------------
// HTTPRoute (gateway.networking.k8s.io): only backendRefs matter here.

export function routeBackends(r: Resource, namespace: string): RouteBackend[] {
  const view = r.kind === 'HTTPRoute' ? gatewayRoute(r) : undefined;
  if (!view) return [];
  return view.backends.map((b) => ({
    route: r,
    path: b.path,
    name: b.name,
    namespace: b.namespace ?? namespace,
    port: b.port,
    hostnames: view.hostnames,
    httpPath: b.httpPath,
  }));
}

/** Is the IngressClass marked as the cluster default? */
export function isDefaultClass(r: Resource): boolean {
  const v = get(r.value, ['metadata', 'annotations', 'ingressclass.kubernetes.io/is-default-class']);
  return v === 'true' || v === true;
}

export function classController(r: Resource): string | undefined {
  const v = get(r.value, ['spec', 'controller']);
  return typeof v === 'string' ? v : undefined;
}
