// "Replace hostPort with a NodePort Service" and "Replace hostNetwork with a NodePort Service".
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyAndCheck, FILE, lineOf, pick, refactorsOn, titles, toCrlf, type Files } from './helpers';

const HOST_PORT = `# Game server: players connect to <node>:30777.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: game
spec:
  replicas: 1 # one per node at most, because of the hostPort
  selector:
    matchLabels:
      app: game
  template:
    metadata:
      labels:
        app: game
    spec:
      containers:
        - name: server
          image: game:1.4
          ports:
            - containerPort: 7777
              protocol: UDP
              hostPort: 30777
              hostIP: 0.0.0.0
            - name: admin # operators only
              containerPort: 8080
`;

const on = (files: Files, needle = 'kind: Deployment', opts: Parameters<typeof refactorsOn>[2] = {}) => refactorsOn(files, lineOf(files[opts.uri ?? FILE], needle), opts);
const clean = [
  { kind: 'Service', name: 'game' },
  { kind: 'Deployment', name: 'game' },
];

describe('refactors: replace hostPort with a NodePort Service', () => {
  it('removes hostPort and hostIP, and keeps the port number as nodePort when it is in range: exact output', () => {
    const files = { [FILE]: HOST_PORT };
    const rs = on(files);
    assert.deepEqual(titles(rs), [
      'Expose with a Service (ClusterIP)',
      'Expose with a Service (NodePort)',
      'Expose with a Service (LoadBalancer)',
      'Replace hostPort with a NodePort Service',
    ]);
    const out = applyAndCheck(files, pick(rs, 'Replace hostPort with a NodePort Service'), { clean });
    assert.equal(
      out[FILE],
      HOST_PORT.replace('              hostPort: 30777\n              hostIP: 0.0.0.0\n', '              name: udp-7777\n') +
        `---
apiVersion: v1
kind: Service
metadata:
  name: game
spec:
  type: NodePort
  selector:
    app: game
  ports:
    - name: udp-7777
      protocol: UDP
      port: 7777
      targetPort: udp-7777
      nodePort: 30777
`,
    );
  });

  it('leaves the nodePort to the cluster when the hostPort is outside the range, and says so', () => {
    const text = HOST_PORT.replace('hostPort: 30777', 'hostPort: 7777');
    const files = { [FILE]: text };
    const r = pick(on(files), /^Replace hostPort/);
    assert.equal(r.title, 'Replace hostPort with a NodePort Service (hostPort 7777 is outside 30000-32767: the cluster will pick a nodePort)');
    const out = applyAndCheck(files, r, { clean });
    assert.doesNotMatch(out[FILE], /nodePort:/);
  });

  it('leaves the nodePort to the cluster when another Service in scope holds it', () => {
    const svc = `apiVersion: v1
kind: Service
metadata:
  name: lobby
spec:
  type: NodePort
  selector: {app: lobby}
  ports:
    - port: 80
      nodePort: 30777
`;
    const files = { [FILE]: HOST_PORT, 'k8s/lobby.yaml': svc };
    const r = pick(on(files), /^Replace hostPort/);
    assert.equal(r.title, 'Replace hostPort with a NodePort Service (nodePort 30777 is already used: the cluster will pick a nodePort)');
    applyAndCheck(files, r, { clean });
    // in another directory (another conflict scope) it is free
    const apart = { [FILE]: HOST_PORT, 'other/lobby.yaml': svc };
    assert.equal(pick(on(apart), /^Replace hostPort/).title, 'Replace hostPort with a NodePort Service');
  });

  it('handles a port item opening with hostPort, flow items, and several hostPorts', () => {
    const text = `apiVersion: v1
kind: Pod
metadata:
  name: proxy
  labels:
    app: proxy
spec:
  containers:
    - name: proxy
      image: haproxy
      ports:
        - hostPort: 80
          containerPort: 8080 # behind the node's port 80
        - {name: https, containerPort: 8443, hostPort: 443}
        - name: stats
          containerPort: 9000
`;
    const files = { [FILE]: text };
    const r = pick(on(files, 'kind: Pod'), /^Replace hostPort/);
    assert.equal(r.title, 'Replace hostPorts with a NodePort Service (hostPorts 80, 443 are outside 30000-32767: the cluster will pick nodePorts)');
    const out = applyAndCheck(files, r, { clean: [{ kind: 'Service', name: 'proxy' }, { kind: 'Pod', name: 'proxy' }] });
    assert.equal(
      out[FILE],
      text.replace('- hostPort: 80\n', '- name: http\n').replace('{name: https, containerPort: 8443, hostPort: 443}', '{name: https, containerPort: 8443}') +
        `---
apiVersion: v1
kind: Service
metadata:
  name: proxy
spec:
  type: NodePort
  selector:
    app: proxy
  ports:
    - name: http
      port: 8080
      targetPort: http
    - name: https
      port: 8443
      targetPort: https
`,
    );
  });

  it('is not offered without hostPorts, and keeps CRLF', () => {
    const none = HOST_PORT.replace('              hostPort: 30777\n              hostIP: 0.0.0.0\n', '');
    assert.ok(!titles(on({ [FILE]: none })).some((t) => t.startsWith('Replace')));
    const files = { [FILE]: toCrlf(HOST_PORT) };
    applyAndCheck(files, pick(on(files), /^Replace hostPort/), { clean });
  });
});

