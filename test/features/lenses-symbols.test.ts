// Code lenses above Services and workloads; document and workspace symbols.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SymbolKind, type Location } from 'vscode-languageserver-types';
import { codeLenses, documentSymbols, SHOW_REFERENCES, workspaceSymbols } from '../../server/src/features';
import { fixtureFiles, uriOf, workspace } from './helpers';

const FILES = fixtureFiles();
const WS = workspace(FILES);

function lensTitles(uri: string, ws = WS): string[] {
  return codeLenses(ws, uri).map((l) => `${l.range.start.line + 1}: ${l.command?.title}`);
}

describe('code lenses', () => {
  it('say above each Service what it selects, and who uses it', () => {
    assert.deepEqual(lensTitles(uriOf('services.yaml')), [
      '1: selects 2 workloads: web, web-canary',
      '1: used by Ingress shop (shop.example.com/, shop.example.com/metrics) · HTTPRoute shop-api',
      '19: no selector · endpoints from EndpointSlice db-1',
    ]);
  });

  it('say above each workload how it is reached', () => {
    assert.deepEqual(lensTitles(uriOf('web.yaml')), [
      '2: exposed by Service web (NodePort 30080) · Ingress shop (shop.example.com/, shop.example.com/metrics) · HTTPRoute shop-api',
      '33: exposed by Service web (NodePort 30080) · Ingress shop (shop.example.com/, shop.example.com/metrics) · HTTPRoute shop-api',
      '58: not exposed by any Service · hostPort 8125 → :8125',
    ]);
  });

  it('say above each Gateway which routes attach to it and which name it in vain', () => {
    const gw =
      'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: public\n  namespace: infra\nspec:\n  gatewayClassName: x\n  listeners:\n' +
      '    - name: http\n      protocol: HTTP\n      port: 80\n      allowedRoutes:\n        namespaces:\n          from: All\n---\n' +
      'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: idle\n  namespace: infra\nspec:\n  gatewayClassName: x\n  listeners:\n    - name: http\n      protocol: HTTP\n      port: 80\n';
    const routes =
      'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: a\n  namespace: shop\nspec:\n  parentRefs:\n    - name: public\n      namespace: infra\n---\n' +
      'apiVersion: gateway.networking.k8s.io/v1alpha2\nkind: TCPRoute\nmetadata:\n  name: b\n  namespace: shop\nspec:\n  parentRefs:\n    - name: public\n      namespace: infra\n';
    const files = { ...FILES, [uriOf('gw.yaml')]: gw, [uriOf('routes2.yaml')]: routes };
    const ws = workspace(files);
    assert.deepEqual(lensTitles(uriOf('gw.yaml'), ws), ['1: 1 route attached: HTTPRoute a · 1 route not attached: TCPRoute b', '16: no route in the files attaches to it']);
    const [, , locations] = codeLenses(ws, uriOf('gw.yaml'))[0].command!.arguments as [string, unknown, Location[]];
    assert.deepEqual(locations.map((l) => `${l.uri}:${l.range.start.line + 1}`), [`${uriOf('routes2.yaml')}:8`, `${uriOf('routes2.yaml')}:18`]);
  });

  it('carry showReferences commands with plain-data arguments', () => {
    const lens = codeLenses(WS, uriOf('services.yaml'))[0];
    assert.equal(lens.command?.command, SHOW_REFERENCES);
    const [uri, position, locations] = lens.command!.arguments as [string, unknown, Location[]];
    assert.equal(uri, uriOf('services.yaml'));
    assert.deepEqual(position, lens.range.start);
    assert.deepEqual(
      locations.map((l) => `${l.uri}:${l.range.start.line + 1}`),
      [`${uriOf('web.yaml')}:15`, `${uriOf('web.yaml')}:45`],
    );
    assert.doesNotThrow(() => JSON.stringify(lens));
  });

  it('say "selects nothing" with no command to follow', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: lost\n  namespace: shop\nspec:\n  selector:\n    app: nope\n  ports:\n    - port: 80\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: alias\n  namespace: shop\nspec:\n  type: ExternalName\n  externalName: db.example.com\n';
    const ws = workspace({ ...FILES, [uriOf('lost.yaml')]: text });
    const lenses = codeLenses(ws, uriOf('lost.yaml'));
    assert.deepEqual(
      lenses.map((l) => [l.command?.title, l.command?.command]),
      [
        ['selects nothing', ''],
        ['CNAME to db.example.com', ''],
      ],
    );
  });

  it('follow edits: a new Service shows up on the workload lens', () => {
    const ws = workspace(FILES);
    ws.setFile(uriOf('metrics.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web-metrics\n  namespace: shop\nspec:\n  selector:\n    track: canary\n  ports:\n    - port: 9090\n');
    assert.match(lensTitles(uriOf('web.yaml'), ws)[1], /exposed by Service web-metrics \(ClusterIP\) · Service web \(NodePort 30080\) · Ingress shop/);
    ws.removeFile(uriOf('metrics.yaml'));
    assert.doesNotMatch(lensTitles(uriOf('web.yaml'), ws)[1], /web-metrics/);
  });
});

