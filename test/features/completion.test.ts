// Completion in the middle of typing: partial keys and values, empty values,
// flow style, the second document of a file, and documents with YAML errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CompletionItem, TextEdit } from 'vscode-languageserver-types';
import { complete } from '../../server/src/features';
import { applyEdits } from '../../server/src/index';
import { cursor, fixtureFiles, uriOf, workspace } from './helpers';

const FILES = fixtureFiles();
const NEW = uriOf('new.yaml');

/** Completion items for a document (with `|` as the cursor) added to the fixture workspace. */
function items(docWithBar: string, config = {}): CompletionItem[] {
  const { text, pos } = cursor(docWithBar);
  const ws = workspace({ ...FILES, [NEW]: text }, config);
  return complete(ws, NEW, pos)?.items ?? [];
}

function labels(list: CompletionItem[]): string[] {
  return [...list].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label)).map((i) => i.label);
}

function item(list: CompletionItem[], label: string): CompletionItem {
  const found = list.find((i) => i.label === label);
  assert.ok(found, `no item ${label} in ${JSON.stringify(list.map((i) => i.label))}`);
  return found;
}

/** The document after accepting an item. */
function accept(docWithBar: string, label: string): string {
  const { text } = cursor(docWithBar);
  const it = item(items(docWithBar), label);
  return applyEdits(text, [it.textEdit as TextEdit]);
}

