import rule from '../../server/src/rules/ingress/ingress-pathtype-missing';
import { ruleTester } from '../rule-tester';

const ing = (paths: string, api = 'networking.k8s.io/v1') => `apiVersion: ${api}
kind: Ingress
metadata:
  name: shop
spec:
  ingressClassName: nginx
  rules:
    - host: shop.example.com
      http:
        paths:
${paths.replace(/^/gm, '          ')}
`;

const backend = `  backend:
    service:
      name: web
      port:
        number: 80`;

ruleTester(rule, {
  valid: [
    { name: 'every path has a pathType', code: ing(`- path: /\n  pathType: Prefix\n${backend}\n- path: /x\n  pathType: Exact\n${backend}`) },
    { name: 'v1beta1 defaulted pathType (ingress-deprecated-api reports the version)', code: ing(`- path: /\n  backend:\n    serviceName: web\n    servicePort: 80`, 'networking.k8s.io/v1beta1') },
    { name: 'defaultBackend only', code: 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: d\nspec:\n  defaultBackend:\n    service:\n      name: web\n      port:\n        number: 80\n' },
    { name: 'a pathType the API rejects is ingress-rule-invalid territory', code: ing(`- path: /\n  pathType: prefix\n${backend}`) },
  ],
  invalid: [
    {
      name: 'absolute path: Prefix preferred, inserted after path with comments kept',
      code: ing(`- path: /api # public API\n${backend} # storefront`),
      errors: [
        {
          message:
            'Path "/api" (host shop.example.com) in Ingress shop has no pathType, which networking.k8s.io/v1 requires: the API server rejects the Ingress. Prefix matches the path and everything below it, Exact only the path itself, ImplementationSpecific leaves it to the controller (e.g. regular expressions).',
          line: 11,
          column: 13,
          endColumn: 17,
          fixes: ['Add pathType: Prefix', 'Add pathType: Exact', 'Add pathType: ImplementationSpecific'],
        },
      ],
      fix: { output: ing(`- path: /api # public API\n  pathType: Prefix\n${backend} # storefront`) },
    },
    {
      name: 'regular-expression path: ImplementationSpecific preferred',
      code: ing(`- path: /api(/|$)(.*)\n${backend}`),
      errors: [{ fixes: ['Add pathType: Prefix', 'Add pathType: Exact', 'Add pathType: ImplementationSpecific'] }],
      fix: { output: ing(`- path: /api(/|$)(.*)\n  pathType: ImplementationSpecific\n${backend}`) },
    },
    {
      name: 'no path: only ImplementationSpecific is valid, key underlined',
      code: ing(`- backend:\n    service:\n      name: web\n      port:\n        number: 80`),
      errors: [{ message: /^A path \(host shop\.example\.com\)/, line: 11, column: 13, endColumn: 20, fixes: ['Add pathType: ImplementationSpecific'] }],
      fix: { output: ing(`- backend:\n    service:\n      name: web\n      port:\n        number: 80\n  pathType: ImplementationSpecific`) },
    },
    {
      name: 'path with // cannot be Prefix or Exact',
      code: ing(`- path: /a//b\n${backend}`),
      errors: [{ fixes: ['Add pathType: ImplementationSpecific'] }],
      fix: {},
    },
    {
      name: 'empty pathType value counts as missing; one finding per path',
      code: ing(`- path: /a\n  pathType:\n${backend}\n- path: /b\n${backend}\n- path: /c\n  pathType: Exact\n${backend}`),
      errors: [{ line: 11 }, { line: 18 }],
      fix: { output: ing(`- path: /a\n  pathType: Prefix\n${backend}\n- path: /b\n${backend}\n- path: /c\n  pathType: Exact\n${backend}`) },
    },
    {
      name: 'flow-style path item',
      code: ing(`- {path: /, backend: {service: {name: web, port: {number: 80}}}}`),
      errors: [{ fixes: ['Add pathType: Prefix', 'Add pathType: Exact', 'Add pathType: ImplementationSpecific'] }],
      fix: { output: ing(`- {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}`) },
    },
  ],
});