describe('document symbols', () => {
  it('list one symbol per resource with namespace and ports', () => {
    const symbols = documentSymbols(WS, uriOf('services.yaml'));
    assert.deepEqual(
      symbols.map((s) => [s.name, s.detail, s.kind, s.range.start.line, s.selectionRange.start.line, s.children?.map((c) => `${c.name} (${c.detail})`)]),
      [
        ['Service web', 'shop', SymbolKind.Interface, 0, 3, ['http: 80 → http (TCP, nodePort 30080)', 'metrics: 9090 → metrics (TCP)']],
        ['Service db', 'shop', SymbolKind.Interface, 18, 21, ['postgres: 5432 (TCP)']],
        ['EndpointSlice db-1', 'shop', SymbolKind.Array, 28, 31, []],
      ],
    );
  });

  it('nest containers and their ports under workloads, and routes under Ingresses', () => {
    const web = documentSymbols(WS, uriOf('web.yaml'))[0];
    assert.equal(web.name, 'Deployment web');
    assert.deepEqual(web.children?.map((c) => [c.name, c.detail, c.children?.map((p) => p.name)]), [['web', 'container', ['http: 8080', 'metrics: 9090']]]);
    const [cls, ing] = documentSymbols(WS, uriOf('ingress.yaml'));
    assert.deepEqual([cls.name, cls.detail], ['IngressClass nginx', undefined]);
    assert.deepEqual(ing.children?.map((c) => `${c.name} ${c.detail}`), ['shop.example.com/ → web:80', 'shop.example.com/metrics → web:metrics']);
  });

  it('keep every range inside its parent', () => {
    const inside = (a: { start: { line: number } ; end: { line: number } }, b: typeof a) => a.start.line >= b.start.line && a.end.line <= b.end.line;
    for (const uri of Object.keys(FILES)) {
      for (const s of documentSymbols(WS, uri)) {
        assert.ok(inside(s.selectionRange, s.range), s.name);
        for (const c of s.children ?? []) assert.ok(inside(c.range, s.range), `${s.name} > ${c.name}`);
      }
    }
  });
});

describe('workspace symbols', () => {
  it('find resources by name: exact and prefix first, then substring, then fuzzy', () => {
    assert.deepEqual(workspaceSymbols(WS, 'web').map((s) => s.name), ['Deployment web', 'Service web', 'Deployment web-canary']);
    assert.deepEqual(workspaceSymbols(WS, 'canary').map((s) => s.name), ['Deployment web-canary']);
    assert.deepEqual(workspaceSymbols(WS, 'wcnry').map((s) => s.name), ['Deployment web-canary']);
    assert.deepEqual(workspaceSymbols(WS, 'ingressclass').map((s) => s.name), ['IngressClass nginx']);
  });

  it('give the location of the name and the namespace as container', () => {
    const [s] = workspaceSymbols(WS, 'shop-api');
    assert.deepEqual([s.name, s.containerName, s.location.uri, s.location.range.start], ['HTTPRoute shop-api', 'shop', uriOf('routes.yaml'), { line: 3, character: 8 }]);
    assert.equal(workspaceSymbols(WS, '').length, 9);
    assert.equal(workspaceSymbols(WS, '', 3).length, 3);
  });
});
