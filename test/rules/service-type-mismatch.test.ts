import rule from '../../server/src/rules/service-spec/service-type-mismatch';
import { ruleTester } from '../rule-tester';

/** A Service with `spec` lines (indented by two) before selector and ports. */
const svc = (spec: string, ports = '- name: http\n  port: 80', meta = '') => `apiVersion: v1
kind: Service
metadata:
  name: web
${meta}spec:
${spec.replace(/^(?=.)/gm, '  ')}${spec ? '\n' : ''}  selector:
    app: web
  ports:
${ports.replace(/^/gm, '    ')}
`;

const extName = (spec: string) => `apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  type: ExternalName
  externalName: db.example.com
${spec.replace(/^/gm, '  ')}
`;

ruleTester(rule, {
  valid: [
    { name: 'NodePort with a nodePort', code: svc('type: NodePort', '- port: 80\n  nodePort: 30080') },
    { name: 'ClusterIP with externalIPs is externally accessible: externalTrafficPolicy allowed (SVC-22a)', code: svc('externalIPs: [203.0.113.10]\nexternalTrafficPolicy: Local') },
    {
      name: 'LoadBalancer with every LB field, Local and a health check port',
      code: svc(
        'type: LoadBalancer\nloadBalancerClass: example.com/lb\nallocateLoadBalancerNodePorts: false\nloadBalancerSourceRanges: [10.0.0.0/8]\nexternalTrafficPolicy: Local\nhealthCheckNodePort: 30555',
        '- port: 80\n  nodePort: 30080',
      ),
    },
    { name: 'NodePort with externalTrafficPolicy', code: svc('type: NodePort\nexternalTrafficPolicy: Local') },
    { name: 'headless ClusterIP', code: svc('clusterIP: None') },
    { name: 'unknown type: the schema rule reports it, type-dependent checks stay quiet', code: svc('type: NodePrt\nloadBalancerClass: x', '- port: 80\n  nodePort: 30080') },
    { name: 'null and empty values count as unset', code: svc('allocateLoadBalancerNodePorts: null\nloadBalancerSourceRanges: []\nexternalTrafficPolicy: ""\nhealthCheckNodePort: 0', '- port: 80\n  nodePort: 0') },
    { name: 'an empty clusterIP on ExternalName is unset', code: extName('clusterIP: ""') },
    { name: 'load balancer annotation on a LoadBalancer', code: svc('type: LoadBalancer', undefined, '  annotations:\n    service.beta.kubernetes.io/load-balancer-source-ranges: 10.0.0.0/8\n') },
    { name: 'type: "" defaults to ClusterIP like an absent type', code: svc('type: ""\nclusterIP: None') },
    {
      name: 'a Service of another API group (Knative) is not a core Service',
      code: `apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: hello\nspec:\n  loadBalancerClass: x\n  template:\n    spec:\n      containers:\n        - image: ghcr.io/knative/helloworld-go:latest\n`,
    },
  ],
  invalid: [
    {
      name: 'nodePort on an implicit ClusterIP: changing the type is preferred',
      code: svc('', '- name: http # public\n  port: 80\n  nodePort: 30080 # firewall'),
      errors: [
        {
          message:
            'Service web is type ClusterIP (the default), which opens no port on the nodes, so the API server refuses nodePort 30080 on port 80/TCP. To expose it on every node, set type: NodePort; otherwise remove nodePort.',
          line: 11,
          column: 17,
          endColumn: 22,
          fixes: ['Change type to NodePort', 'Remove nodePort'],
        },
      ],
      fix: {
        output: `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n  selector:\n    app: web\n  ports:\n    - name: http # public\n      port: 80\n      nodePort: 30080 # firewall\n`,
      },
    },
    {
      name: 'nodePort on an explicit ClusterIP: removing it is preferred',
      code: svc('type: ClusterIP # internal only', '- name: http\n  port: 80\n  nodePort: 30080\n  targetPort: 8080'),
      errors: [{ message: /^Service web is type ClusterIP, which opens/, fixes: ['Remove nodePort', 'Change type to NodePort'] }],
      fix: { output: svc('type: ClusterIP # internal only', '- name: http\n  port: 80\n  targetPort: 8080') },
    },
    {
      name: 'the type-change fix replaces an explicit type',
      code: svc('type: ClusterIP', '- port: 80\n  nodePort: 30080'),
      errors: [{}],
      fix: { title: 'Change type to NodePort', output: svc('type: NodePort', '- port: 80\n  nodePort: 30080') },
    },
    {
      name: 'no type change when the nodePort is out of range (it would only trade one refusal for another)',
      code: svc('', '- port: 80\n  nodePort: 8080'),
      errors: [{ message: /Remove nodePort\.$/, fixes: ['Remove nodePort'] }],
      fix: {},
    },
    {
      name: 'no type change when another Service holds the nodePort',
      code: `${svc('', '- port: 80\n  nodePort: 30080')}---\n${svc('type: NodePort', '- port: 80\n  nodePort: 30080').replace('name: web', 'name: api')}`,
      errors: [{ message: /Remove nodePort\.$/, fixes: ['Remove nodePort'] }],
      fix: {},
    },
    {
      name: 'headless NodePort (SVC-13)',
      code: svc('type: NodePort\nclusterIP: None # copied from the StatefulSet service'),
      errors: [
        {
          message:
            'Service web is headless (clusterIP: None), but a NodePort Service needs a cluster IP behind its node ports, so the API server refuses it. Remove clusterIP: None to keep the NodePort exposure, or make it a plain headless ClusterIP Service.',
          line: 7,
          column: 14,
          fixes: ['Remove clusterIP: None', 'Change type to ClusterIP'],
        },
      ],
      fix: { output: svc('type: NodePort') },
    },
    {
      name: 'headless LoadBalancer with nodePorts: no type change to ClusterIP',
      code: svc('type: LoadBalancer\nclusterIP: None', '- port: 80\n  nodePort: 30080'),
      errors: [{ message: /a LoadBalancer Service needs a cluster IP/, fixes: ['Remove clusterIP: None'] }],
    },
    {
      name: 'clusterIP on ExternalName (SVC-14a), clusterIPs removed with it',
      code: extName('clusterIP: None\nclusterIPs:\n  - None'),
      errors: [{ message: 'Service db is type ExternalName, a DNS alias that never gets a cluster IP, so the API server refuses clusterIP "None". Remove it.', line: 8, column: 14, fixes: ['Remove clusterIP and clusterIPs'] }],
      fix: { output: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  type: ExternalName\n  externalName: db.example.com\n' },
    },
    {
      name: 'nodePort on ExternalName: accepted by the API but ignored (warning)',
      code: extName('ports:\n  - port: 5432 # the database\n    nodePort: 30432'),
      errors: [
        {
          message: 'Service db is type ExternalName, a DNS alias that opens no port on the nodes, so nodePort 30432 on port 5432/TCP is ignored. Remove it.',
          severity: 'warning',
          line: 10,
          column: 17,
          fixes: ['Remove nodePort'],
        },
      ],
      fix: { output: extName('ports:\n  - port: 5432 # the database') },
    },
    {
      name: 'ipFamilies and ipFamilyPolicy on ExternalName (SVC-14b)',
      code: extName('ipFamilyPolicy: SingleStack\nipFamilies: [IPv4]'),
      errors: [{ message: /refuses ipFamilies\. Remove it\.$/, line: 9 }, { message: /refuses ipFamilyPolicy\./, line: 8 }],
    },
    {
      name: 'externalTrafficPolicy on ClusterIP (SVC-22a): remove, type change, or the field meant for in-cluster traffic',
      code: svc('externalTrafficPolicy: Local'),
      errors: [
        {
          message:
            'externalTrafficPolicy only governs traffic arriving from outside the cluster (NodePort, LoadBalancer, or a Service with externalIPs); Service web is type ClusterIP (the default), so the API server refuses it. For node-local routing of traffic from inside the cluster, the field is internalTrafficPolicy. Remove it, or set type: NodePort.',
          line: 6,
          column: 3,
          endColumn: 24,
          fixes: ['Change type to NodePort', 'Remove externalTrafficPolicy', 'Rename to internalTrafficPolicy: Local'],
        },
      ],
      fix: { title: /^Rename/, output: svc('internalTrafficPolicy: Local') },
    },
    {
      name: 'externalTrafficPolicy on ExternalName, even with externalIPs',
      code: extName('externalIPs: [203.0.113.10]\nexternalTrafficPolicy: Cluster'),
      errors: [{ message: /Service db is type ExternalName, so the API server refuses it\. Remove it\.$/, fixes: ['Remove externalTrafficPolicy'] }],
    },
    {
      name: 'loadBalancerSourceRanges on NodePort (SVC-19a)',
      code: svc('type: NodePort\nloadBalancerSourceRanges:\n  - 10.0.0.0/8 # office'),
      errors: [{ message: 'loadBalancerSourceRanges only applies to type LoadBalancer; Service web is type NodePort, so the API server refuses it. Remove it, or set type: LoadBalancer.', line: 7, fixes: ['Remove loadBalancerSourceRanges', 'Change type to LoadBalancer'] }],
      fix: { output: svc('type: NodePort') },
    },
    {
      name: 'the source-ranges annotation off LoadBalancer (SVC-19c)',
      code: svc('type: NodePort', undefined, '  annotations:\n    service.beta.kubernetes.io/load-balancer-source-ranges: ""\n    team: web\n'),
      errors: [{ message: /^the annotation service\.beta\.kubernetes\.io\/load-balancer-source-ranges only applies to type LoadBalancer/, line: 6, column: 5 }],
      fix: { output: svc('type: NodePort', undefined, '  annotations:\n    team: web\n') },
    },
    {
      name: 'allocateLoadBalancerNodePorts and loadBalancerClass on an implicit ClusterIP: type LoadBalancer preferred',
      code: svc('allocateLoadBalancerNodePorts: false\nloadBalancerClass: example.com/internal'),
      errors: [
        { message: /^allocateLoadBalancerNodePorts only applies/, fixes: ['Change type to LoadBalancer', 'Remove allocateLoadBalancerNodePorts'] },
        { message: /^loadBalancerClass only applies/, fixes: ['Change type to LoadBalancer', 'Remove loadBalancerClass'] },
      ],
      fix: { output: svc('type: LoadBalancer\nallocateLoadBalancerNodePorts: false\nloadBalancerClass: example.com/internal') },
    },
    {
      name: 'healthCheckNodePort on LoadBalancer with the default Cluster policy (SVC-23)',
      code: svc('type: LoadBalancer\nhealthCheckNodePort: 30555'),
      errors: [
        {
          message:
            'healthCheckNodePort only exists on a LoadBalancer Service with externalTrafficPolicy: Local; Service web is type LoadBalancer with externalTrafficPolicy Cluster (the default), so the API server refuses it. Remove it, or set externalTrafficPolicy: Local.',
          fixes: ['Remove healthCheckNodePort', 'Set externalTrafficPolicy: Local'],
        },
      ],
      fix: { title: /^Set/, output: svc('type: LoadBalancer\nhealthCheckNodePort: 30555\nexternalTrafficPolicy: Local') },
    },
    {
      name: 'healthCheckNodePort on NodePort + Local: type LoadBalancer offered',
      code: svc('type: NodePort\nexternalTrafficPolicy: Local\nhealthCheckNodePort: 30555'),
      errors: [{ message: /Service web is type NodePort, so the API server refuses it\. Remove it, or set type: LoadBalancer\.$/, fixes: ['Remove healthCheckNodePort', 'Change type to LoadBalancer'] }],
      fix: { title: /^Change/, output: svc('type: LoadBalancer\nexternalTrafficPolicy: Local\nhealthCheckNodePort: 30555') },
    },
  ],
});
