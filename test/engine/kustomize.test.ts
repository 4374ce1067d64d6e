// Kustomize patch files: checked as partial objects that no other object sees,
// and the status follows the kustomizations that name them, incrementally.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createWorkspace, DEFAULT_CONFIG, type Diagnostic } from '../../server/src/index';
import { patchFilesOf, resolveKey } from '../../server/src/engine/kustomize';
import { run } from '../rule-tester';

const BASE_DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx
          ports:
            - name: http
              containerPort: 8080
`;
const BASE_SVC = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector:
    app: web
  ports:
    - port: 80
      targetPort: http
      nodePort: 30080
`;
// an overlay's patch: the same Service, partial (no selector), the same node port
const PATCH_SVC = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  ports:
    - port: 80
      nodePort: 30080
`;
// a workload patch: more replicas, and a host port for a debugging agent. Read
// whole it is a second Deployment web; merged, it changes the base one, which
// kube-expose does not compute (kustomize build does): its host port goes unchecked.
const PATCH_DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: debug
          ports:
            - containerPort: 9090
              hostPort: 9090
`;

const KUSTOMIZATION = (patches: string) => `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../base
${patches}`;

const files = (kustomization?: string): Record<string, string> => ({
  '/repo/base/deployment.yaml': BASE_DEPLOY,
  '/repo/base/service.yaml': BASE_SVC,
  '/repo/overlays/prod/service-patch.yaml': PATCH_SVC,
  '/repo/overlays/prod/replicas.yaml': PATCH_DEPLOY,
  ...(kustomization === undefined ? {} : { '/repo/overlays/prod/kustomization.yaml': kustomization }),
});

const rules = (ds: Diagnostic[], uri: string) => ds.filter((d) => d.uri === uri).map((d) => d.rule).sort();

