// Deterministic benchmark workspaces: Deployments, StatefulSets and DaemonSets
// with labelled templates and named ports, Services of every type, Ingresses,
// selector-less Services with Endpoints, host-port agents and filler
// ConfigMaps — with a few mistakes planted on purpose. Every planted mistake is
// recorded (rule id, file, resource, line), so the benchmark can tell which
// ones each server reports. Same seed, same bytes.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

// ----------------------------------------------------------------------------- PRNG

/** mulberry32: small, fast, good enough for test data; deterministic across platforms. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ----------------------------------------------------------------------------- model

export interface Planted {
  rule: string;
  /** path relative to the workspace root, with '/' */
  file: string;
  kind: string;
  namespace: string;
  name: string;
  /** 0-based line of the offending text in the file */
  line: number;
  /** 0-based first and last line of the resource in the file */
  start: number;
  end: number;
  /** found by yaml-language-server's schema validation too (a plain schema mistake) */
  schemaVisible: boolean;
}

/** An edit the benchmark can make: replace `from` with `to` on `line`, which changes findings. */
export interface EditSpec {
  type: 'schema' | 'targetPort' | 'label' | 'nodePort';
  file: string;
  line: number;
  /** first line of the edited resource (edits are spread over distinct resources) */
  docStart: number;
  from: string;
  to: string;
  /** where the finding it causes appears (the dependent file for cross-file edits) */
  expectFile: string;
  expectRule: string;
  /** 0-based line range (in expectFile) the finding must start in */
  expectStart: number;
  expectEnd: number;
}

interface Res {
  kind: string;
  namespace: string;
  name: string;
  lines: string[];
  /** planted mistakes: offset of the line in `lines` */
  planted: { rule: string; offset: number; schemaVisible: boolean }[];
  /** edit anchors: offset in `lines`, text to replace */
  anchors: { type: EditSpec['type']; offset: number; from: string; to: string; link?: Res }[];
  /** placement, filled in when files are laid out */
  file?: string;
  start?: number;
}

export interface Workspace {
  root: string;
  files: { path: string; resources: number }[];
  resources: number;
  planted: Planted[];
  edits: EditSpec[];
  /** the file the single-file cases open and edit */
  main?: string;
}

const RATE = {
  selectorTypo: 0.03,
  targetPortTypo: 0.03,
  ingressServiceMissing: 0.05,
  ingressPortWrong: 0.05,
  nodePortDuplicate: 0.06,
  hostPortConflict: 0.1,
  schemaTypo: 0.02,
};

const WORDS = ['cart', 'web', 'api', 'auth', 'search', 'pay', 'mail', 'feed', 'img', 'geo', 'chat', 'log', 'cache', 'queue', 'report', 'admin', 'shop', 'media', 'docs', 'user'];

class Gen {
  private readonly rnd: () => number;
  private n = 0;
  /** per conflict scope: last nodePort and hostPort handed out */
  private nodePorts = new Map<string, number[]>();
  private hostPorts = new Map<string, number[]>();
  private nextNodePort = 30000;
  private nextHostPort = 20000;

  constructor(seed: number) {
    this.rnd = prng(seed);
  }

