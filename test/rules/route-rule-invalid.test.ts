import rule from '../../server/src/rules/route/route-rule-invalid';
import { ruleTester } from '../rule-tester';

/** An HTTPRoute with the given hostnames and the given match items (YAML list items under `matches:`). */
const route = (matches: string, hostnames = 'shop.example.com', kind = 'HTTPRoute') => `apiVersion: gateway.networking.k8s.io/v1
kind: ${kind}
metadata:
  name: shop
spec:
  parentRefs:
    - name: public
  hostnames:
    - ${hostnames}
  rules:
    - matches:
${matches.replace(/^/gm, '        ')}
      backendRefs:
        - name: shop
          port: 80
`;

const PATH = (type: string, value: string) => `- path:\n    type: ${type}\n    value: ${value}`;

ruleTester(rule, {
  valid: [
    { name: 'PathPrefix, Exact and RegularExpression', code: route(`${PATH('PathPrefix', '/api')}\n${PATH('Exact', '/healthz')}\n${PATH('RegularExpression', '"^/v[0-9]+/.*"')}`) },
    { name: 'a path without type is a PathPrefix; without value it is /', code: route('- path:\n    value: /shop\n- path: {}') },
    { name: 'wildcard hostname', code: route(PATH('PathPrefix', '/'), '"*.example.com"') },
    { name: 'an IPv4 hostname passes the CRD pattern (implementations ignore it)', code: route(PATH('PathPrefix', '/'), '10.0.0.1') },
    { name: 'percent-encoded and sub-delimiter characters', code: route(PATH('PathPrefix', "/a%20b/c;d=e")) },
    { name: 'a RegularExpression is not held to the path characters', code: route(PATH('RegularExpression', '"/a b//c"')) },
    {
      name: 'a redirect without backendRefs',
      code: `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: r\nspec:\n  rules:\n    - filters:\n        - type: RequestRedirect\n          requestRedirect:\n            scheme: https\n            statusCode: 301\n`,
    },
    { name: 'an HTTPRoute of another API group', code: route(PATH('Prefix', '/')).replace('gateway.networking.k8s.io/v1', 'example.com/v1') },
  ],
  invalid: [
    {
      name: 'Prefix, the Ingress pathType: the fix writes PathPrefix, keeping the comment',
      code: route(PATH('Prefix # from the Ingress', '/api')),
      errors: [
        {
          message:
            'In HTTPRoute shop, path match type "Prefix" is not one of Exact, PathPrefix, RegularExpression: the API server refuses the route (Prefix is the Ingress pathType; a route calls it PathPrefix). Use PathPrefix.',
          line: 13,
          column: 19,
          endColumn: 25,
          fixes: ['Use PathPrefix'],
          preferred: 'Use PathPrefix',
        },
      ],
      fix: { output: route(PATH('PathPrefix # from the Ingress', '/api')) },
    },
    {
      name: 'ImplementationSpecific: PathPrefix and Exact offered, none preferred',
      code: route(PATH('ImplementationSpecific', '/x')),
      errors: [{ message: /"ImplementationSpecific" .* \(an Ingress pathType; a route has no such match\)\.$/, fixes: ['Use PathPrefix', 'Use Exact'], preferred: null }],
    },
    { name: 'a lowercase type', code: route(PATH('exact', '/x')), errors: [{ message: /Use Exact\.$/, preferred: 'Use Exact' }], fix: { output: route(PATH('Exact', '/x')) } },
    {
      name: 'a path without its leading slash',
      code: route('- path:\n    value: api'),
      errors: [{ message: 'In HTTPRoute shop, PathPrefix path "api" does not start with "/": the API server refuses the route. Did you mean "/api"?', preferred: 'Use /api' }],
      fix: { output: route('- path:\n    value: /api') },
    },
    { name: '//, /./ and a trailing /..', code: route(PATH('Exact', '/a//b/./c/..')), errors: [{ message: /Exact path "\/a\/\/b\/\.\/c\/\.\." contains "\/\/", contains "\/\.\/" and ends with "\/\.\."/, fixes: [] }] },
    { name: 'an encoded slash and a fragment', code: route(PATH('PathPrefix', '"/a%2Fb#top"')), errors: [{ message: /contains "%2F", contains "#" and has characters/ }] },
    { name: 'a space', code: route(PATH('PathPrefix', '"/a b"')), errors: [{ message: /has characters a URL path cannot hold unencoded/ }] },
    {
      name: 'a hostname with a port and uppercase: the fix is offered, not preferred',
      code: route(PATH('PathPrefix', '/'), 'Shop.example.com:8080'),
      errors: [{ message: /hostname "Shop\.example\.com:8080" includes a port and has uppercase letters: .* Did you mean "shop\.example\.com"\?$/, line: 9, fixes: ['Use shop.example.com'], preferred: null }],
    },
    { name: 'GRPCRoute hostnames too', code: route('- method:\n    service: shop.Cart', 'grpc.example.com.', 'GRPCRoute'), errors: [{ message: /^In GRPCRoute shop, hostname "grpc\.example\.com\." ends with a dot/ }] },
    {
      name: 'a redirect and backendRefs in one rule',
      code: `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: r\nspec:\n  rules:\n    - filters:\n        - type: RequestRedirect\n          requestRedirect:\n            scheme: https\n      backendRefs:\n        - name: web\n          port: 80\n`,
      errors: [{ message: /^In HTTPRoute r, spec\.rules\[0\] has a RequestRedirect filter and backendRefs: the API server refuses the route/, line: 8, column: 17 }],
    },
  ],
});
