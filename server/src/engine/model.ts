// Typed views of the resources that expose pods, with the API server's defaults
// applied (type ClusterIP, protocol TCP, targetPort = port). Views are
// defensive: wrong types become `undefined` here (the `schema` rule reports them),
// so rules never crash on hostile input.
import { isPlainObject, type Resource } from './parse';

export type Path = (string | number)[];

export const WORKLOAD_TEMPLATE_PATHS: Record<string, Path> = {
  Deployment: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
  // Argo Rollouts are Deployments with another controller; Services select their pods.
  Rollout: ['spec', 'template'],
};

/** Kinds that are not namespaced (their namespace is ''). */
export const CLUSTER_SCOPED = new Set([
  'IngressClass',
  'Namespace',
  'Node',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'GatewayClass',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'APIService',
]);

/**
 * API groups of the kinds kube-expose understands. A kind from another group
 * (Knative's serving.knative.dev Service, a CRD named Ingress) is a different
 * thing: it gets neither the built-in rules nor a place in their links.
 */
const KNOWN_GROUPS: Record<string, readonly string[]> = {
  Pod: [''],
  Service: [''],
  Endpoints: [''],
  ReplicationController: [''],
  Deployment: ['apps', 'extensions'],
  ReplicaSet: ['apps', 'extensions'],
  StatefulSet: ['apps'],
  DaemonSet: ['apps', 'extensions'],
  Job: ['batch'],
  CronJob: ['batch'],
  Rollout: ['argoproj.io'],
  Ingress: ['networking.k8s.io', 'extensions'],
  IngressClass: ['networking.k8s.io'],
  EndpointSlice: ['discovery.k8s.io'],
  HTTPRoute: ['gateway.networking.k8s.io'],
  Gateway: ['gateway.networking.k8s.io'],
};

/** The kind as rules know it, or `Kind.group` for a same-named kind of another API group. */
export function kindKey(r: Resource): string {
  const groups = KNOWN_GROUPS[r.kind];
  return !groups || groups.includes(r.group) ? r.kind : `${r.kind}.${r.group}`;
}

/** The index category under which `RuleContext.inNamespace` lists a namespace's custom resources. */
export const CUSTOM_CATEGORY = 'custom-resource';

/**
 * A custom resource (a CRD's object: a well-formed `group/version` whose group
 * has a dot and is not one of Kubernetes' own `*.k8s.io` groups), other than the
 * kinds kube-expose models. Operators turn many of them into pods (Prometheus,
 * Elasticsearch, Kafka...).
 */
export function isCustomResource(r: Resource): boolean {
  // a well-formed group/version: an apiVersion with a comment glued into it is no API at all
  if (!CUSTOM_API_VERSION.test(r.apiVersion)) return false;
  return !r.group.endsWith('.k8s.io') && !KNOWN_GROUPS[r.kind]?.includes(r.group);
}

const CUSTOM_API_VERSION = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+\/v\d+((alpha|beta)\d+)?$/;

/** Index category of a resource: all workload kinds share 'template'. */
export function categoryOf(r: Resource): string {
  const kind = kindKey(r);
  if (kind === 'Pod' || WORKLOAD_TEMPLATE_PATHS[kind]) return 'template';
  return kind;
}

export function get(value: unknown, path: Path): unknown {
  let v: any = value;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = v[seg as any];
  }
  return v;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);