  chance(p: number): boolean {
    return this.rnd() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rnd() * xs.length)];
  }
  id(): string {
    this.n++;
    return `${this.pick(WORDS)}-${this.n.toString(36)}`;
  }

  /** One app's resources (2–5), in namespace ns, nodePort/hostPort scope `scope`. */
  app(ns: string, scope: string): Res[] {
    const r = this.rnd();
    if (r < 0.4) return this.webApp(ns, 'ClusterIP', scope);
    if (r < 0.55) return this.webApp(ns, 'NodePort', scope);
    if (r < 0.63) return this.webApp(ns, 'LoadBalancer', scope);
    if (r < 0.73) return this.statefulApp(ns);
    if (r < 0.8) return this.agent(ns, scope);
    if (r < 0.86) return this.manualEndpoints(ns);
    if (r < 0.9) return [this.externalName(ns)];
    return [this.configMap(ns, this.id())];
  }

  private meta(name: string, ns: string, extra: string[] = []): string[] {
    return ['metadata:', `  name: ${name}`, `  namespace: ${ns}`, ...extra];
  }

  private container(name: string, ports: { name: string; port: number; hostPort?: number }[]): string[] {
    const out = [`        - name: ${name}`, `          image: registry.example.com/${name}:1.${this.n % 40}.0`, '          imagePullPolicy: IfNotPresent', '          ports:'];
    for (const p of ports) {
      out.push(`            - name: ${p.name}`, `              containerPort: ${p.port}`);
      if (p.hostPort) out.push(`              hostPort: ${p.hostPort}`);
    }
    out.push('          resources:', '            requests:', '              cpu: 100m', '              memory: 128Mi');
    return out;
  }

  private workload(kind: 'Deployment' | 'StatefulSet' | 'DaemonSet', name: string, ns: string, ports: { name: string; port: number; hostPort?: number }[], extraSpec: string[] = [], metaExtra: string[] = []): Res {
    const lines = [
      'apiVersion: apps/v1',
      `kind: ${kind}`,
      ...this.meta(name, ns, metaExtra),
      'spec:',
      ...(kind === 'DaemonSet' ? [] : [`  replicas: ${kind === 'StatefulSet' ? 3 : 2}`]),
      ...extraSpec,
      '  selector:',
      '    matchLabels:',
      `      app: ${name}`,
      '  template:',
      '    metadata:',
      '      labels:',
      `        app: ${name}`,
      '        tier: backend',
      '    spec:',
      '      containers:',
      ...this.container(name, ports),
    ];
    return { kind, namespace: ns, name, lines, planted: [], anchors: [] };
  }

  private webApp(ns: string, type: 'ClusterIP' | 'NodePort' | 'LoadBalancer', scope: string): Res[] {
    const name = this.id();
    const deploy = this.workload('Deployment', name, ns, [
      { name: 'http', port: 8080 },
      { name: 'metrics', port: 9090 },
    ]);
    const selTypo = this.chance(RATE.selectorTypo);
    const tpTypo = !selTypo && this.chance(RATE.targetPortTypo);
    const lines = ['apiVersion: v1', 'kind: Service', ...this.meta(name, ns), 'spec:'];
    if (type !== 'ClusterIP') lines.push(`  type: ${type}`);
    lines.push('  selector:', `    app: ${selTypo ? `${name}-v1` : name}`, '  ports:', '    - name: http', '      port: 80', `      targetPort: ${tpTypo ? 'htpp' : 'http'}`);
    let nodePortLine = -1;
    let nodePortDup = false;
    if (type === 'NodePort') {
      const used = this.nodePorts.get(scope) ?? [];
      nodePortDup = used.length > 0 && this.chance(RATE.nodePortDuplicate);
      const port = nodePortDup ? used[used.length - 1] : this.allocNodePort();
      if (!nodePortDup) this.nodePorts.set(scope, [...used, port]);
      nodePortLine = lines.length;
      lines.push(`      nodePort: ${port}`);
    }
    // a misspelt field: the API server (and any schema-based checker) refuses it
    const schemaTypo = this.chance(RATE.schemaTypo);
    lines.push('    - name: metrics', `      ${schemaTypo ? 'protocl' : 'protocol'}: TCP`, '      port: 9090', '      targetPort: metrics');
    const svc: Res = { kind: 'Service', namespace: ns, name, lines, planted: [], anchors: [] };
    if (schemaTypo) svc.planted.push({ rule: 'schema', offset: lines.indexOf('      protocl: TCP'), schemaVisible: true });
    else svc.anchors.push({ type: 'schema', offset: lines.indexOf('      port: 9090'), from: 'port: 9090', to: 'port: metrics' });
    if (selTypo) svc.planted.push({ rule: 'service-selector-no-match', offset: lines.indexOf('  selector:') + 1, schemaVisible: false });
    if (tpTypo) svc.planted.push({ rule: 'service-targetport-unresolved', offset: lines.indexOf('      targetPort: htpp'), schemaVisible: false });
    if (nodePortDup) svc.planted.push({ rule: 'service-nodeport-duplicate', offset: nodePortLine, schemaVisible: false });
    if (!selTypo && !tpTypo) {
      svc.anchors.push({ type: 'targetPort', offset: lines.indexOf('      targetPort: http'), from: 'targetPort: http', to: 'targetPort: htttp' });
      // a label edit on the Deployment's template leaves this Service selecting nothing
      deploy.anchors.push({ type: 'label', offset: deploy.lines.indexOf(`        app: ${name}`), from: `app: ${name}`, to: `app: ${name}-v2`, link: svc });
    }
    const out = [deploy, svc];
    if (this.chance(0.5)) out.push(this.ingress(name, ns));
    if (this.chance(0.3)) out.push(this.configMap(ns, `${name}-config`));
    return out;
  }

  private allocNodePort(): number {
    const p = this.nextNodePort;
    this.nextNodePort = p >= 32767 ? 30000 : p + 1;
    return p;
  }

  private ingress(svc: string, ns: string): Res {
    const missing = this.chance(RATE.ingressServiceMissing);
    const wrongPort = !missing && this.chance(RATE.ingressPortWrong);
    const lines = [
      'apiVersion: networking.k8s.io/v1',
      'kind: Ingress',
      ...this.meta(svc, ns),
      'spec:',
      '  ingressClassName: nginx',
      '  rules:',
      `    - host: ${svc}.${ns}.example.com`,
      '      http:',
      '        paths:',
      '          - path: /',
      '            pathType: Prefix',
      '            backend:',
      '              service:',
      `                name: ${missing ? `${svc}-svc` : svc}`,
      '                port:',
      `                  number: ${wrongPort ? 8080 : 80}`,
    ];
    const res: Res = { kind: 'Ingress', namespace: ns, name: svc, lines, planted: [], anchors: [] };
    if (missing) res.planted.push({ rule: 'ingress-backend-service-missing', offset: lines.length - 3, schemaVisible: false });
    if (wrongPort) res.planted.push({ rule: 'ingress-backend-port-missing', offset: lines.length - 1, schemaVisible: false });
    return res;
  }

  private statefulApp(ns: string): Res[] {
    const name = this.id();
    const sts = this.workload('StatefulSet', name, ns, [{ name: 'db', port: 5432 }], [`  serviceName: ${name}`]);
    const svc: Res = {
      kind: 'Service',
      namespace: ns,
      name,
      lines: ['apiVersion: v1', 'kind: Service', ...this.meta(name, ns), 'spec:', '  clusterIP: None', '  selector:', `    app: ${name}`, '  ports:', '    - name: db', '      port: 5432', '      targetPort: db'],
      planted: [],
      anchors: [],
    };
    return [sts, svc];
  }

  private agent(ns: string, scope: string): Res[] {
    const name = this.id();
    const used = this.hostPorts.get(scope) ?? [];
    const conflict = used.length > 0 && this.chance(RATE.hostPortConflict);
    const hostPort = conflict ? used[used.length - 1] : this.nextHostPort++;
    if (!conflict) this.hostPorts.set(scope, [...used, hostPort]);
    const ds = this.workload('DaemonSet', name, ns, [{ name: 'metrics', port: 9100, hostPort }], [], ['  annotations:', '    kube-expose.io/ignore: pod-host-exposure']);
    if (conflict) ds.planted.push({ rule: 'pod-hostport-conflict', offset: ds.lines.indexOf(`              hostPort: ${hostPort}`), schemaVisible: false });
    return [ds];
  }

  private manualEndpoints(ns: string): Res[] {
    const name = this.id();
    const svc: Res = {
      kind: 'Service',
      namespace: ns,
      name,
      lines: ['apiVersion: v1', 'kind: Service', ...this.meta(name, ns), 'spec:', '  ports:', '    - name: pg', '      port: 5432', '      targetPort: 5432'],
      planted: [],
      anchors: [],
    };
    const ep: Res = {
      kind: 'Endpoints',
      namespace: ns,
      name,
      lines: ['apiVersion: v1', 'kind: Endpoints', ...this.meta(name, ns), 'subsets:', '  - addresses:', `      - ip: 10.0.${this.n % 250}.${(this.n * 7) % 250}`, '    ports:', '      - name: pg', '        port: 5432'],
      planted: [],
      anchors: [],
    };
    return [svc, ep];
  }

  private externalName(ns: string): Res {
    const name = this.id();
    return {
      kind: 'Service',
      namespace: ns,
      name,
      lines: ['apiVersion: v1', 'kind: Service', ...this.meta(name, ns), 'spec:', '  type: ExternalName', `  externalName: ${name}.db.example.com`],
      planted: [],
      anchors: [],
    };
  }

  configMap(ns: string, name: string): Res {
    return {
      kind: 'ConfigMap',
      namespace: ns,
      name,
      lines: ['apiVersion: v1', 'kind: ConfigMap', ...this.meta(name, ns), 'data:', '  LOG_LEVEL: info', `  FEATURE_FLAGS: "a,b,${name}"`, '  TIMEOUT: "30s"'],
      planted: [],
      anchors: [],
    };
  }

  ingressClass(): Res {
    return {
      kind: 'IngressClass',
      namespace: '',
      name: 'nginx',
      lines: ['apiVersion: networking.k8s.io/v1', 'kind: IngressClass', 'metadata:', '  name: nginx', 'spec:', '  controller: k8s.io/ingress-nginx'],
      planted: [],
      anchors: [],
    };
  }

  /** `count` resources of namespace ns (whole apps; the last one may be cut short). */
  namespace(ns: string, scope: string, count: number): Res[] {
    const out: Res[] = [];
    for (;;) {
      const app = this.app(ns, scope);
      if (out.length + app.length > count) break;
      out.push(...app);
    }
    while (out.length < count) out.push(this.configMap(ns, this.id()));
    return out;
  }
}