const HOST_NETWORK = `# Node exporter on every node.
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: node-exporter
  namespace: monitoring
spec:
  selector:
    matchLabels:
      app: node-exporter
  template:
    metadata:
      labels:
        app: node-exporter
    spec:
      hostNetwork: true # sees the node's interfaces
      dnsPolicy: ClusterFirstWithHostNet
      containers:
        - name: exporter
          image: prom/node-exporter
          ports:
            - name: metrics
              containerPort: 9100
              hostPort: 9100
      tolerations:
        - operator: Exists # run everywhere
`;

describe('refactors: replace hostNetwork with a NodePort Service', () => {
  it('removes hostNetwork, its dnsPolicy and the hostPorts, and adds a NodePort Service: exact output', () => {
    const files = { [FILE]: HOST_NETWORK };
    const r = pick(on(files, 'kind: DaemonSet'), /^Replace hostNetwork/);
    assert.equal(r.title, 'Replace hostNetwork with a NodePort Service (containerPort 9100 is outside 30000-32767: the cluster will pick a nodePort)');
    const out = applyAndCheck(files, r, {
      clean: [
        { kind: 'Service', name: 'node-exporter' },
        { kind: 'DaemonSet', name: 'node-exporter' },
      ],
      removedComments: ["# sees the node's interfaces"],
    });
    assert.equal(
      out[FILE],
      HOST_NETWORK.replace("      hostNetwork: true # sees the node's interfaces\n      dnsPolicy: ClusterFirstWithHostNet\n", '').replace('              hostPort: 9100\n', '') +
        `---
apiVersion: v1
kind: Service
metadata:
  name: node-exporter
  namespace: monitoring
spec:
  type: NodePort
  selector:
    app: node-exporter
  ports:
    - name: metrics
      port: 9100
      targetPort: metrics
`,
    );
  });

  it('uses the containerPort as nodePort when it is in range', () => {
    const text = HOST_NETWORK.replace(/9100/g, '30910').replace('              hostPort: 30910\n', '');
    const files = { [FILE]: text };
    const r = pick(on(files, 'kind: DaemonSet'), /^Replace hostNetwork/);
    assert.equal(r.title, 'Replace hostNetwork with a NodePort Service');
    const out = applyAndCheck(files, r, { removedComments: ["# sees the node's interfaces"] });
    assert.match(out[FILE], /targetPort: metrics\n {6}nodePort: 30910\n$/);
  });

  it('without declared ports, uses the probe ports for a ClusterIP Service', () => {
    const text = HOST_NETWORK.replace(/ {10}ports:\n(.*\n){3}/, '          readinessProbe:\n            httpGet: {path: /metrics, port: 9100}\n');
    const files = { [FILE]: text };
    const r = pick(on(files, 'kind: DaemonSet'), /^Replace hostNetwork/);
    assert.equal(r.title, 'Replace hostNetwork with a Service (port 9100 from the probes)');
    assert.equal(r.snippet, undefined);
    const out = applyAndCheck(files, r, { removedComments: ["# sees the node's interfaces"] });
    assert.match(out[FILE], /kind: Service\n(.*\n){3}spec:\n {2}selector:\n {4}app: node-exporter\n {2}ports:\n {4}- name: port-9100\n {6}port: 9100\n {6}targetPort: 9100\n$/);
  });

  it('without declared ports or probes, leaves the port to fill in (a snippet tab stop)', () => {
    const text = HOST_NETWORK.replace(/ {10}ports:\n(.*\n){3}/, '');
    const files = { [FILE]: text };
    const r = pick(on(files, 'kind: DaemonSet'), /^Replace hostNetwork/);
    assert.equal(r.title, 'Replace hostNetwork with a Service (no declared ports: fill in the port)');
    const insertion = r.edits[r.edits.length - 1];
    assert.deepEqual(r.snippet?.range, insertion.range);
    assert.equal(r.snippet?.newText, insertion.newText.replace('port: 80\n', 'port: ${1:80}\n').replace('targetPort: 80\n', 'targetPort: ${1:80}\n'));
    applyAndCheck(files, r, { removedComments: ["# sees the node's interfaces"] });
  });

  it('is not offered without hostNetwork', () => {
    const off = HOST_NETWORK.replace('hostNetwork: true', 'hostNetwork: false');
    assert.ok(!titles(on({ [FILE]: off }, 'kind: DaemonSet')).some((t) => t.startsWith('Replace hostNetwork')));
  });
});
