// Service type conversions: ClusterIP, NodePort (with a free nodePort), LoadBalancer, headless.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyAndCheck, FILE, lineOf, pick, refactorsOn, titles, toCrlf, type Files } from './helpers';

const DEPLOY = `# The web tier.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2 # two is enough
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
          image: nginx:1.27 # pinned
          ports:
            - name: http
              containerPort: 8080
`;

const CLUSTER_IP = `${DEPLOY}---
# Reached inside the cluster.
apiVersion: v1
kind: Service
metadata:
  name: web
  labels: {team: shop} # flow style stays
spec:
  # pods of the Deployment above
  selector:
    app: web
  ports:
    - name: http # the only port
      port: 80
      targetPort: http
`;

const LOAD_BALANCER = `${DEPLOY}---
apiVersion: v1
kind: Service
metadata:
  name: web
  annotations:
    service.beta.kubernetes.io/load-balancer-source-ranges: 10.0.0.0/8
    example.com/owner: shop # kept
spec:
  type: LoadBalancer # public entry
  loadBalancerClass: example.com/lb
  loadBalancerIP: 203.0.113.10
  loadBalancerSourceRanges:
    - 10.0.0.0/8
  allocateLoadBalancerNodePorts: true
  externalTrafficPolicy: Local
  healthCheckNodePort: 30999
  # pods of the Deployment above
  selector:
    app: web
  ports:
    - name: http
      port: 80
      targetPort: http
      nodePort: 30080 # fixed for the firewall
`;

const svcLine = (text: string) => lineOf(text, 'kind: Service');
const on = (files: Files, opts: Parameters<typeof refactorsOn>[2] = {}) => refactorsOn(files, svcLine(files[opts.uri ?? FILE]), opts);
const clean = [{ kind: 'Service', name: 'web' }];

