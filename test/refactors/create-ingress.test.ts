// "Create an Ingress for this Service".
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyAndCheck, FILE, lineOf, pick, refactorsOn, titles, toCrlf, type Files } from './helpers';

const APP = `# Shop frontend.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
  namespace: shop
spec:
  selector:
    matchLabels:
      app: shop
  template:
    metadata:
      labels:
        app: shop
    spec:
      containers:
        - name: shop
          image: shop:2.1 # release 2.1
          ports:
            - name: metrics
              containerPort: 9090
            - name: web
              containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: shop
  namespace: shop # the team's namespace
spec:
  selector:
    app: shop
  ports:
    - name: metrics # scraped by Prometheus
      port: 9090
      targetPort: metrics
    - name: web
      port: 80
      targetPort: web
`;

const CLASSES = `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
  annotations:
    ingressclass.kubernetes.io/is-default-class: "true"
spec:
  controller: k8s.io/ingress-nginx
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: traefik
spec:
  controller: traefik.io/ingress-controller
`;

const TITLE = 'Create an Ingress for this Service';
const on = (files: Files, opts: Parameters<typeof refactorsOn>[2] = {}) => refactorsOn(files, lineOf(files[opts.uri ?? FILE], 'kind: Service'), opts);
const clean = [
  { kind: 'Service', name: 'shop' },
  { kind: 'Ingress', name: 'shop' },
];

describe('refactors: create an Ingress for a Service', () => {
  it('appends a v1 Ingress for the HTTP-looking port, in the Service namespace, with the default IngressClass: exact output', () => {
    const files = { [FILE]: APP, 'cluster/classes.yaml': CLASSES };
    const r = pick(on(files), TITLE);
    assert.equal(r.kind, 'refactor.extract');
    const out = applyAndCheck(files, r, { clean });
    const ingress = `---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
spec:
  ingressClassName: nginx
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: shop
                port:
                  name: web
`;
    assert.equal(out[FILE], APP + ingress);
    // the snippet is the same text with the host as a tab stop
    assert.deepEqual(r.snippet?.range, r.edits[0].range);
    assert.equal(r.snippet?.newText, ingress.replace('host: shop.example.com', 'host: ${1:shop.example.com}'));
  });

  it('uses the only IngressClass when none is the default, and none when several are', () => {
    const one = CLASSES.split('---\n')[1];
    let out = applyAndCheck({ [FILE]: APP, 'cluster/classes.yaml': one }, pick(on({ [FILE]: APP, 'cluster/classes.yaml': one }), TITLE), { clean });
    assert.match(out[FILE], /ingressClassName: traefik/);
    const none = CLASSES.replace(/ {2}annotations:\n.*\n/, '');
    out = applyAndCheck({ [FILE]: APP, 'cluster/classes.yaml': none }, pick(on({ [FILE]: APP, 'cluster/classes.yaml': none }), TITLE), { clean });
    assert.doesNotMatch(out[FILE], /ingressClassName/);
  });

  it('targets the port by number when it has no usable name, and picks 80/8080/443 before others', () => {
    const text = `apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector:
    app: api
  ports:
    - port: 8080`;
    const files = { [FILE]: text };
    const out = applyAndCheck(files, pick(on(files), TITLE), { clean: [{ kind: 'Ingress', name: 'api' }] });
    // no trailing line break before: one is added ahead of ---
    assert.ok(out[FILE].startsWith(`${text}\n---\napiVersion: networking.k8s.io/v1\n`));
    assert.match(out[FILE], /port:\n {18}number: 8080\n$/);
    assert.doesNotMatch(out[FILE], /namespace/);

    const grpc = `apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector:
    app: api
  ports:
    - name: grpc
      port: 9000
    - name: dns
      port: 53
      protocol: UDP
    - name: tls
      port: 443
`;
    const out2 = applyAndCheck({ [FILE]: grpc }, pick(on({ [FILE]: grpc }), TITLE));
    assert.match(out2[FILE], /port:\n {18}name: tls\n$/);
  });

  it('follows the document style: compact sequences, 4-space indentation', () => {
    const text = `apiVersion: v1
kind: Service
metadata:
    name: api
spec:
    selector:
        app: api
    ports:
    - name: http
      port: 80
`;
    const out = applyAndCheck({ [FILE]: text }, pick(on({ [FILE]: text }), TITLE));
    assert.equal(
      out[FILE].slice(text.length),
      `---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
    name: api
spec:
    rules:
    - host: api.example.com
      http:
          paths:
          - path: /
            pathType: Prefix
            backend:
                service:
                    name: api
                    port:
                        name: http
`,
    );
  });

  it('avoids an Ingress name already taken in the namespace', () => {
    const taken = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
spec:
  defaultBackend:
    service:
      name: shop
      port:
        name: web
`;
    const files = { [FILE]: APP, 'k8s/ingress.yaml': taken };
    const out = applyAndCheck(files, pick(on(files), TITLE), { clean: [{ kind: 'Ingress', name: 'shop-ingress' }] });
    assert.match(out[FILE], /name: shop-ingress\n {2}namespace: shop\n/);
  });

  it('keeps CRLF line endings', () => {
    const files = { [FILE]: toCrlf(APP) };
    const out = applyAndCheck(files, pick(on(files), TITLE), { clean });
    assert.ok(out[FILE].endsWith('name: web\r\n'));
  });

  it('is not offered for ExternalName Services, Services without ports, or other kinds', () => {
    const ext = `apiVersion: v1
kind: Service
metadata:
  name: billing
spec:
  type: ExternalName
  externalName: billing.example.com
`;
    assert.ok(!titles(on({ [FILE]: ext })).includes(TITLE));
    const udp = `apiVersion: v1
kind: Service
metadata:
  name: dns
spec:
  selector: {app: dns}
  ports:
    - port: 53
      protocol: UDP
`;
    assert.ok(!titles(on({ [FILE]: udp })).includes(TITLE));
    assert.ok(!titles(refactorsOn({ [FILE]: APP }, lineOf(APP, 'kind: Deployment'))).includes(TITLE));
  });
});
