import rule from '../../server/src/rules/service/endpoints-port-mismatch';
import { ruleTester } from '../rule-tester';

const svc = (ports: string, name = 'db', specExtra = '') => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
${specExtra}  ports:
${ports.replace(/^/gm, '    ')}
`;

const endpoints = (ports: string, name = 'db') => `apiVersion: v1
kind: Endpoints
metadata:
  name: ${name}
subsets:
  - addresses:
      - ip: 10.0.0.5
    ports:
${ports.replace(/^/gm, '      ')}
`;

const slice = (ports: string, service = 'db') => `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: ${service}-1
  labels:
    kubernetes.io/service-name: ${service}
addressType: IPv4
endpoints:
  - addresses:
      - 10.0.0.5
ports:
${ports.replace(/^/gm, '  ')}
`;

const two = `- name: postgres\n  port: 5432\n- name: metrics\n  port: 9187`;

ruleTester(rule, {
  valid: [
    { name: 'names equal', code: `${svc(two)}---\n${endpoints(two)}` },
    { name: 'single unnamed port on both sides ("")', code: `${svc('- port: 5432')}---\n${endpoints('- port: 5432')}` },
    { name: 'EndpointSlice with equal names', code: `${svc(two)}---\n${slice(two)}` },
    { name: 'EndpointSlice unnamed for a single unnamed port', code: `${svc('- port: 5432')}---\n${slice('- port: 5432')}` },
    { name: 'explicit name: "" equals an unnamed Service port', code: `${svc('- port: 5432')}---\n${endpoints('- name: ""\n  port: 5432')}` },
    { name: 'Service with a selector: the controller owns its endpoints (EP-13)', code: `${svc('- name: postgres\n  port: 5432', 'db', '  selector:\n    app: db\n')}---\n${endpoints('- name: pg\n  port: 5432')}` },
    { name: 'no Service in the input: open world', code: endpoints('- name: pg\n  port: 5432') },
    { name: 'Service in another namespace does not pair', code: `${svc('- name: postgres\n  port: 5432').replace('  name: db\n', '  name: db\n  namespace: other\n')}---\n${endpoints('- name: pg\n  port: 5432')}` },
    { name: 'any variant of the Service matches', files: { 'base/svc.yaml': svc('- name: postgres\n  port: 5432'), 'prod/svc.yaml': svc('- name: pg\n  port: 5432'), 'base/ep.yaml': endpoints('- name: pg\n  port: 5432') } },
    { name: 'UDP on both sides', code: `${svc('- name: dns\n  port: 53\n  protocol: UDP')}---\n${slice('- name: dns\n  port: 53\n  protocol: UDP')}` },
    { name: 'ExternalName Service', code: `${svc('- name: http\n  port: 80', 'db', '  type: ExternalName\n  externalName: db.example.com\n')}---\n${endpoints('- name: web\n  port: 80')}` },
  ],
  invalid: [
    {
      name: 'Endpoints port name typo (EP-12)',
      files: { 'k8s/svc.yaml': svc(two), 'k8s/ep.yaml': endpoints('- name: postgress\n  port: 5432\n- name: metrics\n  port: 9187') },
      errors: [
        {
          message: 'Endpoints db port 5432 "postgress" matches no port of Service db ("postgres", "metrics"), so kube-proxy never sends the Service\'s traffic to it. Did you mean "postgres"?',
          file: 'k8s/ep.yaml',
          line: 9,
          column: 15,
          endColumn: 24,
          severity: 'warning',
          related: 1,
        },
      ],
    },
    {
      name: 'named endpoint port for a single unnamed Service port',
      code: `${svc('- port: 5432')}---\n${endpoints('- name: postgres\n  port: 5432')}`,
      errors: [{ message: /matches no port of Service db \(one unnamed port\), so .* A single unnamed Service port pairs only with an unnamed endpoint port: remove this name\.$/ }],
    },
    {
      name: 'unnamed endpoint port for a named Service port: underlines the port entry',
      code: `${svc('- name: postgres\n  port: 5432')}---\n${endpoints('- port: 5432')}`,
      errors: [{ message: /Endpoints db port 5432 \(unnamed\) matches no port.* Endpoint ports must carry the name of the Service port they serve\. Did you mean "postgres"\?$/, line: 18, column: 9, endColumn: 19 }],
    },
    {
      name: 'EndpointSlice port names (EPS-09)',
      code: `${svc(two)}---\n${slice('- name: pg\n  port: 5432\n- name: metrics\n  port: 9187')}`,
      errors: [{ message: /^EndpointSlice db-1 port 5432 "pg" matches no port of Service db .* Did you mean "postgres"\?$/, related: 1 }],
    },
    {
      name: 'same name, other protocol',
      code: `${svc('- name: dns\n  port: 53\n  protocol: UDP')}---\n${slice('- name: dns\n  port: 53')}`,
      errors: [{ message: /EndpointSlice db-1 port 53 "dns" is TCP, but Service db declares "dns" as UDP: endpoint ports pair with Service ports by name and protocol/ }],
    },
    {
      name: 'several unmatched: only names and numbers pair them',
      code: `${svc(two)}---\n${endpoints('- name: a\n  port: 5432\n- name: b\n  port: 1234')}`,
      errors: [{ message: /"a" matches no port .*Did you mean "postgres"\?$/ }, { message: /"b" matches no port of Service db \("postgres", "metrics"\), so kube-proxy never sends the Service's traffic to it\.$/, related: 1 }],
    },
    {
      name: 'every subset is checked',
      code: `${svc('- name: postgres\n  port: 5432')}---\napiVersion: v1\nkind: Endpoints\nmetadata:\n  name: db\nsubsets:\n  - addresses: [{ip: 10.0.0.5}]\n    ports: [{name: postgres, port: 5432}]\n  - addresses: [{ip: 10.0.0.6}]\n    ports: [{name: postgre, port: 5432}]\n`,
      errors: [{ line: 18, message: /"postgre".*Did you mean "postgres"\?$/ }],
    },
  ],
});