describe('kustomize patches', () => {
  it('without a kustomization naming them, overlay files are checked as whole objects', () => {
    const ds = run(files(), { conflictScope: 'workspace' });
    assert.deepEqual(rules(ds, '/repo/overlays/prod/service-patch.yaml'), ['service-no-backends']);
    assert.deepEqual(rules(ds, '/repo/overlays/prod/replicas.yaml'), ['pod-host-exposure', 'pod-hostport-scaling']);
  });

  for (const [field, k] of [
    ['patches (path)', KUSTOMIZATION('patches:\n  - path: service-patch.yaml\n  - path: ./replicas.yaml\n    target:\n      kind: Deployment\n')],
    ['patchesStrategicMerge', KUSTOMIZATION('patchesStrategicMerge:\n  - service-patch.yaml\n  - replicas.yaml\n')],
    ['patchesJson6902 and no apiVersion/kind', 'resources: [../../base]\npatchesJson6902:\n  - path: service-patch.yaml\n    target: {kind: Service, name: web}\npatchesStrategicMerge: [replicas.yaml]\n'],
  ] as const) {
    it(`files named under ${field} are patches: no finding about other objects, none about them`, () => {
      const ds = run(files(k), { conflictScope: 'workspace' });
      assert.deepEqual(rules(ds, '/repo/overlays/prod/service-patch.yaml'), []);
      assert.deepEqual(rules(ds, '/repo/overlays/prod/replicas.yaml'), []);
      assert.deepEqual(rules(ds, '/repo/base/service.yaml'), [], 'the base no longer shares its nodePort with the patch');
    });
  }

  it('a value the API server would refuse is still reported in a patch; a missing required field is not', () => {
    const k = KUSTOMIZATION('patches:\n  - path: service-patch.yaml\n');
    const bad = { ...files(k), '/repo/overlays/prod/service-patch.yaml': PATCH_SVC.replace('port: 80', 'port: eighty') };
    const ds = run(bad);
    const found = ds.filter((d) => d.uri === '/repo/overlays/prod/service-patch.yaml');
    assert.deepEqual(
      found.map((d) => [d.rule, d.range.start.line]),
      [['schema', 7]],
    );
    assert.match(found[0].message, /eighty/);
  });

  it('inline patches are not paths', () => {
    const k = KUSTOMIZATION('patchesStrategicMerge:\n  - |-\n    apiVersion: v1\n    kind: Service\n    metadata:\n      name: web\npatches:\n  - patch: |-\n      - op: replace\n        path: /spec/type\n        value: ClusterIP\n');
    assert.deepEqual(patchFilesOf('/repo/overlays/prod/kustomization.yaml', k), []);
  });

  it('a kustomization that is broken YAML, a template or not a map names no patches', () => {
    const key = '/repo/overlays/prod/kustomization.yaml';
    assert.deepEqual(patchFilesOf(key, 'patches:\n  - path: [unclosed\n'), []);
    assert.deepEqual(patchFilesOf(key, '- patches\n'), []);
    assert.deepEqual(patchFilesOf(key, 'patches: 3\npatchesStrategicMerge: {a: 1}\n'), []);
    const ds = run(files('patches:\n  - path: {{ .Values.patch }}\n'), { conflictScope: 'workspace' });
    assert.deepEqual(rules(ds, '/repo/overlays/prod/service-patch.yaml'), ['service-no-backends'], 'a Helm template is skipped: the file is no patch');
  });

  it('resolves patch paths against the kustomization, in paths and in file URIs', () => {
    assert.equal(resolveKey('/repo/overlays/prod/kustomization.yaml', '../shared/p.yaml'), '/repo/overlays/shared/p.yaml');
    assert.equal(resolveKey('file:///repo/a%20b/kustomization.yaml', './my patch.yaml'), 'file:///repo/a%20b/my%20patch.yaml');
    assert.equal(resolveKey('file:///repo/kustomization.yaml', '../../etc/p.yaml'), undefined);
    assert.equal(resolveKey('/repo/kustomization.yaml', '/abs/p.yaml'), undefined);
    assert.equal(resolveKey('/repo/kustomization.yaml', 'https://example.com/p.yaml'), undefined);
  });

  it('follows kustomization edits incrementally, equal to a cold check at every step', () => {
    const ws = createWorkspace({ ...DEFAULT_CONFIG, conflictScope: 'workspace' });
    const all = (fs: Record<string, string>) => Object.keys(fs).flatMap((u) => ws.diagnostics(u));
    const steps: (string | undefined)[] = [
      undefined,
      KUSTOMIZATION('patches:\n  - path: service-patch.yaml\n'),
      KUSTOMIZATION('patches:\n  - path: service-patch.yaml\n  - path: replicas.yaml\n'),
      KUSTOMIZATION('patches:\n  - path: replicas.yaml\n'),
      KUSTOMIZATION('patches:\n  - path: service-patch.yaml\n'),
      undefined,
    ];
    let current: Record<string, string> = {};
    for (const [i, k] of steps.entries()) {
      const next = files(k);
      for (const uri of Object.keys(current)) if (!(uri in next)) ws.removeFile(uri);
      for (const [uri, text] of Object.entries(next)) ws.setFile(uri, text);
      ws.flush();
      current = next;
      assert.deepEqual(all(current), run(current, { conflictScope: 'workspace' }), `step ${i}`);
    }
    // the patch file loaded after the kustomization is a patch too
    const late = createWorkspace({ ...DEFAULT_CONFIG, conflictScope: 'workspace' });
    const fs = files(KUSTOMIZATION('patches:\n  - path: service-patch.yaml\n'));
    for (const uri of Object.keys(fs).reverse()) late.setFile(uri, fs[uri]);
    late.flush();
    assert.deepEqual(Object.keys(fs).flatMap((u) => late.diagnostics(u)), run(fs, { conflictScope: 'workspace' }));
  });

  it('two kustomizations naming one patch: it stays a patch until neither does', () => {
    const ws = createWorkspace({ ...DEFAULT_CONFIG });
    const fs = files(KUSTOMIZATION('patches:\n  - path: service-patch.yaml\n'));
    for (const [uri, text] of Object.entries(fs)) ws.setFile(uri, text);
    ws.setFile('/repo/overlays/kustomization.yaml', 'resources: [prod]\npatchesStrategicMerge: [prod/service-patch.yaml]\n');
    ws.flush();
    const patchRules = () => ws.diagnostics('/repo/overlays/prod/service-patch.yaml').map((d) => d.rule);
    assert.deepEqual(patchRules(), []);
    ws.removeFile('/repo/overlays/prod/kustomization.yaml');
    ws.flush();
    assert.deepEqual(patchRules(), []);
    ws.removeFile('/repo/overlays/kustomization.yaml');
    ws.flush();
    assert.ok(patchRules().includes('service-no-backends'));
  });
});
