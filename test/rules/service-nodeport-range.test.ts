import rule from '../../server/src/rules/service-spec/service-nodeport-range';
import { ruleTester } from '../rule-tester';

const svc = (name: string, type: string, ports: string, extra = '') => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  type: ${type}
${extra}  selector:
    app: ${name}
  ports:
${ports.replace(/^/gm, '    ')}
`;

ruleTester(rule, {
  valid: [
    { name: 'nodePort inside the default range', code: svc('web', 'NodePort', '- port: 80\n  nodePort: 30080') },
    { name: 'range bounds are inclusive', code: svc('web', 'NodePort', '- name: a\n  port: 80\n  nodePort: 30000\n- name: b\n  port: 81\n  nodePort: 32767') },
    { name: 'no nodePort: the cluster allocates', code: svc('web', 'LoadBalancer', '- port: 80') },
    { name: 'nodePort on ClusterIP is service-type-mismatch business', code: svc('web', 'ClusterIP', '- port: 80\n  nodePort: 80') },
    { name: 'unknown type: stay quiet (schema reports the type)', code: svc('web', 'NodePrt', '- port: 80\n  nodePort: 80') },
    { name: 'configured range', code: svc('web', 'NodePort', '- port: 80\n  nodePort: 20080'), config: { nodePortRange: { min: 20000, max: 22767 } } },
    {
      name: 'healthCheckNodePort on LoadBalancer + Cluster is not allocated (SVC-23 is type-mismatch business)',
      code: svc('web', 'LoadBalancer', '- port: 80', '  healthCheckNodePort: 80\n'),
    },
    { name: 'nodePort 0 means unset', code: svc('web', 'NodePort', '- port: 80\n  nodePort: 0') },
  ],
  invalid: [
    {
      name: 'below the range: lowest free port, comments kept',
      code: svc('web', 'NodePort', '- name: http\n  port: 80\n  nodePort: 8080 # was a docker port'),
      errors: [
        {
          message:
            'nodePort 8080 on port 80/TCP (http) of Service web is outside the node port range 30000-32767, so the API server refuses the Service. The lowest free port in range is 30000. Or leave nodePort out and let the cluster allocate one.',
          line: 12,
          column: 17,
          endColumn: 21,
          fixes: ['Use nodePort 30000 (lowest free port in 30000-32767)', 'Remove nodePort (the cluster picks a free one)'],
        },
      ],
      fix: { output: svc('web', 'NodePort', '- name: http\n  port: 80\n  nodePort: 30000 # was a docker port') },
    },
    {
      name: 'remove fix deletes the line',
      code: svc('web', 'LoadBalancer', '- name: http\n  port: 80\n  nodePort: 80\n  targetPort: 8080'),
      errors: [{ message: /nodePort 80 on port 80\/TCP/ }],
      fix: { title: /^Remove/, output: svc('web', 'LoadBalancer', '- name: http\n  port: 80\n  targetPort: 8080') },
    },
    {
      name: 'free port skips ports held by other Services in the conflict scope',
      files: {
        'k8s/web.yaml': svc('web', 'NodePort', '- port: 80\n  nodePort: 40000'),
        'k8s/api.yaml': svc('api', 'NodePort', '- name: a\n  port: 80\n  nodePort: 30000\n- name: b\n  port: 81\n  nodePort: 30001'),
        'other/x.yaml': svc('x', 'NodePort', '- port: 80\n  nodePort: 30002'),
      },
      errors: [{ file: 'k8s/web.yaml', message: /outside the node port range 30000-32767.*lowest free port in range is 30002\./ }],
      fix: { output: { 'k8s/web.yaml': svc('web', 'NodePort', '- port: 80\n  nodePort: 30002') } },
    },
    {
      name: 'configured range',
      code: svc('web', 'NodePort', '- port: 80\n  nodePort: 30080'),
      config: { nodePortRange: { min: 20000, max: 22767 } },
      errors: [{ message: /outside the node port range 20000-22767.*lowest free port in range is 20000\./ }],
      fix: {},
    },
    {
      name: 'healthCheckNodePort of LoadBalancer + Local is allocated too',
      code: svc('web', 'LoadBalancer', '- port: 80', '  externalTrafficPolicy: Local\n  healthCheckNodePort: 10256\n'),
      errors: [{ message: /^healthCheckNodePort 10256 of Service web is outside/, line: 8, column: 24, fixes: ['Use healthCheckNodePort 30000 (lowest free port in 30000-32767)', 'Remove healthCheckNodePort (the cluster picks a free one)'] }],
      fix: {},
    },
    {
      name: 'LoadBalancer without node port allocation still range-checks requested ones (ALLOC-06)',
      code: svc('web', 'LoadBalancer', '- port: 80\n  nodePort: 443', '  allocateLoadBalancerNodePorts: false\n'),
      errors: [{ message: /nodePort 443/ }],
    },
    {
      name: 'two out-of-range ports get distinct free ports; the same port over two protocols shares one',
      code: svc('dns', 'NodePort', '- name: dns\n  port: 53\n  protocol: UDP\n  nodePort: 53\n- name: dns-tcp\n  port: 53\n  nodePort: 53\n- name: metrics\n  port: 9153\n  nodePort: 9153'),
      errors: [
        { message: /nodePort 53 on port 53\/UDP.*lowest free port in range is 30000\./ },
        { message: /nodePort 53 on port 53\/TCP.*Use 30000, the node port suggested for the other port 53 entry: entries with the same port number share one node port\./, fixes: ['Use nodePort 30000 (shared with the other port 53 entry)', /^Remove/] },
        { message: /nodePort 9153 on port 9153\/TCP.*lowest free port in range is 30001\./ },
      ],
    },
    {
      name: 'a port next to an in-range port with the same number shares its node port',
      code: svc('dns', 'NodePort', '- name: dns\n  port: 53\n  protocol: UDP\n  nodePort: 30053\n- name: dns-tcp\n  port: 53\n  nodePort: 53'),
      errors: [{ message: /Use 30053, the node port of the other port 53 entry/ }],
      fix: { output: svc('dns', 'NodePort', '- name: dns\n  port: 53\n  protocol: UDP\n  nodePort: 30053\n- name: dns-tcp\n  port: 53\n  nodePort: 30053') },
    },
  ],
});