// ----------------------------------------------------------------------------- layout

function writeFile(root: string, rel: string, resources: Res[], header?: string): number {
  const lines: string[] = [];
  if (header) lines.push(header);
  resources.forEach((r, i) => {
    if (i > 0 || header) lines.push('---');
    r.file = rel;
    r.start = lines.length;
    lines.push(...r.lines);
  });
  const abs = join(root, rel);
  mkdirSync(dirname(abs), { recursive: true });
  writeFileSync(abs, `${lines.join('\n')}\n`);
  return resources.length;
}

function collect(root: string, all: Res[], files: { path: string; resources: number }[], main?: string): Workspace {
  const placed = all.filter((r) => r.file !== undefined);
  const planted: Planted[] = [];
  const edits: EditSpec[] = [];
  for (const r of placed) {
    const end = r.start! + r.lines.length - 1;
    for (const p of r.planted) planted.push({ rule: p.rule, file: r.file!, kind: r.kind, namespace: r.namespace, name: r.name, line: r.start! + p.offset, start: r.start!, end, schemaVisible: p.schemaVisible });
    for (const a of r.anchors) {
      const line = r.start! + a.offset;
      if (a.type === 'label') {
        const svc = a.link!;
        if (svc.file === undefined || svc.file === r.file) continue; // only cross-file label edits
        edits.push({ type: 'label', file: r.file!, line, docStart: r.start!, from: a.from, to: a.to, expectFile: svc.file, expectRule: 'service-selector-no-match', expectStart: svc.start!, expectEnd: svc.start! + svc.lines.length - 1 });
      } else {
        edits.push({ type: a.type, file: r.file!, line, docStart: r.start!, from: a.from, to: a.to, expectFile: r.file!, expectRule: a.type === 'schema' ? 'schema' : 'service-targetport-unresolved', expectStart: r.start!, expectEnd: end });
      }
    }
  }
  // nodePort edits: a NodePort Service takes the nodePort of one in another file of the same folder
  const byScope = new Map<string, Res[]>();
  for (const r of placed) {
    if (r.kind !== 'Service' || r.planted.length) continue;
    const i = r.lines.findIndex((l) => l.startsWith('      nodePort: '));
    if (i < 0) continue;
    const scope = r.file!.slice(0, r.file!.lastIndexOf('/') + 1);
    byScope.set(scope, [...(byScope.get(scope) ?? []), r]);
  }
  const used = new Set<Res>();
  for (const list of byScope.values()) {
    for (let i = 0; i + 1 < list.length; i++) {
      const a = list[i];
      const b = list.slice(i + 1).find((x) => x.file !== a.file && !used.has(x));
      if (!b || used.has(a)) continue;
      used.add(a).add(b);
      const ai = a.lines.findIndex((l) => l.startsWith('      nodePort: '));
      const bi = b.lines.findIndex((l) => l.startsWith('      nodePort: '));
      edits.push({
        type: 'nodePort',
        file: a.file!,
        line: a.start! + ai,
        docStart: a.start!,
        from: a.lines[ai].trim(),
        to: b.lines[bi].trim(),
        expectFile: b.file!,
        expectRule: 'service-nodeport-duplicate',
        expectStart: b.start!,
        expectEnd: b.start! + b.lines.length - 1,
      });
    }
  }
  return { root, files, resources: files.reduce((s, f) => s + f.resources, 0), planted, edits, main };
}