/** A label map (or selector) as the API stores it: string values, scalars by their text; undefined for a non-map. */
export const strMap = (v: unknown): Record<string, string> | undefined => {
  if (!isPlainObject(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    // the API stores label values as strings; YAML `true`/`1` would be rejected, but compare their text
    if (typeof val === 'string' || typeof val === 'number' || typeof val === 'boolean') out[k] = String(val);
  }
  return out;
};

/** A view built once per resource object (a re-parsed document is a new object); `build` gives null for none. */
function viewOf<T>(build: (r: Resource) => T | null): (r: Resource) => T | undefined {
  const cache = new WeakMap<Resource, T | null>();
  return (r) => {
    let cached = cache.get(r);
    if (cached === undefined) {
      cached = build(r);
      cache.set(r, cached);
    }
    return cached ?? undefined;
  };
}

// ---------------------------------------------------------------------------
// Pod templates

export interface ContainerPortView {
  index: number;
  path: Path;
  name?: string;
  containerPort?: number;
  protocol: string;
  hostPort?: number;
  hostIP?: string;
}

export interface ContainerView {
  index: number;
  path: Path;
  name?: string;
  /** 'containers' or 'initContainers' */
  list: 'containers' | 'initContainers';
  /** init container with restartPolicy: Always: runs beside the app and serves ports */
  sidecar: boolean;
  ports: ContainerPortView[];
}

export interface PodTemplateView {
  resource: Resource;
  /** path of the template (metadata+spec), [] for a Pod */
  path: Path;
  specPath: Path;
  labelsPath: Path;
  labels: Record<string, string>;
  hostNetwork: boolean;
  /** app containers, then sidecar init containers (the order FindPort uses), then plain init containers */
  containers: ContainerView[];
  isPod: boolean;
}

export const podTemplate: (r: Resource) => PodTemplateView | undefined = viewOf((r) => buildTemplate(r) ?? null);

function buildTemplate(r: Resource): PodTemplateView | undefined {
  if (categoryOf(r) !== 'template') return undefined;
  const isPod = r.kind === 'Pod';
  const path = isPod ? [] : WORKLOAD_TEMPLATE_PATHS[r.kind];
  if (!path) return undefined;
  const tpl = path.length ? get(r.value, path) : r.value;
  if (!isPlainObject(tpl)) return undefined;
  const spec = isPlainObject(tpl.spec) ? tpl.spec : {};
  const specPath = [...path, 'spec'];
  const containers: ContainerView[] = [];
  const initContainers: ContainerView[] = [];
  for (const list of ['containers', 'initContainers'] as const) {
    const arr = Array.isArray(spec[list]) ? spec[list] : [];
    arr.forEach((c: unknown, index: number) => {
      if (!isPlainObject(c)) return;
      const cPath = [...specPath, list, index];
      const ports: ContainerPortView[] = [];
      (Array.isArray(c.ports) ? c.ports : []).forEach((p: unknown, pi: number) => {
        if (!isPlainObject(p)) return;
        ports.push({
          index: pi,
          path: [...cPath, 'ports', pi],
          name: str(p.name),
          containerPort: int(p.containerPort),
          protocol: str(p.protocol) ?? 'TCP',
          hostPort: int(p.hostPort) || undefined,
          hostIP: str(p.hostIP) || undefined,
        });
      });
      const view: ContainerView = {
        index,
        path: cPath,
        name: str(c.name),
        list,
        sidecar: list === 'initContainers' && c.restartPolicy === 'Always',
        ports,
      };
      (list === 'containers' ? containers : initContainers).push(view);
    });
  }
  return {
    resource: r,
    path,
    specPath,
    labelsPath: [...path, 'metadata', 'labels'],
    labels: strMap(get(tpl, ['metadata', 'labels'])) ?? {},
    hostNetwork: spec.hostNetwork === true,
    containers: [...containers, ...initContainers.filter((c) => c.sidecar), ...initContainers.filter((c) => !c.sidecar)],
    isPod,
  };
}

/** Containers whose ports can serve traffic (app containers and sidecars). */
export function servingContainers(t: PodTemplateView): ContainerView[] {
  return t.containers.filter((c) => c.list === 'containers' || c.sidecar);
}

/** How many pods a workload may run at once (undefined: one per node, or unknown). */
export function replicaCount(r: Resource): number | undefined {
  if (r.kind === 'Pod') return 1;
  if (r.kind === 'DaemonSet') return undefined;
  const replicas = get(r.value, ['spec', 'replicas']);
  if (replicas === undefined || replicas === null) return 1; // the API default
  return int(replicas);
}

/** True when every key=value of the selector is in the labels (a non-empty selector). */
export function selectorMatches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector)) if (labels[k] !== v) return false;
  return true;
}

// ---------------------------------------------------------------------------
// Services

export interface ServicePortView {
  index: number;
  path: Path;
  name?: string;
  port?: number;
  protocol: string;
  /** targetPort after defaulting: a number, a name, or undefined when neither port nor targetPort is usable */
  targetPort?: number | string;
  targetPortDefaulted: boolean;
  nodePort?: number;
  appProtocol?: string;
}

