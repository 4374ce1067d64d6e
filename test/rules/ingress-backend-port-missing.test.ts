import rule from '../../server/src/rules/ingress/ingress-backend-port-missing';
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

const unnamedSvc = `apiVersion: v1
kind: Service
metadata:
  name: api
spec:
  selector:
    app: api
  ports:
    - port: 8000
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

const ing = (service: string, port: string) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
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
                name: ${service}
                port:
${port.replace(/^/gm, '                  ')}
`;

ruleTester(rule, {
  valid: [
    { name: 'port number of the Service', code: `${svc}---\n${ing('web', 'number: 80')}` },
    { name: 'port name of the Service', code: `${svc}---\n${ing('web', 'name: metrics')}` },
    {
      name: 'AWS Load Balancer Controller action: port name use-annotation routes to an annotation (argo-rollouts ALB example)',
      code: `${svc}---\n${ing('web', 'name: use-annotation')}`,
    },
    { name: 'unnamed single port by number', code: `${unnamedSvc}---\n${ing('api', 'number: 8000')}` },
    { name: 'Service not in the input set (service-missing territory)', code: ing('web', 'number: 8080') },
    { name: 'missing Service is not this rule', code: `${unnamedSvc}---\n${ing('web', 'number: 8080')}` },
    {
      name: 'ExternalName Service without ports: the backend port is used as is',
      code: `apiVersion: v1\nkind: Service\nmetadata:\n  name: ext\nspec:\n  type: ExternalName\n  externalName: api.example.com\n---\n${ing('ext', 'number: 443')}`,
    },
    { name: 'both name and number set is ingress-rule-invalid territory', code: `${svc}---\n${ing('web', 'name: nope\nnumber: 1234')}` },
    {
      name: 'satisfied by one of several variants',
      files: { 'base/svc.yaml': svc, 'prod/svc.yaml': svc.replace('port: 9090', 'port: 9091'), 'base/ing.yaml': ing('web', 'number: 9091') },
    },
    {
      name: 'resource backend is never checked',
      code: `${svc}---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: static
spec:
  defaultBackend:
    resource:
      apiGroup: k8s.example.com
      kind: StorageBucket
      name: static-assets
`,
    },
    {
      name: 'legacy servicePort name matches',
      code: `${svc}---\napiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: old\nspec:\n  backend:\n    serviceName: web\n    servicePort: http\n`,
    },
  ],
  invalid: [
    {
      name: 'container port (targetPort) instead of the Service port; fix keeps the comment',
      files: { 'k8s/svc.yaml': svc, 'k8s/ing.yaml': ing('web', 'number: 8080 # the app port') },
      errors: [
        {
          message:
            'In Ingress shop, the backend for shop.example.com/ uses port 8080 of Service web, which has no such port (its ports: 80 (http), 9090 (metrics)). 8080 is the targetPort of Service port 80: use the Service port 80, not the container port 8080.',
          line: 17,
          column: 27,
          endColumn: 31,
          file: 'k8s/ing.yaml',
          related: 1,
          fixes: ['Use Service port 80 (http)', 'Use Service port 9090 (metrics)'],
        },
      ],
      fix: { output: { 'k8s/ing.yaml': ing('web', 'number: 80 # the app port') } },
    },
    {
      name: 'nodePort instead of the Service port',
      code: `${svc}---\n${ing('web', 'number: 30080')}`,
      errors: [{ message: /30080 is the nodePort of Service port 80/, fixes: ['Use Service port 80 (http)', 'Use Service port 9090 (metrics)'] }],
      fix: {},
    },
    {
      name: 'container port behind a named targetPort',
      code: `${svc}---\n${deploy}---\n${ing('web', 'number: 9100')}`,
      errors: [{ message: /9100 is container port "metrics", which Service port 9090 targets by name/, fixes: ['Use Service port 9090 (metrics)', 'Use Service port 80 (http)'] }],
      fix: {},
    },
    {
      name: 'port name typo',
      code: `${svc}---\n${ing('web', 'name: metric')}`,
      errors: [{ message: /has no port of that name .*Did you mean "metrics"\?$/, fixes: ['Use Service port "metrics" (9090)', 'Use Service port "http" (80)'] }],
      fix: { output: `${svc}---\n${ing('web', 'name: metrics')}` },
    },
    {
      name: 'container port name instead of the Service port name',
      code: `${svc}---\n${deploy}---\n${ing('web', 'name: web')}`,
      errors: [{ message: /"web" names container port 8080, which Service port 80 \(http\) targets: name the Service port \("http"\)/ }],
      fix: { output: `${svc}---\n${deploy}---\n${ing('web', 'name: http')}` },
    },
    {
      name: 'name for an unnamed Service port: fix switches the key to number',
      code: `${unnamedSvc}---\n${ing('api', 'name: http # by name')}`,
      errors: [{ message: /Its ports have no names: refer to them by number\.$/, fixes: ['Use Service port 8000'] }],
      fix: { output: `${unnamedSvc}---\n${ing('api', 'number: 8000 # by name')}` },
    },
    {
      name: 'a Service port name that is not a valid IANA name is offered by number',
      code: `${svc.replace('name: metrics', 'name: metrics-for-prometheus')}---\n${ing('web', 'name: metrics')}`,
      errors: [{ fixes: ['Use Service port 9090 (metrics-for-prometheus)', 'Use Service port "http" (80)'] }],
      fix: { output: `${svc.replace('name: metrics', 'name: metrics-for-prometheus')}---\n${ing('web', 'number: 9090')}` },
    },
    {
      name: 'legacy servicePort',
      code: `${svc}---\napiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: old\nspec:\n  backend:\n    serviceName: web\n    servicePort: 8080\n`,
      errors: [{ message: /the default backend uses port 8080 of Service web/, line: 25, column: 18 }],
      fix: { output: `${svc}---\napiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: old\nspec:\n  backend:\n    serviceName: web\n    servicePort: 80\n` },
    },
  ],
});