const NS_SIZE = 200;

/**
 * One big file of `resources` resources (namespaces of 200) plus `deps/`: files
 * holding the Services of some of its Deployments (cross-file selector links)
 * and Ingresses pointing at its Services.
 */
export function singleFile(root: string, resources: number, seed = 1): Workspace {
  rmSync(root, { recursive: true, force: true });
  const g = new Gen(seed);
  const main: Res[] = [];
  const deps: Res[] = [];
  for (let k = 0; main.length < resources; k++) {
    const ns = `team-${String(k).padStart(2, '0')}`;
    for (const r of g.namespace(ns, 'main', Math.min(NS_SIZE, resources - main.length))) {
      // move the Service of some labelled Deployments into deps/ (a cross-file link)
      if (r.kind === 'Service' && r.planted.length === 0 && deps.length < 60 && g.chance(0.15)) deps.push(r);
      else main.push(r);
    }
  }
  while (main.length < resources) main.push(g.configMap('team-00', `filler-${main.length}`));
  const files: { path: string; resources: number }[] = [];
  files.push({ path: 'main/resources.yaml', resources: writeFile(root, 'main/resources.yaml', main, '# generated by bench/generate.ts: do not edit') });
  files.push({ path: 'cluster/ingressclass.yaml', resources: writeFile(root, 'cluster/ingressclass.yaml', [g.ingressClass()]) });
  for (let i = 0; i * 6 < deps.length; i++) {
    const rel = `deps/services-${String(i).padStart(2, '0')}.yaml`;
    files.push({ path: rel, resources: writeFile(root, rel, deps.slice(i * 6, i * 6 + 6)) });
  }
  return collect(root, [...main, ...deps], files, 'main/resources.yaml');
}

