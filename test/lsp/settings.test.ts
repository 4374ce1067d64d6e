// Settings (pulled with workspace/configuration, re-pulled on change), the
// diagnostics scope, and the folder's .kube-expose.yaml.
import assert from 'node:assert/strict';
import { unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { deployment, ensureBuilt, FileChangeType, ofRule, rm, SELECTOR_RULE, service, tempFolder, TestClient, uriOf } from './helpers';

before(() => ensureBuilt());

const files = () => ({
  'deploy.yaml': deployment('web', { app: 'web-frontend' }),
  'svc.yaml': service('web', { app: 'web' }),
  'other/svc.yaml': service('other', { app: 'other' }),
});

describe('lsp: settings', () => {
  let dir: string;
  let client: TestClient;

  before(async () => {
    dir = tempFolder(files());
    client = await TestClient.start({ folders: [dir], settings: {} });
  });
  after(async () => {
    await client?.shutdown();
    rm(dir);
  });

  it('re-pulls settings on didChangeConfiguration and applies them live', async () => {
    const svc = join(dir, 'svc.yaml');
    await client.waitForDiagnostics(svc, 'finding at its default severity', (ds) => ofRule(ds, SELECTOR_RULE)[0]?.severity === 2);
    const pulls = client.configurationRequests;

    client.setSettings({ rules: { [SELECTOR_RULE]: 'off' } });
    await client.waitForDiagnostics(svc, 'rule turned off', (ds) => ofRule(ds, SELECTOR_RULE).length === 0);
    assert.ok(client.configurationRequests > pulls, 'the server asked for the new settings');

    client.setSettings({ rules: { [SELECTOR_RULE]: 'error' } });
    await client.waitForDiagnostics(svc, 'rule back as an error', (ds) => ofRule(ds, SELECTOR_RULE)[0]?.severity === 1);

    client.setSettings({ rules: { [SELECTOR_RULE]: 'hint' }, defaultNamespace: 'elsewhere' });
    await client.waitForDiagnostics(svc, 'hint, in namespace elsewhere', (ds) => ofRule(ds, SELECTOR_RULE)[0]?.severity === 4 && / namespace elsewhere /.test(ofRule(ds, SELECTOR_RULE)[0].message));
  });

  it('diagnostics.scope openFiles publishes open documents only, live', async () => {
    client.setSettings({});
    const svc = join(dir, 'svc.yaml');
    const other = join(dir, 'other/svc.yaml');
    await client.waitForDiagnostics(other, 'closed file published in workspace scope', (ds) => ofRule(ds, SELECTOR_RULE).length === 1);

    client.setSettings({ diagnostics: { scope: 'openFiles' } });
    await client.waitForDiagnostics(other, 'closed file cleared', (ds) => ds.length === 0);
    await client.waitForDiagnostics(svc, 'closed file cleared', (ds) => ds.length === 0);

    client.open(svc);
    await client.waitForDiagnostics(svc, 'open file published', (ds) => ofRule(ds, SELECTOR_RULE).length === 1);
    client.close(svc);
    await client.waitForDiagnostics(svc, 'cleared on close', (ds) => ds.length === 0);

    client.setSettings({ diagnostics: { scope: 'workspace' } });
    await client.waitForDiagnostics(other, 'closed file published again', (ds) => ofRule(ds, SELECTOR_RULE).length === 1);
  });
});

describe('lsp: .kube-expose.yaml', () => {
  let dir: string;
  let client: TestClient;
  const config = () => join(dir, '.kube-expose.yaml');

  before(async () => {
    dir = tempFolder({ ...files(), '.kube-expose.yaml': `rules:\n  ${SELECTOR_RULE}: hint\n` });
    client = await TestClient.start({ folders: [dir], settings: { rules: { [SELECTOR_RULE]: 'error' } } });
  });
  after(async () => {
    await client?.shutdown();
    rm(dir);
  });

  it('wins over the editor settings', async () => {
    await client.waitForDiagnostics(join(dir, 'svc.yaml'), 'severity from the config file', (ds) => ofRule(ds, SELECTOR_RULE)[0]?.severity === 4);
  });

  it('when broken: one error on the file, one message, and the settings alone apply', async () => {
    writeFileSync(config(), `rules:\n  ${SELECTOR_RULE}: hint\n  no-such-rule: error\n`);
    client.fileEvents([config(), FileChangeType.Changed]);
    const [d] = await client.waitForDiagnostics(config(), 'config error', (ds) => ds.length === 1);
    assert.equal(d.severity, 1);
    assert.equal(d.source, 'kube-expose');
    assert.match(d.message, /rules\.no-such-rule: unknown rule id/);
    assert.deepEqual(d.range, { start: { line: 2, character: 2 }, end: { line: 2, character: 14 } });
    await client.waitForDiagnostics(join(dir, 'svc.yaml'), 'severity from the settings', (ds) => ofRule(ds, SELECTOR_RULE)[0]?.severity === 1);
    await client.waitFor('message shown', () => client.messages.find((m) => m.type === 1 && /no-such-rule/.test(m.message)));

    // the same error again (e.g. the file touched): no second message
    client.fileEvents([config(), FileChangeType.Changed]);
    writeFileSync(config(), `rules:\n  ${SELECTOR_RULE}: information\n`);
    client.fileEvents([config(), FileChangeType.Changed]);
    await client.waitForDiagnostics(config(), 'config error cleared', (ds) => ds.length === 0);
    await client.waitForDiagnostics(join(dir, 'svc.yaml'), 'severity from the fixed file', (ds) => ofRule(ds, SELECTOR_RULE)[0]?.severity === 3);
    assert.equal(client.messages.filter((m) => /no-such-rule/.test(m.message)).length, 1);
  });

  it('is read from the editor while open, and forgotten when deleted', async () => {
    client.open(config());
    client.change(config(), `nodePortRange: "1-2-3"\n`);
    const [d] = await client.waitForDiagnostics(config(), 'error from the unsaved text', (ds) => ds.length === 1);
    assert.match(d.message, /nodePortRange/);
    assert.equal(d.range.start.line, 0);
    assert.ok(!client.messages.some((m) => /nodePortRange/.test(m.message)), 'no pop-up while the file is being edited');
    client.change(config(), `conflictScope: file\nexclude: [other/**]\n`);
    await client.waitForDiagnostics(config(), 'fixed in the editor', (ds) => ds.length === 0);
    await client.waitForDiagnostics(join(dir, 'other/svc.yaml'), 'excluded file cleared', (ds) => ds.length === 0);
    client.close(config());
    // the disk has `information`, no exclude
    await client.waitForDiagnostics(join(dir, 'other/svc.yaml'), 'not excluded any more', (ds) => ofRule(ds, SELECTOR_RULE).length === 1);

    unlinkSync(config());
    client.fileEvents([config(), FileChangeType.Deleted]);
    await client.waitForDiagnostics(join(dir, 'svc.yaml'), 'settings alone after the deletion', (ds) => ofRule(ds, SELECTOR_RULE)[0]?.severity === 1);
    assert.equal(client.diagnostics.get(uriOf(config()))?.diagnostics.length ?? 0, 0);
  });
});
