import rule from '../../server/src/rules/ingress/ingress-backend-service-missing';
import { ruleTester } from '../rule-tester';

const svc = (name: string, ns = '', extra = '') => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
${ns ? `  namespace: ${ns}\n` : ''}spec:
${extra}  ports:
    - name: http
      port: 80
`;

const ing = (backend: string, ns = '') => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
${ns ? `  namespace: ${ns}\n` : ''}spec:
  ingressClassName: nginx
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: ${backend}
                port:
                  number: 80
`;

ruleTester(rule, {
  valid: [
    { name: 'Service exists in another file', files: { 'k8s/ing.yaml': ing('web'), 'k8s/svc.yaml': svc('web') } },
    { name: 'open world: no Service at all in the namespace', code: ing('web') },
    {
      name: 'AWS Load Balancer Controller action (port name use-annotation): the name is an action, not a Service',
      code: `${ing('redirect').replace('number: 80', 'name: use-annotation')}---\n${svc('web')}`,
    },
    { name: 'open world: Services only in other namespaces', code: `${ing('web', 'shop')}---\n${svc('api', 'other')}` },
    { name: 'ExternalName Service counts', code: `${ing('ext')}---\n${svc('ext', '', '  type: ExternalName\n  externalName: api.example.com\n')}` },
    {
      name: 'resource backend is never checked',
      code: `${svc('web')}---
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
    { name: 'satisfied by one of several variants', files: { 'base/ing.yaml': ing('web'), 'base/svc.yaml': svc('api'), 'prod/svc.yaml': svc('web') } },
    {
      name: 'legacy serviceName is looked up too',
      code: `${svc('web')}---
apiVersion: networking.k8s.io/v1beta1
kind: Ingress
metadata:
  name: old
spec:
  backend:
    serviceName: web
    servicePort: 80
`,
    },
  ],
  invalid: [
    {
      name: 'typo: fix renames to the closest Service, comment kept',
      files: { 'k8s/ing.yaml': ing('wbe # the storefront'), 'k8s/svc.yaml': `${svc('web')}---\n${svc('payments')}` },
      errors: [
        {
          message:
            'In Ingress shop, the backend for shop.example.com/ names Service "wbe", but namespace default has no Service of that name, so requests routed there fail (usually with a 503). Did you mean "web"?',
          line: 15,
          column: 23,
          endColumn: 26,
          file: 'k8s/ing.yaml',
          related: 1,
          fixes: ['Use Service web'],
          preferred: 'Use Service web',
        },
      ],
      fix: { output: { 'k8s/ing.yaml': ing('web # the storefront') } },
    },
    {
      name: 'several plausible candidates, closest first',
      code: `${ing('web-ap')}---\n${svc('web-api')}---\n${svc('web-app')}---\n${svc('database')}`,
      errors: [{ fixes: ['Use Service web-api', 'Use Service web-app'], preferred: 'Use Service web-api' }],
    },
    {
      name: 'a loose match is suggested but never applied unreviewed (kubernetes/website: service1 in a namespace with adservice)',
      code: `${ing('service1')}---\n${svc('adservice')}---\n${svc('my-service')}`,
      errors: [{ message: /Did you mean "adservice"\?$/, fixes: ['Use Service adservice', 'Use Service my-service'], preferred: null }],
    },
    {
      name: 'numbered siblings are no typos of each other',
      code: `${ing('web-1')}---\n${svc('web-2')}`,
      errors: [{ fixes: ['Use Service web-2'], preferred: null }],
    },
    {
      name: 'no close name: fixes offered, none preferred',
      code: `${ing('storefront')}---\n${svc('db')}`,
      errors: [{ message: /no Service of that name.*Services there: db\.$/, related: 0, fixes: ['Use Service db'], preferred: null }],
    },
    {
      name: 'namespaces are separate',
      code: `${ing('web', 'shop')}---\n${svc('web', 'other')}---\n${svc('api', 'shop')}`,
      errors: [{ message: /namespace shop has no Service/ }],
    },
    {
      name: 'default backend in v1beta1 form',
      code: `${svc('web')}---
apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: old
spec:
  backend:
    serviceName: webb
    servicePort: 80
`,
      errors: [{ message: /the default backend names Service "webb"/, line: 16, column: 18 }],
      fix: {},
    },
  ],
});
