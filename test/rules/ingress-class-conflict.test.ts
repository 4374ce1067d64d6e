import rule from '../../server/src/rules/ingress/ingress-class-conflict';
import { ruleTester } from '../rule-tester';

const ing = (annotations: string, specExtra = '') => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
${annotations}spec:
${specExtra}  defaultBackend:
    service:
      name: web
      port:
        number: 80
`;

ruleTester(rule, {
  valid: [
    { name: 'equal values', code: ing('  annotations:\n    kubernetes.io/ingress.class: nginx\n', '  ingressClassName: nginx\n') },
    { name: 'annotation only', code: ing('  annotations:\n    kubernetes.io/ingress.class: nginx\n') },
    { name: 'field only', code: ing('', '  ingressClassName: nginx\n') },
    { name: 'null field is unset', code: ing('  annotations:\n    kubernetes.io/ingress.class: nginx\n', '  ingressClassName:\n') },
  ],
  invalid: [
    {
      name: 'different values',
      code: ing('  annotations:\n    kubernetes.io/ingress.class: traefik\n', '  ingressClassName: nginx\n'),
      errors: [
        {
          message:
            'Ingress shop names two different classes: annotation kubernetes.io/ingress.class is "traefik" but spec.ingressClassName is "nginx". The API server refuses to create it; keep spec.ingressClassName and remove the annotation (or make them equal).',
          line: 6,
          column: 34,
          endColumn: 41,
          severity: 'error',
          related: 1,
        },
      ],
    },
    {
      name: 'an empty annotation still counts as set',
      code: ing('  annotations:\n    kubernetes.io/ingress.class: ""\n', '  ingressClassName: nginx\n'),
      errors: [{ message: /annotation kubernetes\.io\/ingress\.class is "" but/ }],
    },
  ],
});
