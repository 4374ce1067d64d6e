// Structure-aware generators for the fuzzers: random Services, Ingresses,
// Gateway API routes and Gateways, workloads, Endpoints and IngressClasses drawn from small pools of names,
// labels and ports (so references often resolve and conflicts happen), with
// wrong-typed fields sprinkled in, rendered as YAML (random indentation,
// quoting, flow/block style, comments, CRLF, BOM) or JSON, then optionally
// mangled by random text edits.
import fc from 'fast-check';
import { Document, Scalar, stringify } from 'yaml';

type Obj = Record<string, unknown>;

// --------------------------------------------------------------------------- pools

const NAMES = ['web', 'api', 'db', 'shop', 'web-frontend', 'x'];
const NAMESPACES = ['default', 'shop', 'prod'];
const LABEL_KEYS = ['app', 'tier', 'app.kubernetes.io/name', 'version'];
const LABEL_VALUES = ['web', 'api', 'db', 'frontend', 'v1', 'web-frontend'];
const PORT_NAMES = ['http', 'https', 'metrics', 'grpc', 'web', 'HTTP', 'a_b', ''];
const HOSTS = ['example.com', 'shop.example.com', '*.example.com', 'Bad_Host', '1.2.3.4', ''];
const PATHS = ['/', '/api', '/shop/', 'api', '/a(b', ''];

const name = fc.constantFrom(...NAMES);
const namespace = fc.option(fc.constantFrom(...NAMESPACES), { freq: 3, nil: undefined });
const port = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(80, 443, 8080, 9090, 53, 3000) },
  { weight: 2, arbitrary: fc.constantFrom(30000, 30080, 32767, 30001, 29999, 32768) },
  { weight: 1, arbitrary: fc.constantFrom(0, -1, 65535, 65536, 1) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 70000 }) },
);
const portName = fc.constantFrom(...PORT_NAMES);
const protocol = fc.option(fc.constantFrom('TCP', 'UDP', 'SCTP', 'tcp', 'HTTP'), { freq: 2, nil: undefined });
const labels = fc.dictionary(fc.constantFrom(...LABEL_KEYS), fc.constantFrom(...LABEL_VALUES), { maxKeys: 3 });
const targetPort = fc.oneof(port, portName, fc.constantFrom('8080', 'http'));

/** Drops undefined values so optional fields are really absent. */
function clean<T extends Obj>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

const opt = <T>(a: fc.Arbitrary<T>, freq = 2) => fc.option(a, { freq, nil: undefined });

const metadata = fc.record({ name: opt(name, 8), namespace, labels: opt(labels), annotations: opt(fc.constantFrom({ 'kubernetes.io/ingress.class': 'nginx' }, { 'kube-expose.io/ignore': 'schema' }, { note: 'x' })) }).map(clean);

// --------------------------------------------------------------------------- kinds

const servicePort = fc
  .record({ name: opt(portName), port: opt(port, 8), targetPort: opt(targetPort), nodePort: opt(port), protocol, appProtocol: opt(fc.constant('http'), 1) })
  .map(clean);

export const serviceArb: fc.Arbitrary<Obj> = fc
  .record({
    metadata,
    type: opt(fc.constantFrom('ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName', 'nodeport', 'Foo')),
    selector: opt(fc.oneof(labels, fc.constant({}))),
    ports: opt(fc.array(servicePort, { maxLength: 3 }), 6),
    clusterIP: opt(fc.constantFrom('None', '10.0.0.1', '')),
    externalName: opt(fc.constantFrom('db.example.com', 'not a name', '')),
    externalIPs: opt(fc.constant(['1.2.3.4'])),
    externalTrafficPolicy: opt(fc.constantFrom('Local', 'Cluster')),
    healthCheckNodePort: opt(port, 1),
    loadBalancerIP: opt(fc.constant('1.2.3.4'), 1),
  })
  .map(({ metadata, ...spec }) => ({ apiVersion: 'v1', kind: 'Service', metadata, spec: clean(spec) }));

const containerPort = fc.record({ name: opt(portName), containerPort: opt(port, 8), hostPort: opt(port, 1), hostIP: opt(fc.constantFrom('0.0.0.0', '127.0.0.1'), 1), protocol }).map(clean);

const container = fc.record({ name: opt(name, 8), image: fc.constant('nginx'), ports: opt(fc.array(containerPort, { maxLength: 3 }), 6) }).map(clean);

