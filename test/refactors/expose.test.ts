// "Expose with a Service (ClusterIP|NodePort|LoadBalancer)" on workloads and Pods.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { refactorsAt } from '../../server/src/refactors/index';
import { applyAndCheck, FILE, lineOf, pick, refactorsOn, rethrow, titles, toCrlf, workspace, type Files } from './helpers';

const DEPLOY = `# Checkout API and its sidecar.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: checkout
  namespace: shop
spec:
  replicas: 3
  selector:
    matchLabels:
      app: checkout # the stable identity
  template:
    metadata:
      labels:
        app: checkout
        version: v2 # changes every release
    spec:
      containers:
        - name: api
          image: checkout:2.0 # pinned
          ports:
            - containerPort: 8080
            - name: grpc
              containerPort: 50051
            - containerPort: 5353
              protocol: UDP
        - name: proxy
          image: envoy
          ports:
            - containerPort: 8080 # same number as api: one Service port is enough
      initContainers:
        - name: migrate
          image: checkout-migrate
          ports:
            - containerPort: 9999 # not serving
---
# Config of the API.
apiVersion: v1
kind: ConfigMap
metadata:
  name: checkout
  namespace: shop
data:
  mode: prod
`;

const on = (files: Files, opts: Parameters<typeof refactorsOn>[2] = {}) => refactorsOn(files, lineOf(files[opts.uri ?? FILE], 'kind: Deployment'), opts);
const TITLES = ['Expose with a Service (ClusterIP)', 'Expose with a Service (NodePort)', 'Expose with a Service (LoadBalancer)'];

