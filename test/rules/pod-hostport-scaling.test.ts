import rule from '../../server/src/rules/pod/pod-hostport-scaling';
import { ruleTester } from '../rule-tester';

const HOSTPORT = 'containers:\n  - name: web\n    image: nginx\n    ports:\n      - containerPort: 8080\n        hostPort: 80';

/** `specExtra` goes under spec (before the selector); `pod` is the pod spec. */
const workload = (kind: string, specExtra: string, pod = HOSTPORT, name = 'web') => `apiVersion: ${kind === 'Job' ? 'batch/v1' : kind === 'Rollout' ? 'argoproj.io/v1alpha1' : 'apps/v1'}
kind: ${kind}
metadata:
  name: ${name}
spec:
${specExtra ? specExtra.replace(/^/gm, '  ') + '\n' : ''}  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
${pod.replace(/^/gm, '      ')}
`;

ruleTester(rule, {
  valid: [
    { name: 'Deployment with strategy Recreate and one replica', code: workload('Deployment', 'replicas: 1\nstrategy:\n  type: Recreate') },
    { name: 'Deployment with one replica and maxSurge 0', code: workload('Deployment', 'strategy:\n  rollingUpdate:\n    maxSurge: 0\n    maxUnavailable: 1') },
    { name: 'Deployment with maxSurge 0%', code: workload('Deployment', 'strategy:\n  rollingUpdate:\n    maxSurge: "0%"\n    maxUnavailable: 1') },
    { name: 'Deployment scaled to zero', code: workload('Deployment', 'replicas: 0') },
    { name: 'DaemonSet: one pod per node by design (no surge by default)', code: workload('DaemonSet', '') },
    { name: 'DaemonSet with maxSurge 0', code: workload('DaemonSet', 'updateStrategy:\n  rollingUpdate:\n    maxSurge: 0\n    maxUnavailable: 1') },
    { name: 'StatefulSet with one replica never surges', code: workload('StatefulSet', 'serviceName: web\nreplicas: 1') },
    { name: 'no host port', code: workload('StatefulSet', 'serviceName: web\nreplicas: 3', 'containers:\n  - name: web\n    image: nginx\n    ports:\n      - containerPort: 8080') },
    { name: 'hostNetwork without declared ports: nothing the scheduler knows of', code: workload('ReplicaSet', 'replicas: 3', 'hostNetwork: true\ncontainers:\n  - name: web\n    image: nginx') },
    { name: 'plain init container host ports are released before the app starts', code: workload('ReplicaSet', 'replicas: 3', 'initContainers:\n  - name: init\n    image: busybox\n    ports:\n      - containerPort: 80\n        hostPort: 80\ncontainers:\n  - name: web\n    image: nginx') },
    { name: 'Job with one pod at a time', code: workload('Job', 'completions: 5') },
    { name: 'Pod is not a controller', code: `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n${HOSTPORT.replace(/^/gm, '  ')}\n` },
  ],
  invalid: [
    {
      name: 'a default Deployment surges by 25% (rounded up to 1)',
      code: workload('Deployment', ''),
      errors: [
        {
          message:
            'A rolling update of Deployment web starts 1 extra pod (the default maxSurge of 25%) before stopping an old one, and it needs another node with host port 80/TCP free: without a spare node the rollout stalls. Use strategy Recreate or maxSurge: 0, or put a Service in front instead of the host port.',
          line: 19,
          column: 25,
          endColumn: 27,
          severity: 'information',
          related: 0,
        },
      ],
    },
    {
      name: 'several replicas, and the surge on top',
      code: workload('Deployment', 'replicas: 3\nstrategy:\n  rollingUpdate:\n    maxSurge: 1\n    maxUnavailable: 1'),
      errors: [
        {
          message: /^Deployment web runs 3 pods that each claim host port 80\/TCP, but only one fits per node: it needs 3 nodes with the port free, or the rest stay Pending\. A rolling update also starts 1 extra pod \(maxSurge 1\) before stopping an old one, and it needs another node with host port 80\/TCP free, or the rollout waits for an old pod to stop\. A Service in front of the pods avoids the limit; if one pod per node is the intent, a DaemonSet says so\.$/,
          related: 2,
        },
      ],
    },
    {
      name: 'the default maxUnavailable of 3 replicas rounds down to 0: the rollout stalls',
      code: workload('Deployment', 'replicas: 3'),
      errors: [{ message: /A rolling update also starts 1 extra pod \(the default maxSurge of 25%\) before stopping an old one, and it needs another node with host port 80\/TCP free: without a spare node the rollout stalls\. A Service/, related: 1 }],
    },
    {
      name: 'StatefulSet replicas',
      code: workload('StatefulSet', 'serviceName: web\nreplicas: 2'),
      errors: [{ message: /^StatefulSet web runs 2 pods that each claim host port 80\/TCP/, related: 1 }],
    },
    {
      name: 'ReplicationController replicas',
      code: `apiVersion: v1\nkind: ReplicationController\nmetadata:\n  name: rc\nspec:\n  replicas: 2\n  template:\n    metadata:\n      labels:\n        app: rc\n    spec:\n${HOSTPORT.replace(/^/gm, '      ')}\n`,
      errors: [{ message: /^ReplicationController rc runs 2 pods/ }],
    },
    {
      name: 'hostNetwork with declared ports counts like hostPort, reported on hostNetwork',
      code: workload('ReplicaSet', 'replicas: 2', 'hostNetwork: true\ncontainers:\n  - name: web\n    image: nginx\n    ports:\n      - containerPort: 9100'),
      errors: [{ message: /claim hostNetwork port 9100\/TCP/, line: 15, column: 20 }],
    },
    {
      name: 'DaemonSet surge puts the new pod on the node that holds the port',
      code: workload('DaemonSet', 'updateStrategy:\n  type: RollingUpdate\n  rollingUpdate:\n    maxSurge: 10%\n    maxUnavailable: 0'),
      errors: [{ message: /^DaemonSet web holds host port 80\/TCP on every node, and its update strategy \(maxSurge 10%\) starts the new pod on a node before the old one stops/, related: 1 }],
    },
    {
      name: 'an autoscaler raises the pod count',
      files: {
        'k8s/deploy.yaml': workload('Deployment', 'replicas: 1\nstrategy:\n  type: Recreate'),
        'k8s/hpa.yaml': `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: web\n  minReplicas: 1\n  maxReplicas: 5\n`,
      },
      errors: [{ message: /^Deployment web runs 5 pods/, related: 1 }],
    },
    {
      name: 'Job parallelism',
      code: workload('Job', 'parallelism: 4\ncompletions: 10', `restartPolicy: Never\n${HOSTPORT}`),
      errors: [{ message: /^Job web runs 4 pods/ }],
    },
    {
      name: 'Argo Rollout blue-green runs the preview beside the active pods',
      code: workload('Rollout', 'replicas: 1\nstrategy:\n  blueGreen:\n    activeService: web'),
      errors: [{ message: /^A rolling update of Rollout web starts 1 extra pod \(the blue-green preview\)/ }],
    },
  ],
});