export interface ServiceView {
  resource: Resource;
  type: string;
  typeExplicit: boolean;
  /** undefined when absent; {} when written as an empty map */
  selector?: Record<string, string>;
  clusterIP?: string;
  headless: boolean;
  externalName?: string;
  ports: ServicePortView[];
  externalIPs: unknown[];
}

const serviceView = viewOf(buildService);

export function service(r: Resource): ServiceView | undefined {
  return kindKey(r) === 'Service' ? serviceView(r) : undefined;
}

function buildService(r: Resource): ServiceView | null {
  const spec = isPlainObject(r.value.spec) ? r.value.spec : {};
  const ports: ServicePortView[] = [];
  (Array.isArray(spec.ports) ? spec.ports : []).forEach((p: unknown, index: number) => {
    if (!isPlainObject(p)) return;
    const port = int(p.port);
    let targetPort: number | string | undefined = int(p.targetPort) ?? str(p.targetPort);
    let targetPortDefaulted = false;
    if (targetPort === undefined || targetPort === 0 || targetPort === '') {
      targetPort = port;
      targetPortDefaulted = true;
    }
    ports.push({
      index,
      path: ['spec', 'ports', index],
      name: str(p.name) || undefined,
      port,
      protocol: str(p.protocol) ?? 'TCP',
      targetPort,
      targetPortDefaulted,
      nodePort: int(p.nodePort) || undefined,
      appProtocol: str(p.appProtocol),
    });
  });
  const clusterIP = str(spec.clusterIP);
  return {
    resource: r,
    type: str(spec.type) ?? 'ClusterIP',
    typeExplicit: spec.type !== undefined,
    selector: spec.selector === undefined || spec.selector === null ? undefined : (strMap(spec.selector) ?? {}),
    clusterIP,
    headless: clusterIP === 'None',
    externalName: str(spec.externalName),
    ports,
    externalIPs: Array.isArray(spec.externalIPs) ? spec.externalIPs : [],
  };
}

// ---------------------------------------------------------------------------
// Ingress

export interface IngressBackendView {
  /** path of the backend object */
  path: Path;
  isDefault: boolean;
  host?: string;
  httpPath?: string;
  serviceName?: string;
  portNumber?: number;
  portName?: string;
  /** path of the port (or servicePort) node, for ranges */
  portPath: Path;
  serviceNamePath: Path;
  resource: boolean;
  /** written in the removed v1beta1 form (serviceName/servicePort) */
  legacy: boolean;
}

export interface IngressView {
  resource: Resource;
  legacyApi: boolean;
  className?: string;
  classAnnotation?: string;
  backends: IngressBackendView[];
}

const ingressView = viewOf(buildIngress);

export function ingress(r: Resource): IngressView | undefined {
  return kindKey(r) === 'Ingress' ? ingressView(r) : undefined;
}

function backendView(b: unknown, path: Path, isDefault: boolean, host?: string, httpPath?: string): IngressBackendView | undefined {
  if (!isPlainObject(b)) return undefined;
  if (isPlainObject(b.service) || b.resource !== undefined) {
    const svc = isPlainObject(b.service) ? b.service : {};
    const port = isPlainObject(svc.port) ? svc.port : {};
    return {
      path,
      isDefault,
      host,
      httpPath,
      serviceName: str(svc.name),
      portNumber: int(port.number),
      portName: str(port.name),
      portPath: [...path, 'service', 'port'],
      serviceNamePath: [...path, 'service', 'name'],
      resource: b.resource !== undefined,
      legacy: false,
    };
  }
  if (b.serviceName !== undefined || b.servicePort !== undefined) {
    return {
      path,
      isDefault,
      host,
      httpPath,
      serviceName: str(b.serviceName),
      portNumber: int(b.servicePort),
      portName: str(b.servicePort),
      portPath: [...path, 'servicePort'],
      serviceNamePath: [...path, 'serviceName'],
      resource: false,
      legacy: true,
    };
  }
  return {
    path,
    isDefault,
    host,
    httpPath,
    portPath: [...path, 'service', 'port'],
    serviceNamePath: [...path, 'service', 'name'],
    resource: false,
    legacy: false,
  };
}

