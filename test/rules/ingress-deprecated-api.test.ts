import rule from '../../server/src/rules/ingress/ingress-deprecated-api';
import { ruleTester } from '../rule-tester';

const legacy = `# shop entry point
apiVersion: extensions/v1beta1 # old API
kind: Ingress
metadata:
  name: shop
  annotations:
    nginx.ingress.kubernetes.io/ssl-redirect: "true"
spec:
  # everything else goes to the storefront
  backend:
    serviceName: web # storefront
    servicePort: 80
  rules:
    - host: shop.example.com
      http:
        paths:
          # the API
          - path: /api
            backend:
              serviceName: api   # backend team
              servicePort: http  # named port
          - path: /static
            pathType: Prefix
            backend:
              serviceName: web
              servicePort: 8080
`;

const migrated = `# shop entry point
apiVersion: networking.k8s.io/v1 # old API
kind: Ingress
metadata:
  name: shop
  annotations:
    nginx.ingress.kubernetes.io/ssl-redirect: "true"
spec:
  # everything else goes to the storefront
  defaultBackend:
    service:
      name: web # storefront
      port:
        number: 80
  rules:
    - host: shop.example.com
      http:
        paths:
          # the API
          - path: /api
            pathType: ImplementationSpecific
            backend:
              service:
                name: api   # backend team
                port:
                  name: http  # named port
          - path: /static
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 8080
`;

ruleTester(rule, {
  valid: [
    { name: 'networking.k8s.io/v1', code: migrated },
    { name: 'IngressClass is another kind', code: 'apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: nginx\nspec:\n  controller: k8s.io/ingress-nginx\n' },
  ],
  invalid: [
    {
      name: 'extensions/v1beta1: one fix migrates everything, comments kept',
      code: legacy,
      errors: [
        {
          message:
            'Ingress shop uses apiVersion extensions/v1beta1, which Kubernetes 1.22 and later no longer serve: the API server refuses it. Use networking.k8s.io/v1 (backends become service.name and service.port, and every path needs a pathType).',
          line: 2,
          column: 13,
          endColumn: 31,
          severity: 'error',
          fixes: ['Migrate to networking.k8s.io/v1'],
        },
      ],
      fix: { output: migrated },
    },
    {
      name: 'networking.k8s.io/v1beta1, 4-space indentation, quoted numeric servicePort',
      code: `apiVersion: networking.k8s.io/v1beta1
kind: Ingress
metadata:
    name: api
spec:
    rules:
        -   http:
                paths:
                    -   path: /
                        backend:
                            serviceName: api
                            servicePort: "8080"
`,
      errors: [{ line: 1, column: 13 }],
      fix: {
        output: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
    name: api
spec:
    rules:
        -   http:
                paths:
                    -   path: /
                        pathType: ImplementationSpecific
                        backend:
                            service:
                                name: api
                                port:
                                    number: 8080
`,
      },
    },
    {
      name: 'flow-style backends and path items, servicePort before serviceName',
      code: `apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: flow
spec:
  rules:
    - http:
        paths:
          - {path: /a, backend: {serviceName: a, servicePort: 80}}
          - path: /b
            backend: {serviceName: b, servicePort: web}
          - backend:
              servicePort: 81 # port first
              serviceName: c
`,
      errors: [{}],
      fix: {
        output: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: flow
spec:
  rules:
    - http:
        paths:
          - {path: /a, pathType: ImplementationSpecific, backend: { service: { name: a, port: { number: 80 } } }}
          - path: /b
            pathType: ImplementationSpecific
            backend: { service: { name: b, port: { name: web } } }
          - backend:
              service:
                port:
                  number: 81 # port first
                name: c
            pathType: ImplementationSpecific
`,
      },
    },
    {
      name: 'resource backends stay as they are',
      code: `apiVersion: networking.k8s.io/v1beta1
kind: Ingress
metadata:
  name: bucket
spec:
  backend:
    resource:
      apiGroup: k8s.example.com
      kind: StorageBucket
      name: static-assets
`,
      errors: [{}],
      fix: {
        output: `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: bucket
spec:
  defaultBackend:
    resource:
      apiGroup: k8s.example.com
      kind: StorageBucket
      name: static-assets
`,
      },
    },
  ],
});
