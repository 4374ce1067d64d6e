import rule from '../../server/src/rules/route/route-not-attached';
import { ruleTester } from '../rule-tester';

/** A Gateway in gateway-system with the given listeners (YAML list items). */
const gw = (listeners: string, name = 'public', namespace = 'gateway-system') => `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  gatewayClassName: example
  listeners:
${listeners.replace(/^/gm, '    ')}
`;

const HTTP = '- name: http\n  protocol: HTTP\n  port: 80';
const HTTP_ALL = `${HTTP}\n  allowedRoutes:\n    namespaces:\n      from: All`;
const HTTPS_WILDCARD = '- name: https\n  protocol: HTTPS\n  port: 443\n  hostname: "*.example.com"\n  allowedRoutes:\n    namespaces:\n      from: All';

/** A route in namespace app with the given parentRefs (YAML list items) and hostnames. */
const route = (parents: string, hostnames: string[] = [], kind = 'HTTPRoute', namespace = 'app', apiVersion = 'gateway.networking.k8s.io/v1') => `apiVersion: ${apiVersion}
kind: ${kind}
metadata:
  name: shop
  namespace: ${namespace}
spec:
  parentRefs:
${parents.replace(/^/gm, '    ')}
${hostnames.length ? `  hostnames:\n${hostnames.map((h) => `    - ${h}\n`).join('')}` : ''}  rules:
    - backendRefs:
        - name: shop
          port: 80
`;

const toPublic = '- name: public\n  namespace: gateway-system';

