import rule from '../../server/src/rules/service-spec/service-external-ips';
import { ruleTester } from '../rule-tester';

const svc = (spec: string) => `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
${spec.replace(/^/gm, '  ')}
  selector:
    app: web
  ports:
    - port: 80
`;

ruleTester(rule, {
  valid: [
    { name: 'no externalIPs', code: svc('type: LoadBalancer') },
    { name: 'an empty list', code: svc('externalIPs: []') },
    { name: 'ExternalName: service-externalname-invalid reports it as ignored', code: svc('type: ExternalName\nexternalName: db.example.com\nexternalIPs: [203.0.113.10]') },
    { name: 'unknown type: stay quiet', code: svc('type: ClusterIp\nexternalIPs: [203.0.113.10]') },
  ],
  invalid: [
    {
      name: 'ClusterIP with externalIPs',
      code: svc('externalIPs:\n  - 203.0.113.10\n  - 203.0.113.11'),
      errors: [
        {
          message:
            'Service web uses externalIPs (203.0.113.10, 203.0.113.11). The field is deprecated and unmanaged: Kubernetes does not check who owns these addresses, anyone allowed to create Services can use it to intercept traffic to any IP (CVE-2020-8554), and many clusters block it with the DenyServiceExternalIPs admission plugin. Prefer type: LoadBalancer (or NodePort).',
          line: 6,
          column: 3,
          endColumn: 14,
          severity: 'information',
        },
      ],
    },
    {
      name: 'LoadBalancer with externalIPs',
      code: svc('type: LoadBalancer\nexternalIPs: [203.0.113.10]'),
      errors: [{ message: /The load balancer address already serves outside clients; drop externalIPs\.$/, line: 7 }],
    },
    {
      name: 'headless: the addresses are ignored (SVC-27)',
      code: svc('clusterIP: None\nexternalIPs: [203.0.113.10]'),
      errors: [{ message: 'Service web is headless (clusterIP: None), so its externalIPs (203.0.113.10) are ignored: there is no virtual IP for them to forward to.' }],
    },
  ],
});
