import rule from '../../server/src/rules/ingress/ingress-class-unknown';
import { ruleTester } from '../rule-tester';

const cls = (name: string) => `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: ${name}
spec:
  controller: k8s.io/${name}
`;

const ing = (annotations: string, specExtra = '', ns = '') => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
${ns ? `  namespace: ${ns}\n` : ''}${annotations}spec:
${specExtra}  defaultBackend:
    service:
      name: web
      port:
        number: 80
`;

ruleTester(rule, {
  valid: [
    { name: 'known class in another folder (cluster-scoped)', files: { 'apps/ing.yaml': ing('', '  ingressClassName: nginx\n', 'shop'), 'cluster/classes.yaml': cls('nginx') } },
    { name: 'open world: no IngressClass in the input set', code: ing('', '  ingressClassName: whatever\n') },
    { name: 'no class at all (the default class applies)', code: `${ing('')}---\n${cls('nginx')}` },
    { name: 'known class by annotation', code: `${ing('  annotations:\n    kubernetes.io/ingress.class: nginx\n')}---\n${cls('nginx')}` },
    { name: 'GKE annotation classes need no IngressClass', code: `${ing('  annotations:\n    kubernetes.io/ingress.class: gce\n')}---\n${cls('nginx')}` },
  ],
  invalid: [
    {
      name: 'typo in ingressClassName',
      code: `${ing('', '  ingressClassName: ngnix # public\n')}---\n${cls('nginx')}---\n${cls('traefik')}`,
      errors: [
        {
          message: 'Ingress shop uses class "ngnix", but no IngressClass of that name is defined (known: nginx, traefik), so no controller may pick it up. Did you mean "nginx"?',
          line: 6,
          column: 21,
          endColumn: 26,
          severity: 'information',
          related: 1,
          fixes: ['Use IngressClass nginx', 'Use IngressClass traefik'],
          preferred: 'Use IngressClass nginx',
        },
      ],
      fix: { output: `${ing('', '  ingressClassName: nginx # public\n')}---\n${cls('nginx')}---\n${cls('traefik')}` },
    },
    {
      name: 'annotation only',
      code: `${ing('  annotations:\n    kubernetes.io/ingress.class: "internal"\n')}---\n${cls('internal-nginx')}`,
      // suggested, but "internal" is no typo of "internal-nginx": not applied unreviewed
      errors: [{ line: 6, column: 34, fixes: ['Use IngressClass internal-nginx'], preferred: null }],
      fix: { title: 'Use IngressClass internal-nginx', output: `${ing('  annotations:\n    kubernetes.io/ingress.class: "internal-nginx"\n')}---\n${cls('internal-nginx')}` },
    },
    {
      name: 'annotation and field equal: both change together',
      code: `${ing('  annotations:\n    kubernetes.io/ingress.class: ngnix\n', '  ingressClassName: ngnix\n')}---\n${cls('nginx')}`,
      errors: [{ line: 8, fixes: ['Use IngressClass nginx'] }],
      fix: { output: `${ing('  annotations:\n    kubernetes.io/ingress.class: nginx\n', '  ingressClassName: nginx\n')}---\n${cls('nginx')}` },
    },
  ],
});