function buildIngress(r: Resource): IngressView | null {
  const spec = isPlainObject(r.value.spec) ? r.value.spec : {};
  const backends: IngressBackendView[] = [];
  const legacyApi = r.apiVersion === 'extensions/v1beta1' || r.apiVersion === 'networking.k8s.io/v1beta1';
  const defaultKey = spec.defaultBackend !== undefined ? 'defaultBackend' : spec.backend !== undefined ? 'backend' : undefined;
  if (defaultKey) {
    const b = backendView(spec[defaultKey], ['spec', defaultKey], true);
    if (b) backends.push(b);
  }
  (Array.isArray(spec.rules) ? spec.rules : []).forEach((rule: unknown, i: number) => {
    if (!isPlainObject(rule) || !isPlainObject(rule.http)) return;
    const paths = Array.isArray(rule.http.paths) ? rule.http.paths : [];
    paths.forEach((p: unknown, j: number) => {
      if (!isPlainObject(p)) return;
      const b = backendView(p.backend, ['spec', 'rules', i, 'http', 'paths', j, 'backend'], false, str(rule.host), str(p.path));
      if (b) backends.push(b);
    });
  });
  const annotations = get(r.value, ['metadata', 'annotations']);
  return {
    resource: r,
    legacyApi,
    className: str(spec.ingressClassName),
    classAnnotation: isPlainObject(annotations) ? str(annotations['kubernetes.io/ingress.class']) : undefined,
    backends,
  };
}

// ---------------------------------------------------------------------------
// Gateway API routes (gateway.networking.k8s.io): their backendRefs to Services

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';
/** Route kinds whose rules hold backendRefs of one shape (BackendRef: group, kind, name, namespace, port). */
export const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TCPRoute', 'TLSRoute', 'UDPRoute'];

export interface RouteBackendView {
  /** path of the backendRef */
  path: Path;
  /** 0-based indexes of its rule and of it in the rule */
  rule: number;
  index: number;
  name?: string;
  /** the namespace the ref names (another namespace needs a ReferenceGrant there); undefined: the route's */
  namespace?: string;
  /** an integer port; undefined when absent or not an integer */
  port?: number;
  /** whether the ref has a port key at all (a Service ref without one is refused) */
  hasPort: boolean;
  /** first path match value of its rule (HTTPRoute), if any */
  httpPath?: string;
}

/** A parentRef to a Gateway (group gateway.networking.k8s.io and kind Gateway, the defaults). */
export interface RouteParentView {
  path: Path;
  index: number;
  name?: string;
  /** the namespace the ref names; undefined: the route's */
  namespace?: string;
  sectionName?: string;
  port?: number;
}

export interface RouteView {
  resource: Resource;
  hostnames: string[];
  /** backendRefs to Services only: group "" (core) and kind Service, the defaults */
  backends: RouteBackendView[];
  /** parentRefs to Gateways only (a mesh route's parentRef to a Service is not one) */
  parents: RouteParentView[];
}

const routeView = viewOf(buildRoute);

/** A Gateway API route's view, for the kinds in ROUTE_KINDS of the Gateway API group. */
export function gatewayRoute(r: Resource): RouteView | undefined {
  return r.group === GATEWAY_GROUP && ROUTE_KINDS.includes(r.kind) ? routeView(r) : undefined;
}