ruleTester(rule, {
  valid: [
    { name: 'same namespace, the default policy (Same)', code: `${gw(HTTP, 'public', 'app')}---\n${route('- name: public')}` },
    { name: 'another namespace, from: All', code: `${gw(HTTP_ALL)}---\n${route(toPublic)}` },
    {
      name: 'from: Selector is not evaluated (the Namespace labels are not in the files)',
      code: `${gw(`${HTTP}\n  allowedRoutes:\n    namespaces:\n      from: Selector\n      selector:\n        matchLabels:\n          shared-gateway: "true"`)}---\n${route(toPublic)}`,
    },
    { name: 'no Gateway at all in that namespace: it comes from elsewhere (open world)', code: route(toPublic) },
    { name: 'sectionName picks a listener that allows it', code: `${gw(`${HTTP}\n${HTTPS_WILDCARD}`)}---\n${route(`${toPublic}\n  sectionName: https`, ['shop.example.com'])}` },
    { name: 'one listener of several allows it', code: `${gw(`${HTTP}\n${HTTPS_WILDCARD}`)}---\n${route(toPublic, ['shop.example.com'])}` },
    { name: 'a wildcard listener hostname matches several labels', code: `${gw(HTTPS_WILDCARD)}---\n${route(toPublic, ['a.b.example.com'])}` },
    { name: 'wildcard route hostname inside the listener wildcard', code: `${gw(HTTPS_WILDCARD)}---\n${route(toPublic, ['*.shop.example.com'])}` },
    { name: 'a route without hostnames takes the listener hostname', code: `${gw(HTTPS_WILDCARD)}---\n${route(toPublic)}` },
    {
      name: 'TCPRoute on a TCP listener (hostnames do not apply)',
      code: `${gw('- name: db\n  protocol: TCP\n  port: 5432\n  hostname: db.example.com\n  allowedRoutes:\n    namespaces:\n      from: All')}---\n${route(toPublic, [], 'TCPRoute', 'app', 'gateway.networking.k8s.io/v1alpha2')}`,
    },
    { name: 'GRPCRoute on an HTTPS listener', code: `${gw(HTTPS_WILDCARD)}---\n${route(toPublic, ['grpc.example.com'], 'GRPCRoute')}` },
    { name: 'explicit kinds list the route kind', code: `${gw(`${HTTP_ALL}\n    kinds:\n      - kind: HTTPRoute`)}---\n${route(toPublic)}` },
    { name: 'the port of a listener', code: `${gw(HTTP_ALL)}---\n${route(`${toPublic}\n  port: 80`)}` },
    { name: 'a mesh parentRef to a Service is not a Gateway', code: `${gw(HTTP_ALL)}---\n${route('- group: ""\n  kind: Service\n  name: shop')}` },
    {
      name: 'satisfied by one of several definitions of the Gateway',
      files: { 'base/gw.yaml': gw(HTTP), 'prod/gw.yaml': gw(HTTP_ALL), 'app/route.yaml': route(toPublic) },
    },
    { name: 'a protocol the rule does not know is not judged', code: `${gw('- name: custom\n  protocol: example.com/quic\n  port: 443\n  allowedRoutes:\n    namespaces:\n      from: All')}---\n${route(toPublic)}` },
  ],
  invalid: [
    {
      name: 'a misspelt Gateway: the fix renames it, keeping the comment',
      files: { 'gw.yaml': gw(HTTP_ALL), 'route.yaml': route('- name: pubilc # shared\n  namespace: gateway-system') },
      errors: [
        {
          message:
            'In HTTPRoute shop, spec.parentRefs[0] names Gateway "pubilc", but namespace gateway-system has no Gateway of that name: the route attaches to nothing there (Accepted False, NoMatchingParent). Did you mean "public"?',
          file: 'route.yaml',
          line: 8,
          column: 13,
          endColumn: 19,
          related: 1,
          fixes: ['Use Gateway public'],
          preferred: 'Use Gateway public',
        },
      ],
      fix: { output: { 'route.yaml': route('- name: public # shared\n  namespace: gateway-system') } },
    },
    {
      name: 'a misspelt listener name',
      code: `${gw(`${HTTP_ALL}\n${HTTPS_WILDCARD}`)}---\n${route(`${toPublic}\n  sectionName: htps`, ['shop.example.com'])}`,
      errors: [
        {
          message: /spec\.parentRefs\[0\] names listener "htps" of Gateway gateway-system\/public, which has no listener of that name \(its listeners: "http", "https"\): .* Did you mean "https"\?$/,
          related: 2,
          preferred: 'Use listener https',
        },
      ],
      fix: { output: `${gw(`${HTTP_ALL}\n${HTTPS_WILDCARD}`)}---\n${route(`${toPublic}\n  sectionName: https`, ['shop.example.com'])}` },
    },
    {
      name: 'a listener of another namespace with the default policy Same',
      code: `${gw(HTTP)}---\n${route(toPublic)}`,
      errors: [
        {
          message:
            'In HTTPRoute shop, spec.parentRefs[0] attaches to Gateway gateway-system/public, but its listener does not allow the route: listener "http" takes routes from its own namespace gateway-system only (allowedRoutes.namespaces.from: Same, the default), and HTTPRoute shop is in namespace app. The route is not attached (Accepted False, NotAllowedByListeners).',
          line: 20,
          related: 1,
          fixes: [],
        },
      ],
    },
    {
      name: 'from: Same written out',
      code: `${gw(`${HTTP}\n  allowedRoutes:\n    namespaces:\n      from: Same`)}---\n${route(toPublic)}`,
      errors: [{ message: /\(allowedRoutes\.namespaces\.from: Same\), and HTTPRoute shop is in namespace app\./ }],
    },
    {
      name: 'allowedRoutes.kinds without the route kind',
      code: `${gw(`${HTTP_ALL}\n    kinds:\n      - kind: GRPCRoute`)}---\n${route(toPublic)}`,
      errors: [{ message: /listener "http" accepts GRPCRoute \(allowedRoutes\.kinds\), not HTTPRoute\./ }],
    },
    {
      name: 'an HTTPRoute on a TCP listener',
      code: `${gw('- name: db\n  protocol: TCP\n  port: 5432\n  allowedRoutes:\n    namespaces:\n      from: All')}---\n${route(`${toPublic}\n  sectionName: db`)}`,
      errors: [{ message: /listener "db" accepts TCPRoute \(protocol TCP\), not HTTPRoute\./ }],
    },
    {
      name: 'no route hostname under the listener hostname',
      code: `${gw(HTTPS_WILDCARD)}---\n${route(toPublic, ['shop.example.org', 'example.com'])}`,
      errors: [{ message: /listener "https" serves \*\.example\.com, which none of the route's hostnames \(shop\.example\.org, example\.com\) match \(NoMatchingListenerHostname\)/ }],
    },
    {
      name: 'a port no listener has',
      code: `${gw(HTTP_ALL)}---\n${route(`${toPublic}\n  port: 8080`)}`,
      errors: [{ message: /asks for port 8080 of Gateway gateway-system\/public, which has no such listener \(its listeners: "http"\)/, line: 25, column: 13 }],
    },
    {
      name: 'every listener refuses it, each for its own reason',
      code: `${gw(`${HTTP}\n${HTTPS_WILDCARD}`)}---\n${route(toPublic, ['shop.example.org'])}`,
      errors: [{ message: /none of the 2 listeners it selects allows the route: listener "http" takes routes .*; listener "https" serves \*\.example\.com/, related: 2 }],
    },
  ],
});
