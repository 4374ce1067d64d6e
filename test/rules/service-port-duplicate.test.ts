import rule from '../../server/src/rules/service-spec/service-port-duplicate';
import { ruleTester } from '../rule-tester';

const svc = (ports: string) => `apiVersion: v1
kind: Service
metadata:
  name: dns
spec:
  selector:
    app: dns
  ports:
${ports.replace(/^/gm, '    ')}
`;

ruleTester(rule, {
  valid: [
    { name: 'same port over TCP and UDP (SVC-08v)', code: svc('- name: dns\n  port: 53\n  protocol: UDP\n- name: dns-tcp\n  port: 53\n  protocol: TCP') },
    { name: 'two ports with the same targetPort', code: svc('- name: http\n  port: 80\n  targetPort: 8080\n- name: alt\n  port: 8080\n  targetPort: 8080') },
    { name: 'one port', code: svc('- port: 53') },
    { name: 'two unnamed ports are not duplicate names (service-port-name-required reports them)', code: svc('- port: 80\n- port: 443') },
    { name: 'same name in two different Services', code: `${svc('- name: dns\n  port: 53')}---\n${svc('- name: dns\n  port: 53').replace('name: dns\nspec', 'name: dns2\nspec')}` },
  ],
  invalid: [
    {
      name: 'same name with different protocols (SVC-07)',
      code: svc('- name: dns\n  port: 53\n  protocol: UDP\n- name: dns\n  port: 53\n  protocol: TCP'),
      errors: [
        {
          message:
            'Service dns has two ports named "dns": ports[0] (53/UDP) and ports[1] (53/TCP). Port names must be unique within a Service, even when the protocols differ, so the API server refuses it. Rename this one, for example to "dns-tcp".',
          line: 12,
          column: 13,
          endColumn: 16,
          related: 1,
        },
      ],
    },
    {
      name: 'same port, protocol defaulted to TCP on one side (SVC-08)',
      code: svc('- name: http\n  port: 80\n  targetPort: 8080\n- name: web\n  port: 80\n  protocol: TCP\n  targetPort: 9090'),
      errors: [
        {
          message:
            'Service dns lists port 80/TCP twice: ports[0] and ports[1]. Each port number may appear once per protocol, so the API server refuses it. To reach both targets, give this entry another port number.',
          line: 13,
          column: 13,
          related: 1,
        },
      ],
    },
    {
      name: 'a copied entry is a duplicate name and a duplicate port',
      code: svc('- name: http\n  port: 80\n- name: http\n  port: 80'),
      errors: [{ message: /two ports named "http".*Rename this one, for example to "port-80"/, line: 11 }, { message: /lists port 80\/TCP twice.*Remove this entry/, line: 12 }],
    },
    {
      name: 'three ports with one name: each later one is reported against the first',
      code: svc('- name: web\n  port: 80\n- name: web\n  port: 81\n- name: web\n  port: 82'),
      errors: [
        { message: /ports\[0\] \(80\/TCP\) and ports\[1\] \(81\/TCP\)/, line: 11 },
        { message: /ports\[0\] \(80\/TCP\) and ports\[2\] \(82\/TCP\)/, line: 13 },
      ],
    },
    {
      name: 'empty protocol is defaulted to TCP',
      code: svc('- name: a\n  port: 8080\n  protocol: ""\n- name: b\n  port: 8080'),
      errors: [{ message: /lists port 8080\/TCP twice/ }],
    },
  ],
});
