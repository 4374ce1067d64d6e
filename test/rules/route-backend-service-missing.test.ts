import rule from '../../server/src/rules/route/route-backend-service-missing';
import { ruleTester } from '../rule-tester';

const svc = (name: string, namespace?: string, port = 80) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
${namespace ? `  namespace: ${namespace}\n` : ''}spec:
  selector:
    app: ${name}
  ports:
    - name: http
      port: ${port}
`;

/** An HTTPRoute whose first rule has the given backendRefs (YAML list items, indented here). */
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
    { name: 'Service in the same file', code: `${svc('catalog')}---\n${route('- name: catalog\n  port: 80')}` },
    { name: 'Service in another file', files: { 'k8s/route.yaml': route('- name: catalog\n  port: 80'), 'k8s/svc.yaml': svc('catalog') } },
    { name: 'no Service at all in the namespace: the Services come from elsewhere (open world)', code: route('- name: catalog\n  port: 80') },
    {
      name: 'cross-namespace ref to a Service that exists there',
      code: `${svc('catalog', 'shop')}---\n${svc('other')}---\n${route('- name: catalog\n  namespace: shop\n  port: 80')}`,
    },
    {
      name: 'a ref to another kind is not a Service ref',
      code: `${svc('web')}---\n${route('- group: example.com\n  kind: Bucket\n  name: assets')}`,
    },
    {
      name: 'an HTTPRoute of another API group is something else',
      code: `${svc('web')}---\n${route('- name: catalog\n  port: 80', 'HTTPRoute', 'example.com/v1')}`,
    },
    { name: 'satisfied by one of several variants', files: { 'base/route.yaml': route('- name: web\n  port: 80'), 'base/svc.yaml': svc('api'), 'prod/svc.yaml': svc('web') } },
  ],
  invalid: [
    {
      name: 'typo: the fix renames it, keeping the comment',
      files: { 'k8s/route.yaml': route('- name: catlog # the shop\n  port: 80'), 'k8s/svc.yaml': `${svc('catalog')}---\n${svc('payments')}` },
      errors: [
        {
          message:
            'In HTTPRoute shop, spec.rules[0].backendRefs[0] names Service "catlog", but namespace default has no Service of that name: the reference does not resolve (ResolvedRefs False, BackendNotFound) and the requests the route sends to it get HTTP 500. Did you mean "catalog"?',
          line: 10,
          column: 17,
          endColumn: 23,
          file: 'k8s/route.yaml',
          related: 1,
          fixes: ['Use Service catalog'],
          preferred: 'Use Service catalog',
        },
      ],
      fix: { output: { 'k8s/route.yaml': route('- name: catalog # the shop\n  port: 80') } },
    },
    {
      name: 'the ref namespace is where the Service is looked for',
      code: `${svc('catalog')}---\n${svc('payments', 'billing')}---\n${route('- name: catalog\n  namespace: billing\n  port: 80')}`,
      errors: [{ message: /names Service "catalog", but namespace billing has no Service of that name/, fixes: ['Use Service payments'], preferred: null }],
    },
    {
      name: 'no close name: every Service is offered, those with the port first, none preferred',
      code: `${svc('alpha', undefined, 8080)}---\n${svc('beta', undefined, 9000)}---\n${route('- name: zzz\n  port: 9000')}`,
      errors: [{ message: /has no Service of that name: .* Services there: alpha, beta\.$/, fixes: ['Use Service beta', 'Use Service alpha'], preferred: null }],
    },
    {
      name: 'names differing only in digits are offered, never preferred',
      code: `${svc('web-1')}---\n${route('- name: web-2\n  port: 80')}`,
      errors: [{ fixes: ['Use Service web-1'], preferred: null }],
    },
    {
      name: 'TCPRoute (v1alpha2): the connections fail',
      code: `${svc('db')}---\n${route('- name: dbb\n  port: 80', 'TCPRoute', 'gateway.networking.k8s.io/v1alpha2')}`,
      errors: [{ message: /^In TCPRoute shop, .* and the connections the route sends to it fail\. Did you mean "db"\?$/ }],
    },
    {
      name: 'GRPCRoute, second backendRef of a weighted split',
      code: `${svc('api-v1')}---\n${svc('api-v2')}---\n${route('- name: api-v1\n  port: 80\n  weight: 90\n- name: api-v3\n  port: 80\n  weight: 10', 'GRPCRoute')}`,
      errors: [{ message: /^In GRPCRoute shop, spec\.rules\[0\]\.backendRefs\[1\] names Service "api-v3".* the calls the route sends to it fail\./, line: 35 }],
    },
  ],
});