describe('refactors: Service type conversions', () => {
  it('offers every other type on a ClusterIP Service, and an Ingress', () => {
    const rs = on({ [FILE]: CLUSTER_IP });
    assert.deepEqual(titles(rs), [
      'Convert to NodePort',
      'Convert to NodePort with nodePort 30000',
      'Convert to LoadBalancer',
      'Convert to headless Service (clusterIP: None)',
      'Create an Ingress for this Service',
    ]);
    assert.ok(rs.slice(0, 4).every((r) => r.kind === 'refactor.rewrite'));
  });

  it('ClusterIP -> NodePort with a free nodePort: exact output', () => {
    const files = { [FILE]: CLUSTER_IP };
    const out = applyAndCheck(files, pick(on(files), 'Convert to NodePort with nodePort 30000'), { clean });
    assert.equal(
      out[FILE],
      CLUSTER_IP.replace('spec:\n  # pods of', 'spec:\n  type: NodePort\n  # pods of').replace('      targetPort: http\n', '      targetPort: http\n      nodePort: 30000\n'),
    );
  });

  it('ClusterIP -> NodePort and -> LoadBalancer only set the type', () => {
    const files = { [FILE]: CLUSTER_IP };
    for (const type of ['NodePort', 'LoadBalancer']) {
      const out = applyAndCheck(files, pick(on(files), `Convert to ${type}`), { clean });
      assert.equal(out[FILE], CLUSTER_IP.replace('spec:\n  # pods of', `spec:\n  type: ${type}\n  # pods of`));
    }
  });

  it('ClusterIP -> headless: exact output', () => {
    const files = { [FILE]: CLUSTER_IP };
    const out = applyAndCheck(files, pick(on(files), /headless/), { clean });
    assert.equal(out[FILE], CLUSTER_IP.replace('spec:\n  # pods of', 'spec:\n  clusterIP: None\n  # pods of'));
  });

  it('LoadBalancer -> ClusterIP drops nodePorts and every LoadBalancer-only field: exact output', () => {
    const files = { [FILE]: LOAD_BALANCER };
    const rs = on(files);
    assert.deepEqual(titles(rs), ['Convert to ClusterIP', 'Convert to NodePort', 'Convert to headless Service (clusterIP: None)', 'Create an Ingress for this Service']);
    const out = applyAndCheck(files, pick(rs, 'Convert to ClusterIP'), { clean, removedComments: ['# fixed for the firewall'] });
    assert.equal(
      out[FILE],
      `${DEPLOY}---
apiVersion: v1
kind: Service
metadata:
  name: web
  annotations:
    example.com/owner: shop # kept
spec:
  type: ClusterIP # public entry
  # pods of the Deployment above
  selector:
    app: web
  ports:
    - name: http
      port: 80
      targetPort: http
`,
    );
  });

  it('LoadBalancer -> NodePort keeps nodePorts and externalTrafficPolicy, drops LoadBalancer-only fields', () => {
    const files = { [FILE]: LOAD_BALANCER };
    const out = applyAndCheck(files, pick(on(files), 'Convert to NodePort'), { clean });
    assert.equal(
      out[FILE],
      `${DEPLOY}---
apiVersion: v1
kind: Service
metadata:
  name: web
  annotations:
    example.com/owner: shop # kept
spec:
  type: NodePort # public entry
  externalTrafficPolicy: Local
  # pods of the Deployment above
  selector:
    app: web
  ports:
    - name: http
      port: 80
      targetPort: http
      nodePort: 30080 # fixed for the firewall
`,
    );
  });

  it('LoadBalancer -> headless sets type ClusterIP and clusterIP None', () => {
    const files = { [FILE]: LOAD_BALANCER };
    const out = applyAndCheck(files, pick(on(files), /headless/), { clean, removedComments: ['# fixed for the firewall'] });
    assert.match(out[FILE], /type: ClusterIP # public entry\n {2}clusterIP: None\n {2}# pods of/);
    assert.doesNotMatch(out[FILE], /nodePort|loadBalancer|externalTrafficPolicy|healthCheck/);
  });

  it('keeps externalTrafficPolicy when converting to ClusterIP with externalIPs', () => {
    const text = `${DEPLOY}---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  externalIPs: [192.0.2.10]
  externalTrafficPolicy: Cluster
  selector: {app: web}
  ports:
    - {name: http, port: 80, targetPort: http, nodePort: 30080}
`;
    const files = { [FILE]: text };
    const out = applyAndCheck(files, pick(on(files), 'Convert to ClusterIP'));
    assert.match(out[FILE], /externalTrafficPolicy: Cluster/);
    assert.match(out[FILE], /- \{name: http, port: 80, targetPort: http\}\n/);
  });

  it('headless -> ClusterIP, NodePort and LoadBalancer remove clusterIP: None', () => {
    const text = CLUSTER_IP.replace('spec:\n  # pods of', 'spec:\n  clusterIP: None # headless\n  clusterIPs: [None]\n  # pods of');
    const files = { [FILE]: text };
    const rs = on(files);
    assert.deepEqual(titles(rs).slice(0, 4), ['Convert to ClusterIP', 'Convert to NodePort', 'Convert to NodePort with nodePort 30000', 'Convert to LoadBalancer']);
    for (const r of rs.slice(0, 4)) {
      const out = applyAndCheck(files, r, { clean, removedComments: ['# headless'] });
      assert.doesNotMatch(out[FILE], /None/);
    }
    assert.equal(applyAndCheck(files, rs[0], { clean, removedComments: ['# headless'] })[FILE], CLUSTER_IP);
  });

  it('headless from a Service with a fixed clusterIP replaces the IP and drops clusterIPs', () => {
    const text = CLUSTER_IP.replace('spec:\n  # pods of', 'spec:\n  clusterIP: "10.96.0.20" # reserved\n  clusterIPs:\n    - 10.96.0.20\n  sessionAffinity: ClientIP\n  # pods of');
    const files = { [FILE]: text };
    const out = applyAndCheck(files, pick(on(files), /headless/), { clean });
    assert.match(out[FILE], /spec:\n {2}clusterIP: "None" # reserved\n {2}# pods of/);
  });

  it('removes a nodePort that opens a port item, and nodePorts in flow items', () => {
    const text = `apiVersion: v1
kind: Service
metadata:
  name: admin
spec:
  type: NodePort
  selector:
    app: admin
  ports:
    - nodePort: 30100
      port: 80 # admin UI
      name: http
    - {name: https, port: 443, nodePort: 30101}
`;
    const files = { [FILE]: text };
    const out = applyAndCheck(files, pick(on(files), 'Convert to ClusterIP'));
    assert.equal(
      out[FILE],
      `apiVersion: v1
kind: Service
metadata:
  name: admin
spec:
  type: ClusterIP
  selector:
    app: admin
  ports:
    - port: 80 # admin UI
      name: http
    - {name: https, port: 443}
`,
    );
  });

  it('picks nodePorts free in the conflict scope (nodePorts and healthCheckNodePorts of other Services, hostPorts in range)', () => {
    const other = `apiVersion: v1
kind: Service
metadata:
  name: other
  namespace: elsewhere # namespaces do not matter: nodePorts are cluster-wide
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  healthCheckNodePort: 30001
  selector: {app: other}
  ports:
    - port: 80
      nodePort: 30000
---
apiVersion: v1
kind: Pod
metadata:
  name: agent
spec:
  containers:
    - name: agent
      image: agent
      ports:
        - containerPort: 9100
          hostPort: 30002
`;
    const far = other.replace('name: other', 'name: far').replace('nodePort: 30000', 'nodePort: 30003').replace('healthCheckNodePort: 30001', 'healthCheckNodePort: 30004');
    const files = { [FILE]: CLUSTER_IP, 'k8s/other.yaml': other, 'elsewhere/far.yaml': far };
    assert.ok(titles(on(files)).includes('Convert to NodePort with nodePort 30003'));
    // with one scope for the whole workspace, far.yaml's ports count too
    assert.ok(titles(on(files, { config: { conflictScope: 'workspace' } })).includes('Convert to NodePort with nodePort 30005'));
    // a narrower node port range
    assert.ok(titles(on(files, { config: { nodePortRange: { min: 31000, max: 31010 } } })).includes('Convert to NodePort with nodePort 31000'));
  });

  it('gives ports with the same number one nodePort and the others distinct ones', () => {
    const text = `apiVersion: v1
kind: Service
metadata:
  name: dns
spec:
  selector:
    app: dns
  ports:
    - name: dns-udp
      port: 53
      protocol: UDP
    - name: dns-tcp
      port: 53
    - name: metrics
      port: 9153
`;
    const files = { [FILE]: text };
    const r = pick(on(files), 'Convert to NodePort with nodePorts 30000, 30001');
    const out = applyAndCheck(files, r);
    assert.deepEqual([...out[FILE].matchAll(/nodePort: (\d+)/g)].map((m) => Number(m[1])), [30000, 30000, 30001]);
  });

  it('does not offer conversions where they do not fit', () => {
    // a Deployment gets no Service conversions
    const files = { [FILE]: CLUSTER_IP };
    const onDeploy = refactorsOn(files, lineOf(CLUSTER_IP, 'kind: Deployment'));
    assert.ok(!titles(onDeploy).some((t) => t.startsWith('Convert')), JSON.stringify(titles(onDeploy)));
    // ExternalName: a DNS alias, nothing to convert
    const ext = `apiVersion: v1
kind: Service
metadata:
  name: billing
spec:
  type: ExternalName
  externalName: billing.example.com
`;
    assert.deepEqual(titles(on({ [FILE]: ext })), []);
    // a headless Service without ports can only stay headless
    const bare = `apiVersion: v1
kind: Service
metadata:
  name: peers
spec:
  clusterIP: None
  selector:
    app: db
`;
    assert.deepEqual(titles(on({ [FILE]: bare })), []);
    // NodePort is not offered on a NodePort Service
    const np = CLUSTER_IP.replace('spec:\n  # pods of', 'spec:\n  type: NodePort\n  # pods of');
    assert.deepEqual(titles(on({ [FILE]: np })).filter((t) => t.startsWith('Convert')), ['Convert to ClusterIP', 'Convert to LoadBalancer', 'Convert to headless Service (clusterIP: None)']);
  });

  it('is offered anywhere inside the Service document, including its leading comment', () => {
    const files = { [FILE]: CLUSTER_IP };
    for (const needle of ['# Reached inside', 'targetPort: http', 'app: web']) {
      const line = lineOf(CLUSTER_IP, needle, needle.startsWith('#') ? undefined : 'kind: Service');
      assert.ok(titles(refactorsOn(files, line)).includes('Convert to NodePort'), needle);
    }
    // the --- line opens the Service's document
    assert.ok(titles(refactorsOn(files, lineOf(CLUSTER_IP, '---'), { character: 0 })).includes('Convert to NodePort'));
  });

  it('keeps CRLF line endings', () => {
    const files = { [FILE]: toCrlf(LOAD_BALANCER) };
    for (const r of on(files).filter((x) => x.kind === 'refactor.rewrite')) {
      applyAndCheck(files, r, { clean, removedComments: ['# fixed for the firewall'] });
    }
    const np = applyAndCheck({ [FILE]: toCrlf(CLUSTER_IP) }, pick(on({ [FILE]: toCrlf(CLUSTER_IP) }), /with nodePort/), { clean });
    assert.equal(np[FILE], toCrlf(CLUSTER_IP.replace('spec:\n  # pods of', 'spec:\n  type: NodePort\n  # pods of').replace('      targetPort: http\n', '      targetPort: http\n      nodePort: 30000\n')));
  });

  it('works on a Service inside a List', () => {
    const text = `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Service
    metadata:
      name: web
    spec:
      selector:
        app: web
      ports:
        - port: 80
`;
    const files = { [FILE]: text };
    const line = lineOf(text, 'kind: Service');
    const out = applyAndCheck(files, pick(refactorsOn(files, line, { character: 6 }), 'Convert to LoadBalancer'));
    assert.match(out[FILE], /\n {4}spec:\n {6}type: LoadBalancer\n {6}selector:/);
  });
});
