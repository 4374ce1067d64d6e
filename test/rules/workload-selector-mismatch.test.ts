import rule from '../../server/src/rules/pod/workload-selector-mismatch';
import { ruleTester } from '../rule-tester';

const deploy = (selector: string, labels: string, kind = 'Deployment', apiVersion = 'apps/v1') => `apiVersion: ${apiVersion}
kind: ${kind}
metadata:
  name: web
spec:
  selector:
${selector.replace(/^/gm, '    ')}
  template:
    metadata:
      labels:
${labels.replace(/^/gm, '        ')}
    spec:
      containers:
        - name: web
          image: nginx
`;

const rc = (selector: string | undefined, labels: string) => `apiVersion: v1
kind: ReplicationController
metadata:
  name: legacy
spec:
  replicas: 1
${selector === undefined ? '' : `  selector:\n${selector.replace(/^/gm, '    ')}\n`}  template:
    metadata:
      labels:
${labels.replace(/^/gm, '        ')}
    spec:
      containers:
        - name: legacy
          image: nginx
`;

const job = (manual: boolean, selector: string, labels: string) => `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
${manual ? '  manualSelector: true\n' : ''}  selector:
${selector.replace(/^/gm, '    ')}
  template:
    metadata:
      labels:
${labels.replace(/^/gm, '        ')}
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: busybox
`;

const svc = (selector: string) => `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
${selector.replace(/^/gm, '    ')}
  ports:
    - port: 80
`;