const podSpec = fc
  .record({
    containers: fc.array(container, { maxLength: 2 }),
    initContainers: opt(fc.array(fc.tuple(container, fc.boolean()).map(([c, sidecar]) => (sidecar ? { ...c, restartPolicy: 'Always' } : c)), { maxLength: 1 }), 1),
    hostNetwork: opt(fc.boolean(), 1),
  })
  .map(clean);

const WORKLOAD_KINDS: [string, string][] = [
  ['apps/v1', 'Deployment'],
  ['apps/v1', 'StatefulSet'],
  ['apps/v1', 'DaemonSet'],
  ['apps/v1', 'ReplicaSet'],
  ['batch/v1', 'Job'],
  ['batch/v1', 'CronJob'],
  ['v1', 'ReplicationController'],
  ['argoproj.io/v1alpha1', 'Rollout'],
  ['extensions/v1beta1', 'Deployment'],
];

export const workloadArb: fc.Arbitrary<Obj> = fc
  .record({ kind: fc.constantFrom(...WORKLOAD_KINDS), metadata, selector: opt(labels, 6), podLabels: labels, spec: podSpec, replicas: opt(fc.constantFrom(1, 3, 0, -1), 2) })
  .map(({ kind: [apiVersion, kind], metadata, selector, podLabels, spec, replicas }) => {
    const template = { metadata: { labels: podLabels }, spec };
    const sel = selector && (kind === 'ReplicationController' ? selector : { matchLabels: selector });
    const body: Obj = clean({ replicas, selector: sel, template });
    if (kind === 'CronJob') return { apiVersion, kind, metadata, spec: { schedule: '* * * * *', jobTemplate: { spec: { template } } } };
    return { apiVersion, kind, metadata, spec: body };
  });

export const podArb: fc.Arbitrary<Obj> = fc.record({ metadata: fc.record({ name, namespace, labels }).map(clean), spec: podSpec }).map((o) => ({ apiVersion: 'v1', kind: 'Pod', ...o }));

const backend = fc.record({ name, port: fc.oneof(fc.record({ number: port }), fc.record({ name: portName }), fc.constant({})) }).map((service) => ({ service }));
const oldBackend = fc.record({ serviceName: name, servicePort: targetPort });

export const ingressArb: fc.Arbitrary<Obj> = fc
  .record({
    v1: fc.boolean(),
    apiVersion: fc.constantFrom('networking.k8s.io/v1', 'networking.k8s.io/v1beta1', 'extensions/v1beta1'),
    metadata,
    ingressClassName: opt(fc.constantFrom('nginx', 'traefik', '')),
    hosts: fc.array(fc.record({ host: opt(fc.constantFrom(...HOSTS)), paths: fc.array(fc.record({ path: opt(fc.constantFrom(...PATHS), 6), pathType: opt(fc.constantFrom('Prefix', 'Exact', 'ImplementationSpecific', 'prefix'), 4) }), { maxLength: 2 }) }), { maxLength: 2 }),
    defaultBackend: fc.boolean(),
    be: backend,
    oldBe: oldBackend,
    tls: opt(fc.constant([{ hosts: ['example.com'], secretName: 'tls' }]), 1),
  })
  .map(({ apiVersion, metadata, ingressClassName, hosts, defaultBackend, be, oldBe, tls }) => {
    const v1 = apiVersion === 'networking.k8s.io/v1';
    const b = v1 ? be : oldBe;
    const rules = hosts.map((h) => clean({ host: h.host, http: { paths: h.paths.map((p) => clean({ ...p, backend: b })) } }));
    const spec: Obj = clean({ ingressClassName, rules, tls });
    if (defaultBackend) spec[v1 ? 'defaultBackend' : 'backend'] = b;
    return { apiVersion, kind: 'Ingress', metadata, spec };
  });

export const ingressClassArb = fc
  .record({ name: fc.constantFrom('nginx', 'traefik'), isDefault: fc.boolean() })
  .map(({ name, isDefault }) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: clean({ name, annotations: isDefault ? { 'ingressclass.kubernetes.io/is-default-class': 'true' } : undefined }), spec: { controller: 'k8s.io/ingress-nginx' } }));