describe('refactors: expose a workload with a Service', () => {
  it('offers the three Service types on a Deployment', () => {
    const rs = on({ [FILE]: DEPLOY });
    assert.deepEqual(titles(rs), TITLES);
    assert.ok(rs.every((r) => r.kind === 'refactor.extract'));
  });

  it('names unnamed container ports, selects the matchLabels, inserts after the workload: exact output', () => {
    const files = { [FILE]: DEPLOY };
    const out = applyAndCheck(files, pick(on(files), 'Expose with a Service (ClusterIP)'), { clean: [{ kind: 'Service', name: 'checkout' }, { kind: 'Deployment', name: 'checkout' }] });
    const [deploy, config] = DEPLOY.split('---\n');
    const expected =
      deploy
        .replace('            - containerPort: 8080\n', '            - containerPort: 8080\n              name: http\n')
        .replace('              protocol: UDP\n', '              protocol: UDP\n              name: udp-5353\n') +
      `---
apiVersion: v1
kind: Service
metadata:
  name: checkout
  namespace: shop
spec:
  selector:
    app: checkout
  ports:
    - name: http
      port: 8080
      targetPort: http
    - name: grpc
      port: 50051
      targetPort: grpc
    - name: udp-5353
      protocol: UDP
      port: 5353
      targetPort: udp-5353
---
` +
      config;
    assert.equal(out[FILE], expected);
  });

  it('NodePort and LoadBalancer set the type', () => {
    const files = { [FILE]: DEPLOY };
    for (const type of ['NodePort', 'LoadBalancer']) {
      const out = applyAndCheck(files, pick(on(files), `Expose with a Service (${type})`), { clean: [{ kind: 'Service', name: 'checkout' }] });
      assert.match(out[FILE], new RegExp(`kind: Service\\nmetadata:\\n {2}name: checkout\\n {2}namespace: shop\\nspec:\\n {2}type: ${type}\\n {2}selector:`));
    }
  });

  it('picks another name when the workload name is taken by a Service', () => {
    const svc = `apiVersion: v1
kind: Service
metadata:
  name: checkout
  namespace: shop
spec:
  selector:
    app: checkout
  ports:
    - name: grpc
      port: 50051
      targetPort: grpc
`;
    const files = { [FILE]: DEPLOY, 'k8s/svc.yaml': svc };
    const out = applyAndCheck(files, pick(on(files), 'Expose with a Service (NodePort)'), { clean: [{ kind: 'Service', name: 'checkout-nodeport' }] });
    assert.match(out[FILE], /name: checkout-nodeport\n/);
  });

  it('uses the template labels minus generated ones when there is no matchLabels, and keeps named ports', () => {
    const text = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  selector:
    matchExpressions:
      - {key: app, operator: In, values: [db]}
  template:
    metadata:
      labels:
        app: db
        controller-revision-hash: db-7d9f
    spec:
      containers:
        - name: postgres
          image: postgres:16
          ports:
            - {name: postgres, containerPort: 5432}
            - {containerPort: 9187}
`;
    const files = { [FILE]: text };
    const out = applyAndCheck(files, pick(refactorsOn(files, 1), 'Expose with a Service (ClusterIP)'), { clean: [{ kind: 'Service', name: 'db' }] });
    assert.equal(
      out[FILE],
      text.replace('- {containerPort: 9187}', '- {containerPort: 9187, name: port-9187}') +
        `---
apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  selector:
    app: db
  ports:
    - name: postgres
      port: 5432
      targetPort: postgres
    - name: port-9187
      port: 9187
      targetPort: port-9187
`,
    );
  });

  it('labels an unlabelled Pod so the Service can select it', () => {
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: debug
spec:
  containers:
    - name: shell
      image: busybox
      ports:
        - name: http
          containerPort: 80
`;
    const files = { [FILE]: text };
    const out = applyAndCheck(files, pick(refactorsOn(files, 1), 'Expose with a Service (ClusterIP)'), { clean: [{ kind: 'Service', name: 'debug' }] });
    assert.ok(out[FILE].startsWith('apiVersion: v1\nkind: Pod\nmetadata:\n  name: debug\n  labels:\n    app: debug\nspec:\n'));
    assert.match(out[FILE], /selector:\n {4}app: debug\n/);
  });

  it('targets a container port by number when its name is not usable', () => {
    const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: a
          image: a
          ports:
            - name: http
              containerPort: 8080
        - name: b
          image: b
          ports:
            - name: http # shadowed: FindPort resolves "http" to container a
              containerPort: 9090
`;
    const files = { [FILE]: text };
    const out = applyAndCheck(files, pick(refactorsOn(files, 1), 'Expose with a Service (ClusterIP)'));
    assert.match(out[FILE], /- name: http\n {6}port: 8080\n {6}targetPort: http\n {4}- name: metrics\n {6}port: 9090\n {6}targetPort: 9090\n/);
  });

  it('follows the document style and CRLF', () => {
    const text = toCrlf(`apiVersion: apps/v1
kind: DaemonSet
metadata:
    name: agent
spec:
    selector:
        matchLabels:
            app: agent
    template:
        metadata:
            labels:
                app: agent
        spec:
            containers:
            - name: agent
              image: agent
              ports:
              - containerPort: 9100`);
    const files = { [FILE]: text };
    const out = applyAndCheck(files, pick(refactorsOn(files, 1), 'Expose with a Service (ClusterIP)'), { clean: [{ kind: 'Service', name: 'agent' }] });
    assert.equal(
      out[FILE],
      text +
        toCrlf(`
                name: port-9100
---
apiVersion: v1
kind: Service
metadata:
    name: agent
spec:
    selector:
        app: agent
    ports:
    - name: port-9100
      port: 9100
      targetPort: port-9100
`),
    );
  });

  it('is not offered without ports, on Jobs, or on Services', () => {
    const noPorts = DEPLOY.replace(/ {10}ports:\n(.*\n)*? {6}initContainers:/, '      initContainers:').replace(/ {10}ports:\n.*\n/, '');
    assert.deepEqual(titles(on({ [FILE]: noPorts })).filter((t) => t.startsWith('Expose')), []);
    const job = `apiVersion: batch/v1
kind: Job
metadata:
  name: once
spec:
  template:
    metadata:
      labels: {app: once}
    spec:
      restartPolicy: Never
      containers:
        - name: once
          image: once
          ports:
            - containerPort: 8080
`;
    assert.deepEqual(titles(refactorsOn({ [FILE]: job }, 1)), []);
    const svc = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
    - port: 80
`;
    assert.ok(!titles(refactorsOn({ [FILE]: svc }, 1)).some((t) => t.startsWith('Expose')));
  });

  it('names the resource in each title when a selection covers several', () => {
    const files = { [FILE]: DEPLOY.replace('---\n# Config of the API.', `---\n${DEPLOY.split('---\n')[0].replace(/checkout/g, 'cart')}---\n# Config of the API.`) };
    assert.deepEqual(titles(refactorsOn(files, 0)), TITLES);
    const text = files[FILE];
    const all = refactorsAt(workspace(files), FILE, { start: { line: 0, character: 0 }, end: { line: lineOf(text, 'kind: ConfigMap'), character: 0 } }, { onError: rethrow });
    assert.deepEqual(titles(all), [...TITLES.map((t) => `${t} (Deployment checkout)`), ...TITLES.map((t) => `${t} (Deployment cart)`)]);
  });
});

describe('refactors: which resources a range covers', () => {
  it('a selection of whole lines does not reach into the next document', () => {
    const files = { [FILE]: DEPLOY };
    const ws = workspace(files);
    const end = lineOf(DEPLOY, '---');
    // lines 0..end-1 selected, the selection ending at column 0 of the --- line
    const rs = refactorsAt(ws, FILE, { start: { line: 0, character: 0 }, end: { line: end, character: 0 } }, { onError: rethrow });
    assert.deepEqual(titles(rs), TITLES);
    // a cursor in the ConfigMap's document gets nothing
    assert.deepEqual(titles(refactorsAt(ws, FILE, { start: { line: end, character: 0 }, end: { line: end, character: 0 } }, { onError: rethrow })), []);
    // nothing for an unknown file, a Helm template, or a line past the end
    assert.deepEqual(refactorsAt(ws, 'k8s/none.yaml', { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }), []);
    const tpl = workspace({ [FILE]: DEPLOY.replace('name: checkout\n', 'name: {{ .Values.name }}\n') });
    assert.deepEqual(refactorsAt(tpl, FILE, { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } }), []);
    assert.deepEqual(refactorsAt(ws, FILE, { start: { line: 999, character: 0 }, end: { line: 999, character: 0 } }), []);
  });

  it('offers nothing in a document with syntax errors', () => {
    const broken = DEPLOY.replace('replicas: 3', 'replicas: [3');
    assert.deepEqual(titles(refactorsOn({ [FILE]: broken }, 3)), []);
  });
});
