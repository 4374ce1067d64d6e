import rule from '../../server/src/rules/service/service-targetport-unnamed';
import { ruleTester } from '../rule-tester';

const deployment = (name: string, ports: string, labels = 'app: web', extraSpec = '') => `apiVersion: apps/v1
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
${extraSpec}      containers:
        - name: app
          image: nginx
          ports:
${ports.replace(/^/gm, '            ')}
`;

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

const named = `- name: http
  containerPort: 8080`;
const unnamed = `- containerPort: 8080 # app port`;

ruleTester(rule, {
  valid: [
    { name: 'already targets the name', code: `${svc('- port: 80\n  targetPort: http')}---\n${deployment('web', named)}` },
    { name: 'number not declared (service-targetport-undeclared\'s finding)', code: `${svc('- port: 80\n  targetPort: 9999')}---\n${deployment('web', named)}` },
    { name: 'declared with another protocol only (X-07)', code: `${svc('- port: 80\n  targetPort: 8080')}---\n${deployment('web', '- name: http\n  containerPort: 8080\n  protocol: UDP')}` },
    {
      name: 'not every selected workload declares it: a name would drop the others',
      code: `${svc('- port: 80\n  targetPort: 8080')}---\n${deployment('web-a', named)}---\n${deployment('web-b', '- name: admin\n  containerPort: 9000')}`,
    },
    { name: 'headless: clients dial the number anyway (SVC-29)', code: `${svc('- port: 8080\n  targetPort: 8080', '  clusterIP: None\n')}---\n${deployment('web', named)}` },
    { name: 'no selected workload', code: svc('- port: 80\n  targetPort: 8080') },
    { name: 'ExternalName', code: `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: ExternalName\n  externalName: x.example.com\n  selector:\n    app: web\n  ports:\n    - port: 8080\n---\n${deployment('web', named)}` },
  ],
  invalid: [
    {
      name: 'container names the port: use the name (comment kept)',
      files: { 'k8s/svc.yaml': svc('- name: web\n  port: 80\n  targetPort: 8080 # container port'), 'k8s/deploy.yaml': deployment('web', named) },
      errors: [
        {
          message: 'Service web port 80 ("web") targets container port 8080 by number; Deployment web names it "http". Target the name (targetPort: http) so the Service follows the container if its number changes.',
          file: 'k8s/svc.yaml',
          line: 11,
          column: 19,
          endColumn: 23,
          severity: 'information',
          related: 1,
          fixes: ['Use the container port name "http"'],
        },
      ],
      fix: { output: { 'k8s/svc.yaml': svc('- name: web\n  port: 80\n  targetPort: http # container port') } },
    },
    {
      name: 'targetPort defaulted from port: adds targetPort',
      code: `${svc('- port: 8080 # same as the container')}---\n${deployment('web', named)}`,
      errors: [{ message: /targets container port 8080 by number \(targetPort defaults to port\); Deployment web names it "http"\./, line: 9, column: 13, endColumn: 17, fixes: ['Use the container port name "http"'] }],
      fix: { output: `${svc('- port: 8080 # same as the container\n  targetPort: http')}---\n${deployment('web', named)}` },
    },
    {
      name: 'unnamed container port: names it (after the Service port) in the other file and targets it',
      files: { 'k8s/svc.yaml': svc('- name: web\n  port: 80\n  targetPort: 8080'), 'k8s/deploy.yaml': deployment('web', unnamed) },
      errors: [
        {
          message: /by number, and the container port has no name \(container app of Deployment web\)\. Name it and target the name/,
          fixes: ['Name container port 8080 "web" in Deployment web and target it by name'],
        },
      ],
      fix: {
        output: {
          'k8s/svc.yaml': svc('- name: web\n  port: 80\n  targetPort: web'),
          'k8s/deploy.yaml': deployment('web', `${unnamed}\n  name: web`),
        },
      },
    },
    {
      name: 'unnamed and the Service port unnamed: a well-known name',
      code: `${svc('- port: 5432')}---\n${deployment('web', '- containerPort: 5432')}`,
      errors: [{ fixes: ['Name container port 5432 "postgres" in Deployment web and target it by name'] }],
      fix: { output: `${svc('- port: 5432\n  targetPort: postgres')}---\n${deployment('web', '- containerPort: 5432\n  name: postgres')}` },
    },
    {
      name: 'name taken by another port of the pod: falls back to port-<n>',
      code: `${svc('- name: http\n  port: 80\n  targetPort: 8081\n- name: main\n  port: 81\n  targetPort: http')}---\n${deployment('web', '- name: http\n  containerPort: 8080\n- containerPort: 8081')}`,
      errors: [{ fixes: ['Name container port 8081 "port-8081" in Deployment web and target it by name'] }],
      fix: {},
    },
    {
      name: 'workloads name the port differently: no fix',
      code: `${svc('- port: 80\n  targetPort: 8080')}---\n${deployment('web-a', named)}---\n${deployment('web-b', '- name: web\n  containerPort: 8080')}`,
      errors: [{ message: /; Deployment web-a calls it "http", Deployment web-b calls it "web"\. Give the port one name/, related: 2, fixes: [] }],
    },
    {
      name: 'named in one workload, unnamed in the other: names the other the same',
      code: `${svc('- port: 80\n  targetPort: 8080')}---\n${deployment('web-a', named)}---\n${deployment('web-b', unnamed)}`,
      errors: [{ message: /it is named "http" in some workloads but unnamed in Deployment web-b\./, fixes: ['Name container port 8080 "http" in Deployment web-b and target it by name'] }],
      fix: {},
    },
    {
      name: 'the name is declared first by another container (POD-06v): no fix',
      code: `${svc('- port: 80\n  targetPort: 8080')}---\n${deployment('web', '- name: http\n  containerPort: 8080')}`.replace(
        '      containers:\n',
        '      containers:\n        - name: proxy\n          image: envoy\n          ports:\n            - name: http\n              containerPort: 15000\n',
      ),
      errors: [{ message: /names it "http"\. But the name first resolves to port 15000 of container proxy of Deployment web: rename one of them/, fixes: [] }],
    },
    {
      name: 'targetPort: 0 defaults to port and is replaced',
      code: `${svc('- port: 8080\n  targetPort: 0')}---\n${deployment('web', named)}`,
      errors: [{ line: 10, column: 19, endColumn: 20, fixes: ['Use the container port name "http"'] }],
      fix: { output: `${svc('- port: 8080\n  targetPort: http')}---\n${deployment('web', named)}` },
    },
    {
      name: 'flow-style port entries',
      code: `${svc('- {port: 80, targetPort: 8080}')}---\n${deployment('web', '- {containerPort: 8080}')}`,
      errors: [{ fixes: ['Name container port 8080 "http" in Deployment web and target it by name'] }],
      fix: { output: `${svc('- {port: 80, targetPort: http}')}---\n${deployment('web', '- {containerPort: 8080, name: http}')}` },
    },
    {
      name: 'hostNetwork pods: the declared port is the node port, naming still applies',
      code: `${svc('- port: 9100')}---\n${deployment('web', '- name: metrics\n  containerPort: 9100\n  hostPort: 9100', 'app: web', '      hostNetwork: true\n')}`,
      errors: [{ fixes: ['Use the container port name "metrics"'] }],
      fix: {},
    },
  ],
});
