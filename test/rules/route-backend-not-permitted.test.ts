import rule from '../../server/src/rules/route/route-backend-not-permitted';
import { ruleTester } from '../rule-tester';

const svc = (name: string, namespace: string) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  selector:
    app: ${name}
  ports:
    - port: 8080
`;

const route = (refs: string, kind = 'HTTPRoute', apiVersion = 'gateway.networking.k8s.io/v1') => `apiVersion: ${apiVersion}
kind: ${kind}
metadata:
  name: shop
  namespace: web
spec:
  parentRefs:
    - name: public
  rules:
    - backendRefs:
${refs.replace(/^/gm, '        ')}
`;

/** A ReferenceGrant in namespace data; `from` and `to` are YAML list items. */
const grant = (from: string, to: string, name = 'allow-web') => `apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata:
  name: ${name}
  namespace: data
spec:
  from:
${from.replace(/^/gm, '    ')}
  to:
${to.replace(/^/gm, '    ')}
`;

const FROM_WEB = '- group: gateway.networking.k8s.io\n  kind: HTTPRoute\n  namespace: web';
const TO_SERVICES = '- group: ""\n  kind: Service';
const REF = '- name: api\n  namespace: data\n  port: 8080';

ruleTester(rule, {
  valid: [
    { name: 'a grant for every Service of the namespace', code: `${svc('api', 'data')}---\n${grant(FROM_WEB, TO_SERVICES)}---\n${route(REF)}` },
    { name: 'a grant naming this Service', code: `${svc('api', 'data')}---\n${grant(FROM_WEB, `${TO_SERVICES}\n  name: api`)}---\n${route(REF)}` },
    { name: 'the same namespace needs no grant', code: `${svc('api', 'web')}---\n${route('- name: api\n  namespace: web\n  port: 8080')}` },
    { name: 'a ref without namespace is the route namespace', code: `${svc('api', 'web')}---\n${route('- name: api\n  port: 8080')}` },
    { name: 'the Service is not in the files: that namespace is not part of the input', code: route(REF) },
    {
      name: 'one of several grants allows it',
      code: `${svc('api', 'data')}---\n${grant('- group: gateway.networking.k8s.io\n  kind: GRPCRoute\n  namespace: web', TO_SERVICES, 'grpc')}---\n${grant(FROM_WEB, TO_SERVICES)}---\n${route(REF)}`,
    },
  ],
  invalid: [
    {
      name: 'grants exist there, none for this route kind and namespace',
      code: `${svc('api', 'data')}---\n${grant('- group: gateway.networking.k8s.io\n  kind: HTTPRoute\n  namespace: shop', TO_SERVICES)}---\n${route(REF)}`,
      errors: [
        {
          message:
            'In HTTPRoute shop, spec.rules[0].backendRefs[0] names Service api in namespace data, and none of the ReferenceGrants there (allow-web) lets HTTPRoutes from namespace web refer to it: the reference is refused (ResolvedRefs False, RefNotPermitted) and the requests the route sends to it get HTTP 500.',
          severity: 'warning',
          line: 37,
          column: 22,
          endColumn: 26,
        },
      ],
    },
    {
      name: 'a grant for another Service only',
      code: `${svc('api', 'data')}---\n${grant(FROM_WEB, `${TO_SERVICES}\n  name: db`)}---\n${route(REF)}`,
      errors: [{ message: /none of the ReferenceGrants there \(allow-web\) lets HTTPRoutes from namespace web refer to it/, severity: 'warning' }],
    },
    {
      name: 'a grant for the route kind, not for Services',
      code: `${svc('api', 'data')}---\n${grant(FROM_WEB, '- group: ""\n  kind: Secret')}---\n${route(REF)}`,
      errors: [{ severity: 'warning' }],
    },
    {
      name: 'no grant in the files at all: a note, the grant may be kept elsewhere',
      code: `${svc('api', 'data')}---\n${route(REF, 'TCPRoute', 'gateway.networking.k8s.io/v1alpha2')}`,
      errors: [
        {
          message: /^In TCPRoute shop, .* and no ReferenceGrant in data lets TCPRoutes from namespace web refer to it: .* the connections the route sends to it fail\. If the grant is kept in another repository, this is fine\.$/,
          severity: 'information',
        },
      ],
    },
  ],
});
