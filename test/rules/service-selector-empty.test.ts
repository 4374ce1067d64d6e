import rule from '../../server/src/rules/service/service-selector-empty';
import { ruleTester } from '../rule-tester';

const deployment = (name: string, labels: string, ns = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
${ns ? `  namespace: ${ns}\n` : ''}spec:
  selector:
    matchLabels:
${labels.split('\n')[0].replace(/^/gm, '      ')}
  template:
    metadata:
      labels:
${labels.replace(/^/gm, '        ')}
    spec:
      containers:
        - name: ${name}
          image: nginx
          ports:
            - name: http
              containerPort: 8080
`;

const svc = (selector: string, name = 'web', extra = '') => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
${extra}spec:
  selector: ${selector}
  ports:
    - port: 80
      targetPort: 8080
`;

const endpoints = (name: string) => `apiVersion: v1
kind: Endpoints
metadata:
  name: ${name}
subsets:
  - addresses:
      - ip: 10.0.0.5
    ports:
      - port: 8080
`;

ruleTester(rule, {
  valid: [
    { name: 'non-empty selector', code: svc('{app: web}') },
    { name: 'no selector at all (selector-less Service)', code: `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n` },
    { name: 'null selector is selector-less too, not an empty map', code: svc('~') },
    { name: 'ExternalName ignores its selector', code: `apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  type: ExternalName\n  externalName: db.example.com\n  selector: {}\n` },
  ],
  invalid: [
    {
      name: 'fills the selector from the workload named like the Service (matchLabels, not version labels)',
      files: { 'k8s/svc.yaml': svc('{} # TODO'), 'k8s/deploy.yaml': deployment('web', 'app: web\nversion: v2'), 'k8s/other.yaml': deployment('worker', 'app: worker') },
      errors: [
        {
          message:
            'Service web has an empty selector: the API server stores {} as no selector, so no pods are selected and the Service gets no endpoints unless you create them by hand. Closest workload: Deployment web (app=web).',
          line: 6,
          column: 3,
          endColumn: 15,
          severity: 'warning',
          related: 1,
          fixes: ['Select the pods of Deployment web (app=web)', 'Remove the empty selector (for endpoints you manage yourself)'],
        },
      ],
      fix: { output: { 'k8s/svc.yaml': svc('# TODO').replace('selector: # TODO', 'selector:\n    app: web # TODO') } },
    },
    {
      name: 'lone workload in the namespace is the candidate even with another name',
      code: `${svc('{}', 'frontend')}---\n${deployment('nginx', 'app: nginx')}`,
      errors: [{ message: /Closest workload: Deployment nginx \(app=nginx\)\.$/, fixes: [/^Select the pods of Deployment nginx/, /^Remove/] }],
      fix: {},
    },
    {
      name: 'several unrelated workloads: only the removal is offered',
      code: `${svc('{}')}---\n${deployment('api', 'app: api')}---\n${deployment('worker', 'app: worker')}`,
      errors: [{ message: /create them by hand\.$/, related: 0, fixes: ['Remove the empty selector (for endpoints you manage yourself)'] }],
      fix: { output: `${svc('{}').replace('  selector: {}\n', '')}---\n${deployment('api', 'app: api')}---\n${deployment('worker', 'app: worker')}` },
    },
    {
      name: 'workloads in another namespace are not candidates',
      code: `${svc('{}', 'web', '  namespace: shop\n')}---\n${deployment('web', 'app: web', 'other')}`,
      errors: [{ fixes: [/^Remove/] }],
    },
    {
      name: 'with manual Endpoints the empty selector is only unnecessary (hint)',
      code: `${svc('{}', 'db')}---\n${endpoints('db')}`,
      errors: [{ message: /its backends come from Endpoints db/, severity: 'hint', related: 1, fixes: ['Remove the empty selector'] }],
      fix: { output: `${svc('{}', 'db').replace('  selector: {}\n', '')}---\n${endpoints('db')}` },
    },
    {
      name: 'flow-style spec keeps flow style',
      code: `apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {}, ports: [{port: 80}]} # one-liner\n---\n${deployment('web', 'app: web')}`,
      errors: [{ fixes: [/^Select the pods of Deployment web/, /^Remove/] }],
      fix: { output: `apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: { app: web }, ports: [{port: 80}]} # one-liner\n---\n${deployment('web', 'app: web')}` },
    },
  ],
});