const SVC = (spec: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: new\n  namespace: shop\nspec:\n${spec}`;
const ING = (backend: string) =>
  `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: new\n  namespace: shop\nspec:\n  rules:\n    - host: new.example.com\n      http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n${backend}`;

describe('completion: Service selector', () => {
  it('offers pod label keys of the namespace for a partial key, replacing the word', () => {
    const doc = SVC('  selector:\n    tr|\n  ports:\n    - port: 80\n');
    const list = items(doc);
    assert.deepEqual(labels(list), ['app', 'track', 'tier']);
    assert.equal(item(list, 'track').detail, 'values: canary, stable');
    assert.equal(item(list, 'track').command?.command, 'editor.action.triggerSuggest');
    assert.match(accept(doc, 'track'), /\n {4}track: \n {2}ports:/);
  });

  it('leaves out keys already in the selector and generated labels', () => {
    const list = items(SVC('  selector:\n    app: web\n    |\n'));
    assert.deepEqual(labels(list), ['track', 'tier']);
  });

  it('offers the values of a key, the ones that fit the rest of the selector first', () => {
    const list = items(SVC('  selector:\n    track: canary\n    app: |\n'));
    assert.deepEqual(labels(list), ['web', 'agent']);
    assert.equal(item(list, 'web').detail, 'selects Deployment web-canary');
    assert.equal(item(list, 'agent').detail, 'labels DaemonSet agent');
    const plain = items(SVC('  selector:\n    track: |\n'));
    assert.deepEqual(labels(plain), ['canary', 'stable']);
    assert.match(String((item(plain, 'stable').documentation as { value: string }).value), /Deployment `web`, 3 replicas/);
  });

  it('works in flow style', () => {
    const doc = SVC('  selector: {app: w|}\n');
    assert.deepEqual(labels(items(doc)), ['agent', 'web']);
    assert.equal(accept(doc, 'web').split('\n')[6], '  selector: {app: web}');
    assert.deepEqual(labels(items(SVC('  selector: {app: web, t|}\n'))), ['track', 'tier']);
  });

  it('keeps quotes the user opened and quotes values YAML would read as something else', () => {
    const doc = SVC('  selector:\n    app: "w|"\n');
    assert.equal(accept(doc, 'web').split('\n')[7], '    app: "web"');
    const files = { [uriOf('v.yaml')]: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: shop\n  labels:\n    canary: "true"\nspec:\n  containers: []\n' };
    const { text, pos } = cursor(SVC('  selector:\n    canary: |\n'));
    const ws = workspace({ ...files, [NEW]: text });
    const it = item(complete(ws, NEW, pos)!.items, 'true');
    assert.equal((it.textEdit as TextEdit).newText, '"true"');
  });
});

describe('completion: targetPort, nodePort and enums', () => {
  it('offers the selected containers\' port names and numbers, with container and protocol', () => {
    const list = items(SVC('  selector:\n    app: web\n  ports:\n    - port: 80\n      targetPort: |\n'));
    assert.deepEqual(labels(list), ['http', 'metrics', '8080', '8081', '9090']);
    assert.equal(item(list, 'http').detail, '8080/TCP in Deployment web, container web; 8081/TCP in Deployment web-canary, container web');
    assert.equal(item(list, '9090').detail, '"metrics" TCP in Deployment web, container web; "metrics" TCP in Deployment web-canary, container web');
  });

  it('ranks ports of another protocol last and says why', () => {
    const list = items(SVC('  selector:\n    app: agent\n  ports:\n    - port: 8125\n      targetPort: |\n'));
    assert.deepEqual(labels(list), ['stats', '8125']);
    assert.match(item(list, 'stats').detail!, /8125\/UDP in DaemonSet agent, container agent \(not TCP\)/);
    const udp = items(SVC('  selector:\n    app: agent\n  ports:\n    - port: 8125\n      protocol: UDP\n      targetPort: |\n'));
    assert.doesNotMatch(item(udp, 'stats').detail!, /not/);
  });

  it('replaces a partially typed targetPort, in block and flow style', () => {
    const doc = SVC('  selector:\n    app: web\n  ports:\n    - port: 80\n      targetPort: me|\n');
    assert.match(accept(doc, 'metrics'), /targetPort: metrics\n$/);
    const flow = SVC('  selector: {app: web}\n  ports: [{port: 80, targetPort: h|}]\n');
    assert.match(accept(flow, 'http'), /ports: \[\{port: 80, targetPort: http\}\]/);
  });

  it('suggests the next free nodePort in the conflict scope', () => {
    const taken = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  type: NodePort\n  ports:\n    - port: 1\n      nodePort: 30000\n    - name: b\n      port: 2\n      nodePort: 30001\n';
    const { text, pos } = cursor(SVC('  type: NodePort\n  ports:\n    - name: a\n      port: 80\n      nodePort: 30002\n    - name: b\n      port: 81\n      nodePort: |\n'));
    const ws = workspace({ [uriOf('taken.yaml')]: taken, 'file:///elsewhere/x.yaml': taken.replace('30001', '30003'), [NEW]: text });
    const list = complete(ws, NEW, pos)!.items;
    assert.deepEqual(labels(list), ['30003']);
    assert.equal(list[0].detail, 'next free node port in 30000-32767');
  });

  it('offers enum values with one-line explanations', () => {
    const cases: [string, string[]][] = [
      [SVC('  type: |\n'), ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']],
      [SVC('  sessionAffinity: |\n'), ['None', 'ClientIP']],
      [SVC('  externalTrafficPolicy: |\n'), ['Cluster', 'Local']],
      [SVC('  internalTrafficPolicy: L|\n'), ['Cluster', 'Local']],
      [SVC('  ports:\n    - port: 53\n      protocol: |\n'), ['TCP', 'UDP', 'SCTP']],
      [ING('              service: {name: web, port: {number: 80}}\n').replace('pathType: Prefix', 'pathType: |'), ['Exact', 'Prefix', 'ImplementationSpecific']],
    ];
    for (const [doc, expected] of cases) {
      const list = items(doc);
      assert.deepEqual(labels(list), expected);
      for (const it of list) assert.ok(it.detail && it.detail.length < 140 && /\.$/.test(it.detail), `one-liner for ${it.label}: ${it.detail}`);
    }
    assert.equal(item(items(SVC('  type: |\n')), 'NodePort').detail, 'ClusterIP plus a port opened on every node: <any node IP>:<nodePort> reaches the pods.');
  });

  it('offers the known keys of a map, without the ones present', () => {
    const list = items(SVC('  selector:\n    app: web\n  ports:\n    - port: 80\n      tar|\n'));
    assert.deepEqual(labels(list), ['targetPort', 'nodePort', 'protocol', 'name', 'appProtocol']);
    assert.match(accept(SVC('  selector:\n    app: web\n  ports:\n    - port: 80\n      tar|\n'), 'targetPort'), /\n {6}targetPort: \n$/);
    assert.ok(labels(items(SVC('  type: NodePort\n  ext|\n'))).includes('externalTrafficPolicy'));
  });
});

describe('completion: pod template labels', () => {
  const DEPLOY = (labels: string) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web-v2\n  namespace: shop\nspec:\n  selector:\n    matchLabels:\n      version: v2\n  template:\n    metadata:\n      labels:\n${labels}    spec:\n      containers: []\n`;

  it('offers the workload\'s matchLabels and the selectors of Services that would select it', () => {
    const list = items(DEPLOY('        |\n'));
    assert.deepEqual(labels(list), ['version: v2', 'app: web']);
    assert.equal(item(list, 'app: web').detail, 'Service web selects app=web');
    assert.match(accept(DEPLOY('        |\n'), 'app: web'), /labels:\n {8}app: web\n/);
  });

  it('offers values for a label key from those selectors', () => {
    assert.deepEqual(labels(items(DEPLOY('        app: |\n'))), ['web']);
  });

  it('offers the template labels in the workload selector', () => {
    const doc = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n  namespace: shop\nspec:\n  selector:\n    matchLabels:\n      |\n  template:\n    metadata:\n      labels:\n        app: x\n        tier: db\n    spec:\n      containers: []\n`;
    assert.deepEqual(labels(items(doc)), ['app: x', 'tier: db']);
  });
});

describe('completion: Ingress backends and classes', () => {
  it('offers the Services of the namespace with their type and ports', () => {
    const list = items(ING('              service:\n                name: |\n                port:\n                  number: 80\n'));
    assert.deepEqual(labels(list), ['db', 'web']);
    assert.equal(item(list, 'web').detail, 'NodePort · 80 (http), 9090 (metrics)');
  });

  it('offers that Service\'s port numbers and names, and both forms for an empty `port:`', () => {
    assert.deepEqual(labels(items(ING('              service:\n                name: web\n                port:\n                  number: |\n'))), ['80', '9090']);
    const names = items(ING('              service:\n                name: web\n                port:\n                  name: m|\n'));
    assert.deepEqual(labels(names), ['http', 'metrics']);
    assert.equal(item(names, 'metrics').detail, 'port 9090/TCP → targetPort metrics');
    const both = items(ING('              service:\n                name: web\n                port:\n                  |\n'));
    assert.deepEqual(labels(both).slice(0, 4), ['number: 80', 'number: 9090', 'name: http', 'name: metrics']);
    assert.deepEqual(labels(items(ING('              service: {name: web, port: {number: |}}\n'))), ['80', '9090']);
  });

  it('offers IngressClasses, the default first', () => {
    const doc = `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: x\n  namespace: shop\nspec:\n  ingressClassName: |\n`;
    const extra = { [uriOf('cls.yaml')]: 'apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: alb\nspec:\n  controller: ingress.k8s.aws/alb\n' };
    const { text, pos } = cursor(doc);
    const ws = workspace({ ...FILES, ...extra, [NEW]: text });
    const list = complete(ws, NEW, pos)!.items;
    assert.deepEqual(labels(list), ['nginx', 'alb']);
    assert.equal(item(list, 'nginx').detail, 'controller k8s.io/ingress-nginx (default)');
  });

  it('offers the rule hosts for TLS', () => {
    const doc = ING('              service: {name: web, port: {number: 80}}\n').replace('spec:\n', 'spec:\n  tls:\n    - hosts:\n        - |\n');
    assert.deepEqual(labels(items(doc)), ['new.example.com']);
  });
});

describe('completion: Endpoints and EndpointSlices', () => {
  it('offers the Services without a selector as names and as the service-name label', () => {
    assert.deepEqual(labels(items('apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: |\n  namespace: shop\n')), ['db']);
    const slice = 'apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: db-2\n  namespace: shop\n  labels:\n    kubernetes.io/service-name: |\naddressType: IPv4\n';
    const list = items(slice);
    assert.deepEqual(labels(list), ['db']);
    assert.match(String((list[0].documentation as { value: string }).value), /Already backed by EndpointSlice `db-1`/);
    const key = items('apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: db-2\n  namespace: shop\n  labels:\n    kub|\naddressType: IPv4\n');
    assert.deepEqual(labels(key), ['kubernetes.io/service-name: db']);
  });

  it('offers the Service\'s port names for the slice ports', () => {
    const slice = 'apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: db-2\n  namespace: shop\n  labels:\n    kubernetes.io/service-name: db\naddressType: IPv4\nports:\n  - name: |\n';
    assert.deepEqual(labels(items(slice)), ['postgres']);
  });
});

describe('completion: unusual documents', () => {
  it('works in the second document of a multi-document file', () => {
    const doc = `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: api}\n  template:\n    metadata:\n      labels: {app: api}\n    spec:\n      containers:\n        - name: api\n          ports:\n            - name: grpc\n              containerPort: 9000\n---\n${SVC('  selector:\n    app: api\n  ports:\n    - port: 9000\n      targetPort: |\n')}`;
    assert.deepEqual(labels(items(doc)), ['grpc', '9000']);
  });

  it('works when the document has YAML errors elsewhere', () => {
    const broken = SVC('  selector:\n    app: web\n  ports:\n    - port: 80\n      targetPort: |\n  type: [NodePort\n  externalIPs: {\n');
    assert.deepEqual(labels(items(broken)), ['http', 'metrics', '8080', '8081', '9090']);
  });

  it('works on a key typed without its colon between other keys', () => {
    assert.deepEqual(labels(items(SVC('  selector:\n    app: web\n    tr|\n  ports:\n    - port: 80\n'))), ['track', 'tier']);
  });

  it('falls back to the kind and namespace read from the text when nothing parses', () => {
    const doc = 'apiVersion: v1\nkind: Service\nmetadata:\n  namespace: shop\n  name: [broken\nspec:\n  selector:\n    app: |\n  ports: {\n';
    assert.deepEqual(labels(items(doc)), ['agent', 'web']);
  });

  it('works in a List', () => {
    const doc = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata:\n    name: x\n    namespace: shop\n  spec:\n    selector: {app: web}\n    ports:\n    - port: 80\n      targetPort: |\n';
    assert.deepEqual(labels(items(doc)), ['http', 'metrics', '8080', '8081', '9090']);
  });

  it('returns nothing in comments, and null outside the workspace', () => {
    assert.equal(items(SVC('  type: NodePort # no|t here\n')).length, 0);
    assert.equal(complete(workspace({}), 'file:///nope.yaml', { line: 0, character: 0 }), null);
  });
});

describe('completion: the replace range', () => {
  /** The ranges of a completion's items, as `start-end` columns on the cursor's line (every item on that line). */
  function spans(docWithBar: string): string[] {
    const { pos } = cursor(docWithBar);
    const list = items(docWithBar);
    assert.ok(list.length > 0, 'no items');
    return [
      ...new Set(
        list.map((i) => {
          const r = (i.textEdit as TextEdit).range;
          assert.equal(r.start.line, pos.line);
          assert.equal(r.end.line, pos.line);
          return `${r.start.character}-${r.end.character}`;
        }),
      ),
    ];
  }

  it('starts at the cursor between "-" and an item\'s key, not at the key (it ended before it started)', () => {
    // the protocol storm's case: the cursor right after the dash of `- name: http`
    assert.deepEqual(spans(SVC('  ports:\n    -| name: http\n      port: 80\n')), ['5-5']);
    assert.deepEqual(spans(SVC('  ports:\n    -  |  name: http\n')), ['7-7']);
    assert.deepEqual(spans(SVC('  ports:\n    -|\ttargetPort: http\n')), ['5-5']);
    assert.deepEqual(spans(SVC('  ports:\n    - |port: 80\n')), ['6-10']);
  });

  it('replaces the whole quoted value when the cursor is on its opening quote (it ended before it started)', () => {
    const doc = SVC('  type: |"NodePort"\n');
    assert.deepEqual(spans(doc), ['8-18']);
    assert.equal(accept(doc, 'ClusterIP').split('\n')[6], '  type: ClusterIP');
    assert.equal(accept(SVC('  selector:\n    app: |\'x\'\n'), 'web').split('\n')[7], '    app: web');
    // inside the quotes the quotes stay
    assert.equal(accept(SVC('  type: "|NodePort"\n'), 'ClusterIP').split('\n')[6], '  type: "ClusterIP"');
    // the same in a flow collection, for values and keys
    assert.equal(accept(SVC('  {type: |"NodePort", ports: []}\n'), 'ClusterIP').split('\n')[6], '  {type: ClusterIP, ports: []}');
    assert.equal(accept(SVC('  selector: {app: |\'x\'}\n'), 'web').split('\n')[6], '  selector: {app: web}');
    assert.equal(accept(SVC('  type: ClusterIP\n  ports: [{|"nam": http, port: 80}]\n'), 'name').split('\n')[7], '  ports: [{name: http, port: 80}]');
  });

  it('writes the key alone when the key being replaced already has its colon', () => {
    assert.equal(accept(SVC('  ports:\n    - nam|: http\n      port: 80\n'), 'name').split('\n')[7], '    - name: http');
    assert.equal(accept(SVC('  ports:\n    - po|rt : 80\n'), 'port').split('\n')[7], '    - port : 80');
    assert.equal(accept(SVC('  ports: [{po|rt: 80}]\n'), 'port').split('\n')[6], '  ports: [{port: 80}]');
    // a label suggestion (key and value) keeps the value already written
    const doc = SVC('  selector:\n    ap|: other\n  ports:\n    - port: 80\n');
    const web = items(doc).find((i) => i.label.startsWith('app'));
    assert.ok(web, 'a label key is offered');
    assert.equal((web.textEdit as TextEdit).newText, 'app');
  });
});

describe('completion: HTTPRoute parentRefs', () => {
  const GW = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: public
  namespace: gateway-system
spec:
  gatewayClassName: example
  listeners:
    - name: http
      protocol: HTTP
      port: 80
    - name: https
      protocol: HTTPS
      port: 443
      hostname: "*.example.com"
      allowedRoutes:
        namespaces:
          from: All
`;
  const ROUTE = (parent: string) => `apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: new\n  namespace: shop\nspec:\n  parentRefs:\n${parent}`;
  const routeItems = (docWithBar: string) => {
    const { text, pos } = cursor(docWithBar);
    const ws = workspace({ ...FILES, [uriOf('gw.yaml')]: GW, [NEW]: text });
    return complete(ws, NEW, pos)?.items ?? [];
  };

  it('offers the Gateways of the ref namespace, with their listeners', () => {
    const list = routeItems(ROUTE('    - namespace: gateway-system\n      name: |\n'));
    assert.deepEqual(labels(list), ['public']);
    assert.equal(item(list, 'public').detail, 'Gateway · http, https');
    assert.deepEqual(routeItems(ROUTE('    - name: |\n')), [], 'no Gateway in the route namespace');
  });

  it('offers the listeners of the named Gateway, saying which namespaces they take routes from', () => {
    const list = routeItems(ROUTE('    - name: public\n      namespace: gateway-system\n      sectionName: |\n'));
    assert.deepEqual(labels(list), ['http', 'https']);
    assert.equal(item(list, 'http').detail, 'HTTP :80 · routes from its namespace only');
    assert.equal(item(list, 'https').detail, 'HTTPS :443 *.example.com · routes from all namespaces');
  });
});
