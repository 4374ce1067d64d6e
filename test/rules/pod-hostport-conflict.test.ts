import rule from '../../server/src/rules/pod/pod-hostport-conflict';
import { ruleTester } from '../rule-tester';

/** A workload (or Pod) whose pod spec is `spec` (YAML at pod-spec indentation 0). */
const workload = (kind: string, name: string, spec: string, extra = '') => {
  const podSpec = (indent: number) => spec.replace(/^/gm, ' '.repeat(indent));
  if (kind === 'Pod') return `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n${extra}spec:\n${podSpec(2)}\n`;
  const api = kind === 'Job' ? 'batch/v1' : 'apps/v1';
  return `apiVersion: ${api}\nkind: ${kind}\nmetadata:\n  name: ${name}\n${extra}spec:\n  selector:\n    matchLabels:\n      app: ${name}\n  template:\n    metadata:\n      labels:\n        app: ${name}\n    spec:\n${podSpec(6)}\n`;
};

const container = (name: string, ports: string) => `- name: ${name}\n  image: nginx\n  ports:\n${ports.replace(/^/gm, '    ')}`;
const containers = (...cs: string[]) => `containers:\n${cs.join('\n').replace(/^/gm, '  ')}`;

ruleTester(rule, {
  valid: [
    {
      name: 'same hostPort, different protocol (SCHED-02)',
      code: workload('Pod', 'dns', containers(container('a', '- containerPort: 53\n  hostPort: 53\n  protocol: UDP'), container('b', '- containerPort: 53\n  hostPort: 53'))),
    },
    {
      name: 'same hostPort on two different specific hostIPs (SCHED-03)',
      files: {
        'k8s/a.yaml': workload('Deployment', 'a', containers(container('a', '- containerPort: 80\n  hostPort: 8080\n  hostIP: 10.0.0.1'))),
        'k8s/b.yaml': workload('Deployment', 'b', containers(container('b', '- containerPort: 80\n  hostPort: 8080\n  hostIP: 10.0.0.2'))),
      },
    },
    {
      name: ':: is not a wildcard to the scheduler (SCHED-04)',
      files: {
        'k8s/a.yaml': workload('Deployment', 'a', containers(container('a', '- containerPort: 80\n  hostPort: 8080\n  hostIP: "::"'))),
        'k8s/b.yaml': workload('Deployment', 'b', containers(container('b', '- containerPort: 80\n  hostPort: 8080\n  hostIP: 10.0.0.2'))),
      },
    },
    {
      name: 'plain init containers do not hold ports beside the app (SCHED-05)',
      files: {
        'k8s/a.yaml': workload('Pod', 'a', `initContainers:\n${container('setup', '- containerPort: 80\n  hostPort: 8080').replace(/^/gm, '  ')}\n${containers(container('a', '- containerPort: 80\n  hostPort: 8080'))}`),
        'k8s/b.yaml': workload('Pod', 'b', `initContainers:\n${container('setup', '- containerPort: 80\n  hostPort: 8080').replace(/^/gm, '  ')}\n${containers(container('b', '- containerPort: 81'))}`),
      },
    },
    {
      name: 'variants of one object (same identity) never conflict',
      files: {
        'k8s/a.yaml': workload('Deployment', 'web', containers(container('web', '- containerPort: 80\n  hostPort: 8080'))),
        'k8s/a-prod.yaml': workload('Deployment', 'web', containers(container('web', '- containerPort: 80\n  hostPort: 8080'))),
      },
    },
    {
      name: 'different conflict scope (other directory)',
      files: {
        'staging/a.yaml': workload('Deployment', 'a', containers(container('a', '- containerPort: 80\n  hostPort: 8080'))),
        'prod/b.yaml': workload('Deployment', 'b', containers(container('b', '- containerPort: 80\n  hostPort: 8080'))),
      },
    },
    {
      name: 'nodeSelectors that exclude each other',
      files: {
        'k8s/a.yaml': workload('DaemonSet', 'a', `nodeSelector:\n  kubernetes.io/os: linux\n${containers(container('a', '- containerPort: 80\n  hostPort: 8080'))}`),
        'k8s/b.yaml': workload('DaemonSet', 'b', `nodeSelector:\n  kubernetes.io/os: windows\n${containers(container('b', '- containerPort: 80\n  hostPort: 8080'))}`),
      },
    },
    {
      name: 'a workload scaled to zero holds no port',
      files: {
        'k8s/a.yaml': workload('Deployment', 'a', containers(container('a', '- containerPort: 80\n  hostPort: 8080'))).replace('spec:\n  selector', 'spec:\n  replicas: 0\n  selector'),
        'k8s/b.yaml': workload('Deployment', 'b', containers(container('b', '- containerPort: 80\n  hostPort: 8080'))),
      },
    },
    {
      name: 'containerPort alone (no hostPort, no hostNetwork) holds nothing on the node',
      files: {
        'k8s/a.yaml': workload('Deployment', 'a', containers(container('a', '- containerPort: 8080'))),
        'k8s/b.yaml': workload('Deployment', 'b', containers(container('b', '- containerPort: 8080'))),
      },
    },
  ],
  invalid: [
    {
      name: 'hostNetwork: one container declaring a port twice gets the same host port twice once defaulted (D-10, POD-07)',
      code: workload('Deployment', 'a', `hostNetwork: true\n${containers(container('a', '- name: http\n  containerPort: 8080\n- name: web\n  containerPort: 8080'))}`),
      errors: [{ message: 'With hostNetwork, container "a" declares containerPort 8080/TCP twice, and each becomes host port 8080/TCP: the API server accepts Deployment a but rejects every pod it creates.', line: 22, column: 30 }],
    },
    {
      name: 'two containers of one pod with the same literal key: the API rejects it; fix keeps comments',
      code: workload('Pod', 'web', containers(container('web', '- containerPort: 80\n  hostPort: 8080 # public'), container('metrics', '- containerPort: 9090\n  hostPort: 8080 # oops'))),
      errors: [
        {
          message: 'Host port 8080/TCP of container "metrics" is already claimed by container "web" in the same pod: the API server rejects Pod web. Host port 8081 is free.',
          line: 16,
          column: 21,
          endColumn: 25,
          severity: 'error',
          related: 1,
          fixes: ['Use free host port 8081'],
        },
      ],
      fix: { output: workload('Pod', 'web', containers(container('web', '- containerPort: 80\n  hostPort: 8080 # public'), container('metrics', '- containerPort: 9090\n  hostPort: 8081 # oops'))) },
    },
    {
      name: 'one container claiming one host port twice',
      code: workload('Deployment', 'web', containers(container('web', '- containerPort: 80\n  hostPort: 8080\n- containerPort: 81\n  hostPort: 8080'))),
      errors: [{ message: 'Container "web" claims host port 8080/TCP twice: the API server rejects Deployment web. Host port 8081 is free.', line: 21, column: 25 }],
      fix: { output: workload('Deployment', 'web', containers(container('web', '- containerPort: 80\n  hostPort: 8080\n- containerPort: 81\n  hostPort: 8081'))) },
    },
    {
      name: 'overlap that the API does not see: empty hostIP vs a specific one',
      code: workload('Pod', 'web', containers(container('web', '- containerPort: 80\n  hostPort: 8080'), container('admin', '- containerPort: 81\n  hostPort: 8080\n  hostIP: 127.0.0.1'))),
      errors: [{ message: /^Host port 127\.0\.0\.1:8080\/TCP of container "admin" overlaps 8080\/TCP of container "web" in the same pod/, severity: 'error' }],
      fix: {},
    },
    {
      name: 'sidecar and app container share the node port',
      code: workload('Pod', 'web', `initContainers:\n${container('proxy', '- containerPort: 80\n  hostPort: 8080').replace(/^/gm, '  ').replace('  image: nginx', '  image: nginx\n    restartPolicy: Always')}\n${containers(container('web', '- containerPort: 80\n  hostPort: 8080'))}`),
      errors: [{ message: /^Host port 8080\/TCP of sidecar "proxy" overlaps 8080\/TCP of container "web" in the same pod/ }],
    },
    {
      name: 'hostNetwork template: two containers declare the same containerPort; the pods are rejected after defaulting (D-10)',
      code: workload('Deployment', 'agent', `hostNetwork: true\n${containers(container('a', '- containerPort: 9100'), container('b', '- containerPort: 9100'))}`),
      errors: [{ message: /both turn containerPort 9100\/TCP into host port 9100\/TCP: the API server accepts Deployment agent but rejects every pod it creates\.$/, fixes: [] }],
    },
    {
      name: 'across workloads: a warning on each side, with related info',
      files: {
        'k8s/a.yaml': workload('Deployment', 'a', containers(container('a', '- containerPort: 80\n  hostPort: 8080'))),
        'k8s/b.yaml': workload('Deployment', 'b', containers(container('b', '- containerPort: 80\n  hostPort: 8080\n  hostIP: 10.0.0.1'))),
      },
      errors: [
        {
          file: 'k8s/a.yaml',
          message:
            'Host port 8080/TCP of Deployment a (container "a") is also claimed by Deployment b (container "b") as 10.0.0.1:8080/TCP: their pods can never run on the same node, so one stays Pending when no other node has the port free. Host port 8081 is free.',
          line: 19,
          column: 25,
          severity: 'warning',
          related: 1,
          fixes: ['Use free host port 8081'],
        },
        { file: 'k8s/b.yaml', severity: 'warning', related: 1, message: /^Host port 10\.0\.0\.1:8080\/TCP of Deployment b/ },
      ],
      fix: { output: { 'k8s/a.yaml': workload('Deployment', 'a', containers(container('a', '- containerPort: 80\n  hostPort: 8081'))) } },
    },
    {
      name: 'DaemonSet against a Deployment, in another namespace; the free port skips used ones',
      files: {
        'k8s/ds.yaml': workload('DaemonSet', 'agent', containers(container('agent', '- containerPort: 80\n  hostPort: 8080\n- containerPort: 81\n  hostPort: 8081')), '  namespace: kube-system\n'),
        'k8s/web.yaml': workload('Deployment', 'web', containers(container('web', '- containerPort: 80\n  hostPort: 8080'))),
      },
      errors: [
        { file: 'k8s/ds.yaml', message: /DaemonSet agent runs a pod on every node it targets/, fixes: ['Use free host port 8082'] },
        {
          file: 'k8s/web.yaml',
          message: /^Host port 8080\/TCP of Deployment web \(container "web"\) is also claimed by DaemonSet agent \(container "agent", namespace kube-system\): DaemonSet agent runs a pod on every node/,
          fixes: ['Use free host port 8082'],
        },
      ],
      fix: { error: 1 },
    },
    {
      name: 'hostNetwork pods claim their declared ports (SCHED-06); no simple fix',
      files: {
        'k8s/exporter.yaml': workload('DaemonSet', 'node-exporter', `hostNetwork: true\n${containers(container('exporter', '- containerPort: 9100'))}`),
        'k8s/other.yaml': workload('Deployment', 'other', containers(container('other', '- containerPort: 9100\n  hostPort: 9100'))),
      },
      errors: [
        { file: 'k8s/exporter.yaml', message: /^Host port 9100\/TCP of DaemonSet node-exporter/, line: 19, column: 30, fixes: [] },
        { file: 'k8s/other.yaml', fixes: ['Use free host port 9101'] },
      ],
    },
    {
      name: 'two Pods: both sides reported',
      files: {
        'pods/a.yaml': workload('Pod', 'a', containers(container('a', '- containerPort: 53\n  hostPort: 53\n  protocol: UDP\n  hostIP: 0.0.0.0'))),
        'pods/b.yaml': workload('Pod', 'b', containers(container('b', '- containerPort: 53\n  hostPort: 53\n  protocol: UDP'))),
      },
      errors: [{ file: 'pods/a.yaml', message: /^Host port 0\.0\.0\.0:53\/UDP of Pod a/ }, { file: 'pods/b.yaml' }],
    },
  ],
});
