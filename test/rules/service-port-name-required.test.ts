import rule from '../../server/src/rules/service-spec/service-port-name-required';
import { ruleTester } from '../rule-tester';

const svc = (ports: string, extra = '') => `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
${extra}  selector:
    app: web
  ports:
${ports.replace(/^/gm, '    ')}
`;

ruleTester(rule, {
  valid: [
    { name: 'one unnamed port', code: svc('- port: 80\n  targetPort: 8080') },
    { name: 'every port named', code: svc('- name: http\n  port: 80\n- name: https\n  port: 443') },
    { name: 'digit-only names are DNS labels too', code: svc('- name: "8080"\n  port: 8080\n- name: "8443"\n  port: 8443') },
    { name: 'DNS over TCP and UDP, both named', code: svc('- name: dns\n  port: 53\n  protocol: UDP\n- name: dns-tcp\n  port: 53\n  protocol: TCP') },
    { name: 'headless without ports', code: `apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  clusterIP: None\n  selector:\n    app: db\n` },
    { name: 'not a Service', code: `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx\n      ports:\n        - containerPort: 80\n        - containerPort: 443\n` },
  ],
  invalid: [
    {
      name: 'second port unnamed: name inserted first in the item, comments kept',
      code: svc('- name: http\n  port: 80\n- port: 443 # TLS\n  targetPort: 8443'),
      errors: [
        {
          message:
            'Service web has 2 ports, so each one needs a name; port 443/TCP (ports[1]) has none, and the API server refuses the Service. Name it "https".',
          line: 11,
          column: 7,
          endColumn: 16,
          fixes: ['Name port 443/TCP "https"'],
        },
      ],
      fix: { output: svc('- name: http\n  port: 80\n- name: https\n  port: 443 # TLS\n  targetPort: 8443') },
    },
    {
      name: 'the first port needs a name too (SVC-06a)',
      code: svc('- port: 8080\n- name: metrics\n  port: 9090'),
      errors: [{ message: /port 8080\/TCP \(ports\[0\]\) has none.*Name it "http"\.$/, line: 9, column: 7 }],
      fix: { output: svc('- name: http\n  port: 8080\n- name: metrics\n  port: 9090') },
    },
    {
      name: 'two unnamed ports: one finding each, preferred fix names them all',
      code: svc('# public\n- port: 80\n  targetPort: web # container port\n- port: 443\n  targetPort: web-tls'),
      errors: [
        { line: 10, fixes: ['Name all 2 unnamed ports (http, https)', 'Name port 80/TCP "http"'] },
        { line: 12, fixes: ['Name all 2 unnamed ports (http, https)', 'Name port 443/TCP "https"'] },
      ],
      fix: { output: svc('# public\n- name: http\n  port: 80\n  targetPort: web # container port\n- name: https\n  port: 443\n  targetPort: web-tls') },
    },
    {
      name: 'DNS over TCP and UDP: dns for UDP, dns-tcp for TCP',
      code: svc('- port: 53\n  protocol: UDP\n- port: 53\n  protocol: TCP\n- port: 9153'),
      errors: [{ message: /Name it "dns"\./ }, { message: /Name it "dns-tcp"\./ }, { message: /Name it "port-9153"\./ }],
      fix: { output: svc('- name: dns\n  port: 53\n  protocol: UDP\n- name: dns-tcp\n  port: 53\n  protocol: TCP\n- name: port-9153\n  port: 9153') },
    },
    {
      name: 'a taken well-known name falls back to the targetPort name, then port-<n>',
      code: svc('- name: http\n  port: 80\n- port: 8080\n  targetPort: admin\n- port: 3000'),
      errors: [{ message: /Name it "admin"\./ }, { message: /Name it "port-3000"\./ }],
      fix: {},
    },
    {
      name: 'an empty name is no name: underline the empty value',
      code: svc('- name: ""\n  port: 80\n- name: grpc\n  port: 50051'),
      errors: [{ message: /port 80\/TCP \(ports\[0\]\) has an empty name/, line: 9, column: 13, fixes: ['Name port 80/TCP "http"'] }],
      fix: { output: svc('- name: "http"\n  port: 80\n- name: grpc\n  port: 50051') },
    },
    {
      name: 'flow-style port entry',
      code: svc('- {name: http, port: 80}\n- {port: 5432, targetPort: 5432}'),
      errors: [{ message: /Name it "postgres"\./ }],
      fix: { output: svc('- {name: http, port: 80}\n- {name: postgres, port: 5432, targetPort: 5432}') },
    },
    {
      name: 'UDP port whose well-known name is taken gets the protocol appended',
      code: svc('- name: https\n  port: 443\n- port: 443\n  protocol: UDP'),
      errors: [{ message: /Name it "https-udp"\./ }],
      fix: {},
    },
    {
      name: 'applies to ExternalName Services too (validation is type-independent)',
      code: `apiVersion: v1\nkind: Service\nmetadata:\n  name: ext\nspec:\n  type: ExternalName\n  externalName: db.example.com\n  ports:\n    - port: 5432\n    - port: 5433\n`,
      errors: [{ message: /Name it "postgres"/ }, { message: /Name it "port-5433"/ }],
    },
  ],
});
