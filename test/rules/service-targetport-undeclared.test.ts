import rule from '../../server/src/rules/service/service-targetport-undeclared';
import { ruleTester } from '../rule-tester';

const deployment = (name: string, podSpec: string, labels = 'app: web') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector:
    matchLabels:
${labels.replace(/^/gm, '      ')}
  template:
    metadata:
      labels:
${labels.replace(/^/gm, '        ')}
    spec:
${podSpec.replace(/^/gm, '      ')}
`;

const containers = (ports?: string) => `containers:
  - name: app
    image: nginx
${ports ? `    ports:\n${ports.replace(/^/gm, '      ')}` : ''}`.trimEnd();

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

const http = '- name: http\n  containerPort: 8080';

ruleTester(rule, {
  valid: [
    { name: 'declared number', code: `${svc('- port: 80\n  targetPort: 8080')}---\n${deployment('web', containers(http))}` },
    { name: 'defaulted targetPort declared', code: `${svc('- port: 8080')}---\n${deployment('web', containers(http))}` },
    { name: 'named targetPort (another rule)', code: `${svc('- port: 80\n  targetPort: nope')}---\n${deployment('web', containers(http))}` },
    { name: 'pods declare no ports at all: nothing to compare (X-06, POD-17)', code: `${svc('- port: 80\n  targetPort: 8080')}---\n${deployment('web', containers())}` },
    {
      name: 'declared on a sidecar init container',
      code: `${svc('- port: 15001')}---\n${deployment('web', `initContainers:\n  - name: proxy\n    image: envoy\n    restartPolicy: Always\n    ports:\n      - containerPort: 15001\n${containers(http)}`)}`,
    },
    { name: 'declared by one of two selected workloads', code: `${svc('- port: 80\n  targetPort: 9000')}---\n${deployment('web-a', containers(http))}---\n${deployment('web-b', containers('- containerPort: 9000'))}` },
    { name: 'no selected workload: open world', code: `${svc('- port: 80\n  targetPort: 8081')}---\n${deployment('api', containers(http), 'app: api')}` },
    { name: 'UDP declared for a UDP port', code: `${svc('- port: 53\n  protocol: UDP')}---\n${deployment('web', containers('- containerPort: 53\n  protocol: UDP'))}` },
    { name: 'hostNetwork pod declaring the node port', code: `${svc('- port: 9100')}---\n${deployment('web', `hostNetwork: true\n${containers('- containerPort: 9100')}`)}` },
  ],
  invalid: [
    {
      name: 'stale number next to a declared one',
      code: `${svc('- name: http\n  port: 80\n  targetPort: 8081')}---\n${deployment('web', containers(http))}`,
      errors: [
        {
          message:
            'Service web port 80 ("http") sends traffic to port 8081, but no container of Deployment web declares 8081/TCP; they declare 8080/TCP "http". If the process listens on 8080, set targetPort to "http" (or 8080).',
          line: 11,
          column: 19,
          endColumn: 23,
          severity: 'hint',
          related: 1,
          fixes: [],
        },
      ],
    },
    {
      name: 'targetPort defaults to port: underlines port',
      code: `${svc('- port: 80')}---\n${deployment('web', containers(http))}`,
      errors: [{ message: /sends traffic to port 80 \(targetPort defaults to port\), but no container of Deployment web declares 80\/TCP/, line: 9, column: 13, endColumn: 15 }],
    },
    {
      name: 'the number is a hostPort, not the containerPort',
      code: `${svc('- port: 80')}---\n${deployment('web', containers('- containerPort: 8080\n  hostPort: 80\n- containerPort: 9090'))}`,
      errors: [{ message: /80 is the hostPort of container app of Deployment web: a Service does not go through hostPorts, it reaches the pod on the containerPort \(8080\)\. If the process listens on 8080, set targetPort to 8080\.$/, related: 2 }],
    },
    {
      name: 'declared with another protocol only (X-07)',
      code: `${svc('- port: 53')}---\n${deployment('web', containers('- containerPort: 53\n  protocol: UDP'))}`,
      errors: [{ message: /declare no TCP port\. Container app of Deployment web declares 53 as UDP only\./ }],
    },
    {
      name: 'only a plain init container declares it',
      code: `${svc('- port: 80\n  targetPort: 8080')}---\n${deployment('web', `initContainers:\n  - name: setup\n    image: busybox\n    ports:\n      - containerPort: 8080\n${containers('- containerPort: 9090')}`)}`,
      errors: [{ message: /Only init container setup of Deployment web declares it, and that container exits before the pod serves\./ }],
    },
    {
      name: 'several declared ports: no guess unless a near typo',
      code: `${svc('- name: a\n  port: 80\n  targetPort: 8008\n- name: b\n  port: 81\n  targetPort: 7000')}---\n${deployment('web', containers(`${http}\n- name: metrics\n  containerPort: 9090`))}`,
      errors: [{ message: /If the process listens on 8080, set targetPort to "http" \(or 8080\)\.$/ }, { message: /so this works only if the process listens on that port\.$/ }],
    },
    {
      name: 'headless Services too',
      code: `${svc('- port: 5432', '  clusterIP: None\n')}---\n${deployment('web', containers('- name: pg\n  containerPort: 5433'))}`,
      errors: [{ message: /declares 5432\/TCP; they declare 5433\/TCP "pg"/ }],
    },
  ],
});