/** `fileCount` files of `perFile` resources; 20 files per folder, one namespace per folder. */
export function multiFile(root: string, fileCount: number, perFile = 10, seed = 2): Workspace {
  rmSync(root, { recursive: true, force: true });
  const g = new Gen(seed);
  const files: { path: string; resources: number }[] = [];
  const all: Res[] = [];
  const perDir = 20;
  for (let d = 0; d * perDir < fileCount; d++) {
    const dir = `apps/ns-${String(d).padStart(3, '0')}`;
    const n = Math.min(perDir, fileCount - d * perDir);
    const res = g.namespace(`ns-${String(d).padStart(3, '0')}`, dir, n * perFile);
    for (let i = 0; i < n; i++) {
      const rel = `${dir}/part-${String(i).padStart(2, '0')}.yaml`;
      const slice = res.slice(i * perFile, (i + 1) * perFile);
      files.push({ path: rel, resources: writeFile(root, rel, slice) });
      all.push(...slice);
    }
  }
  files.push({ path: 'cluster/ingressclass.yaml', resources: writeFile(root, 'cluster/ingressclass.yaml', [g.ingressClass()]) });
  return collect(root, all, files);
}

/** Writes the manifest of planted mistakes and edits beside the workspace. */
export function writeManifest(ws: Workspace): void {
  writeFileSync(join(ws.root, '..', `${ws.root.split('/').pop()}.planted.json`), JSON.stringify({ resources: ws.resources, files: ws.files.length, planted: ws.planted, edits: ws.edits }, null, 1));
}
