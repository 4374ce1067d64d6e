// Go to definition and find references across files.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Location } from 'vscode-languageserver-types';
import { definition, references } from '../../server/src/features';
import { at, fixtureFiles, uriOf, workspace } from './helpers';

const FILES = fixtureFiles();
const WS = workspace(FILES);

/** `file:line:col-col` (1-based line, 0-based columns) and the text there. */
function show(locs: Location[] | null, files = FILES): string[] {
  assert.ok(locs, 'expected locations');
  return locs.map((l) => {
    const line = files[l.uri].split('\n')[l.range.start.line];
    const text = l.range.start.line === l.range.end.line ? line.slice(l.range.start.character, l.range.end.character) : `${line.slice(l.range.start.character)}…`;
    return `${l.uri.replace('file:///ws/k8s/', '')}:${l.range.start.line + 1} ${text}`;
  });
}

const def = (file: string, marker: string, nth = 0) => definition(WS, uriOf(file), at(FILES[uriOf(file)], marker, nth));
const refs = (file: string, marker: string, nth = 0, decl = true) => references(WS, uriOf(file), at(FILES[uriOf(file)], marker, nth), decl);

describe('definition', () => {
  it('goes from a selector entry to the matching template labels', () => {
    assert.deepEqual(show(def('services.yaml', 'app: w|eb')), ['web.yaml:16 app', 'web.yaml:46 app']);
    assert.deepEqual(show(def('services.yaml', 'sel|ector')), ['web.yaml:15 labels', 'web.yaml:45 labels']);
  });

  it('goes from a named targetPort to the container port in each selected workload', () => {
    assert.deepEqual(show(def('services.yaml', 'targetPort: h|ttp')), ['web.yaml:24 http', 'web.yaml:53 http']);
    assert.deepEqual(show(def('services.yaml', 'targetPort: m|etrics')), ['web.yaml:26 metrics', 'web.yaml:55 metrics']);
  });

  it('goes from a numeric targetPort to the declaring containerPort', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: n\n  namespace: shop\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n      targetPort: 8080\n';
    const files = { ...FILES, [uriOf('n.yaml')]: text };
    const ws = workspace(files);
    assert.deepEqual(show(definition(ws, uriOf('n.yaml'), at(text, 'targetPort: 8|080')), files), ['web.yaml:25 8080']);
  });

  it('goes from an Ingress backend to the Service and to its port', () => {
    assert.deepEqual(show(def('ingress.yaml', 'name: w|eb')), ['services.yaml:4 web']);
    assert.deepEqual(show(def('ingress.yaml', 'number: 8|0')), ['services.yaml:12 80']);
    assert.deepEqual(show(def('ingress.yaml', 'name: m|etrics')), ['services.yaml:15 metrics']);
  });

  it('goes from an HTTPRoute backendRef to the Service and its port', () => {
    assert.deepEqual(show(def('routes.yaml', 'name: w|eb')), ['services.yaml:4 web']);
    assert.deepEqual(show(def('routes.yaml', 'port: 8|0')), ['services.yaml:12 80']);
  });

  it('goes from an HTTPRoute parentRef to the Gateway and from its sectionName to the listener', () => {
    const gw = 'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: public\n  namespace: infra\nspec:\n  gatewayClassName: x\n  listeners:\n    - name: http\n      protocol: HTTP\n      port: 80\n    - name: https\n      protocol: HTTPS\n      port: 443\n';
    const route = 'apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata:\n  name: r\n  namespace: shop\nspec:\n  parentRefs:\n    - name: public\n      namespace: infra\n      sectionName: https\n';
    const files = { ...FILES, [uriOf('gw.yaml')]: gw, [uriOf('r.yaml')]: route };
    const ws = workspace(files);
    assert.deepEqual(show(definition(ws, uriOf('r.yaml'), at(route, 'name: pu|blic')), files), ['gw.yaml:4 public']);
    assert.deepEqual(show(definition(ws, uriOf('r.yaml'), at(route, 'sectionName: ht|tps')), files), ['gw.yaml:12 https']);
    // the route's own namespace has no Gateway public: nothing to go to
    assert.equal(def('routes.yaml', 'name: pu|blic'), null);
  });

  it('goes from an EndpointSlice or Endpoints to its Service, and from their port names to its port', () => {
    assert.deepEqual(show(def('services.yaml', 'service-name: d|b')), ['services.yaml:22 db']);
    assert.deepEqual(show(def('services.yaml', 'name: p|ostgres', 1)), ['services.yaml:26 postgres']);
    const text = 'apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: db\n  namespace: shop\n';
    const files = { ...FILES, [uriOf('ep.yaml')]: text };
    assert.deepEqual(show(definition(workspace(files), uriOf('ep.yaml'), at(text, 'name: d|b')), files), ['services.yaml:22 db']);
  });

  it('goes from ingressClassName to the IngressClass, and from a probe port to the container port', () => {
    assert.deepEqual(show(def('ingress.yaml', 'ingressClassName: n|ginx')), ['ingress.yaml:4 nginx']);
    assert.deepEqual(show(def('web.yaml', 'port: h|ttp')), ['web.yaml:24 http']);
  });

  it('returns null where there is nothing to go to', () => {
    assert.equal(def('services.yaml', 'type: N|odePort'), null);
    assert.equal(def('web.yaml', '# Two'), null);
  });
});