function buildRoute(r: Resource): RouteView {
  const spec = isPlainObject(r.value.spec) ? r.value.spec : {};
  const hostnames = Array.isArray(spec.hostnames) ? spec.hostnames.filter((h: unknown): h is string => typeof h === 'string') : [];
  const backends: RouteBackendView[] = [];
  (Array.isArray(spec.rules) ? spec.rules : []).forEach((rule: unknown, i: number) => {
    if (!isPlainObject(rule)) return;
    const httpPath = str(get(rule, ['matches', 0, 'path', 'value']));
    (Array.isArray(rule.backendRefs) ? rule.backendRefs : []).forEach((ref: unknown, j: number) => {
      if (!isPlainObject(ref)) return;
      // group "" is the core group and kind defaults to Service (Gateway API BackendObjectReference)
      const kind = ref.kind === undefined || ref.kind === null ? 'Service' : ref.kind;
      const group = ref.group === undefined || ref.group === null ? '' : ref.group;
      if (kind !== 'Service' || group !== '') return;
      backends.push({
        path: ['spec', 'rules', i, 'backendRefs', j],
        rule: i,
        index: j,
        name: str(ref.name),
        namespace: str(ref.namespace) || undefined,
        port: int(ref.port),
        hasPort: ref.port !== undefined && ref.port !== null,
        httpPath,
      });
    });
  });
  const parents: RouteParentView[] = [];
  (Array.isArray(spec.parentRefs) ? spec.parentRefs : []).forEach((ref: unknown, i: number) => {
    if (!isPlainObject(ref)) return;
    const kind = ref.kind === undefined || ref.kind === null ? 'Gateway' : ref.kind;
    const group = ref.group === undefined || ref.group === null ? GATEWAY_GROUP : ref.group;
    if (kind !== 'Gateway' || group !== GATEWAY_GROUP) return;
    parents.push({
      path: ['spec', 'parentRefs', i],
      index: i,
      name: str(ref.name),
      namespace: str(ref.namespace) || undefined,
      sectionName: str(ref.sectionName) || undefined,
      port: int(ref.port),
    });
  });
  return { resource: r, hostnames, backends, parents };
}

export interface ListenerView {
  index: number;
  path: Path;
  name?: string;
  port?: number;
  protocol?: string;
  hostname?: string;
  /** allowedRoutes.namespaces.from, default Same */
  from: string;
  /** whether `from` is written (not the default) */
  fromSet: boolean;
  /** allowedRoutes.kinds as group/kind (group defaulting to the Gateway API's); undefined: the protocol's kinds */
  kinds?: { group: string; kind: string }[];
}

export interface GatewayView {
  resource: Resource;
  listeners: ListenerView[];
}

const gatewayView = viewOf(buildGateway);

/** A Gateway API Gateway's listeners, with the defaults of allowedRoutes filled in. */
export function gateway(r: Resource): GatewayView | undefined {
  return kindKey(r) === 'Gateway' ? gatewayView(r) : undefined;
}

function buildGateway(r: Resource): GatewayView {
  const spec = isPlainObject(r.value.spec) ? r.value.spec : {};
  const listeners: ListenerView[] = [];
  (Array.isArray(spec.listeners) ? spec.listeners : []).forEach((l: unknown, index: number) => {
    if (!isPlainObject(l)) return;
    const allowed = isPlainObject(l.allowedRoutes) ? l.allowedRoutes : {};
    const written = str(get(allowed, ['namespaces', 'from']));
    const kinds = Array.isArray(allowed.kinds) && allowed.kinds.length
      ? allowed.kinds.filter(isPlainObject).map((k) => ({ group: str(k.group) ?? GATEWAY_GROUP, kind: str(k.kind) ?? '' }))
      : undefined;
    listeners.push({ index, path: ['spec', 'listeners', index], name: str(l.name), port: int(l.port), protocol: str(l.protocol), hostname: str(l.hostname) || undefined, from: written ?? 'Same', fromSet: written !== undefined, kinds });
  });
  return { resource: r, listeners };
}

// ---------------------------------------------------------------------------
// Well-known port names, for naming unnamed ports in fixes.

export const WELL_KNOWN_PORT_NAMES: Record<number, string> = {
  21: 'ftp',
  22: 'ssh',
  25: 'smtp',
  53: 'dns',
  80: 'http',
  443: 'https',
  1433: 'mssql',
  2379: 'etcd',
  3000: 'http',
  3306: 'mysql',
  4317: 'otlp-grpc',
  4318: 'otlp-http',
  5432: 'postgres',
  5672: 'amqp',
  6379: 'redis',
  8080: 'http',
  8443: 'https',
  9090: 'metrics',
  9092: 'kafka',
  9093: 'alertmanager',
  9200: 'elasticsearch',
  9443: 'https',
  11211: 'memcached',
  27017: 'mongodb',
  50051: 'grpc',
};
