import rule from '../../server/src/rules/pod/pod-host-exposure';
import { ruleTester } from '../rule-tester';

const deployment = (spec: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
${spec.replace(/^/gm, '      ')}
`;

ruleTester(rule, {
  valid: [
    { name: 'container ports only', code: deployment('containers:\n  - name: web\n    image: nginx\n    ports:\n      - containerPort: 8080') },
    { name: 'hostNetwork: false', code: deployment('hostNetwork: false\ncontainers:\n  - name: web\n    image: nginx') },
    { name: 'hostPort 0 means none', code: deployment('containers:\n  - name: web\n    image: nginx\n    ports:\n      - containerPort: 8080\n        hostPort: 0') },
  ],
  invalid: [
    {
      name: 'one hint per template, on the first hostPort',
      code: deployment(
        'containers:\n  - name: web\n    image: nginx\n    ports:\n      - containerPort: 8080\n        hostPort: 80\n      - containerPort: 8443\n        hostPort: 443',
      ),
      errors: [
        {
          message:
            'The pods of Deployment web are exposed on host port 80/TCP of container "web" (and 1 more host port): clients must follow the pod from node to node, only one such pod fits on each node, and nothing balances load across pods. A Service (NodePort or LoadBalancer) gives a stable address and load balancing.',
          line: 19,
          column: 15,
          endColumn: 27,
          severity: 'hint',
          fixes: [],
        },
      ],
    },
    {
      name: 'hostNetwork wins over hostPort, reported on the hostNetwork key',
      code: `apiVersion: v1\nkind: Pod\nmetadata:\n  name: probe\nspec:\n  hostNetwork: true\n  containers:\n    - name: probe\n      image: probe\n      ports:\n        - containerPort: 9100\n          hostPort: 9100\n`,
      errors: [{ message: /^Pod probe uses hostNetwork: it shares the node's network stack and can see all of its traffic/, line: 6, column: 3, endColumn: 20 }],
    },
    {
      name: 'DaemonSet: node agents are the expected use',
      code: deployment('hostNetwork: true\ncontainers:\n  - name: agent\n    image: agent').replace('kind: Deployment', 'kind: DaemonSet'),
      errors: [{ message: /Fine for a node agent; otherwise a Service gives a stable address and load balancing\.$/ }],
    },
    {
      name: 'a sidecar hostPort counts',
      code: deployment('initContainers:\n  - name: proxy\n    image: envoy\n    restartPolicy: Always\n    ports:\n      - containerPort: 15001\n        hostPort: 15001\ncontainers:\n  - name: web\n    image: nginx'),
      errors: [{ message: /host port 15001\/TCP of sidecar "proxy":/ }],
    },
  ],
});
