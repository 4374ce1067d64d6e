import rule from '../../server/src/rules/service/service-no-backends';
import { ruleTester } from '../rule-tester';

const svc = (name = 'db', extra = '', specExtra = '') => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
${extra}spec:
${specExtra}  ports:
    - name: postgres
      port: 5432
`;

const endpoints = (name: string, extra = '') => `apiVersion: v1
kind: Endpoints
metadata:
  name: ${name}
${extra}subsets:
  - addresses:
      - ip: 10.0.0.5
    ports:
      - name: postgres
        port: 5432
`;

const slice = (name: string, serviceName?: string) => `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: ${name}
${serviceName ? `  labels:\n    kubernetes.io/service-name: ${serviceName}\n` : ''}addressType: IPv4
endpoints:
  - addresses:
      - 10.0.0.5
ports:
  - name: postgres
    port: 5432
`;

const deployment = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: ${name}
          image: postgres
`;

ruleTester(rule, {
  valid: [
    { name: 'manual Endpoints with the same name (X-02v)', files: { 'k8s/svc.yaml': svc(), 'k8s/ep.yaml': endpoints('db') } },
    { name: 'EndpointSlice labelled with the Service name (X-02v)', code: `${svc()}---\n${slice('db-1', 'db')}` },
    { name: 'one of several variants of the Endpoints', files: { 'base/svc.yaml': svc(), 'prod/ep.yaml': endpoints('db') } },
    { name: 'Service with a selector', code: svc('db', '', '  selector:\n    app: db\n') },
    { name: 'empty selector is service-selector-empty\'s finding', code: svc('db', '', '  selector: {}\n') },
    { name: 'ExternalName never has endpoints', code: `apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  type: ExternalName\n  externalName: db.example.com\n` },
    { name: 'Endpoints in the Service namespace (explicit)', code: `${svc('db', '  namespace: data\n')}---\n${endpoints('db', '  namespace: data\n')}` },
  ],
  invalid: [
    {
      name: 'lone selector-less Service: information, says where endpoints must come from',
      code: svc(),
      errors: [
        {
          message:
            'Service db has no selector, so Kubernetes creates no endpoints for it, and the checked files hold no Endpoints named db or EndpointSlice labelled kubernetes.io/service-name=db in namespace default. It has no backends unless another tool or controller creates them.',
          line: 4,
          column: 9,
          endColumn: 11,
          severity: 'information',
          related: 0,
          fixes: [],
        },
      ],
    },
    {
      name: 'Endpoints with a near name (EP-11)',
      code: `${svc()}---\n${endpoints('db-endpoints')}`,
      errors: [{ message: /Endpoints db-endpoints looks meant for it, but Endpoints attach to the Service with exactly their own name\.$/, related: 1 }],
    },
    {
      name: 'EndpointSlice labelled for a near name',
      code: `${svc('postgres')}---\n${slice('pg-1', 'postgress')}`,
      errors: [{ message: /EndpointSlice pg-1 is labelled kubernetes\.io\/service-name=postgress; did you mean postgres\?$/, related: 1 }],
    },
    {
      name: 'EndpointSlice without the service-name label (EPS-08)',
      code: `${svc()}---\n${slice('db-abc')}`,
      errors: [{ message: /EndpointSlice db-abc carries no kubernetes\.io\/service-name label, so it backs no Service\.$/, related: 1 }],
    },
    {
      name: 'Endpoints in another namespace',
      code: `${svc('db', '  namespace: app\n')}---\n${endpoints('db', '  namespace: data\n')}`,
      errors: [{ message: /in namespace app\. .*Endpoints db in namespace data names it, but endpoints must live in the Service's namespace\.$/, related: 1 }],
    },
    {
      name: 'Endpoints of a same-named Service in another namespace are not mentioned',
      code: `${svc('db', '  namespace: app\n')}---\n${svc('db', '  namespace: data\n')}---\n${endpoints('db', '  namespace: data\n')}`,
      errors: [{ message: /in namespace app\. It has no backends unless another tool or controller creates them\.$/, related: 0 }],
    },
    {
      name: 'forgotten selector: names the workload called like the Service',
      code: `${svc()}---\n${deployment('db')}`,
      errors: [{ message: /If Deployment db should serve it, add a selector such as app=db\.$/, related: 1 }],
    },
    {
      name: 'written-out empty selector key is underlined',
      code: svc('db', '', '  selector:\n'),
      errors: [{ line: 6, column: 3, endColumn: 11 }],
    },
  ],
});
