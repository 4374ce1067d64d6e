import rule from '../../server/src/rules/ingress/ingress-rule-invalid';
import { ruleTester } from '../rule-tester';

const head = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
spec:
  ingressClassName: nginx
`;

/** an Ingress whose one path is `path` (yaml lines under the list item) */
const withPath = (path: string, host = 'shop.example.com') => `${head}  rules:
    - host: ${host}
      http:
        paths:
${path.replace(/^/gm, '          ')}
`;

const svcBackend = (port = 'number: 80', name = 'web') => `  backend:
    service:
      name: ${name}
      port:
        ${port}`;

const p = (path: string, type = 'Prefix', backend = svcBackend()) => `- path: ${path}\n  pathType: ${type}\n${backend}`;

ruleTester(rule, {
  valid: [
    { name: 'plain Prefix path', code: withPath(p('/')) },
    { name: 'wildcard host', code: withPath(p('/'), '"*.example.com"') },
    { name: 'digits-only labels are DNS names', code: withPath(p('/'), '123.example.com') },
    { name: 'ImplementationSpecific: empty path, // and regex are accepted', code: withPath(`${p('""', 'ImplementationSpecific')}\n${p('/a//b', 'ImplementationSpecific')}\n${p('/([a-z0-9]*)[', 'ImplementationSpecific')}`) },
    { name: 'Exact path with dots inside a segment', code: withPath(p('/v1.2/file..txt', 'Exact')) },
    { name: 'rule with host only and no http (routes nothing, accepted)', code: `${head}  rules:\n    - host: shop.example.com\n` },
    { name: 'defaultBackend only', code: `${head}  defaultBackend:\n    service:\n      name: web\n      port:\n        name: http\n` },
    { name: 'empty TLS entries and an IP in tls.hosts are accepted', code: `${withPath(p('/'))}  tls:\n    - {}\n    - hosts: []\n    - hosts:\n        - 10.0.0.1\n        - "*.example.com"\n      secretName: shop-tls\n` },
    {
      name: 'resource backend',
      code: withPath(p('/static', 'Prefix', '  backend:\n    resource:\n      apiGroup: k8s.example.com\n      kind: StorageBucket\n      name: static-assets')),
    },
    { name: 'port number 0 next to a name counts as unset', code: withPath(p('/', 'Prefix', svcBackend('name: http\n        number: 0'))) },
    { name: 'a pathType typo is the schema rule\'s finding', code: withPath(p('/', 'prefix')) },
    { name: 'missing pathType is ingress-pathtype-missing territory', code: withPath(`- path: /\n${svcBackend()}`) },
    { name: 'other API versions are not checked here', code: withPath(p('/')).replace('networking.k8s.io/v1', 'networking.k8s.io/v2alpha1').replace('host: shop.example.com', 'host: BAD') },
    { name: 'v1beta1 path without pathType defaults to ImplementationSpecific', code: `apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: old\nspec:\n  rules:\n    - http:\n        paths:\n          - path: /a//b\n            backend:\n              serviceName: web\n              servicePort: 80\n` },
  ],
  invalid: [
    {
      name: 'IP address as host',
      code: withPath(p('/'), '10.0.0.1'),
      errors: [{ message: 'Host "10.0.0.1" in Ingress shop is an IP address; Ingress hosts must be DNS names. Leave host out to match requests for any host, including the IP.', line: 8, column: 13, endColumn: 21 }],
    },
    {
      name: 'host with uppercase and a port',
      code: withPath(p('/'), 'Shop.Example.com:8443'),
      errors: [{ message: 'Host "Shop.Example.com:8443" in Ingress shop includes a port and has uppercase letters: a host must be a lowercase DNS name. Write "shop.example.com".', line: 8, column: 13 }],
    },
    {
      name: 'a URL of an IP address as host: the address is not suggested (aks-store-demo argocd-ingress)',
      code: withPath(p('/'), '"http://10.2.15.143:31593/"'),
      errors: [{ message: /^Host "http:\/\/10\.2\.15\.143:31593\/" in Ingress shop includes a URL scheme: a host must be a lowercase DNS name\. It names the IP address 10\.2\.15\.143, which a host may not be either: leave host out to match requests for any host\.$/ }],
    },
    { name: 'trailing dot', code: withPath(p('/'), 'shop.example.com.'), errors: [{ message: /ends with a dot: .* Write "shop\.example\.com"\.$/ }] },
    { name: 'bad wildcards', code: withPath(p('/'), '"*"'), errors: [{ message: /is a lone "\*"/ }] },
    { name: 'wildcard in the middle', code: withPath(p('/'), 'foo.*.example.com'), errors: [{ message: /has a "\*" that is not the whole first label/ }] },
    // found by fuzzing: the repair of "*.a*b" is itself, and checking it recursed forever
    { name: 'a second "*" after a wildcard first label', code: withPath(p('/'), '"*.e@*axample.com"'), errors: [{ message: /has a "\*" that is not the whole first label/ }] },
    { name: 'wildcard without a dot', code: withPath(p('/'), '"*example.com"'), errors: [{ message: /Write "\*\.example\.com"\.$/ }] },
    {
      name: 'http without paths',
      code: `${head}  rules:\n    - host: a.example.com\n      http:\n        paths: []\n    - host: b.example.com\n      http: {}\n`,
      errors: [
        { message: 'The http section of host a.example.com in Ingress shop has no paths; the API server requires at least one. Add a path with a backend, or remove http.', line: 10, column: 9, endColumn: 14 },
        { line: 12, column: 7 },
      ],
    },
    {
      name: 'Prefix path not absolute',
      code: withPath(p('api')),
      errors: [{ message: 'Path "api" in Ingress shop (host shop.example.com, pathType Prefix) must start with "/": with pathType Prefix the path must be a clean absolute path. Write "/api".', line: 11, column: 19 }],
    },
    { name: 'Exact path with // and a trailing /..', code: withPath(p('/a//b/..', 'Exact')), errors: [{ message: /contains "\/\/" and ends with "\/\.\.": with pathType Exact/ }] },
    { name: 'Prefix path with an encoded slash', code: withPath(p('/a%2Fb')), errors: [{ message: /contains "%2F".* Write "\/a\/b"\.$/ }] },
    { name: 'Prefix without a path', code: withPath(`- pathType: Prefix\n${svcBackend()}`), errors: [{ message: /^An empty path .* is empty but must start with "\/"/, line: 11, column: 23 }] },
    { name: 'ImplementationSpecific relative path', code: withPath(p('api/v1', 'ImplementationSpecific')), errors: [{ message: /must start with "\/" \(only an empty path may omit it\)\. Write "\/api\/v1"\.$/ }] },
    {
      name: 'both service and resource',
      code: withPath(p('/', 'Prefix', `${svcBackend()}\n    resource:\n      kind: StorageBucket\n      name: assets`)),
      errors: [{ message: 'In Ingress shop, the backend of path / sets both service and resource; a backend is one or the other.', line: 18, column: 15, endColumn: 23 }],
    },
    { name: 'empty backend', code: withPath(p('/', 'Prefix', '  backend: {}')), errors: [{ message: /has neither a service nor a resource/, line: 13, column: 13 }] },
    { name: 'path without backend', code: withPath(`- path: /\n  pathType: Prefix`), errors: [{ message: 'Path "/" in Ingress shop has no backend; give it a service (name and port) or a resource.', line: 11, column: 13 }] },
    {
      name: 'v1beta1 backend fields in a v1 object',
      code: withPath(p('/', 'Prefix', '  backend:\n    serviceName: web\n    servicePort: 80')),
      errors: [{ message: /uses serviceName\/servicePort, the fields of the removed v1beta1 API/, line: 14, column: 15, endColumn: 26 }],
    },
    { name: 'empty service name', code: withPath(p('/', 'Prefix', svcBackend('number: 80', '""'))), errors: [{ message: /has no service\.name/, line: 15, column: 17 }] },
    {
      name: 'service name with a namespace',
      code: withPath(p('/', 'Prefix', svcBackend('number: 80', 'web.shop'))),
      errors: [{ message: /^Service name "web\.shop" .* contains ".": .* "name\.namespace" does not select another one\.$/, line: 15, column: 23 }],
    },
    { name: 'service name starting with a digit', code: withPath(p('/', 'Prefix', svcBackend('number: 80', '1web'))), errors: [{ message: /starts with a digit/ }] },
    { name: 'uppercase service name', code: withPath(p('/', 'Prefix', svcBackend('number: 80', 'Web'))), errors: [{ message: /has uppercase letters: .* Write "web"\.$/ }] },
    { name: 'both port name and number', code: withPath(p('/', 'Prefix', svcBackend('name: http\n        number: 80'))), errors: [{ message: /sets both port\.name and port\.number/, line: 16, column: 17, endColumn: 21 }] },
    { name: 'neither port name nor number', code: withPath(p('/', 'Prefix', '  backend:\n    service:\n      name: web')), errors: [{ message: /has no service port; set port\.number or port\.name/, line: 14, column: 15 }] },
    { name: 'port number 0', code: withPath(p('/', 'Prefix', svcBackend('number: 0'))), errors: [{ message: /\(port\.number 0 counts as unset\)/ }] },
    {
      name: 'no rules and no defaultBackend',
      code: `${head}  rules: []\n`,
      errors: [{ message: 'Ingress shop has neither rules nor a defaultBackend, so it routes nothing and the API server rejects it. Add rules (host, paths and backends) or a defaultBackend.', line: 7, column: 3, endColumn: 8 }],
    },
    {
      name: 'v1beta1 spec.backend name in a v1 object',
      code: `${head}  backend:\n    serviceName: web\n    servicePort: 80\n`,
      errors: [{ message: /\(spec\.backend is the removed v1beta1 name: in v1 it is spec\.defaultBackend\)/, line: 5, column: 1 }],
    },
    {
      name: 'invalid TLS hosts',
      code: `${withPath(p('/'))}  tls:\n    - hosts:\n        - Shop.example.com\n        - "*.*.example.com"\n`,
      errors: [
        { message: 'TLS host "Shop.example.com" in Ingress shop has uppercase letters: a TLS host must be a lowercase DNS name. Write "shop.example.com".', line: 20, column: 11 },
        { message: /TLS host "\*\.\*\.example\.com" .* Write "\*\.example\.com"\.$/, line: 21, column: 11 },
      ],
    },
    {
      name: 'v1beta1: hosts and paths still checked',
      code: `apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: old\nspec:\n  rules:\n    - host: 10.1.2.3\n      http:\n        paths:\n          - path: api\n            backend:\n              serviceName: web\n              servicePort: 80\n`,
      errors: [{ message: /is an IP address/, line: 7 }, { message: /Path "api" .*pathType ImplementationSpecific/, line: 10 }],
    },
    {
      name: 'several problems, one finding each',
      code: withPath(`${p('/a', 'Exact', svcBackend('number: 80', 'My_Svc'))}\n${p('b', 'ImplementationSpecific')}`, 'A.example.com'),
      errors: [{ line: 8 }, { line: 15 }, { line: 18 }],
    },
  ],
});
