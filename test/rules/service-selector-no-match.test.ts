import rule from '../../server/src/rules/service/service-selector-no-match';
import { ruleTester } from '../rule-tester';

const deployment = (name: string, labels: string, ns = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
${ns ? `  namespace: ${ns}\n` : ''}spec:
  selector:
    matchLabels:
${labels.replace(/^/gm, '      ')}
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

const svc = (selector: string, extra = '') => `apiVersion: v1
kind: Service
metadata:
  name: web
${extra}spec:
  selector:
${selector.replace(/^/gm, '    ')}
  ports:
    - port: 80
      targetPort: http
`;

/** kube-prometheus's Alertmanager resource: the operator makes its pods. */
const ALERTMANAGER = `apiVersion: monitoring.coreos.com/v1
kind: Alertmanager
metadata:
  name: main
  namespace: monitoring
  labels:
    app.kubernetes.io/component: alert-router
    app.kubernetes.io/name: alertmanager
    app.kubernetes.io/part-of: kube-prometheus
spec:
  replicas: 3
`;

ruleTester(rule, {
  valid: [
    { name: 'selector matches a Deployment in another file', files: { 'k8s/svc.yaml': svc('app: web'), 'k8s/deploy.yaml': deployment('web', 'app: web\ntier: frontend') } },
    { name: 'lone Service: open world', code: svc('app: web') },
    { name: 'ExternalName ignores the selector', code: `apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  type: ExternalName\n  externalName: db.example.com\n  selector:\n    app: nope\n---\n${deployment('web', 'app: web')}` },
    { name: 'selector-less Service', code: `apiVersion: v1\nkind: Service\nmetadata:\n  name: ext\nspec:\n  ports:\n    - port: 80\n---\n${deployment('web', 'app: web')}` },
    { name: 'matches one of several variants', files: { 'base/svc.yaml': svc('app: web'), 'base/deploy.yaml': deployment('web', 'app: web'), 'prod/deploy.yaml': deployment('web', 'app: web-prod') } },
    { name: 'matches a CronJob template', code: `${svc('app: batch')}---\napiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  schedule: "* * * * *"\n  jobTemplate:\n    spec:\n      template:\n        metadata:\n          labels:\n            app: batch\n        spec:\n          containers:\n            - name: c\n              image: busybox\n` },
    { name: 'workload in another namespace does not count, none here', code: `${svc('app: web', '  namespace: shop\n')}---\n${deployment('other', 'app: other')}`.replace('name: other\n', 'name: other\n  namespace: elsewhere\n') },
    {
      name: 'pods an operator makes from a custom resource that agrees with the selector (kube-prometheus Alertmanager)',
      code: `${svc('alertmanager: main\napp.kubernetes.io/component: alert-router\napp.kubernetes.io/name: alertmanager\napp.kubernetes.io/part-of: kube-prometheus', '  namespace: monitoring\n')}---\n${ALERTMANAGER}---\n${deployment('blackbox-exporter', 'app.kubernetes.io/name: blackbox-exporter\napp.kubernetes.io/part-of: kube-prometheus', 'monitoring')}`,
    },
    {
      name: 'pods an operator makes, recognised by the resource name and kind (ECK Elasticsearch)',
      code: `${svc('common.k8s.elastic.co/type: elasticsearch\nelasticsearch.k8s.elastic.co/cluster-name: quickstart')}---\n${`apiVersion: elasticsearch.k8s.elastic.co/v1
kind: Elasticsearch
metadata:
  name: quickstart
spec:
  version: 8.14.0
`}---\n${deployment('kibana', 'app: kibana')}`,
    },
    {
      name: 'pods of an Argo Rollouts experiment step, labelled by the step (argo-rollouts canary-preview example)',
      code: `${svc('app: web-preview')}---\n${`apiVersion: argoproj.io/v1alpha1
kind: Rollout
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web-production
  template:
    metadata:
      labels:
        app: web-production
    spec:
      containers:
        - name: web
          image: nginx
  strategy:
    canary:
      steps:
        - experiment:
            templates:
              - name: preview
                specRef: canary
                selector:
                  matchLabels:
                    app: web-preview
                metadata:
                  labels:
                    app: web-preview
`}`,
    },
  ],
  invalid: [
    {
      name: 'value typo, fix changes the selector value',
      files: { 'k8s/svc.yaml': svc('app: web # the frontend'), 'k8s/deploy.yaml': deployment('web', 'app: web-frontend\ntier: frontend') },
      errors: [
        {
          message: /^Service web selects no pods: no pod template in namespace default has app=web\. Closest: Deployment web \(app=web-frontend, tier=frontend\): app is "web-frontend", not "web"\.$/,
          line: 6,
          column: 3,
          file: 'k8s/svc.yaml',
          related: 1,
          fixes: ['Change selector to app=web-frontend (matches Deployment web)'],
          // the Service and the Deployment share a name: surely the pods meant
          preferred: 'Change selector to app=web-frontend (matches Deployment web)',
        },
      ],
      fix: { output: { 'k8s/svc.yaml': svc('app: web-frontend # the frontend') } },
    },
    {
      name: 'missing key: fix adds the label to the template in another file',
      files: { 'k8s/svc.yaml': svc('app: web\ntier: frontend'), 'k8s/deploy.yaml': deployment('web', 'app: web') },
      errors: [{ fixes: ['Change selector to app=web (matches Deployment web)', 'Add tier=frontend to the pod template labels of Deployment web'] }],
      fix: { title: /^Add tier=frontend/, output: { 'k8s/deploy.yaml': deployment('web', 'app: web').replace('        app: web\n', '        app: web\n        tier: frontend\n') } },
    },
    {
      name: 'preferred fix replaces a selector with keys the template lacks',
      files: { 'k8s/svc.yaml': svc('name: web'), 'k8s/deploy.yaml': deployment('web', 'app: web') },
      errors: [{ fixes: ['Change selector to app=web (matches Deployment web)', 'Add name=web to the pod template labels of Deployment web'] }],
      fix: {},
    },
    {
      name: 'a value typo of the template is preferred whatever the names',
      files: { 'k8s/svc.yaml': svc('app: shopp').replace('name: web', 'name: storefront'), 'k8s/deploy.yaml': deployment('shop', 'app: shop') },
      errors: [{ message: /Closest: Deployment shop/, preferred: 'Change selector to app=shop (matches Deployment shop)' }],
    },
    {
      name: 'a template sharing only some labels: the change is offered, never applied unreviewed (kube-prometheus grafana and node-exporter)',
      files: {
        'k8s/svc.yaml': svc('app.kubernetes.io/component: grafana\napp.kubernetes.io/name: grafana\napp.kubernetes.io/part-of: kube-prometheus').replace('name: web', 'name: grafana'),
        'k8s/ds.yaml': deployment('node-exporter', 'app.kubernetes.io/component: exporter\napp.kubernetes.io/name: node-exporter\napp.kubernetes.io/part-of: kube-prometheus'),
      },
      errors: [{ message: /Closest: Deployment node-exporter/, fixes: [/^Change selector to app\.kubernetes\.io\/component=exporter/], preferred: null }],
    },
    {
      name: 'numbered siblings are no typos of each other',
      files: { 'k8s/svc.yaml': svc('app: web-1').replace('name: web', 'name: api'), 'k8s/deploy.yaml': deployment('web-2', 'app: web-2') },
      errors: [{ fixes: ['Change selector to app=web-2 (matches Deployment web-2)'], preferred: null }],
    },
    {
      name: 'a custom resource whose name equals a one-pair selector value is no source of pods (a Certificate named web)',
      code: `${svc('app: web')}---\n${`apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web
spec:
  secretName: web-tls
`}---\n${deployment('api', 'app: api')}`,
      errors: [{ message: /selects no pods/ }],
    },
    {
      name: 'a custom resource whose labels contradict the selector is no source of its pods',
      code: `${svc('alertmanager: main\napp.kubernetes.io/component: alert-router\napp.kubernetes.io/name: alertmanager\napp.kubernetes.io/part-of: kube-prometheus', '  namespace: monitoring\n').replace('alert-router', 'other')}---\n${ALERTMANAGER}---\n${deployment('blackbox-exporter', 'app: blackbox', 'monitoring')}`,
      errors: [{ message: /selects no pods/ }],
    },
    {
      name: 'an object with a broken apiVersion is no custom resource (kubernetes/examples mysql-deployment.yaml lost a "#")',
      code: `${svc('app: wordpress\ntier: mysql')}---\n${deployment('wordpress-mysql', 'app: wordpress\ntier: mysql').replace('apps/v1', 'apps/v1  for k8s versions before 1.9.0 use apps/v1beta2')}---\n${deployment('wordpress', 'app: wordpress\ntier: frontend')}`,
      errors: [{ message: /selects no pods: no pod template in namespace default has app=wordpress, tier=mysql/ }],
    },
    {
      name: 'namespaces are separate',
      code: `${svc('app: web', '  namespace: shop\n')}---\n${deployment('web', 'app: web', 'other')}---\n${deployment('api', 'app: api', 'shop')}`,
      errors: [{ message: /namespace shop has app=web/ }],
    },
  ],
});
