// Start-up indexing, the published diagnostic fields, skipped files, robustness.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { docsUrl } from '../../server/src/engine/rule';
import { deployment, ensureBuilt, ofRule, rm, SELECTOR_RULE, service, tempFolder, TestClient, uriOf } from './helpers';

before(() => ensureBuilt());

describe('lsp: workspace index', () => {
  let dir: string;
  let client: TestClient;

  before(async () => {
    dir = tempFolder({
      'k8s/deploy.yaml': deployment('web', { app: 'web-frontend' }),
      'k8s/svc.yaml': service('web', { app: 'web' }),
      'chart/templates/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  selector:\n    app: {{ .Values.app }}\n',
      'blob.yaml': new Uint8Array([0x61, 0x3a, 0x00, 0x01, 0x02, 0xff]),
      'broken/bad.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n  labels: [oops\n',
      'notes/readme.yaml': 'just: some\nplain: yaml\n',
      'node_modules/pkg/svc.yaml': service('ignored', { app: 'nothing' }),
    });
    client = await TestClient.start({ folders: [dir] });
  });
  after(async () => {
    await client?.shutdown();
    rm(dir);
  });

  it('publishes findings of files nobody opened, with every field', async () => {
    const svc = join(dir, 'k8s/svc.yaml');
    const [d] = await client.waitForDiagnostics(svc, 'selector finding', (ds) => ofRule(ds, SELECTOR_RULE).length === 1).then((ds) => ofRule(ds, SELECTOR_RULE));
    assert.equal(d.source, 'kube-expose');
    assert.equal(d.code, SELECTOR_RULE);
    assert.equal(d.severity, 2);
    assert.deepEqual(d.codeDescription, { href: docsUrl(SELECTOR_RULE) });
    assert.match(d.message, /^Service web selects no pods: .*Closest: Deployment web/);
    assert.deepEqual(d.range, { start: { line: 5, character: 2 }, end: { line: 5, character: 10 } });
    assert.equal(d.relatedInformation?.length, 1);
    assert.equal(d.relatedInformation![0].location.uri, uriOf(join(dir, 'k8s/deploy.yaml')));
    assert.match(d.relatedInformation![0].message, /pod template labels of Deployment web/);
  });

  it('reports indexing progress and registers file watchers', async () => {
    const end = await client.waitFor('progress end', () => client.progress.find((p) => p.value.kind === 'end'));
    const begin = client.progress.find((p) => p.value.kind === 'begin' && p.token === end.token);
    assert.ok(begin, 'a begin before the end');
    assert.match(begin.value.title, /indexing/);
    const reg = await client.waitFor('watcher registration', () => client.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles'));
    const globs = reg.registerOptions.watchers.map((w: { globPattern: string }) => w.globPattern);
    assert.ok(globs.includes('**/*.{yaml,yml}'));
    assert.ok(globs.includes('**/.kube-expose.{yaml,yml}'));
    // kustomize's third name has no extension; its patches must be known as patches
    assert.ok(globs.includes('**/Kustomization'));
    // the VS Code status bar's form of the same progress
    const last = await client.waitFor('indexing done notification', () =>
      client.notifications.find((n) => n.method === 'kubeExpose/indexing' && n.params.total > 0 && n.params.done === n.params.total),
    );
    assert.equal(last.params.total, 6);
  });

  it('skips binary files with one information diagnostic and Helm templates with a log line', async () => {
    const [skip] = await client.waitForDiagnostics(join(dir, 'blob.yaml'), 'file-skipped', (ds) => ds.length > 0);
    assert.equal(skip.code, 'file-skipped');
    assert.equal(skip.severity, 3);
    assert.equal(skip.range.start.line, 0);
    assert.equal(client.published(join(dir, 'blob.yaml'))!.length, 1);
    await client.waitFor('template log line', () => client.logs.find((l) => /template/i.test(l) && l.includes(join('chart', 'templates', 'svc.yaml'))));
    assert.equal(client.published(join(dir, 'chart/templates/svc.yaml')), undefined);
  });

  it('reports YAML syntax errors in Kubernetes files only', async () => {
    const ds = await client.waitForDiagnostics(join(dir, 'broken/bad.yaml'), 'yaml-syntax', (ds) => ofRule(ds, 'yaml-syntax').length > 0);
    assert.equal(ofRule(ds, 'yaml-syntax')[0].severity, 1);
    await client.waitFor('index done', () => client.progress.find((p) => p.value.kind === 'end'));
    assert.equal(client.published(join(dir, 'notes/readme.yaml')), undefined);
    assert.equal(client.published(join(dir, 'node_modules/pkg/svc.yaml')), undefined);
  });

  it('answers hover and completion from the index', async () => {
    const svc = join(dir, 'k8s/svc.yaml');
    await client.waitFor('index done', () => client.progress.find((p) => p.value.kind === 'end'));
    const h = await client.conn.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(svc) }, position: { line: 1, character: 8 } });
    assert.ok(h && typeof h === 'object' && 'contents' in h, 'hover on the kind');
    assert.match(JSON.stringify(h.contents), /Service/);
    client.open(svc);
    // `    app: web` -> `    app: ` and ask for values: the pod labels of the namespace
    client.edit(svc, { start: { line: 6, character: 9 }, end: { line: 6, character: 12 } }, '');
    const list = (await client.conn.sendRequest('textDocument/completion', { textDocument: { uri: uriOf(svc) }, position: { line: 6, character: 9 } })) as { items: { label: string }[] } | null;
    assert.ok(list?.items.some((i) => i.label === 'web-frontend'), `completion items: ${list?.items.map((i) => i.label).join(', ')}`);
    client.close(svc);
  });

  it('survives hostile and out-of-order messages', async () => {
    const ghost = join(dir, 'nowhere.yaml');
    // didChange for a document that was never opened, events for odd URIs, code actions on unknown files
    await client.conn.sendNotification('textDocument/didChange', { textDocument: { uri: uriOf(ghost), version: 3 }, contentChanges: [{ text: 'x' }] });
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: 'untitled:Untitled-1', type: 1 }, { uri: 'not a uri', type: 2 }] });
    await client.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: 'untitled:Untitled-2', languageId: 'yaml', version: 1, text: '\u0000\u0001' } });
    const actions = await client.codeActions(ghost, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });
    assert.deepEqual(actions, []);
    const weird = await client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri: 42 }, range: null, context: null });
    assert.deepEqual(weird, []);
    // still alive and still publishing
    const untitled = await client.waitFor('untitled binary doc', () => client.diagnostics.get('untitled:Untitled-2'));
    assert.equal(untitled.diagnostics[0]?.code, 'file-skipped');
    client.setSettings({ nodePortRange: 'banana', rules: 'loud' });
    await client.waitFor('warning about the bad setting', () => client.messages.find((m) => m.message.includes('nodePortRange')));
  });
});
