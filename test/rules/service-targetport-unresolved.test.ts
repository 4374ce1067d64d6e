import rule from '../../server/src/rules/service/service-targetport-unresolved';
import { ruleTester } from '../rule-tester';

/** A Deployment whose pod template has `labels` and the given container(s) YAML (indented under `spec:`). */
const deployment = (name: string, podSpec: string, labels = `app: web`) => `apiVersion: apps/v1
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

const containers = (ports: string) => `containers:
  - name: app
    image: nginx
    ports:
${ports.replace(/^/gm, '      ')}`;

const httpPorts = `- name: http
  containerPort: 8080
- name: metrics
  containerPort: 9090`;

const svc = (ports: string, extra = '', selector = 'app: web') => `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
${extra}  selector:
${selector.replace(/^/gm, '    ')}
  ports:
${ports.replace(/^/gm, '    ')}
`;

const port = (targetPort: string, more = '') => `- port: 80
${more}  targetPort: ${targetPort}`;

ruleTester(rule, {
  valid: [
    { name: 'name resolves', code: `${svc(port('http'))}---\n${deployment('web', containers(httpPorts))}` },
    {
      name: 'name present in only some selected pods (X-04v)',
      code: `${svc(port('http'))}---\n${deployment('web-a', containers(httpPorts))}---\n${deployment('web-b', containers('- name: web\n  containerPort: 8080'))}`,
    },
    {
      name: 'name on a sidecar init container (restartPolicy: Always)',
      code: `${svc(port('proxy'))}---\n${deployment('web', `initContainers:\n  - name: envoy\n    image: envoy\n    restartPolicy: Always\n    ports:\n      - name: proxy\n        containerPort: 15001\n${containers('- containerPort: 8080')}`)}`,
    },
    { name: 'UDP name on a UDP port', code: `${svc(port('dns', '  protocol: UDP\n'))}---\n${deployment('web', containers('- name: dns\n  containerPort: 53\n  protocol: UDP'))}` },
    { name: 'no selected template: open world', code: `${svc(port('nope'))}---\n${deployment('api', containers(httpPorts), 'app: api')}` },
    { name: 'lone Service', code: svc(port('nope')) },
    { name: 'numeric targetPort', code: `${svc(port('8081'))}---\n${deployment('web', containers(httpPorts))}` },
    { name: 'invalid IANA name is the schema rule\'s finding', code: `${svc(port('"8080"'))}---\n${deployment('web', containers(httpPorts))}` },
    {
      name: 'ExternalName never resolves ports',
      code: `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: ExternalName\n  externalName: web.example.com\n  selector:\n    app: web\n  ports:\n    - port: 80\n      targetPort: nope\n---\n${deployment('web', containers(httpPorts))}`,
    },
    { name: 'hostNetwork pod with the named port', code: `${svc(port('http'))}---\n${deployment('web', `hostNetwork: true\n${containers('- name: http\n  containerPort: 8080\n  hostPort: 8080')}`)}` },
    { name: 'one of two variants of the workload has the name', files: { 'base/svc.yaml': svc(port('http')), 'base/deploy.yaml': deployment('web', containers('- name: web\n  containerPort: 8080')), 'prod/deploy.yaml': deployment('web', containers(httpPorts)) } },
  ],
  invalid: [
    {
      name: 'a close name is preferred; a loose one is offered, not applied unreviewed',
      code: `${svc(port('htpt'))}---\n${deployment('web', containers(httpPorts))}`,
      errors: [{ fixes: [/^Use container port "http"/, /^Use container port "metrics"/, 'Use port number 8080'], preferred: /^Use container port "http"/ }],
    },
    {
      name: 'a loose name match (grpc-web, grpc) is offered, not preferred',
      code: `${svc(port('grpc-web'))}---\n${deployment('web', containers('- name: grpc\n  containerPort: 8080\n- name: metrics\n  containerPort: 9090'))}`,
      errors: [{ message: /Did you mean "grpc"\?/, fixes: [/^Use container port "grpc"/, /^Use container port "metrics"/, 'Use port number 8080'], preferred: null }],
    },
    {
      name: 'typo: fixes per container port name, closest first; comments survive',
      files: { 'k8s/svc.yaml': svc(port('htp # the web port')), 'k8s/deploy.yaml': deployment('web', containers(httpPorts)) },
      errors: [
        {
          message:
            'Service web port 80 targets the container port named "htp", but no selected pod (Deployment web) has a TCP port of that name, so this Service port gets no endpoints. Did you mean "http"?',
          file: 'k8s/svc.yaml',
          line: 10,
          column: 19,
          endColumn: 22,
          severity: 'warning',
          related: 1,
          fixes: ['Use container port "http" (8080)', 'Use container port "metrics" (9090)', 'Use port number 8080'],
        },
      ],
      fix: { output: { 'k8s/svc.yaml': svc(port('http # the web port')) } },
    },
    {
      name: 'numeric fix keeps the comment and drops the quotes',
      code: `${svc(port('"htp" # note'))}---\n${deployment('web', containers(httpPorts))}`,
      errors: [{ fixes: [/"http"/, /"metrics"/, 'Use port number 8080'] }],
      fix: { title: 'Use port number 8080', output: `${svc(port('8080 # note'))}---\n${deployment('web', containers(httpPorts))}` },
    },
    {
      name: 'name exists with another protocol (X-05)',
      code: `${svc(port('dns', '  protocol: UDP\n'))}---\n${deployment('web', containers('- name: dns\n  containerPort: 53'))}`,
      errors: [
        {
          message: /has a UDP port of that name, so this Service port gets no endpoints\. Container app of Deployment web declares "dns" as TCP; a named targetPort only matches a port with the Service port's protocol \(UDP\)\.$/,
          related: 1,
          fixes: ['Use port number 53'],
        },
      ],
    },
    {
      name: 'other-protocol name with a same-protocol sibling to switch to',
      code: `${svc(port('dns'))}---\n${deployment('web', containers('- name: dns\n  containerPort: 53\n  protocol: UDP\n- name: dns-tcp\n  containerPort: 53'))}`,
      errors: [{ message: /declares "dns" as UDP; .* Did you mean "dns-tcp"\?$/, related: 2, fixes: ['Use container port "dns-tcp" (53)', 'Use port number 53'] }],
      fix: {},
    },
    {
      name: 'name only on a plain init container',
      code: `${svc(port('http'))}---\n${deployment('web', `initContainers:\n  - name: setup\n    image: busybox\n    ports:\n      - name: http\n        containerPort: 8080\n${containers('- containerPort: 8080')}`)}`,
      errors: [{ message: /Only init container setup of Deployment web declares "http", and an init container without restartPolicy: Always exits before the pod serves\.$/, fixes: ['Use port number 8080'] }],
      fix: {},
    },
    {
      name: 'the Service port name points at the intended container port',
      code: `${svc('- name: metrics\n  port: 9090\n  targetPort: prom')}---\n${deployment('web', containers(httpPorts))}`,
      errors: [{ message: /Did you mean "metrics"\?$/, fixes: ['Use container port "metrics" (9090)', 'Use container port "http" (8080)', 'Use port number 9090'] }],
      fix: {},
    },
    {
      name: 'unrelated names: listed, none preferred',
      code: `${svc(port('grpc'))}---\n${deployment('web', containers(httpPorts))}`,
      errors: [{ message: /Named TCP ports there: "http", "metrics"\.$/, fixes: [/"http"/, /"metrics"/, /8080/] }],
    },
    {
      name: 'no named ports at all',
      code: `${svc(port('http'))}---\n${deployment('web', containers('- containerPort: 8080'))}`,
      errors: [{ message: /They declare no named TCP port\.$/, fixes: ['Use port number 8080'] }],
      fix: {},
    },
    {
      name: 'headless Services resolve names the same way',
      code: `${svc(port('htp'), '  clusterIP: None\n')}---\n${deployment('web', containers(httpPorts))}`,
      errors: [{ message: /Did you mean "http"\?$/ }],
    },
    {
      name: 'one finding per broken port',
      code: `${svc(`- name: a\n  port: 80\n  targetPort: htp\n- name: b\n  port: 81\n  targetPort: http\n- name: c\n  port: 82\n  targetPort: metric`)}---\n${deployment('web', containers(httpPorts))}`,
      errors: [{ line: 11, message: /"htp"/ }, { line: 17, message: /"metric".*Did you mean "metrics"\?$/ }],
    },
  ],
});
