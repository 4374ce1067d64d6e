// Rename of Service names, Service port names and container port names:
// every reference across files changes, and the workspace checks as cleanly
// afterwards as before.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WorkspaceEdit } from 'vscode-languageserver-types';
import { prepareRename, rename, RenameError } from '../../server/src/features';
import { applyWorkspaceEdit, at, findings, fixtureFiles, uriOf, workspace, type Files } from './helpers';

const FILES = fixtureFiles();
const BEFORE = findings(FILES);

function doRename(file: string, marker: string, newName: string, files: Files = FILES, nth = 0): { edit: WorkspaceEdit; after: Files } {
  const ws = workspace(files);
  const uri = uriOf(file);
  const edit = rename(ws, uri, at(files[uri], marker, nth), newName);
  assert.ok(edit, 'expected an edit');
  return { edit, after: applyWorkspaceEdit(files, edit) };
}

/** Changed lines per file: `file:line new text`. */
function changed(before: Files, after: Files): string[] {
  const out: string[] = [];
  for (const uri of Object.keys(after)) {
    const a = before[uri].split('\n');
    const b = after[uri].split('\n');
    assert.equal(a.length, b.length, `${uri}: line count kept`);
    b.forEach((line, i) => line !== a[i] && out.push(`${uri.replace('file:///ws/k8s/', '')}:${i + 1} ${line.trim()}`));
  }
  return out.sort();
}

function sameLines(actual: string[], expected: string[]): void {
  assert.deepEqual(actual, [...expected].sort());
}

describe('prepareRename', () => {
  const ws = workspace(FILES);
  const prep = (file: string, marker: string, nth = 0) => prepareRename(ws, uriOf(file), at(FILES[uriOf(file)], marker, nth));

  it('accepts port names, Service names and their references, with the word range', () => {
    assert.deepEqual(prep('web.yaml', 'name: ht|tp'), { range: { start: { line: 23, character: 20 }, end: { line: 23, character: 24 } }, placeholder: 'http' });
    assert.equal(prep('services.yaml', 'targetPort: h|ttp')?.placeholder, 'http');
    assert.equal(prep('services.yaml', 'name: w|eb')?.placeholder, 'web');
    assert.equal(prep('services.yaml', '- name: m|etrics')?.placeholder, 'metrics');
    assert.equal(prep('ingress.yaml', 'name: w|eb')?.placeholder, 'web');
    assert.equal(prep('ingress.yaml', 'name: m|etrics')?.placeholder, 'metrics');
    assert.equal(prep('routes.yaml', 'name: w|eb')?.placeholder, 'web');
    assert.equal(prep('services.yaml', 'service-name: d|b')?.placeholder, 'db');
    assert.equal(prep('web.yaml', 'port: h|ttp')?.placeholder, 'http');
  });

  it('rejects everything else', () => {
    assert.equal(prep('services.yaml', 'type: N|odePort'), null);
    assert.equal(prep('services.yaml', 'tar|getPort'), null);
    assert.equal(prep('web.yaml', 'name: w|eb\n'), null);
    assert.equal(prep('web.yaml', 'containerPort: 8|080'), null);
    assert.equal(prep('ingress.yaml', 'host: s|hop'), null);
  });
});

