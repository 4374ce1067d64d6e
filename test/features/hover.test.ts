// Hover: every exposure-relevant key and enum value explains itself, and the
// hover adds what the workspace resolves it to.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hover } from '../../server/src/features';
import { at, fixtureFiles, markdown, plainText, uriOf, workspace, type Files } from './helpers';

const FILES = fixtureFiles();
const WS = workspace(FILES);

function hoverAt(file: string, marker: string, nth = 0, ws = WS, files: Files = FILES): string {
  const uri = uriOf(file);
  return markdown(hover(ws, uri, at(files[uri], marker, nth)));
}

/** The explanation paragraph (the one after the header). */
function explanation(md: string): string {
  return md.split('\n\n')[1];
}

describe('hover: Service fields', () => {
  it('explains `type` with its default, the alternatives and a link', () => {
    const md = hoverAt('services.yaml', 'ty|pe: NodePort');
    assert.match(md, /^\*\*Service\*\* `spec.type`/);
    assert.match(md, /Left out: `ClusterIP`/);
    assert.match(md, /`NodePort` adds a port on every node/);
    assert.match(md, /\[Kubernetes: Service types\]\(https:\/\/kubernetes\.io\/docs\/concepts\/services-networking\/service\/#publishing-services-service-types\)/);
  });

  it('explains each `type` value on its own, keeping the default in view', () => {
    const texts = new Set<string>();
    for (const type of ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']) {
      const text = `apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  type: ${type}\n  externalName: db.example.com\n`;
      const ws = workspace({ 'file:///t/x.yaml': text });
      const md = markdown(hover(ws, 'file:///t/x.yaml', at(text, `type: ${type.slice(0, 2)}|`)));
      assert.match(md, new RegExp(`= \`${type}\``));
      const body = explanation(md);
      texts.add(body);
      const lines = body.split(/(?<=\.) /).length;
      assert.ok(lines >= 2 && lines <= 5, `${type}: 2-5 sentences, got ${lines}: ${body}`);
    }
    assert.equal(texts.size, 4);
  });

  it('on `NodePort` also lists where the Service is reachable on the nodes', () => {
    const md = plainText(hoverAt('services.yaml', 'type: Node|Port'));
    assert.match(md, /Left out: ClusterIP/);
    assert.match(md, /<node IP>:30080 → port 80 \(http\)/);
    assert.match(md, /a node port picked by the cluster → port 9090 \(metrics\)/);
  });

  it('on `selector` names the selected workloads with file links and replicas', () => {
    const md = hoverAt('services.yaml', 'sel|ector');
    assert.match(md, /\*\*Selects 2 workloads\*\* in namespace `shop`/);
    assert.match(md, /- Deployment `web`, 3 replicas \(\[web\.yaml:5\]\(file:\/\/\/ws\/k8s\/web\.yaml#L5\)\)/);
    assert.match(md, /- Deployment `web-canary`, 1 replica \(default\) \(\[web\.yaml:36\]\(file:\/\/\/ws\/k8s\/web\.yaml#L36\)\)/);
    assert.doesNotMatch(md, /agent/);
  });

  it('on a selector entry says why nothing is selected, with the closest workload', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: typo\n  namespace: shop\nspec:\n  selector:\n    app: wbe\n  ports:\n    - port: 80\n';
    const files = { ...FILES, [uriOf('typo.yaml')]: text };
    const md = plainText(hoverAt('typo.yaml', 'app: w|be', 0, workspace(files), files));
    assert.match(md, /Selects nothing: no pod template in namespace shop has app=wbe\./);
    assert.match(md, /Closest: Deployment web/);
  });

  it('on a Service without a selector points at its EndpointSlice', () => {
    const md = plainText(hoverAt('services.yaml', 'name: d|b'));
    assert.match(md, /No selector: the backends are listed by hand in EndpointSlice db-1\./);
    assert.match(md, /In-cluster DNS name: db\.shop\.svc/);
  });

  it('on a named `targetPort` shows the container and port it lands on in each workload', () => {
    const md = hoverAt('services.yaml', 'targetPort: h|ttp');
    assert.match(md, /Left out: the same as `port`/);
    const plain = plainText(md);
    assert.match(plain, /Port 80 \(http\) lands on:/);
    assert.match(plain, /- Deployment web \(container web :8080\)/);
    assert.match(plain, /- Deployment web-canary \(container web :8081\)/);
    assert.match(md, /\[:8080\]\(file:\/\/\/ws\/k8s\/web\.yaml#L25\)/);
  });

  it('on a `targetPort` that no container declares says the pods get no traffic', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: w2\n  namespace: shop\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n      targetPort: htp\n    - port: 81\n      targetPort: 7070\n';
    const files = { ...FILES, [uriOf('w2.yaml')]: text };
    const ws = workspace(files);
    const named = plainText(hoverAt('w2.yaml', 'targetPort: h|tp', 0, ws, files));
    assert.match(named, /Deployment web: no TCP container port named htp, so these pods get no traffic on this port/);
    const numbered = plainText(hoverAt('w2.yaml', 'targetPort: 7|070', 0, ws, files));
    assert.match(numbered, /Deployment web \(:7070, declared by no container: used as-is\)/);
  });

  it('on `nodePort` says where it is reachable and whether the port is free', () => {
    const md = plainText(hoverAt('services.yaml', 'nodePort: 3|0080'));
    assert.match(md, /Reachable on every node at :30080 → Service port 80 \(http\)\./);
    assert.match(md, /Free: no other Service in this directory requests it\./);
    assert.match(md, /Left out: the cluster picks a free one/);
  });

  it('on `nodePort` names the other Service holding it, and a port out of range', () => {
    const other = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: clash\n  namespace: other\nspec:\n  type: NodePort\n  selector:\n    app: x\n  ports:\n    - port: 80\n      nodePort: 30080\n    - name: b\n      port: 81\n      nodePort: 40000\n';
    const files = { ...FILES, [uriOf('clash.yaml')]: other };
    const ws = workspace(files);
    const md = hoverAt('clash.yaml', 'nodePort: 3|0080', 0, ws, files);
    assert.match(md, /\*\*Also requested by\*\* Service \[`web`\]\(file:\/\/\/ws\/k8s\/services\.yaml#L14\)/);
    assert.match(plainText(hoverAt('clash.yaml', 'nodePort: 4|0000', 0, ws, files)), /Outside the node port range 30000-32767: the API server refuses it\./);
  });

  it('on a port item without nodePort suggests the next free one', () => {
    const md = plainText(hoverAt('services.yaml', 'port: 9|090'));
    assert.match(md, /No Ingress or HTTPRoute|Used by/);
    const item = plainText(hoverAt('services.yaml', 'name: m|etrics'));
    assert.match(item, /Used by:\n- Ingress shop: shop\.example\.com\/metrics \(by name metrics\)/);
  });

  it('on `port` lists the Ingress backends, HTTPRoutes and node port using it', () => {
    const md = plainText(hoverAt('services.yaml', 'port: 8|0'));
    assert.match(md, /Used by:/);
    assert.match(md, /- Ingress shop: shop\.example\.com\//);
    assert.match(md, /- HTTPRoute shop-api: api\.example\.com\/api/);
    assert.match(md, /- every node at :30080/);
    assert.match(md, /Ingress backends and HTTPRoute backendRefs refer to this number/);
  });

  it('explains every exposure-relevant Service field with a link', () => {
    const text = [
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: all',
      'spec:',
      '  type: LoadBalancer',
      '  clusterIP: None',
      '  externalName: db.example.com',
      '  externalIPs: [203.0.113.10]',
      '  sessionAffinity: ClientIP',
      '  sessionAffinityConfig:',
      '    clientIP:',
      '      timeoutSeconds: 600',
      '  externalTrafficPolicy: Local',
      '  internalTrafficPolicy: Local',
      '  loadBalancerSourceRanges: [203.0.113.0/24]',
      '  loadBalancerClass: example.com/lb',
      '  allocateLoadBalancerNodePorts: false',
      '  selector:',
      '    app: web',
      '  ports:',
      '    - name: https',
      '      protocol: TCP',
      '      appProtocol: https',
      '      port: 443',
      '      targetPort: 8443',
      '      nodePort: 30443',
      '',
    ].join('\n');
    const ws = workspace({ 'file:///t/all.yaml': text });
    const keys = ['type', 'clusterIP', 'externalName', 'externalIPs', 'sessionAffinity', 'sessionAffinityConfig', 'timeoutSeconds', 'externalTrafficPolicy', 'internalTrafficPolicy', 'loadBalancerSourceRanges', 'loadBalancerClass', 'allocateLoadBalancerNodePorts', 'selector', 'ports', 'name: https', 'protocol', 'appProtocol', 'port: 443', 'targetPort', 'nodePort'];
    for (const key of keys) {
      const h = hover(ws, 'file:///t/all.yaml', at(text, ` ${key[0]}|${key.slice(1)}`));
      assert.ok(h, `hover on ${key}`);
      const md = markdown(h);
      assert.match(md, /\]\(https:\/\/[^)]+\)$/, `${key}: ends with a docs link`);
      assert.ok(explanation(md).length > 40, `${key}: explains itself`);
    }
    const values: [string, RegExp][] = [
      ['clusterIP: N|one', /Headless: no virtual IP/],
      ['sessionAffinity: C|lientIP', /stick to one pod .*default 10800 s/],
      ['externalTrafficPolicy: L|ocal', /client IP is preserved/],
      ['internalTrafficPolicy: L|ocal', /Only pods on the caller's node/],
      ['allocateLoadBalancerNodePorts: f|alse', /only for load balancers that target pod IPs/],
      ['protocol: T|CP', /Streams: HTTP, gRPC/],
    ];
    for (const [marker, re] of values) assert.match(markdown(hover(ws, 'file:///t/all.yaml', at(text, marker))), re, marker);
  });
});

describe('hover: pods and workloads', () => {
  it('on a workload name shows every Service and Ingress reaching it', () => {
    const md = plainText(hoverAt('web.yaml', 'name: w|eb\n'));
    assert.match(md, /Reached through:/);
    assert.match(md, /- Service web \(NodePort 30080\): 80 \(node 30080\) → :8080, 9090 → :9090/);
    assert.match(md, /- Ingress shop: shop\.example\.com\/ → Service web/);
    assert.match(md, /- Ingress shop: shop\.example\.com\/metrics → Service web/);
    assert.match(md, /- HTTPRoute shop-api: api\.example\.com\/api → Service web/);
  });

  it('on template labels (key or value) shows the same, and says when nothing reaches the pods', () => {
    assert.match(plainText(hoverAt('web.yaml', 'tier: f|rontend')), /Reached through:\n- Service web/);
    assert.match(plainText(hoverAt('web.yaml', 'lab|els:', 0)), /Reached through:/);
    const agent = plainText(hoverAt('web.yaml', 'app: a|gent', 1));
    assert.match(agent, /Not reached by any Service in namespace shop \(labels app=agent\)\./);
    assert.match(agent, /On the node: hostPort 8125 → :8125\./);
  });

  it('on container port fields explains them and names the Service ports targeting them', () => {
    const md = hoverAt('web.yaml', 'containerPort: 8|080');
    assert.match(md, /Declaring it opens or blocks nothing/);
    const plain = plainText(md);
    assert.match(plain, /Targeted by:\n- Service web port 80 \(http\) \(targetPort http\)\n  - Ingress shop: shop\.example\.com\/\n  - HTTPRoute shop-api/);
    assert.match(hoverAt('web.yaml', '- n|ame: http'), /Names the port so Services/);
  });

  it('on `hostPort` says where the pods are reachable', () => {
    const md = plainText(hoverAt('web.yaml', 'hostPort: 8|125'));
    assert.match(md, /one pod per node per hostPort/);
    assert.match(md, /Reachable at <node IP>:8125 on each node running one of these pods \(one pod per node\), only there\./);
  });

  it('explains hostNetwork, hostIP and a container port protocol', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  hostNetwork: true\n  containers:\n    - name: c\n      ports:\n        - containerPort: 53\n          protocol: UDP\n          hostPort: 53\n          hostIP: 10.0.0.1\n';
    const ws = workspace({ 'file:///t/p.yaml': text });
    const h = (m: string) => markdown(hover(ws, 'file:///t/p.yaml', at(text, m)));
    assert.match(h('hostNet|work'), /the pod uses the node's network stack/);
    assert.match(plainText(h('hostNetwork: t|rue')), /On the node: hostNetwork \(ports 53 on the node\), hostPort 53 → :53\./);
    assert.match(h('hostI|P'), /Left out: every address \(0\.0\.0\.0\)/);
    assert.match(h('protocol: U|DP'), /Datagrams: DNS/);
  });
});

describe('hover: Ingress', () => {
  it('on a backend shows the whole traffic path down to the container', () => {
    const md = plainText(hoverAt('ingress.yaml', 'number: 8|0'));
    assert.match(md, /Traffic path:/);
    assert.match(md, /- shop\.example\.com\/ → Service web:80 → targetPort http → Deployment web \(container web :8080\)/);
    assert.match(md, /- shop\.example\.com\/ → Service web:80 → targetPort http → Deployment web-canary \(container web :8081\)/);
    assert.doesNotMatch(md, /metrics/);
  });

  it('links every hop of the path to its definition', () => {
    const md = hoverAt('ingress.yaml', 'name: m|etrics');
    assert.match(md, /Service \[`web`\]\(file:\/\/\/ws\/k8s\/services\.yaml#L4\)\[:9090\]\(file:\/\/\/ws\/k8s\/services\.yaml#L16\)/);
    assert.match(md, /Deployment \[`web`\]\(file:\/\/\/ws\/k8s\/web\.yaml#L5\) \(container `web` \[:9090\]\(file:\/\/\/ws\/k8s\/web\.yaml#L27\)\)/);
  });

  it('on a host shows every path of the rule', () => {
    const md = plainText(hoverAt('ingress.yaml', 'host: s|hop'));
    assert.equal(md.match(/^- shop\.example\.com/gm)?.length, 4);
    assert.match(md, /Left out: every host/);
  });

  it('explains each pathType value', () => {
    const text = 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\nspec:\n  rules:\n    - http:\n        paths:\n          - path: /a\n            pathType: Exact\n            backend: {service: {name: nope, port: {number: 80}}}\n          - path: /b\n            pathType: ImplementationSpecific\n            backend: {service: {name: nope, port: {number: 80}}}\n';
    const ws = workspace({ 'file:///t/i.yaml': text });
    assert.match(markdown(hover(ws, 'file:///t/i.yaml', at(text, 'pathType: E|xact'))), /Matches the URL path exactly/);
    const md = markdown(hover(ws, 'file:///t/i.yaml', at(text, 'pathType: I|mpl')));
    assert.match(md, /Not portable between controllers/);
    assert.match(plainText(md), /\*\/b → Service nope: not found in namespace default/);
    assert.match(plainText(markdown(hover(ws, 'file:///t/i.yaml', at(text, 'path: /|a')))), /Required for Exact and Prefix/);
  });

  it('on ingressClassName resolves the IngressClass and its controller', () => {
    const md = plainText(hoverAt('ingress.yaml', 'ingressClassName: n|ginx'));
    assert.match(md, /IngressClass nginx → controller k8s\.io\/ingress-nginx \(the default class\)\./);
    assert.match(md, /Replaces the deprecated `?kubernetes\.io\/ingress\.class`? annotation/);
  });

  it('explains rules, paths, backend, defaultBackend and tls', () => {
    const text = 'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i\n  namespace: shop\nspec:\n  defaultBackend:\n    service:\n      name: web\n      port:\n        number: 80\n  tls:\n    - hosts: [a.example.com]\n      secretName: a-tls\n  rules:\n    - host: b.example.com\n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service: {name: web, port: {name: http}}\n';
    const files = { ...FILES, [uriOf('i.yaml')]: text };
    const ws = workspace(files);
    const h = (m: string) => hoverAt('i.yaml', m, 0, ws, files);
    assert.match(h('defaultBack|end'), /Receives requests that match no rule/);
    assert.match(plainText(h('defaultBack|end')), /default backend → Service web:80 → targetPort http → Deployment web/);
    assert.match(h('tl|s:'), /Terminates HTTPS at the controller/);
    assert.match(plainText(h('tl|s:')), /a\.example\.com: no rule routes this host/);
    assert.match(h('rul|es'), /Host and path routing/);
    assert.match(h('path|s:'), /The longest matching path wins/);
    assert.match(h('back|end:\n              service'), /Where matching requests go/);
  });
});

describe('hover: classes, endpoints and kinds', () => {
  it('on the is-default-class annotation says whether it is the only default and who uses it', () => {
    const md = plainText(hoverAt('ingress.yaml', 'is-default|-class'));
    assert.match(md, /Keep exactly one default/);
    assert.match(md, /The only default IngressClass in the workspace\./);
    assert.match(md, /Used by:\n- Ingress shop/);
    assert.match(hoverAt('ingress.yaml', 'contr|oller'), /domain-prefixed name/);
  });

  it('on an EndpointSlice label or an Endpoints name finds the Service it backs', () => {
    assert.match(plainText(hoverAt('services.yaml', 'service-name: d|b')), /Backs Service db \(no selector\), ports 5432 \(postgres\)\./);
    const text = 'apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: web\n  namespace: shop\nsubsets:\n  - addresses: [{ip: 10.0.0.1}]\n';
    const files = { ...FILES, [uriOf('ep.yaml')]: text };
    const md = plainText(hoverAt('ep.yaml', 'name: w|eb', 0, workspace(files), files));
    assert.match(md, /Must equal the name of the Service it backs/);
    assert.match(md, /Backs Service web, but it has a selector/);
  });

  it('on `kind` explains the kind', () => {
    assert.match(hoverAt('services.yaml', 'kind: Endpoint|Slice'), /^\*\*EndpointSlice\*\*\n\nA list of backend addresses/);
    assert.match(hoverAt('ingress.yaml', 'kind: Ing|ress\n'), /An HTTP\(S\) router in front of Services/);
  });

  it('on an HTTPRoute backendRef shows the path to the pods', () => {
    const md = plainText(hoverAt('routes.yaml', 'name: w|eb'));
    assert.match(md, /- api\.example\.com\/api → Service web:80 → targetPort http → Deployment web \(container web :8080\)/);
    assert.match(md, /Name of a Service in the route's namespace/);
    assert.match(plainText(hoverAt('routes.yaml', 'parent|Refs')), /The Gateways \(and, with sectionName or port, the listeners\) this route attaches to[^]*kube-expose: route-not-attached/);
    assert.match(plainText(hoverAt('routes.yaml', 'po|rt: 80')), /A port of the Service, as a number: not its targetPort, container port or nodePort, and not a port name\.[^]*kube-expose: route-backend-port-missing/);
  });

  it('on an HTTPRoute parentRef says which listeners it attaches to, and a listener which routes it takes', () => {
    const gw =
      'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: public\n  namespace: infra\nspec:\n  gatewayClassName: x\n  listeners:\n' +
      '    - name: http\n      protocol: HTTP\n      port: 80\n    - name: https\n      protocol: HTTPS\n      port: 443\n      hostname: "*.example.com"\n      allowedRoutes:\n        namespaces:\n          from: All\n';
    const route =
      'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: r\n  namespace: shop\nspec:\n  parentRefs:\n    - name: public\n      namespace: infra\n  hostnames:\n    - a.example.com\n';
    const files = { ...FILES, [uriOf('gw.yaml')]: gw, [uriOf('r.yaml')]: route };
    const ws = workspace(files);
    const onRef = plainText(hoverAt('r.yaml', 'name: pu|blic', 0, ws, files));
    assert.match(onRef, /Attachment:\n- Gateway public listener http \(HTTP :80\): not attached: it takes routes from its own namespace infra only/);
    assert.match(onRef, /- Gateway public listener https \(HTTPS :443 \*\.example\.com\): attached/);
    const onListener = plainText(hoverAt('gw.yaml', 'name: ht|tps', 0, ws, files));
    assert.match(onListener, /Routes naming this listener:\n- HTTPRoute r \(namespace shop\) a\.example\.com: attached/);
    assert.match(plainText(hoverAt('gw.yaml', 'name: ht|tp\n', 0, ws, files)), /- HTTPRoute r \(namespace shop\) a\.example\.com: not attached: this listener takes routes from its own namespace infra only/);
    // the fixture's route names a Gateway that is not among the files
    assert.match(plainText(hoverAt('routes.yaml', 'name: pu|blic')), /Gateway shop\/public is not among the checked files/);
  });

  it('falls back to the schema description for fields without a curated text', () => {
    const md = hoverAt('services.yaml', 'endpoi|nts:');
    assert.match(md, /The backend addresses/);
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  publishNotReadyAddresses: true\n';
    const ws = workspace({ 'file:///t/x.yaml': text });
    assert.match(markdown(hover(ws, 'file:///t/x.yaml', at(text, 'publishNot'))), /pods that are not ready/);
  });

  it('returns null off the manifest fields', () => {
    assert.equal(hover(WS, uriOf('web.yaml'), at(FILES[uriOf('web.yaml')], '# Two')), null);
    assert.equal(hover(WS, uriOf('web.yaml'), at(FILES[uriOf('web.yaml')], '---')), null);
    assert.equal(hover(WS, 'file:///nope.yaml', { line: 0, character: 0 }), null);
  });

  it('works in a document with YAML errors elsewhere', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: b\n  namespace: shop\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n      targetPort: http\n  type: [NodePort\n';
    const files = { ...FILES, [uriOf('b.yaml')]: text };
    const md = plainText(hoverAt('b.yaml', 'targetPort: h|ttp', 0, workspace(files), files));
    assert.match(md, /- Deployment web \(container web :8080\)/);
  });

  it('gives the range of the hovered word', () => {
    const h = hover(WS, uriOf('services.yaml'), at(FILES[uriOf('services.yaml')], 'targetPort: h|ttp'));
    assert.deepEqual(h?.range, { start: { line: 12, character: 18 }, end: { line: 12, character: 22 } });
  });
});
