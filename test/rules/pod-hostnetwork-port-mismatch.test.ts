import rule from '../../server/src/rules/pod/pod-hostnetwork-port-mismatch';
import { ruleTester } from '../rule-tester';

const pod = (ports: string, hostNetwork = true) => `apiVersion: v1
kind: Pod
metadata:
  name: agent
spec:
${hostNetwork ? '  hostNetwork: true\n' : ''}  containers:
    - name: agent
      image: agent
      ports:
${ports.replace(/^/gm, '        ')}
`;

const daemonSet = (ports: string, extra = '') => `apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels:
      app: agent
  template:
    metadata:
      labels:
        app: agent
    spec:
      hostNetwork: true
${extra}      containers:
        - name: agent
          image: agent
          ports:
${ports.replace(/^/gm, '            ')}
`;

ruleTester(rule, {
  valid: [
    { name: 'hostPort equal to containerPort', code: pod('- containerPort: 9100\n  hostPort: 9100') },
    { name: 'Pod: hostPort left out is defaulted to containerPort (D-10)', code: pod('- containerPort: 9100') },
    { name: 'template: hostPort 0 is allowed (POD-09)', code: daemonSet('- containerPort: 9100\n  hostPort: 0') },
    { name: 'without hostNetwork any hostPort is fine', code: pod('- containerPort: 80\n  hostPort: 8080', false) },
    {
      name: 'init containers are not checked by the API',
      code: daemonSet('- containerPort: 9100', '      initContainers:\n        - name: init\n          image: busybox\n          ports:\n            - containerPort: 80\n              hostPort: 8080\n'),
    },
    { name: 'containerPort missing: the schema rule reports that', code: pod('- hostPort: 8080') },
  ],
  invalid: [
    {
      name: 'Pod (POD-08): preferred fix sets hostPort to containerPort, comment kept',
      code: pod('- containerPort: 9100\n  hostPort: 9101 # metrics'),
      errors: [
        {
          message:
            'hostPort 9101 of container "agent" differs from its containerPort 9100, but Pod agent uses hostNetwork: the process listens on node port 9100 itself, nothing maps 9101 to it, and the API server rejects the mismatch. Use hostPort 9100 or leave it out.',
          line: 12,
          column: 21,
          endColumn: 25,
          severity: 'error',
          fixes: ['Set hostPort to 9100 (the containerPort)', 'Remove hostPort'],
        },
      ],
      fix: { output: pod('- containerPort: 9100\n  hostPort: 9100 # metrics') },
    },
    {
      name: 'template (POD-09): remove hostPort',
      code: daemonSet('- name: metrics # scraped\n  containerPort: 9100\n  hostPort: 19100\n  protocol: TCP'),
      errors: [{ message: /but the pod template of DaemonSet agent uses hostNetwork/, line: 21, column: 25 }],
      fix: { title: 'Remove hostPort', output: daemonSet('- name: metrics # scraped\n  containerPort: 9100\n  protocol: TCP') },
    },
    {
      name: 'hostPort first in the item',
      code: daemonSet('- hostPort: 8081\n  containerPort: 8080'),
      errors: [{ line: 19, fixes: ['Set hostPort to 8080 (the containerPort)', 'Remove hostPort'] }],
      fix: { title: 'Remove hostPort', output: daemonSet('- containerPort: 8080') },
    },
  ],
});