describe('references', () => {
  it('from a workload (name or labels): the Services selecting it and the Ingresses and HTTPRoutes reaching them', () => {
    const expected = ['web.yaml:5 web', 'services.yaml:8 selector', 'ingress.yaml:28 web', 'ingress.yaml:35 web', 'routes.yaml:16 web'];
    assert.deepEqual(show(refs('web.yaml', 'name: w|eb\n')), expected);
    assert.deepEqual(show(refs('web.yaml', 'tier: f|rontend')).slice(1), expected.slice(1));
    assert.deepEqual(show(refs('web.yaml', 'app: a|gent', 1)), ['web.yaml:70 agent']);
  });

  it('from a container port: the targetPorts landing on it, the Ingress backends on those ports, and probes', () => {
    assert.deepEqual(show(refs('web.yaml', 'name: h|ttp')), ['web.yaml:24 http', 'services.yaml:13 http', 'ingress.yaml:30 number: 80', 'web.yaml:31 http']);
    assert.deepEqual(show(refs('web.yaml', 'containerPort: 9|090')), ['web.yaml:27 9090', 'services.yaml:17 metrics', 'ingress.yaml:37 name: metrics']);
  });

  it('from a Service name: Ingress backends, HTTPRoutes and manual endpoints', () => {
    assert.deepEqual(show(refs('services.yaml', 'name: w|eb')), ['services.yaml:4 web', 'ingress.yaml:28 web', 'ingress.yaml:35 web', 'routes.yaml:16 web']);
    assert.deepEqual(show(refs('services.yaml', 'name: d|b')), ['services.yaml:22 db', 'services.yaml:35 db']);
  });

  it('from a Service port: the Ingress backends and HTTPRoutes using it', () => {
    assert.deepEqual(show(refs('services.yaml', 'port: 8|0')), ['services.yaml:12 80', 'ingress.yaml:30 number: 80', 'routes.yaml:17 80']);
    assert.deepEqual(show(refs('services.yaml', 'name: m|etrics', 0, false)), ['ingress.yaml:37 name: metrics']);
    assert.deepEqual(show(refs('services.yaml', 'name: p|ostgres')), ['services.yaml:26 postgres', 'services.yaml:38 postgres']);
  });

  it('from an IngressClass: the Ingresses naming it', () => {
    assert.deepEqual(show(refs('ingress.yaml', 'name: n|ginx', 0, false)), ['ingress.yaml:16 nginx']);
  });

  it('returns null on things that have no references', () => {
    assert.equal(refs('ingress.yaml', 'pathType: P|refix'), null);
  });
});
