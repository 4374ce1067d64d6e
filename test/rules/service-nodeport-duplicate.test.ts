import rule from '../../server/src/rules/service-spec/service-nodeport-duplicate';
import { ruleTester } from '../rule-tester';

const svc = (name: string, type: string, ports: string, extra = '') => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
${extra}spec:
  type: ${type}
  selector:
    app: ${name}
  ports:
${ports.replace(/^/gm, '    ')}
`;

const np = (n: number, port = 80) => `- port: ${port}\n  nodePort: ${n}`;

ruleTester(rule, {
  valid: [
    { name: 'distinct node ports', code: `${svc('web', 'NodePort', np(30080))}---\n${svc('api', 'NodePort', np(30081))}` },
    {
      name: 'same port number over TCP and UDP shares one node port (ALLOC-03v)',
      code: svc('dns', 'NodePort', '- name: dns\n  port: 53\n  protocol: UDP\n  nodePort: 30053\n- name: dns-tcp\n  port: 53\n  protocol: TCP\n  nodePort: 30053'),
    },
    {
      name: 'variants of one Service (same name and namespace) never conflict',
      files: { 'base/web.yaml': svc('web', 'NodePort', np(30080)), 'prod/web.yaml': svc('web', 'NodePort', np(30080)) },
      config: { conflictScope: 'workspace' },
    },
    {
      name: 'different directories are different conflict scopes (default: directory)',
      files: { 'staging/web.yaml': svc('web', 'NodePort', np(30080)), 'prod/api.yaml': svc('api', 'NodePort', np(30080)) },
    },
    {
      name: 'a nodePort on a ClusterIP Service is never allocated (service-type-mismatch reports it)',
      code: `${svc('web', 'NodePort', np(30080))}---\n${svc('api', 'ClusterIP', np(30080))}`,
    },
    {
      name: 'out-of-range duplicates are service-nodeport-range business',
      code: `${svc('web', 'NodePort', np(8080))}---\n${svc('api', 'NodePort', np(8080))}`,
    },
    {
      name: 'healthCheckNodePort of LoadBalancer + Cluster is not allocated',
      code: `${svc('web', 'NodePort', np(30080))}---\n${svc('lb', 'LoadBalancer', '- port: 80').replace('  type: LoadBalancer\n', '  type: LoadBalancer\n  healthCheckNodePort: 30080\n')}`,
    },
    { name: 'unknown type: stay quiet', code: `${svc('web', 'NodePort', np(30080))}---\n${svc('api', 'NodPort', np(30080))}` },
  ],
  invalid: [
    {
      name: 'two Services in one file: both get a finding, related to the other',
      code: `${svc('web', 'NodePort', np(30080))}---\n${svc('api', 'LoadBalancer', '- name: https # public\n  port: 443\n  nodePort: 30080 # fixed for the firewall')}`,
      errors: [
        {
          message:
            'nodePort 30080 on port 80/TCP of Service web is also requested by Service api for port 443/TCP (https). A node port belongs to a single Service in the whole cluster, so whichever is applied second is refused. Port 30000 is free.',
          line: 11,
          column: 17,
          endColumn: 22,
          related: 1,
          fixes: ['Use nodePort 30000 (a free port)'],
        },
        { message: /^nodePort 30080 on port 443\/TCP \(https\) of Service api is also requested by Service web for port 80\/TCP\. .* Port 30001 is free\.$/, line: 24, related: 1 },
      ],
      fix: {
        error: 1,
        output: `${svc('web', 'NodePort', np(30080))}---\n${svc('api', 'LoadBalancer', '- name: https # public\n  port: 443\n  nodePort: 30001 # fixed for the firewall')}`,
      },
    },
    {
      name: 'across files of one directory and across namespaces',
      files: {
        'k8s/web.yaml': svc('web', 'NodePort', np(30080)),
        'k8s/api.yaml': svc('api', 'NodePort', np(30080), '  namespace: backend\n'),
      },
      errors: [
        { file: 'k8s/web.yaml', message: /of Service web is also requested by Service api in namespace backend for port 80\/TCP/ },
        { file: 'k8s/api.yaml', message: /of Service api is also requested by Service web in namespace default for port 80\/TCP/ },
      ],
      fix: {},
    },
    {
      name: 'workspace scope spans directories',
      files: { 'a/web.yaml': svc('web', 'NodePort', np(30080)), 'b/api.yaml': svc('api', 'NodePort', np(30080)) },
      config: { conflictScope: 'workspace' },
      errors: [{ file: 'a/web.yaml' }, { file: 'b/api.yaml' }],
    },
    {
      name: 'three holders: each finding relates to the two others',
      code: `${svc('a', 'NodePort', np(30080))}---\n${svc('b', 'NodePort', np(30080))}---\n${svc('c', 'NodePort', np(30080))}`,
      errors: [
        { message: /requested by Service b for port 80\/TCP and Service c for port 80\/TCP/, related: 2 },
        { message: /Service b is also requested by Service a .* and Service c/, related: 2 },
        { message: /Service c is also requested by Service a .* and Service b/, related: 2 },
      ],
    },
    {
      name: 'two ports of one Service with different port numbers (ALLOC-03), even with different protocols',
      code: svc('web', 'NodePort', '- name: http\n  port: 80\n  nodePort: 30080\n- name: quic\n  port: 443\n  protocol: UDP\n  nodePort: 30080'),
      errors: [
        {
          message:
            'Service web requests nodePort 30080 for port 443/UDP (quic), but its port 80/TCP (http) already holds it. Only ports with the same port number (such as 53/TCP and 53/UDP) can share a node port, so the API server refuses the Service. Port 30000 is free.',
          line: 16,
          related: 1,
          fixes: ['Use nodePort 30000 (a free port)'],
        },
      ],
      fix: { output: svc('web', 'NodePort', '- name: http\n  port: 80\n  nodePort: 30080\n- name: quic\n  port: 443\n  protocol: UDP\n  nodePort: 30000') },
    },
    {
      name: 'a conflict with an entry of the same port number is resolved by sharing its node port',
      code: svc('dns', 'NodePort', '- name: dns-tcp\n  port: 53\n  nodePort: 30053\n- name: dns\n  port: 53\n  protocol: UDP\n  nodePort: 30054\n- name: dns-sctp\n  port: 53\n  protocol: SCTP\n  nodePort: 30054'),
      errors: [{ message: /nodePort 30054 for port 53\/SCTP \(dns-sctp\), but its port 53\/UDP \(dns\) already holds it\..* Use 30053, the node port of the other port 53 entry/, fixes: ['Use nodePort 30053 (shared with the other port 53 entry)'] }],
      fix: {},
    },
    {
      name: 'healthCheckNodePort equal to one of its own nodePorts (ALLOC-07)',
      code: svc('lb', 'LoadBalancer', np(30080)).replace('  type: LoadBalancer\n', '  type: LoadBalancer\n  externalTrafficPolicy: Local\n  healthCheckNodePort: 30080\n'),
      errors: [{ message: /^healthCheckNodePort 30080 of Service lb is already the nodePort of its port 80\/TCP/, line: 8, fixes: ['Use healthCheckNodePort 30000 (a free port)'] }],
      fix: {},
    },
    {
      name: 'a healthCheckNodePort conflicts with another Service nodePort',
      code: `${svc('web', 'NodePort', np(30080))}---\n${svc('lb', 'LoadBalancer', np(30081)).replace('  type: LoadBalancer\n', '  type: LoadBalancer\n  externalTrafficPolicy: Local\n  healthCheckNodePort: 30080\n')}`,
      errors: [
        { message: /requested by Service lb as its healthCheckNodePort/ },
        { message: /^healthCheckNodePort 30080 of Service lb is also requested by Service web for port 80\/TCP/ },
      ],
    },
    {
      name: 'the fix moves every entry that shares the node port',
      code: `${svc('web', 'NodePort', np(30080))}---\n${svc('dns', 'NodePort', '- name: dns\n  port: 53\n  protocol: UDP\n  nodePort: 30080\n- name: dns-tcp\n  port: 53\n  nodePort: 30080')}`,
      errors: [{ message: /Service web/ }, { message: /port 53\/UDP \(dns\) of Service dns/ }],
      fix: {
        error: 1,
        output: `${svc('web', 'NodePort', np(30080))}---\n${svc('dns', 'NodePort', '- name: dns\n  port: 53\n  protocol: UDP\n  nodePort: 30001\n- name: dns-tcp\n  port: 53\n  nodePort: 30001')}`,
      },
    },
  ],
});
