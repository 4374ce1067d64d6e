import rule from '../../server/src/rules/pod/statefulset-service-mismatch';
import { ruleTester } from '../rule-tester';

const sts = (serviceName: string | undefined, labels = 'app: db', ns = '') => `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
${ns ? `  namespace: ${ns}\n` : ''}spec:
${serviceName === undefined ? '' : `  serviceName: ${serviceName}\n`}  replicas: 3
  selector:
    matchLabels:
${labels.replace(/^/gm, '      ')}
  template:
    metadata:
      labels:
${labels.replace(/^/gm, '        ')}
    spec:
      containers:
        - name: db
          image: postgres
          ports:
            - name: pg
              containerPort: 5432
`;

const svc = (name: string, spec: string, ns = '') => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
${ns ? `  namespace: ${ns}\n` : ''}spec:
${spec.replace(/^/gm, '  ')}
`;

const HEADLESS = 'clusterIP: None\nselector:\n  app: db\nports:\n  - name: pg\n    port: 5432';

ruleTester(rule, {
  valid: [
    { name: 'headless Service that selects the pods (another file)', files: { 'k8s/sts.yaml': sts('db'), 'k8s/svc.yaml': svc('db', HEADLESS) } },
    { name: 'no serviceName', code: `${sts(undefined)}---\n${svc('web', 'selector:\n  app: web\nports:\n  - port: 80')}` },
    { name: 'open world: no Service at all in the namespace', code: sts('db') },
    { name: 'headless Service without a selector (endpoints managed by hand)', code: `${sts('db')}---\n${svc('db', 'clusterIP: None\nports:\n  - port: 5432')}` },
    {
      name: 'one variant headless and selecting is enough (overlays)',
      files: { 'base/sts.yaml': sts('db'), 'base/svc.yaml': svc('db', HEADLESS), 'old/svc.yaml': svc('db', 'selector:\n  app: db\nports:\n  - port: 5432') },
    },
    { name: 'a Service of that name in another namespace does not count, none here', code: `${sts('db', 'app: db', 'data')}---\n${svc('db', HEADLESS, 'other')}` },
  ],
  invalid: [
    {
      name: 'no Service of that name, with a near name suggested',
      code: `${sts('db-headles')}---\n${svc('db-headless', HEADLESS)}`,
      errors: [
        {
          message:
            'StatefulSet db names its governing Service "db-headles", but namespace default has no Service of that name, so its pods\' DNS names (db-0.db-headles...) do not resolve. Did you mean "db-headless"?',
          line: 6,
          column: 16,
          severity: 'warning',
          fixes: [],
        },
      ],
    },
    {
      name: 'a ClusterIP Service (aks-store-demo mongodb): a note, and a fix (not preferred) makes it headless',
      code: `${sts('db')}---\n${svc('db', 'selector:\n  app: db\nports:\n  - name: pg\n    port: 5432')}`,
      errors: [
        {
          message: /^StatefulSet db is governed by Service db, which is not headless \(type ClusterIP with a cluster IP\): the cluster DNS publishes per-pod names only for headless Services, so db-0\.db\.\.\. do not resolve\./,
          severity: 'information',
          related: 1,
          fixes: ['Make Service db headless (clusterIP: None)'],
          preferred: null,
        },
      ],
      fix: { output: `${sts('db')}---\n${svc('db', 'selector:\n  app: db\nports:\n  - name: pg\n    port: 5432\nclusterIP: None')}` },
    },
    {
      name: 'a Service with a cluster IP written: no fix (it would have to be recreated)',
      code: `${sts('db')}---\n${svc('db', 'clusterIP: 10.0.0.12\nselector:\n  app: db\nports:\n  - port: 5432')}`,
      errors: [{ message: /not headless \(clusterIP: 10\.0\.0\.12\)/, severity: 'information', fixes: [] }],
    },
    {
      name: 'a NodePort Service: no fix (a headless Service cannot be NodePort)',
      code: `${sts('db')}---\n${svc('db', 'type: NodePort\nselector:\n  app: db\nports:\n  - port: 5432')}`,
      errors: [{ message: /not headless \(type NodePort with a cluster IP\).*Add a headless Service/, fixes: [] }],
    },
    {
      name: 'headless, but selecting other pods',
      code: `${sts('db')}---\n${svc('db', HEADLESS.replace('app: db', 'app: database'))}`,
      errors: [{ message: /whose selector \(app=database\) selects none of its pods \(app=db\)/, severity: 'warning', related: 1 }],
    },
  ],
});