export const endpointsArb = fc
  .record({ name, ports: fc.array(fc.record({ name: opt(portName), port, protocol }).map(clean), { maxLength: 2 }), slice: fc.boolean() })
  .map(({ name, ports, slice }) =>
    slice
      ? { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: `${name}-1`, labels: { 'kubernetes.io/service-name': name } }, addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.1'] }], ports }
      : { apiVersion: 'v1', kind: 'Endpoints', metadata: { name }, subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports }] },
  );

const backendRef = fc
  .record({ name: opt(name, 8), namespace: opt(fc.constantFrom(...NAMESPACES), 1), port: opt(fc.oneof(port, portName), 6), weight: opt(fc.constantFrom(0, 1, 90), 1), kind: opt(fc.constantFrom('Service', 'Bucket'), 1) })
  .map(clean);

export const routeArb: fc.Arbitrary<Obj> = fc
  .record({
    kind: fc.constantFrom<[string, string]>(['gateway.networking.k8s.io/v1', 'HTTPRoute'], ['gateway.networking.k8s.io/v1', 'GRPCRoute'], ['gateway.networking.k8s.io/v1alpha2', 'TCPRoute'], ['example.com/v1', 'HTTPRoute']),
    metadata,
    parentRefs: fc.array(fc.record({ name: fc.constantFrom('public', 'pubilc', 'internal'), namespace: opt(fc.constantFrom(...NAMESPACES), 1), sectionName: opt(fc.constantFrom('http', 'https', 'htps'), 1), port: opt(fc.constantFrom(80, 443, 8080), 1) }).map(clean), { maxLength: 2 }),
    hostnames: opt(fc.array(fc.constantFrom(...HOSTS), { maxLength: 2 }), 1),
    rules: fc.array(
      fc
        .record({
          matches: opt(fc.array(fc.record({ path: opt(fc.record({ type: opt(fc.constantFrom('PathPrefix', 'Prefix', 'Exact', 'exact', 'RegularExpression', 'ImplementationSpecific')), value: opt(fc.constantFrom(...PATHS)) }).map(clean)) }).map(clean), { maxLength: 2 })),
          filters: opt(fc.constant([{ type: 'RequestRedirect', requestRedirect: { scheme: 'https' } }]), 1),
          backendRefs: fc.array(backendRef, { maxLength: 3 }),
        })
        .map(clean),
      { maxLength: 2 },
    ),
  })
  .map(({ kind: [apiVersion, kind], metadata, parentRefs, hostnames, rules }) => ({ apiVersion, kind, metadata, spec: clean({ parentRefs, hostnames, rules }) }));

