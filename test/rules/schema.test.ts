import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FORMATS } from '../../server/src/rules/schema/formats';
import rule from '../../server/src/rules/schema/schema';
import { SCHEMA_REFS, validatorFor } from '../../server/src/rules/schema/validator';
import { ruleTester } from '../rule-tester';

describe('schema files', () => {
  const dir = join(__dirname, '../../schemas');
  const files = readdirSync(dir).filter((f) => f.endsWith('.schema.json') && f !== 'config.schema.json');
  const docs: Record<string, any> = Object.fromEntries(files.map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8'))]));
  const resolve = (file: string, ref: string): any => {
    const [f, frag] = ref.split('#');
    let node = docs[f || file];
    for (const seg of (frag ?? '').split('/').filter(Boolean)) node = node?.[seg];
    return node;
  };

  it('every kind compiles', () => {
    for (const key of Object.keys(SCHEMA_REFS)) {
      const [apiVersion, kind] = key.split('|');
      assert.ok(validatorFor(apiVersion, kind), key);
    }
  });

  it('every field has a description, every format is known, misplaced keys are not fields', () => {
    const problems: string[] = [];
    const walk = (file: string, node: any, where: string) => {
      if (!node || typeof node !== 'object') return;
      const conditional = /\/(if|then|else|allOf|anyOf|not)(\/|$)/.test(where);
      for (const [k, v] of Object.entries<any>(node.properties ?? {})) {
        const desc = v.description ?? (v.$ref ? resolve(file, v.$ref)?.description : undefined);
        if (!conditional && !desc) problems.push(`${file}${where}/properties/${k}: no description`);
      }
      if (typeof node.format === 'string' && !FORMATS[node.format.replace(/^optional-/, '')]) problems.push(`${file}${where}: unknown format ${node.format}`);
      if (typeof node.$ref === 'string' && resolve(file, node.$ref) === undefined) problems.push(`${file}${where}: dangling $ref ${node.$ref}`);
      for (const k of Object.keys(node['x-misplaced'] ?? {})) if (node.properties?.[k]) problems.push(`${file}${where}: ${k} is both a field and misplaced`);
      for (const [k, v] of Object.entries<any>(node)) if (v && typeof v === 'object') walk(file, v, `${where}/${k}`);
    };
    for (const f of files) walk(f, docs[f], '#');
    assert.deepEqual(problems, []);
  });
});

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels:
    app.kubernetes.io/name: web
    app.kubernetes.io/version: "1.4.2"
  annotations:
    deployment.kubernetes.io/revision: "3"
spec:
  replicas: 3
  strategy:
    type: RollingUpdate
    rollingUpdate: { maxSurge: 25%, maxUnavailable: 0 }
  selector:
    matchLabels:
      app.kubernetes.io/name: web
    matchExpressions:
      - { key: tier, operator: In, values: [frontend] }
  template:
    metadata:
      labels:
        app.kubernetes.io/name: web
        tier: frontend
        empty: ""
      annotations:
        prometheus.io/scrape: "true"
        prometheus.io/port: "9090"
    spec:
      serviceAccountName: web
      securityContext: { runAsNonRoot: true, fsGroup: 2000 }
      initContainers:
        - name: migrate
          image: registry.example.com/web:1.4.2
          command: ["/app/migrate", "--wait"]
        - name: envoy
          image: envoyproxy/envoy:v1.30
          restartPolicy: Always
          ports:
            - name: envoy-admin
              containerPort: 9901
      containers:
        - name: web
          image: registry.example.com/web:1.4.2
          imagePullPolicy: IfNotPresent
          args: ["--port", "8080"]
          ports:
            - name: http
              containerPort: 8080
              protocol: TCP
            - name: metrics
              containerPort: 9090
            - containerPort: 5353
              protocol: UDP
          env:
            - name: PORT
              value: "8080"
            - name: FEATURE
              value: ""
            - name: POD_IP
              valueFrom:
                fieldRef: { fieldPath: status.podIP }
          envFrom:
            - configMapRef: { name: web-config }
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { cpu: 1, memory: 1Gi }
          livenessProbe:
            httpGet:
              path: /healthz
              port: http
              scheme: HTTPS
              httpHeaders:
                - { name: X-Probe, value: live }
            initialDelaySeconds: 10
          readinessProbe:
            tcpSocket: { port: 8080 }
          startupProbe:
            grpc: { port: 9000 }
            failureThreshold: 30
          lifecycle:
            preStop:
              sleep: { seconds: 5 }
          volumeMounts:
            - { name: data, mountPath: /data }
      volumes:
        - name: data
          emptyDir: {}
      tolerations:
        - { key: dedicated, operator: Equal, value: web, effect: NoSchedule }
      nodeSelector:
        kubernetes.io/os: linux
status:
  availableReplicas: 3
`;

const lbService = `apiVersion: v1
kind: Service
metadata:
  name: web-public
  annotations:
    service.beta.kubernetes.io/aws-load-balancer-type: nlb
    service.beta.kubernetes.io/aws-load-balancer-internal: "false"
spec:
  type: LoadBalancer
  selector:
    app.kubernetes.io/name: web
  ports:
    - name: http
      port: 80
      targetPort: http
      protocol: TCP
      appProtocol: http
      nodePort: 30080
    - name: h2
      port: 8443
      targetPort: 8443
      appProtocol: kubernetes.io/h2c
    - name: dns
      port: 53
      protocol: UDP
      targetPort: 0
  clusterIP: 10.96.0.20
  clusterIPs: [10.96.0.20, "fd00::20"]
  ipFamilies: [IPv4, IPv6]
  ipFamilyPolicy: PreferDualStack
  externalTrafficPolicy: Local
  internalTrafficPolicy: Cluster
  healthCheckNodePort: 32000
  loadBalancerIP: 203.0.113.10
  loadBalancerSourceRanges: [203.0.113.0/24, " 10.0.0.0/8 "]
  loadBalancerClass: service.k8s.aws/nlb
  allocateLoadBalancerNodePorts: false
  sessionAffinity: ClientIP
  sessionAffinityConfig:
    clientIP:
      timeoutSeconds: 86400
  publishNotReadyAddresses: false
  trafficDistribution: PreferClose
status:
  loadBalancer:
    ingress:
      - hostname: abc.elb.us-east-1.amazonaws.com
`;

const ingressV1 = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  annotations:
    nginx.ingress.kubernetes.io/use-regex: "true"
    cert-manager.io/cluster-issuer: letsencrypt
spec:
  ingressClassName: nginx
  defaultBackend:
    resource:
      apiGroup: k8s.example.com
      kind: StorageBucket
      name: static-assets
  tls:
    - hosts: [shop.example.com, "*.shop.example.com"]
      secretName: shop-tls
    - {}
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /api(/|$)(.*)
            pathType: ImplementationSpecific
            backend:
              service:
                name: web-public
                port:
                  name: http
          - path: /
            pathType: Prefix
            backend:
              service: { name: web-public, port: { number: 80 } }
    - host: "*.shop.example.com"
      http:
        paths:
          - path: /
            pathType: Exact
            backend:
              service:
                name: web-public
                port:
                  number: 80
    - http:
        paths:
          - pathType: Prefix
            path: /
            backend:
              service:
                name: web-public
                port:
                  number: 80
status:
  loadBalancer: {}
`;

const svc = (spec: string, name = 'web') => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
${spec.replace(/^/gm, '  ')}
`;

const pod = (container: string) => `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: web
      image: nginx
${container.replace(/^/gm, '      ')}
`;

const ingressPath = (path: string) => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
    - host: shop.example.com
      http:
        paths:
${path.replace(/^/gm, '          ')}
`;

ruleTester(rule, {
  valid: [
    { name: 'a full Deployment with probes, resources, env, volumes and a sidecar', code: deployment },
    { name: 'a LoadBalancer Service with every load balancer field', code: lbService },
    { name: 'v1 Ingress with TLS, a resource default backend, port names and numbers', code: ingressV1 },
    {
      name: 'headless Service with null-valued optional fields and defaulted target ports',
      code: svc(`clusterIP: None
type: null
selector:
  app: db
  tier: ~
ports:
  - name: pg
    port: 5432
    targetPort: ""
    nodePort: null
  - name: pg-replica
    port: 5433
    targetPort: 0
sessionAffinity: None
sessionAffinityConfig:
  clientIP:
    timeoutSeconds: 0
externalIPs:`),
    },
    { name: 'ExternalName with a trailing dot', code: svc('type: ExternalName\nexternalName: db.example.com.\nports:\n  - port: 5432') },
    {
      name: 'ExternalName: a clusterIP is forbidden outright (service-type-mismatch), not format-checked here',
      code: svc('type: ExternalName\nexternalName: db.example.com\nclusterIP: not-an-ip'),
    },
    {
      name: 'a digits-only port name in a container is a format error, not a quoting hint',
      code: pod('ports:\n  - containerPort: 8080\n    name: web-8080\nlivenessProbe:\n  tcpSocket: { port: web-8080 }'),
    },
    { name: 'trafficDistribution PreferSameNode, ipFamilyPolicy SingleStack', code: svc('trafficDistribution: PreferSameNode\nipFamilyPolicy: SingleStack\nipFamilies: [IPv6]\nports:\n  - port: 80') },
    {
      name: 'v1beta1 Ingress keeps serviceName/servicePort (the deprecation rule reports the version)',
      code: `apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: old
spec:
  backend:
    serviceName: web
    servicePort: 80
  rules:
    - host: a.example.com
      http:
        paths:
          - path: /
            backend:
              serviceName: web
              servicePort: http
`,
    },
    {
      name: 'EndpointSlices of every address type',
      code: `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: ext-db-v4
  labels:
    kubernetes.io/service-name: ext-db
    endpointslice.kubernetes.io/managed-by: cluster-admins
addressType: IPv4
ports:
  - name: ""
    appProtocol: postgresql
    protocol: TCP
    port: 5432
endpoints:
  - addresses: ["10.1.2.3"]
    conditions: { ready: true, serving: true, terminating: false }
    hostname: db-0
    nodeName: node-1
    zone: us-east-1a
    hints:
      forZones: [{ name: us-east-1a }]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: ext-db-v6
addressType: IPv6
endpoints:
  - addresses: ["2001:db8::10"]
ports:
  - port: 5432
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: ext-db-fqdn
addressType: FQDN
endpoints:
  - addresses: [db.example.com]
`,
    },
    {
      name: 'Endpoints with only not-ready addresses and one unnamed port',
      code: `apiVersion: v1
kind: Endpoints
metadata:
  name: ext-db
subsets:
  - notReadyAddresses:
      - ip: 10.1.2.3
        hostname: db-0
        targetRef: { kind: Pod, name: db-0, namespace: default }
    ports:
      - port: 5432
`,
    },
    {
      name: 'IngressClass with namespaced parameters',
      code: `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
  annotations:
    ingressclass.kubernetes.io/is-default-class: "true"
spec:
  controller: k8s.io/ingress-nginx
  parameters:
    apiGroup: k8s.nginx.org
    kind: IngressParameters
    name: external
    scope: Namespace
    namespace: ingress
`,
    },
    {
      name: 'CronJob, DaemonSet with hostNetwork: yes (YAML 1.1 true), ReplicationController with a plain selector',
      code: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    metadata:
      labels: { app: nightly }
    spec:
      template:
        metadata:
          labels: { app: nightly }
        spec:
          restartPolicy: OnFailure
          containers:
            - name: job
              image: busybox
              command: [sh, -c, "echo hi"]
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
spec:
  selector:
    matchLabels: { app: agent }
  template:
    metadata:
      labels: { app: agent }
    spec:
      hostNetwork: yes
      containers:
        - name: agent
          image: agent:1
          ports:
            - { name: metrics, containerPort: 9100, hostPort: 9100 }
---
apiVersion: v1
kind: ReplicationController
metadata:
  name: legacy
spec:
  selector:
    app: legacy
  template:
    metadata:
      labels:
        app: legacy
    spec:
      containers:
        - name: app
          image: legacy:1
`,
    },
    {
      name: 'kubectl get -o yaml output (managed fields, creationTimestamp: null, status)',
      code: `apiVersion: v1
kind: Pod
metadata:
  name: web-7d4b9c-x2x9z
  namespace: default
  creationTimestamp: null
  generateName: web-7d4b9c-
  ownerReferences:
    - apiVersion: apps/v1
      kind: ReplicaSet
      name: web-7d4b9c
      uid: 0d9b2a3e-1111-2222-3333-444455556666
  managedFields:
    - manager: kube-controller-manager
      operation: Update
spec:
  containers:
    - name: web
      image: nginx
      ports:
        - containerPort: 80
          protocol: TCP
      resources: {}
  restartPolicy: Always
status:
  phase: Running
  podIP: 10.244.1.7
`,
    },
    {
      name: 'kustomize patches are partial: no required fields, directives ignored',
      code: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 5
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          ports:
            - $patch: replace
            - containerPort: 9090
        - name: old-sidecar
          $patch: delete
`,
    },
    {
      name: 'envsubst placeholders are not judged',
      code: pod('ports:\n  - containerPort: 8080\n    hostPort: ${HOST_PORT}\n    name: ${PORT_NAME}\nenv:\n  - name: A\n    value: $(OTHER)'),
    },
    {
      name: 'anchors and merge keys',
      code: svc('ports:\n  - &http\n    name: http\n    port: 80\n    protocol: TCP\n  - <<: *http\n    name: alt\n    port: 8080'),
    },
    {
      name: 'other groups and versions are not checked (Knative Service, ConfigMap)',
      code: `apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: hello
spec:
  template:
    spec:
      containers:
        - image: ghcr.io/knative/helloworld-go
          ports:
            - containerPort: 8080
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: c
data:
  port: 8080
`,
    },
    {
      name: 'Ingress forms that ingress-rule-invalid and ingress-pathtype-missing report are not repeated',
      code: ingressPath(
        '- path: /a\n  backend:\n    serviceName: web\n    servicePort: 80\n- path: /b\n  pathType: Prefix\n  backend:\n    service:\n      name: web.default\n      port: { number: 80, name: http }\n- path: /c\n  pathType: Prefix\n  backend: {}',
      ).replace('    - host: shop.example.com', '    - host: shop.example.com:443'),
    },
    { name: "an ExternalName with a bad name is service-externalname-invalid's finding", code: svc('type: ExternalName\nexternalName: https://db.example.com') },
    {
      name: 'items of a List',
      code: `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Service
    metadata:
      name: in-list
    spec:
      ports:
        - port: 80
          targetPort: web
`,
    },
  ],
  invalid: [
    {
      name: 'misspelt Service type: fix picks NodePort',
      code: svc('type: NodePrt\nports:\n  - port: 80'),
      errors: [
        {
          message: 'spec.type: "NodePrt" is not a Service type; use ClusterIP, NodePort, LoadBalancer or ExternalName. Did you mean "NodePort"?',
          line: 6,
          column: 9,
          endLine: 6,
          endColumn: 16,
          fixes: ['Change to "NodePort"'],
        },
      ],
      fix: { output: svc('type: NodePort\nports:\n  - port: 80') },
    },
    {
      name: 'lowercase protocol on a container port',
      code: pod('ports:\n  - containerPort: 53\n    protocol: udp'),
      errors: [
        {
          message: 'spec.containers[0].ports[0].protocol: "udp" is not a protocol; use TCP, UDP or SCTP. Values are case-sensitive: did you mean "UDP"?',
          line: 11,
          column: 21,
          endColumn: 24,
          fixes: ['Change to "UDP"'],
        },
      ],
      fix: { output: pod('ports:\n  - containerPort: 53\n    protocol: UDP') },
    },
    {
      name: 'misspelt pathType keeps its quotes',
      code: ingressPath('- path: /\n  pathType: "Prefx"\n  backend:\n    service: { name: web, port: { number: 80 } }'),
      errors: [{ message: /^spec\.rules\[0\]\.http\.paths\[0\]\.pathType: "Prefx" is not a path type; use Prefix, Exact or ImplementationSpecific\. Did you mean "Prefix"\?$/, line: 11, column: 23, endColumn: 30 }],
      fix: { output: ingressPath('- path: /\n  pathType: "Prefix"\n  backend:\n    service: { name: web, port: { number: 80 } }') },
    },
    {
      name: 'enum value with no close candidate: no fix',
      code: svc('sessionAffinity: Sticky\nports:\n  - port: 80'),
      errors: [{ message: 'spec.sessionAffinity: "Sticky" is not a session affinity; use None or ClientIP.', fixes: [] }],
    },
    {
      name: 'quoted port number',
      code: svc('ports:\n  - port: "80"\n    targetPort: 8080'),
      errors: [
        {
          message: 'spec.ports[0].port: expected a whole number, got the string "80". Quoted numbers are not converted: write 80 without quotes.',
          line: 7,
          column: 13,
          endColumn: 17,
          fixes: ['Remove the quotes: 80'],
        },
      ],
      fix: { output: svc('ports:\n  - port: 80\n    targetPort: 8080') },
    },
    {
      name: 'quoted targetPort is read as a port name (F-07)',
      code: svc("ports:\n  - port: 80\n    targetPort: '8080'"),
      errors: [
        {
          message:
            'spec.ports[0].targetPort: "8080" is quoted, so the API reads it as a port name, and a port name needs a letter. Write 8080 without quotes to mean the port number.',
          line: 8,
          column: 19,
          endColumn: 25,
          fixes: ['Remove the quotes: 8080'],
        },
      ],
      fix: { output: svc('ports:\n  - port: 80\n    targetPort: 8080') },
    },
    {
      name: 'numeric label value in a pod template: quote it, keeping its text',
      code: deployment.replace('        tier: frontend\n', '        tier: frontend\n        version: 1.10\n'),
      errors: [
        {
          message: 'spec.template.metadata.labels.version: expected a string, got the number 1.10. Quote it ("1.10"): the API does not turn numbers or booleans into strings.',
          line: 26,
          column: 18,
          endColumn: 22,
          fixes: ['Quote the value: "1.10"'],
        },
      ],
      fix: { output: deployment.replace('        tier: frontend\n', '        tier: frontend\n        version: "1.10"\n') },
    },
    {
      name: 'boolean annotation and a YAML 1.1 boolean in an env value',
      code: pod('env:\n  - name: DEBUG\n    value: on').replace('  name: web\n', '  name: web\n  annotations:\n    prometheus.io/scrape: true\n'),
      errors: [
        { message: /^metadata\.annotations\["prometheus\.io\/scrape"\]: expected a string, got the boolean true\./, line: 6, column: 27, fixes: ['Quote the value: "true"'] },
        { message: /^spec\.containers\[0\]\.env\[0\]\.value: expected a string, got on, which kubectl's YAML parser reads as the boolean true\./, line: 13, column: 18, fixes: ['Quote the value: "on"'] },
      ],
      fix: { output: pod('env:\n  - name: DEBUG\n    value: on').replace('  name: web\n', '  name: web\n  annotations:\n    prometheus.io/scrape: "true"\n') },
    },
    {
      name: 'ports out of range',
      code: pod('ports:\n  - containerPort: 0\n  - containerPort: 8080\n    hostPort: 70000').replace('kind: Pod', 'kind: Pod') + '---\n' + svc('ports:\n  - port: 65536\n    targetPort: -1', 'big'),
      errors: [
        { message: 'spec.containers[0].ports[0].containerPort: 0 is out of range; a port number must be between 1 and 65535.', line: 10, column: 26 },
        { message: 'spec.containers[0].ports[1].hostPort: 70000 is out of range; a host port must be 1-65535 (0 or leaving it out means none).', line: 12, column: 21 },
        { message: 'spec.ports[0].port: 65536 is out of range; a port number must be between 1 and 65535.', line: 20, column: 13 },
        { message: 'spec.ports[0].targetPort: -1 is out of range; a target port number must be 1-65535.', line: 21, column: 19 },
      ],
    },
    {
      name: 'container port name longer than 15 characters (F-06)',
      code: pod('ports:\n  - name: metrics-http-admin\n    containerPort: 9090'),
      errors: [
        {
          message: 'spec.containers[0].ports[0].name: "metrics-http-admin" is not a valid container port name: it is 18 characters long (at most 15).',
          line: 10,
          column: 17,
          endColumn: 35,
          fixes: [],
        },
      ],
    },
    {
      name: 'Service name must be a DNS-1035 label (F-03); Service port names are DNS-1123 labels',
      code: svc('ports:\n  - name: HTTP\n    port: 80', '2nd-web'),
      errors: [
        { message: 'metadata.name: "2nd-web" is not a valid Service name: it must start with a lowercase letter.', line: 4, column: 9, endColumn: 16 },
        { message: 'spec.ports[0].name: "HTTP" is not a valid Service port name: it has uppercase letters.', line: 7, column: 13 },
      ],
    },
    {
      name: 'bad label key and value in a selector (F-11, F-12)',
      code: svc('selector:\n  app name: web\n  tier: front end!\nports:\n  - port: 80'),
      errors: [
        { message: /^spec\.selector: "app name" is not a valid label key: it contains a space/, line: 7, column: 5, endColumn: 13 },
        { message: /^spec\.selector\.tier: "front end!" is not a valid label value: it contains a space, "!"/, line: 8, column: 11 },
      ],
    },
    {
      name: 'unknown field with a close spelling: rename',
      code: svc('ports:\n  - port: 80\n    tragetPort: http'),
      errors: [
        {
          message: 'spec.ports[0]: unknown field "tragetPort" in a Service port; the API server rejects unknown fields. Did you mean "targetPort"?',
          line: 8,
          column: 7,
          endColumn: 17,
          fixes: ['Rename "tragetPort" to "targetPort"'],
        },
      ],
      fix: { output: svc('ports:\n  - port: 80\n    targetPort: http') },
    },
    {
      name: 'unknown field with no close spelling lists the known ones',
      code: svc('ports:\n  - port: 80\n    weight: 3'),
      errors: [
        {
          message: 'spec.ports[0]: unknown field "weight" in a Service port; the API server rejects unknown fields. Known fields: name, protocol, appProtocol, port, targetPort, nodePort.',
          fixes: [],
        },
      ],
    },
    {
      name: 'misplaced fields say where they belong',
      code: svc('type: NodePort\nnodePort: 30080\nports:\n  - port: 80') + '---\n' + pod('containerPort: 8080'),
      errors: [
        { message: 'spec: unknown field "nodePort": nodePort belongs in an item of spec.ports, next to its port.', line: 7, column: 3, endColumn: 11 },
        { message: 'spec.containers[0]: unknown field "containerPort": containerPort goes in the ports list: ports: [{containerPort: 8080}].', line: 19, column: 7, endColumn: 20 },
      ],
    },
    {
      name: 'container port written as port: rename to containerPort (no separate "required" finding)',
      code: pod('ports:\n  - name: http\n    port: 8080'),
      errors: [{ message: /unknown field "port": a container port is written containerPort/, line: 11, column: 11, endColumn: 15, fixes: ['Rename "port" to "containerPort"'] }],
      fix: { output: pod('ports:\n  - name: http\n    containerPort: 8080') },
    },
    {
      name: 'missing required fields are reported on the item or the parent key',
      code: svc('ports:\n  - name: http\n    targetPort: 8080') + '---\n' + pod('ports:\n  - name: http').replace('    - name: web\n      image: nginx\n', '    - image: nginx\n'),
      errors: [
        { message: 'spec.ports[0]: port is required: the port clients connect to.', line: 7, column: 7, endColumn: 11 },
        { message: 'spec.containers[0]: name is required (a DNS label, unique in the pod).', line: 16, column: 7, endColumn: 12 },
        { message: 'spec.containers[0].ports[0]: containerPort is required: the port the process listens on.', line: 18, column: 11, endColumn: 15 },
      ],
    },
    {
      name: 'v1beta1 fields next to a v1 service backend',
      code: ingressPath('- path: /\n  pathType: Prefix\n  backend:\n    service: { name: web, port: { number: 80 } }\n    servicePort: 80'),
      errors: [{ message: /^spec\.rules\[0\]\.http\.paths\[0\]\.backend: unknown field "servicePort": servicePort is the removed v1beta1 form/, line: 14, column: 15, endColumn: 26 }],
    },
    {
      name: 'a map where the API wants a list',
      code: pod('ports:\n  containerPort: 80'),
      errors: [{ message: 'spec.containers[0].ports: expected a list (items starting with "- "), got a map. Start each item with "- ".', line: 10, column: 9, endColumn: 26 }],
    },
    {
      name: 'quoted boolean',
      code: svc('publishNotReadyAddresses: "true"\nclusterIP: None'),
      errors: [{ message: 'spec.publishNotReadyAddresses: expected true or false, got the string "true". Write true without quotes.', line: 6, column: 29 }],
      fix: { output: svc('publishNotReadyAddresses: true\nclusterIP: None') },
    },
    {
      name: 'a wrong type is reported once, not also as a bad enum value',
      code: svc('ports:\n  - port: 53\n    protocol: 17'),
      errors: [{ message: 'spec.ports[0].protocol: expected a string, got the number 17. Quote it ("17"): the API does not turn numbers or booleans into strings.' }],
    },
    {
      name: 'EndpointSlice without addressType and with an address of the wrong family',
      code: `apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: s
endpoints:
  - addresses: ["10.0.0.1"]
---
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: s6
addressType: IPv6
endpoints:
  - addresses: ["10.0.0.1"]
`,
      errors: [
        { message: 'addressType is required (IPv4, IPv6 or FQDN).', line: 2, column: 7, endColumn: 20 },
        { message: 'endpoints[0].addresses[0]: "10.0.0.1" is not a valid endpoint address: it is not an IPv6 address (this slice has addressType IPv6).', line: 14, column: 17, endColumn: 27 },
      ],
    },
    {
      name: 'Endpoints with a loopback address, a subset without addresses, and two unnamed ports',
      code: `apiVersion: v1
kind: Endpoints
metadata:
  name: ext
subsets:
  - addresses:
      - ip: 127.0.0.1
  - ports:
      - port: 80
      - port: 81
        name: alt
`,
      errors: [
        { message: 'subsets[0].addresses[0].ip: "127.0.0.1" is not a valid endpoint IP: it is in the loopback range 127.0.0.0/8.', line: 7, column: 13 },
        { message: 'subsets[1]: a subset needs at least one entry in addresses or notReadyAddresses.', line: 8, column: 5 },
        { message: 'subsets[1].ports[0]: name is required when a subset has more than one port.', line: 9, column: 9 },
      ],
    },
    {
      name: 'address formats: external IP, source range, cluster IP',
      code: svc('type: LoadBalancer\nclusterIP: none\nexternalIPs: [10.0.0.300]\nloadBalancerSourceRanges: [10.0.0.0]\nports:\n  - port: 80'),
      errors: [
        { message: 'spec.clusterIP: "none" is not a valid cluster IP: the headless marker is spelled "None".', line: 7, column: 14, fixes: ['Change to "None"'] },
        { message: 'spec.externalIPs[0]: "10.0.0.300" is not a valid external IP: it is not an IP address such as 10.9.8.7 or 2001:db8::ffff.', line: 8, column: 17 },
        { message: 'spec.loadBalancerSourceRanges[0]: "10.0.0.0" is not a valid source range: it has no prefix length (write it as 10.0.0.0/8 or 2001:db8::/64).', line: 9, column: 30 },
      ],
    },
    {
      name: 'Ingress backend port name, resource reference and TLS Secret name',
      code: ingressV1
        .replace('                  name: http\n', '                  name: https-frontend-1\n')
        .replace('      name: static-assets', '      name: static/assets')
        .replace('secretName: shop-tls', 'secretName: Shop_TLS'),
      errors: [
        { message: 'spec.defaultBackend.resource.name: "static/assets" is not a valid resource name: it may not contain "/".', line: 14, column: 13 },
        { message: /^spec\.tls\[0\]\.secretName: "Shop_TLS" is not a valid Secret name: it has uppercase letters/, line: 17, column: 19 },
        { message: 'spec.rules[0].http.paths[0].backend.service.port.name: "https-frontend-1" is not a valid port name: it is 16 characters long (at most 15).', line: 29, column: 25, endColumn: 41 },
      ],
    },
    {
      name: 'workload fields at the wrong level',
      code: `apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: "@daily"
  template:
    spec:
      containers: []
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    labels:
      app: web
    spec:
      containers:
        - name: web
          image: nginx
`,
      errors: [
        { message: 'spec: unknown field "template": a CronJob\'s pod template goes under spec.jobTemplate.spec.template.', line: 7, column: 3 },
        { message: "spec.template: unknown field \"labels\": labels belong under the template's metadata (template.metadata.labels).", line: 17, column: 5 },
      ],
    },
    {
      name: 'unknown top-level field',
      code: svc('ports:\n  - port: 80').replace('spec:', 'sepc:'),
      errors: [{ message: 'unknown field "sepc" at the top level; the API server rejects unknown fields. Did you mean "spec"?', line: 5, column: 1, fixes: ['Rename "sepc" to "spec"'] }],
      fix: { output: svc('ports:\n  - port: 80') },
    },
    {
      name: 'a digits-only container port name gets no "remove the quotes" fix',
      code: pod('ports:\n  - name: "8080"\n    containerPort: 8080'),
      errors: [{ message: 'spec.containers[0].ports[0].name: "8080" is not a valid container port name: it has no letter (a name needs at least one, so digits alone are not a name).', fixes: [] }],
    },
    {
      name: 'probe port name and scheme',
      code: pod('readinessProbe:\n  httpGet:\n    port: Http\n    scheme: https'),
      errors: [
        { message: 'spec.containers[0].readinessProbe.httpGet.port: "Http" is not a valid port name: it has uppercase letters.', line: 11, column: 17 },
        { message: /^spec\.containers\[0\]\.readinessProbe\.httpGet\.scheme: "https" is not a scheme; use HTTP or HTTPS\./, line: 12, column: 19, fixes: ['Change to "HTTPS"'] },
      ],
    },
  ],
});
