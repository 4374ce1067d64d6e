import rule from '../../server/src/rules/route/route-backend-port-missing';
import { ruleTester } from '../rule-tester';

const svc = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector:
    app: web
  ports:
    - name: http
      port: 80
      targetPort: 8080
      nodePort: 30080
    - name: metrics
      port: 9090
      targetPort: metrics
`;

const single = `apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector:
    app: api
  ports:
    - name: grpc
      port: 9000
      targetPort: 9000
`;

const deploy = `apiVersion: apps/v1
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
            - name: web
              containerPort: 8080
            - name: metrics
              containerPort: 9100
`;

const route = (refs: string, kind = 'HTTPRoute', apiVersion = 'gateway.networking.k8s.io/v1') => `apiVersion: ${apiVersion}
kind: ${kind}
metadata:
  name: shop
spec:
  parentRefs:
    - name: public
  rules:
    - backendRefs:
${refs.replace(/^/gm, '        ')}
`;

ruleTester(rule, {
  valid: [
    { name: 'the Service port', code: `${svc}---\n${route('- name: web\n  port: 80')}` },
    { name: 'the other Service port', code: `${svc}---\n${route('- name: web\n  port: 9090')}` },
    { name: 'Service not in the input set: its ports are unknown', code: route('- name: web\n  port: 8080') },
    {
      name: 'ExternalName Service without ports: the port is used as is',
      code: `apiVersion: v1\nkind: Service\nmetadata:\n  name: ext\nspec:\n  type: ExternalName\n  externalName: api.example.com\n---\n${route('- name: ext\n  port: 443')}`,
    },
    {
      name: 'satisfied by one of several variants',
      files: { 'base/svc.yaml': svc, 'prod/svc.yaml': svc.replace('port: 9090', 'port: 9091'), 'base/route.yaml': route('- name: web\n  port: 9091') },
    },
    { name: 'a ref to another kind needs no port', code: `${svc}---\n${route('- group: example.com\n  kind: Bucket\n  name: assets')}` },
    {
      name: 'cross-namespace: the Service of the ref namespace',
      code: `${svc.replace('name: web\n', 'name: web\n  namespace: other\n')}---\n${route('- name: web\n  namespace: other\n  port: 9090')}`,
    },
  ],
  invalid: [
    {
      name: 'container port (targetPort) instead of the Service port; the fix keeps the comment',
      files: { 'k8s/svc.yaml': svc, 'k8s/route.yaml': route('- name: web\n  port: 8080 # the app port') },
      errors: [
        {
          message:
            'In HTTPRoute shop, spec.rules[0].backendRefs[0] uses port 8080 of Service web, which has no such port (its ports: 80 (http), 9090 (metrics)): the reference does not resolve and the requests the route sends to it get HTTP 500. 8080 is the targetPort of Service port 80: use the Service port 80, not the container port 8080.',
          line: 11,
          column: 17,
          endColumn: 21,
          file: 'k8s/route.yaml',
          severity: 'warning',
          related: 1,
          fixes: ['Use Service port 80 (http)', 'Use Service port 9090 (metrics)'],
          preferred: 'Use Service port 80 (http)',
        },
      ],
      fix: { output: { 'k8s/route.yaml': route('- name: web\n  port: 80 # the app port') } },
    },
    {
      name: 'nodePort instead of the Service port',
      code: `${svc}---\n${route('- name: web\n  port: 30080')}`,
      errors: [{ message: /30080 is the nodePort of Service port 80/, preferred: 'Use Service port 80 (http)' }],
      fix: {},
    },
    {
      name: 'container port behind a named targetPort',
      code: `${svc}---\n${deploy}---\n${route('- name: web\n  port: 9100')}`,
      errors: [{ message: /9100 is container port "metrics", which Service port 9090 targets by name/, fixes: ['Use Service port 9090 (metrics)', 'Use Service port 80 (http)'] }],
      fix: {},
    },
    {
      name: 'an unrelated port: fixes offered, none preferred',
      code: `${svc}---\n${route('- name: web\n  port: 81')}`,
      errors: [{ message: /A backendRef names the Service's own port/, fixes: ['Use Service port 80 (http)', 'Use Service port 9090 (metrics)'], preferred: null }],
    },
    {
      name: 'an unrelated port of a one-port Service: its port is preferred',
      code: `${single}---\n${route('- name: api\n  port: 9001', 'GRPCRoute')}`,
      errors: [{ message: /the calls the route sends to it fail/, preferred: 'Use Service port 9000 (grpc)' }],
      fix: { output: `${single}---\n${route('- name: api\n  port: 9000', 'GRPCRoute')}` },
    },
    {
      name: 'no port: refused by the API server; the fix adds the only port',
      code: `${single}---\n${route('- name: api\n  weight: 1')}`,
      errors: [
        {
          message:
            'In HTTPRoute shop, spec.rules[0].backendRefs[0] names Service "api" without a port: the API server refuses the HTTPRoute ("Must have port for Service reference"). Give the Service\'s port number. The ports of Service api: 9000 (grpc).',
          severity: 'error',
          line: 22,
          column: 11,
          endColumn: 15,
          fixes: ['Add port 9000 (grpc) of Service api'],
          preferred: 'Add port 9000 (grpc) of Service api',
        },
      ],
      fix: { output: `${single}---\n${route('- name: api\n  weight: 1\n  port: 9000')}` },
    },
    {
      name: 'no port, Service unknown: still refused, no fix',
      code: route('- name: api'),
      errors: [{ message: /without a port: the API server refuses the HTTPRoute .*Give the Service's port number\.$/, severity: 'error', fixes: [] }],
    },
    {
      name: 'no port on a Service of several ports: each is offered, none preferred',
      code: `${svc}---\n${route('- name: web')}`,
      errors: [{ fixes: ['Add port 80 (http) of Service web', 'Add port 9090 (metrics) of Service web'], preferred: null }],
    },
    {
      name: 'port by name (the Ingress habit): refused; the fix writes its number',
      code: `${svc}---\n${route('- name: web\n  port: metrics')}`,
      errors: [
        {
          message:
            'In HTTPRoute shop, spec.rules[0].backendRefs[0] has port "metrics", which the API server refuses: a backendRef port is a number from 1 to 65535, and a route cannot name a Service port by its name. The port "metrics" of Service web is number 9090.',
          severity: 'error',
          preferred: 'Use Service port 9090 (metrics)',
        },
      ],
      fix: { output: `${svc}---\n${route('- name: web\n  port: 9090')}` },
    },
    {
      name: 'a quoted number: the fix writes it plain',
      code: `${svc}---\n${route('- name: web\n  port: "80"')}`,
      errors: [{ message: /has port "80", which the API server refuses: a backendRef port is a number from 1 to 65535\. Write 80 without quotes\.$/, severity: 'error' }],
      fix: { output: `${svc}---\n${route('- name: web\n  port: 80')}` },
    },
    {
      name: 'out of range',
      code: route('- name: web\n  port: 70000'),
      errors: [{ message: /has port 70000, which the API server refuses/, severity: 'error' }],
    },
    {
      name: 'TCPRoute to a cross-namespace Service without that port',
      code: `${single.replace('name: api\n', 'name: api\n  namespace: data\n')}---\n${route('- name: api\n  namespace: data\n  port: 5432', 'TCPRoute', 'gateway.networking.k8s.io/v1alpha2')}`,
      errors: [{ message: /^In TCPRoute shop, .*uses port 5432 of Service api.* the connections the route sends to it fail\./ }],
    },
  ],
});