describe('rename', () => {
  it('a container port name: both workloads (the Service selects both), the probe and the targetPort', () => {
    const { after } = doRename('web.yaml', 'name: ht|tp', 'web-http');
    sameLines(changed(FILES, after), ['web.yaml:24 - name: web-http', 'web.yaml:31 port: web-http', 'web.yaml:53 - name: web-http', 'services.yaml:13 targetPort: web-http']);
    assert.deepEqual(findings(after), BEFORE);
  });

  it('the same rename started from the targetPort', () => {
    const a = doRename('web.yaml', 'name: ht|tp', 'web-http').after;
    const b = doRename('services.yaml', 'targetPort: h|ttp', 'web-http').after;
    assert.deepEqual(b, a);
  });

  it('a Service port name: the port and the Ingress port.name', () => {
    const { after } = doRename('ingress.yaml', 'name: m|etrics', 'prom');
    sameLines(changed(FILES, after), ['services.yaml:15 - name: prom', 'ingress.yaml:37 name: prom']);
    assert.deepEqual(findings(after), BEFORE);
  });

  it('a Service name: the Service, Ingress backends and HTTPRoute backendRefs', () => {
    const { after } = doRename('services.yaml', 'name: w|eb', 'storefront');
    sameLines(changed(FILES, after), ['services.yaml:4 name: storefront', 'ingress.yaml:28 name: storefront', 'ingress.yaml:35 name: storefront', 'routes.yaml:16 - name: storefront']);
    assert.deepEqual(findings(after), BEFORE);
  });

  it('a selector-less Service name: its EndpointSlice label and name follow', () => {
    const { after } = doRename('services.yaml', 'service-name: d|b', 'database');
    sameLines(changed(FILES, after), ['services.yaml:22 name: database', 'services.yaml:32 name: database-1', 'services.yaml:35 kubernetes.io/service-name: database']);
    assert.deepEqual(findings(after), BEFORE);
  });

  it('a selector-less Service port name: the EndpointSlice port follows; Endpoints too', () => {
    const ep = 'apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: db\n  namespace: shop\nsubsets:\n  - addresses:\n      - ip: 10.0.0.12\n    ports:\n      - name: postgres\n        port: 5432\n';
    const files = { ...FILES, [uriOf('ep.yaml')]: ep };
    const before = findings(files);
    const { after } = doRename('services.yaml', 'name: p|ostgres', 'pg', files);
    sameLines(changed(files, after), ['services.yaml:26 - name: pg', 'services.yaml:38 - name: pg', 'ep.yaml:10 - name: pg']);
    assert.deepEqual(findings(after), before);
    const renamed = doRename('ep.yaml', 'name: d|b', 'database', files).after;
    sameLines(changed(files, renamed), ['services.yaml:22 name: database', 'services.yaml:32 name: database-1', 'services.yaml:35 kubernetes.io/service-name: database', 'ep.yaml:4 name: database']);
    assert.deepEqual(findings(renamed), before);
  });

  it('keeps quotes and flow style', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: "api"\n  namespace: shop\nspec:\n  selector: {app: web}\n  ports: [{name: "h", port: 80, targetPort: "http"}]\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  defaultBackend: {service: {name: \'api\', port: {name: h}}}\n';
    const files = { ...FILES, [uriOf('api.yaml')]: text };
    const svc = doRename('api.yaml', 'name: "a|pi"', 'gateway', files).after[uriOf('api.yaml')];
    assert.match(svc, /name: "gateway"/);
    assert.match(svc, /service: \{name: 'gateway', port: \{name: h\}\}/);
    const port = doRename('api.yaml', 'name: "h|"', 'web', files).after[uriOf('api.yaml')];
    assert.match(port, /ports: \[\{name: "web", port: 80, targetPort: "http"\}\]/);
    assert.match(port, /port: \{name: web\}/);
  });

  it('refuses invalid and taken names with a reason', () => {
    const ws = workspace(FILES);
    const r = (file: string, marker: string, name: string) => () => rename(ws, uriOf(file), at(FILES[uriOf(file)], marker), name);
    assert.throws(r('web.yaml', 'name: ht|tp', 'HTTP_PORT'), (e: Error) => e instanceof RenameError && /not a valid container port name: it may contain only lowercase/.test(e.message));
    assert.throws(r('web.yaml', 'name: ht|tp', 'a-very-long-port-name'), /at most 15/);
    assert.throws(r('web.yaml', 'name: ht|tp', 'metrics'), /already has a container port named "metrics"/);
    assert.throws(r('services.yaml', 'name: w|eb', '1web'), /not a valid Service name/);
    assert.throws(r('services.yaml', 'name: w|eb', 'db'), /already has a Service named "db"/);
    assert.throws(r('services.yaml', '- name: m|etrics', 'http'), /already has a port named "http"/);
    assert.throws(r('services.yaml', '- name: m|etrics', 'metrics-for-prometheus'), /cannot be used by Ingress port.name/);
    assert.deepEqual(rename(ws, uriOf('web.yaml'), at(FILES[uriOf('web.yaml')], 'name: ht|tp'), 'http'), { changes: {} });
    assert.equal(rename(ws, uriOf('services.yaml'), at(FILES[uriOf('services.yaml')], 'type: N|odePort'), 'x'), null);
  });
});