ruleTester(rule, {
  valid: [
    { name: 'matchLabels is a subset of the template labels', code: deploy('matchLabels:\n  app: web', 'app: web\ntier: frontend') },
    {
      name: 'every operator satisfied; NotIn and DoesNotExist hold when the key is absent',
      code: deploy(
        'matchLabels:\n  app: web\nmatchExpressions:\n  - { key: tier, operator: In, values: [frontend, edge] }\n  - { key: env, operator: NotIn, values: [dev] }\n  - { key: app, operator: Exists }\n  - { key: canary, operator: DoesNotExist }',
        'app: web\ntier: edge',
      ),
    },
    { name: 'a number and its quoted text compare equal', code: deploy('matchLabels:\n  version: 2', 'version: "2"') },
    { name: 'ReplicationController without a selector defaults to its template labels', code: rc(undefined, 'app: legacy') },
    { name: 'ReplicationController selector subset', code: rc('app: legacy', 'app: legacy\ntier: x') },
    { name: 'Job selector is generated unless manualSelector', code: job(false, 'matchLabels:\n  app: other', 'app: migrate') },
    { name: 'Job with manualSelector that matches', code: job(true, 'matchLabels:\n  app: migrate', 'app: migrate') },
    { name: 'malformed expression: the API reports that instead', code: deploy('matchExpressions:\n  - { key: app, operator: Equals, values: [web] }', 'app: other') },
    { name: 'In without values is malformed', code: deploy('matchExpressions:\n  - { key: app, operator: In, values: [] }', 'app: other') },
    { name: 'empty selector is a different error', code: deploy('{}', 'app: web') },
    {
      name: 'selector absent (apps/v1beta1 defaulted it from the template)',
      code: `apiVersion: apps/v1beta1\nkind: Deployment\nmetadata:\n  name: old\nspec:\n  template:\n    metadata:\n      labels:\n        app: old\n    spec:\n      containers:\n        - name: old\n          image: nginx\n`,
    },
    {
      name: 'Rollout with a workloadRef has no template to compare',
      code: `apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: r\nspec:\n  selector:\n    matchLabels:\n      app: r\n  workloadRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: r\n`,
    },
    {
      name: 'CronJob is not checked (its template may not carry a selector at all)',
      code: `apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: "* * * * *"\n  jobTemplate:\n    spec:\n      template:\n        metadata:\n          labels:\n            app: c\n        spec:\n          restartPolicy: Never\n          containers:\n            - name: c\n              image: busybox\n`,
    },
  ],
  invalid: [
    {
      name: 'value differs: preferred fix labels the template, comments survive',
      code: deploy('matchLabels:\n  app: web # must match', 'app: web-frontend # the pods\ntier: frontend'),
      errors: [
        {
          message:
            'The selector of Deployment web (app=web) does not select its own pod template (app=web-frontend, tier=frontend): app is "web-frontend" in the template, not "web". The API server rejects Deployment web.',
          line: 8,
          column: 12,
          endColumn: 15,
          severity: 'error',
          related: 1,
          fixes: ['Set app=web in the pod template labels', 'Change the selector to app=web-frontend to match the pod template'],
        },
      ],
      fix: { output: deploy('matchLabels:\n  app: web # must match', 'app: web # the pods\ntier: frontend') },
    },
    {
      name: 'value differs: the selector fix',
      code: deploy('matchLabels:\n  app: web # must match', 'app: web-frontend\ntier: frontend'),
      errors: [{ fixes: [/^Set app=web/, /^Change the selector/] }],
      fix: { title: /^Change the selector/, output: deploy('matchLabels:\n  app: web-frontend # must match', 'app: web-frontend\ntier: frontend') },
    },
    {
      name: 'missing key: add it to the template; the closest key is named',
      code: deploy('matchLabels:\n  app.kubernetes.io/name: web\n  app.kubernetes.io/part-of: shop', 'app.kubernetes.io/name: web\napp.kubernetes.io/partof: shop'),
      errors: [
        {
          message: /the template has no app\.kubernetes\.io\/part-of label \(it has app\.kubernetes\.io\/partof=shop\)/,
          line: 9,
          column: 7,
          fixes: ['Add app.kubernetes.io/part-of=shop to the pod template labels', 'Change the selector to app.kubernetes.io/name=web to match the pod template'],
        },
      ],
      fix: {
        output: deploy('matchLabels:\n  app.kubernetes.io/name: web\n  app.kubernetes.io/part-of: shop', 'app.kubernetes.io/name: web\napp.kubernetes.io/partof: shop\napp.kubernetes.io/part-of: shop'),
      },
    },
    {
      name: 'selector fix drops a key the template lacks',
      code: deploy('matchLabels:\n  app: web\n  tier: frontend', 'app: web'),
      errors: [{ fixes: ['Add tier=frontend to the pod template labels', 'Change the selector to app=web to match the pod template'] }],
      fix: { title: /^Change the selector/, output: deploy('matchLabels:\n  app: web', 'app: web') },
    },
    {
      name: 'a Service selects the template by its current value: changing the selector is preferred',
      files: { 'k8s/deploy.yaml': deploy('matchLabels:\n  app: web', 'app: web-frontend'), 'k8s/svc.yaml': svc('app: web-frontend') },
      errors: [{ fixes: ['Change the selector to app=web-frontend to match the pod template', 'Set app=web in the pod template labels'] }],
      fix: { output: { 'k8s/deploy.yaml': deploy('matchLabels:\n  app: web-frontend', 'app: web-frontend') } },
    },
    {
      name: 'expressions: DoesNotExist fails, fix removes the label',
      code: deploy('matchLabels:\n  app: web\nmatchExpressions:\n  - key: canary\n    operator: DoesNotExist', 'app: web\ncanary: "true"'),
      errors: [{ message: /the template must not have a canary label, but has canary=true/, line: 10, column: 14, fixes: ['Remove canary from the pod template labels'] }],
      fix: { output: deploy('matchLabels:\n  app: web\nmatchExpressions:\n  - key: canary\n    operator: DoesNotExist', 'app: web') },
    },
    {
      name: 'expressions: In with several values picks the closest',
      code: deploy('matchExpressions:\n  - key: tier\n    operator: In\n    values: [frontend, backend]', 'tier: frontnd'),
      errors: [{ message: /tier is "frontnd" in the template, not one of "frontend", "backend"/, fixes: ['Set tier=frontend in the pod template labels'] }],
      fix: {},
    },
    {
      name: 'Exists with no such label has no automatic fix',
      code: deploy('matchExpressions:\n  - key: app\n    operator: Exists', 'name: web'),
      errors: [{ message: /the template has no app label/, fixes: [] }],
    },
    {
      name: 'template without labels gets a labels block',
      code: `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  selector:\n    matchLabels:\n      app: db\n  template:\n    spec:\n      containers:\n        - name: db\n          image: postgres\n`,
      errors: [{ message: /\(it has no labels\): the template has no app label/, line: 9, column: 7 }],
      fix: {
        output: `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  selector:\n    matchLabels:\n      app: db\n  template:\n    spec:\n      containers:\n        - name: db\n          image: postgres\n    metadata:\n      labels:\n        app: db\n`,
      },
    },
    {
      name: 'flow-style template labels',
      code: deploy('matchLabels: {app: web}', 'app: api').replace('      labels:\n        app: api\n', '      labels: {app: api, tier: x}\n'),
      errors: [{ line: 7, column: 24 }],
      fix: { output: deploy('matchLabels: {app: web}', 'app: api').replace('      labels:\n        app: api\n', '      labels: {app: web, tier: x}\n') },
    },
    {
      name: 'ReplicationController plain-map selector',
      code: rc('app: legacy\nversion: v2', 'app: legacy\nversion: v1'),
      errors: [{ message: /^The selector of ReplicationController legacy \(app=legacy, version=v2\) .* version is "v1" in the template, not "v2"/, line: 9, column: 14 }],
      fix: { output: rc('app: legacy\nversion: v2', 'app: legacy\nversion: v2') },
    },
    {
      name: 'Job with manualSelector',
      code: job(true, 'matchLabels:\n  job: migrate', 'app: migrate'),
      errors: [{ message: /^The selector of Job migrate \(job=migrate\)/ }],
      fix: {},
    },
    {
      name: 'Argo Rollout: the controller refuses it',
      code: deploy('matchLabels:\n  app: web', 'app: api', 'Rollout', 'argoproj.io/v1alpha1'),
      errors: [{ message: /The Argo Rollouts controller marks Rollout web InvalidSpec and creates no pods\.$/ }],
    },
    {
      name: 'DaemonSet',
      code: deploy('matchLabels:\n  app: agent', 'app: agnet', 'DaemonSet'),
      errors: [{ message: /DaemonSet web/ }],
    },
  ],
});
