import rule from '../../server/src/rules/ingress/ingress-class-annotation';
import { DEFAULT_CONFIG } from '../../server/src/index';
import { ruleTester } from '../rule-tester';

const ing = (annotations: string, specExtra = '') => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
${annotations}spec:
${specExtra}  # the storefront
  defaultBackend:
    service:
      name: web
      port:
        number: 80
`;

ruleTester(rule, {
  valid: [
    { name: 'spec.ingressClassName only', code: ing('', '  ingressClassName: nginx\n') },
    { name: 'keepClassAnnotation', code: ing('  annotations:\n    kubernetes.io/ingress.class: nginx\n'), config: { ingress: { ...DEFAULT_CONFIG.ingress, keepClassAnnotation: true } } },
    { name: 'GKE reads only the annotation (gce)', code: ing('  annotations:\n    kubernetes.io/ingress.class: gce\n') },
    { name: 'GKE internal', code: ing('  annotations:\n    kubernetes.io/ingress.class: "gce-internal"\n') },
    { name: 'disagreeing values are ingress-class-conflict', code: ing('  annotations:\n    kubernetes.io/ingress.class: traefik\n', '  ingressClassName: nginx\n') },
    { name: 'other annotations', code: ing('  annotations:\n    nginx.ingress.kubernetes.io/rewrite-target: /\n', '  ingressClassName: nginx\n') },
  ],
  invalid: [
    {
      name: 'only annotation: moved to spec, empty annotations map removed, comments kept',
      code: ing('  annotations:\n    kubernetes.io/ingress.class: nginx # public controller\n'),
      errors: [
        {
          message:
            'Ingress shop picks its controller with the deprecated kubernetes.io/ingress.class annotation ("nginx"); set spec.ingressClassName: nginx instead (the API server warns about the annotation).',
          line: 6,
          column: 5,
          endColumn: 32,
          severity: 'information',
          fixes: ['Move to spec.ingressClassName: nginx'],
        },
      ],
      fix: { output: ing('', '  ingressClassName: nginx\n') },
    },
    {
      name: 'other annotations stay',
      code: ing('  annotations:\n    nginx.ingress.kubernetes.io/ssl-redirect: "false"\n    kubernetes.io/ingress.class: "internal"\n'),
      errors: [{ line: 7, fixes: ['Move to spec.ingressClassName: internal'] }],
      fix: { output: ing('  annotations:\n    nginx.ingress.kubernetes.io/ssl-redirect: "false"\n', '  ingressClassName: internal\n') },
    },
    {
      name: 'both set and equal: the annotation is redundant',
      code: ing('  annotations:\n    kubernetes.io/ingress.class: nginx\n    team: shop\n', '  ingressClassName: nginx\n'),
      errors: [{ message: /repeats spec\.ingressClassName \(nginx\)/, fixes: ['Remove the redundant kubernetes.io/ingress.class annotation'] }],
      fix: { output: ing('  annotations:\n    team: shop\n', '  ingressClassName: nginx\n') },
    },
    {
      name: 'flow-style annotations, v1beta1 object',
      code: ing('  annotations: {kubernetes.io/ingress.class: nginx, team: shop}\n').replace('networking.k8s.io/v1', 'networking.k8s.io/v1beta1'),
      errors: [{ fixes: ['Move to spec.ingressClassName: nginx'] }],
      fix: { output: ing('  annotations: {team: shop}\n', '  ingressClassName: nginx\n').replace('networking.k8s.io/v1', 'networking.k8s.io/v1beta1') },
    },
    {
      name: 'a value that is not a valid class name: no fix',
      code: ing('  annotations:\n    kubernetes.io/ingress.class: Nginx_Public\n'),
      errors: [{ fixes: [] }],
    },
  ],
});
