import rule from '../../server/src/rules/service-spec/service-externalname-invalid';
import { ruleTester } from '../rule-tester';

const ext = (externalName: string | undefined, extra = '') => `apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  type: ExternalName
${externalName === undefined ? '' : `  externalName: ${externalName}\n`}${extra}`;

/** A route object (Gateway API route, HTTPProxy, IngressRoute, VirtualService) named r, with its spec. */
const route = (kind: string, apiVersion: string, spec: string) => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: r\n${spec}`;

const ingress = (service: string, port = 'number: 5432') => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: db
spec:
  ingressClassName: nginx
  rules:
    - host: db.example.org
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: ${service}
                port:
                  ${port}
`;

ruleTester(rule, {
  valid: [
    { name: 'a hostname', code: ext('db.example.com') },
    { name: 'one trailing dot (fully qualified) is trimmed', code: ext('db.example.com.') },
    { name: 'a single label', code: ext('database') },
    { name: 'a digit-first label is a valid subdomain', code: ext('1password.example.com') },
    { name: 'ClusterIP without externalName', code: `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n` },
    { name: 'unknown type: stay quiet', code: ext('db.example.com').replace('type: ExternalName', 'type: ExternalNam') },
    { name: 'empty externalName on a ClusterIP is unset', code: `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  externalName: ""\n  ports:\n    - port: 80\n` },
    { name: 'empty selector is no selector', code: ext('db.example.com', '  selector: {}\n') },
    {
      name: 'nodePorts of an ExternalName used by an Ingress are service-type-mismatch business',
      code: `${ext('db.example.com', '  ports:\n    - port: 5432\n      nodePort: 30432\n')}---\n${ingress('db')}`,
    },
    {
      name: 'ports of an ExternalName used by an Ingress pick the upstream port for the controller',
      code: `${ext('db.example.com', '  ports:\n    - name: pg\n      port: 5432\n')}---\n${ingress('db')}`,
    },
    {
      name: 'ports of an ExternalName a Gateway API HTTPRoute routes to',
      code: `${ext('db.example.com', '  ports:\n    - port: 5432\n')}---\n${route('HTTPRoute', 'gateway.networking.k8s.io/v1', 'spec:\n  rules:\n    - backendRefs:\n        - name: db\n          port: 5432\n')}`,
    },
    {
      name: 'ports of an ExternalName a route of another namespace names with its namespace',
      code: `${ext('db.example.com', '  ports:\n    - port: 5432\n')}---\n${route('TCPRoute', 'gateway.networking.k8s.io/v1alpha2', 'spec:\n  rules:\n    - backendRefs:\n        - name: db\n          namespace: default\n          port: 5432\n').replace('name: r\n', 'name: r\n  namespace: edge\n')}`,
    },
    {
      name: 'ports of an ExternalName a Contour HTTPProxy routes to (projectcontour examples)',
      code: `${ext('db.example.com', '  ports:\n    - name: http\n      port: 80\n')}---\n${route('HTTPProxy', 'projectcontour.io/v1', 'spec:\n  routes:\n    - services:\n        - name: db\n          port: 80\n')}`,
    },
    {
      name: 'ports of an ExternalName a Traefik IngressRoute routes to',
      code: `${ext('db.example.com', '  ports:\n    - port: 80\n')}---\n${route('IngressRoute', 'traefik.io/v1alpha1', 'spec:\n  routes:\n    - match: Host(\\`db.example.com\\`)\n      kind: Rule\n      services:\n        - name: db\n          port: 80\n')}`,
    },
    {
      name: 'ports of an ExternalName an Istio VirtualService routes to (fully qualified host)',
      code: `${ext('db.example.com', '  ports:\n    - port: 80\n')}---\n${route('VirtualService', 'networking.istio.io/v1', 'spec:\n  hosts: [db.example.com]\n  http:\n    - route:\n        - destination:\n            host: db.default.svc.cluster.local\n')}`,
    },
  ],
  invalid: [
    {
      name: 'no externalName (SVC-14c): underline the type',
      code: ext(undefined, '  ports:\n    - port: 5432\n').replace('  ports:\n    - port: 5432\n', ''),
      errors: [
        {
          message: 'Service db is type ExternalName but has no externalName: it must name the DNS host it aliases (such as db.example.com), and the API server refuses it without one.',
          line: 6,
          column: 9,
          endColumn: 21,
          severity: 'error',
        },
      ],
    },
    { name: 'empty externalName', code: ext('""'), errors: [{ message: /its externalName is empty/, line: 7, column: 17 }] },
    { name: 'just a dot', code: ext('"."'), errors: [{ message: /its externalName is empty/ }] },
    {
      name: 'uppercase (SVC-14d): suggest the lowercase name',
      code: ext('DB.Example.com # managed database'),
      errors: [
        {
          message: 'externalName "DB.Example.com" of Service db is not a valid DNS name: it has uppercase letters, so the API server refuses it. Did you mean "db.example.com"?',
          line: 7,
          column: 17,
          endColumn: 31,
          severity: 'error',
        },
      ],
    },
    {
      name: 'a URL with scheme, port and path',
      code: ext('https://db.example.com:5432/app'),
      errors: [{ message: /it has a URL scheme, a path, a port, so the API server refuses it\. Did you mean "db\.example\.com"\?$/ }],
    },
    { name: 'underscores', code: ext('my_db.internal'), errors: [{ message: /underscores.*Did you mean "my-db\.internal"\?/ }] },
    { name: 'two trailing dots: only one is trimmed', code: ext('db.example.com..'), errors: [{ message: /an empty label.*Did you mean "db\.example\.com"/ }] },
    { name: 'an IPv6 address', code: ext('"2001:db8::1"'), errors: [{ message: /is an IPv6 address, not a hostname.*EndpointSlice/ }] },
    {
      name: 'an IPv4 literal passes validation but makes a CNAME to a name of digits (X-15)',
      code: ext('10.0.0.5'),
      errors: [{ message: /^externalName "10\.0\.0\.5" of Service db is an IP address: ExternalName publishes a DNS CNAME/, severity: 'warning', line: 7, column: 17 }],
    },
    {
      name: 'selector on ExternalName is ignored (X-14)',
      code: ext('db.example.com', '  selector:\n    app: db\n'),
      errors: [{ message: /its selector is ignored: no pods are ever selected/, severity: 'warning', line: 8, column: 3, endColumn: 11 }],
    },
    {
      name: 'ports on ExternalName are not proxied nor remapped (X-14)',
      code: ext('db.example.com', '  ports:\n    - port: 5432\n      targetPort: 15432\n'),
      errors: [
        {
          message: /Kubernetes neither proxies nor remaps its ports; clients reach "db\.example\.com" on whatever port they dial\. The ports matter only to a controller that routes here \(an Ingress, a Gateway API route, a proxy route\), and none in the checked files does\.$/,
          severity: 'information',
          line: 8,
        },
      ],
    },
    {
      name: 'an Ingress for another Service does not count',
      code: `${ext('db.example.com', '  ports:\n    - port: 5432\n')}---\n${ingress('other')}`,
      errors: [{ severity: 'information' }],
    },
    {
      name: 'a Gateway API route to a Service of that name in another namespace does not count',
      code: `${ext('db.example.com', '  ports:\n    - port: 5432\n')}---\n${route('HTTPRoute', 'gateway.networking.k8s.io/v1', 'spec:\n  rules:\n    - backendRefs:\n        - name: db\n          namespace: other\n          port: 5432\n')}`,
      errors: [{ severity: 'information' }],
    },
    {
      name: 'externalIPs are ignored on ExternalName (SVC-28)',
      code: ext('db.example.com', '  externalIPs:\n    - 203.0.113.10\n'),
      errors: [{ message: 'Service db is type ExternalName, so its externalIPs are ignored.', severity: 'warning', line: 8 }],
    },
    {
      name: 'externalName on a ClusterIP is ignored (SVC-14e)',
      code: `apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  externalName: db.example.com\n  ports:\n    - port: 5432\n`,
      errors: [
        {
          message: 'Service db is type ClusterIP (the default), so externalName "db.example.com" is ignored: nothing resolves to it. Set type: ExternalName for a DNS alias, or remove externalName.',
          severity: 'warning',
          line: 6,
          column: 3,
          endColumn: 15,
        },
      ],
    },
  ],
});
