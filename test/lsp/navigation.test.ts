// Navigation features through the real server: definition, references, code
// lenses, symbols and rename, across files.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeLens, DocumentSymbol, Location, SymbolInformation, TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { ensureBuilt, FULL_CAPABILITIES, TestClient, tempFolder, uriOf } from './helpers';

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - name: http
              containerPort: 8080
`;

const EXPOSE = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector:
    app: web
  ports:
    - name: http
      port: 80
      targetPort: http
      nodePort: 30080
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  name: http
`;

/** Position of the nth occurrence of `marker` (its first character, or `offset` into it). */
function at(text: string, marker: string, offset = 0, nth = 0): { line: number; character: number } {
  let i = -1;
  for (let k = 0; k <= nth; k++) i = text.indexOf(marker, i + 1);
  assert.ok(i >= 0, `marker ${marker}`);
  const before = text.slice(0, i + offset);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

before(() => ensureBuilt());

describe('navigation over the protocol', () => {
  let client: TestClient;
  let dir: string;
  let deploy: string;
  let expose: string;
  before(async () => {
    dir = tempFolder({ 'k8s/deploy.yaml': DEPLOY, 'k8s/expose.yaml': EXPOSE });
    deploy = join(dir, 'k8s/deploy.yaml');
    expose = join(dir, 'k8s/expose.yaml');
    client = await TestClient.start({ folders: [dir], capabilities: FULL_CAPABILITIES });
    client.open(expose, EXPOSE);
    client.open(deploy, DEPLOY);
    await client.waitForDiagnostics(expose, 'first check of expose.yaml', () => true);
  });
  after(async () => client?.shutdown());

  const req = <T>(method: string, params: unknown) => client.conn.sendRequest(method, params) as Promise<T>;

  it('advertises the navigation capabilities', () => {
    const caps = client.result.capabilities;
    assert.ok(caps.definitionProvider && caps.referencesProvider && caps.codeLensProvider && caps.documentSymbolProvider && caps.workspaceSymbolProvider);
    assert.deepEqual(caps.renameProvider, { prepareProvider: true });
  });

  it('goes from an Ingress backend to the Service, and from a named targetPort to the container port', async () => {
    const toService = await req<Location[]>('textDocument/definition', { textDocument: { uri: uriOf(expose) }, position: at(EXPOSE, 'name: web', 7, 2) });
    assert.ok(toService?.some((l) => l.uri === uriOf(expose) && l.range.start.line === 3), JSON.stringify(toService));
    const toPort = await req<Location[]>('textDocument/definition', { textDocument: { uri: uriOf(expose) }, position: at(EXPOSE, 'targetPort: http', 13) });
    assert.ok(toPort?.some((l) => l.uri === uriOf(deploy) && l.range.start.line === 18), JSON.stringify(toPort));
  });

  it('finds the Services and Ingresses that use a workload', async () => {
    const refs = await req<Location[]>('textDocument/references', { textDocument: { uri: uriOf(deploy) }, position: at(DEPLOY, 'app: web', 5, 1), context: { includeDeclaration: false } });
    assert.ok(refs?.some((l) => l.uri === uriOf(expose)), JSON.stringify(refs));
  });

  it('shows code lenses above Services and workloads', async () => {
    const svcLenses = await req<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: uriOf(expose) } });
    assert.ok(svcLenses.some((l) => /selects 1 workload: web/.test(l.command?.title ?? '')), JSON.stringify(svcLenses.map((l) => l.command?.title)));
    const wlLenses = await req<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: uriOf(deploy) } });
    const title = wlLenses.map((l) => l.command?.title).join(' | ');
    assert.match(title, /exposed by Service web \(NodePort 30080\)/);
    assert.match(title, /Ingress web \(shop\.example\.com\/\)/);
  });

  it('lists document and workspace symbols', async () => {
    const symbols = await req<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: uriOf(expose) } });
    assert.deepEqual(
      symbols.map((s) => s.name),
      ['Service web', 'Ingress web'],
    );
    const found = await req<SymbolInformation[]>('workspace/symbol', { query: 'web' });
    assert.ok(found.some((s) => s.location.uri === uriOf(deploy)) && found.some((s) => s.location.uri === uriOf(expose)));
  });

  it('renames a Service port name and the Ingress backend that uses it', async () => {
    const pos = at(EXPOSE, '- name: http', 8);
    const prep = await req<{ range: unknown; placeholder: string } | null>('textDocument/prepareRename', { textDocument: { uri: uriOf(expose) }, position: pos });
    assert.equal(prep?.placeholder, 'http');
    const edit = await req<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: uriOf(expose) }, position: pos, newName: 'web' });
    const changes = (edit.documentChanges ?? []) as TextDocumentEdit[];
    const mine = changes.find((c) => c.textDocument.uri === uriOf(expose));
    assert.ok(mine, JSON.stringify(edit));
    assert.equal(mine.textDocument.version, 1, 'open document edited at its version');
    const lines = mine.edits.map((e) => e.range.start.line).sort((a, b) => a - b);
    assert.deepEqual(lines, [9, 29], 'the port name and the Ingress port.name');
    client.applyEdit(edit);
    assert.match(client.text(expose), /- name: web\n {6}port: 80/);
    assert.match(client.text(expose), /port:\n {18}name: web\n/);
  });

  it('refuses an invalid new name with a message', async () => {
    await assert.rejects(
      req('textDocument/rename', { textDocument: { uri: uriOf(deploy) }, position: at(DEPLOY, '- name: http', 8), newName: 'Not_Valid' }),
      (e: Error) => /name/i.test(e.message),
    );
  });
});