export const gatewayArb: fc.Arbitrary<Obj> = fc
  .record({
    name: fc.constantFrom('public', 'internal'),
    namespace,
    listeners: fc.array(
      fc
        .record({
          name: fc.constantFrom('http', 'https', 'tcp'),
          protocol: fc.constantFrom('HTTP', 'HTTPS', 'TCP', 'TLS', 'UDP', 'example.com/x'),
          port: fc.constantFrom(80, 443, 8080),
          hostname: opt(fc.constantFrom(...HOSTS), 1),
          allowedRoutes: opt(fc.record({ namespaces: opt(fc.record({ from: fc.constantFrom('Same', 'All', 'Selector') })), kinds: opt(fc.array(fc.record({ kind: fc.constantFrom('HTTPRoute', 'GRPCRoute', 'TCPRoute') }), { maxLength: 2 })) }).map(clean)),
        })
        .map(clean),
      { maxLength: 3 },
    ),
  })
  .map(({ name, namespace, listeners }) => ({ apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', metadata: clean({ name, namespace }), spec: { gatewayClassName: 'example', listeners } }));

export const referenceGrantArb: fc.Arbitrary<Obj> = fc
  .record({ namespace: fc.constantFrom(...NAMESPACES), from: fc.constantFrom(...NAMESPACES), kind: fc.constantFrom('HTTPRoute', 'TCPRoute'), name: opt(name, 1) })
  .map(({ namespace, from, kind, name }) => ({
    apiVersion: 'gateway.networking.k8s.io/v1beta1',
    kind: 'ReferenceGrant',
    metadata: { name: `from-${from}`, namespace },
    spec: { from: [{ group: 'gateway.networking.k8s.io', kind, namespace: from }], to: [clean({ group: '', kind: 'Service', name })] },
  }));

export const resourceArb: fc.Arbitrary<Obj> = fc.oneof(
  { weight: 4, arbitrary: serviceArb },
  { weight: 4, arbitrary: workloadArb },
  { weight: 1, arbitrary: podArb },
  { weight: 3, arbitrary: ingressArb },
  { weight: 1, arbitrary: ingressClassArb },
  { weight: 1, arbitrary: endpointsArb },
  { weight: 2, arbitrary: routeArb },
  { weight: 1, arbitrary: gatewayArb },
  { weight: 1, arbitrary: referenceGrantArb },
);

// --------------------------------------------------------------------------- wrong types

const wrongValue = fc.constantFrom<unknown>(null, 0, -5, 3.5, 1e21, '', 'text', '80', true, 'yes', [], [1, 'a'], {}, { a: { b: 1 } }, [{}]);

/** Replaces the n-th nodes (depth-first) of a value by wrong-typed values. */
export function corrupt(value: unknown, hits: { at: number; value: unknown }[]): unknown {
  if (!hits.length) return value;
  const copy = structuredClone(value);
  let counter = 0;
  const targets = new Map(hits.map((h) => [h.at, h.value]));
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    const entries = Array.isArray(node) ? node.map((v, i) => [i, v] as const) : Object.entries(node as Obj);
    for (const [k, v] of entries) {
      const n = counter++;
      if (targets.has(n)) (node as any)[k] = structuredClone(targets.get(n));
      else walk(v);
    }
  };
  walk(copy);
  return copy;
}

export const corruptions = fc.array(fc.record({ at: fc.nat({ max: 60 }), value: wrongValue }), { maxLength: 2 });

// --------------------------------------------------------------------------- rendering

export interface Style {
  json: boolean;
  indent: number;
  indentSeq: boolean;
  flowLevel: number;
  quote: 'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE';
  comments: number[];
  blank: number[];
}

export const styleArb: fc.Arbitrary<Style> = fc.record({
  json: fc.integer({ min: 0, max: 9 }).map((n) => n < 2),
  indent: fc.constantFrom(2, 2, 3, 4),
  indentSeq: fc.boolean(),
  flowLevel: fc.constantFrom(99, 99, 99, 2, 3),
  quote: fc.constantFrom<'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE'>('PLAIN', 'PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'),
  comments: fc.array(fc.nat({ max: 40 }), { maxLength: 3 }),
  blank: fc.array(fc.nat({ max: 40 }), { maxLength: 2 }),
});

/** Renders one document's value with a style (comments and blank lines added between lines). */
export function render(value: unknown, style: Style): string {
  if (style.json) return JSON.stringify(value, null, style.indent) + '\n';
  const doc = new Document(value);
  if (style.flowLevel < 99) {
    // flow style below a depth: `ports: [{port: 80}]`
    const setFlow = (node: unknown, depth: number): void => {
      if (!node || typeof node !== 'object' || !('items' in (node as object))) return;
      const coll = node as { flow?: boolean; items: unknown[] };
      if (depth >= style.flowLevel) coll.flow = true;
      for (const it of coll.items) {
        const pair = it as { value?: unknown };
        setFlow(pair && typeof pair === 'object' && 'value' in pair ? pair.value : it, depth + 1);
      }
    };
    setFlow(doc.contents, 0);
  }
  let text = doc.toString({ indent: style.indent, indentSeq: style.indentSeq, defaultStringType: Scalar[style.quote], defaultKeyType: Scalar.PLAIN, lineWidth: 0 });
  const lines = text.split('\n');
  for (const at of style.comments) {
    const i = at % Math.max(1, lines.length - 1);
    if (lines[i] && !lines[i].includes('#') && !/[|>][-+]?$/.test(lines[i])) lines[i] += '  # note: keep me';
  }
  for (const at of style.blank) {
    const i = at % Math.max(1, lines.length - 1);
    lines.splice(i, 0, (i % 2 ? '' : '# ---- a comment line ----'));
  }
  text = lines.join('\n');
  return text;
}

export interface FileSpec {
  dir: string;
  docs: { value: unknown; style: Style }[];
  list: boolean;
  crlf: boolean;
  bom: boolean;
}

export function fileArbOf(maxDocs: number): fc.Arbitrary<FileSpec> {
  return fc.record({
    dir: fc.constantFrom('k8s/', 'k8s/', 'other/'),
    docs: fc.array(fc.record({ value: fc.tuple(resourceArb, corruptions).map(([r, c]) => corrupt(r, c)), style: styleArb }), { minLength: 1, maxLength: maxDocs }),
    list: fc.integer({ min: 0, max: 19 }).map((n) => n < 2),
    crlf: fc.integer({ min: 0, max: 9 }).map((n) => n < 2),
    bom: fc.integer({ min: 0, max: 19 }).map((n) => n < 1),
  });
}

export const fileArb = fileArbOf(4);

export function renderFile(f: FileSpec): string {
  let text: string;
  if (f.list) text = render({ apiVersion: 'v1', kind: 'List', items: f.docs.map((d) => d.value) }, f.docs[0].style);
  else text = f.docs.map((d, i) => (i ? '---\n' : '') + render(d.value, d.style)).join('');
  if (f.crlf) text = text.replace(/\r?\n/g, '\r\n');
  if (f.bom) text = '\uFEFF' + text;
  return text;
}

/** Up to `maxFiles` files of up to `maxDocs` documents, in one or two folders. */
export function filesArbOf(maxFiles: number, maxDocs: number): fc.Arbitrary<Record<string, string>> {
  return fc.array(fileArbOf(maxDocs), { minLength: 1, maxLength: maxFiles }).map((specs) => {
    const out: Record<string, string> = {};
    specs.forEach((s, i) => (out[`${s.dir}f${i}.yaml`] = renderFile(s)));
    return out;
  });
}

export const filesArb = filesArbOf(3, 4);

// --------------------------------------------------------------------------- text edits

/** Characters that matter to YAML, plus a few that matter to positions. */
const EDIT_CHARS = [':', ' ', '  ', '-', '- ', '\n', '\n  ', '\t', '#', '{', '}', '[', ']', '"', "'", '&a ', '*a', '!!str ', '|', '>', '%', '@', '`', ',', '?', '---\n', '...\n', 'a', '1', '80', 'é', '😀', '\r', '\r\n', '\u2028', '{{ .Values.x }}', '<<: ', '~', 'null'];

export type TextEdit = { op: 'insert' | 'delete' | 'replace' | 'dupLine' | 'dropLine' | 'indent' | 'truncate'; pos: number; len: number; text: string };

export const textEditArb: fc.Arbitrary<TextEdit> = fc.record({
  op: fc.constantFrom<TextEdit['op']>('insert', 'insert', 'delete', 'replace', 'replace', 'dupLine', 'dropLine', 'indent', 'truncate'),
  pos: fc.nat(),
  len: fc.nat({ max: 12 }),
  text: fc.oneof(fc.constantFrom(...EDIT_CHARS), fc.string({ maxLength: 4 }), fc.array(fc.constantFrom(...EDIT_CHARS), { maxLength: 3 }).map((a) => a.join(''))),
});

/** Applies a text edit at a position chosen modulo the text length. */
export function applyTextEdit(text: string, e: TextEdit): string {
  const pos = text.length ? e.pos % (text.length + 1) : 0;
  const lineStart = text.lastIndexOf('\n', pos - 1) + 1;
  let lineEnd = text.indexOf('\n', pos);
  if (lineEnd === -1) lineEnd = text.length;
  switch (e.op) {
    case 'insert':
      return text.slice(0, pos) + e.text + text.slice(pos);
    case 'delete':
      return text.slice(0, pos) + text.slice(pos + e.len);
    case 'replace':
      return text.slice(0, pos) + e.text + text.slice(pos + Math.min(e.len, 3));
    case 'dupLine':
      return text.slice(0, lineEnd) + '\n' + text.slice(lineStart, lineEnd) + text.slice(lineEnd);
    case 'dropLine':
      return text.slice(0, lineStart) + text.slice(Math.min(text.length, lineEnd + 1));
    case 'indent':
      return text.slice(0, lineStart) + ' '.repeat(e.len % 5) + text.slice(lineStart + (e.len % 2));
    case 'truncate':
      return text.slice(0, pos);
  }
}

export const mutatedFilesArb: fc.Arbitrary<Record<string, string>> = fc
  .tuple(filesArb, fc.array(fc.tuple(fc.nat(), textEditArb), { maxLength: 4 }))
  .map(([files, edits]) => {
    const out = { ...files };
    const keys = Object.keys(out);
    for (const [which, e] of edits) {
      const k = keys[which % keys.length];
      out[k] = applyTextEdit(out[k], e);
    }
    return out;
  });

export { stringify };
