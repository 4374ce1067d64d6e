// Clients that support less (no pull settings, no dynamic registration, no
// progress), files outside the folders, and folders added and removed.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { deployment, ensureBuilt, ofRule, rm, SELECTOR_RULE, service, tempFolder, TestClient, uriOf } from './helpers';

before(() => ensureBuilt());

describe('lsp: a minimal client', () => {
  let dir: string;
  let client: TestClient;

  before(async () => {
    dir = tempFolder({ 'deploy.yaml': deployment('web', { app: 'web-frontend' }), 'svc.yaml': service('web', { app: 'web' }) });
    client = await TestClient.start({
      folders: [dir],
      capabilities: { textDocument: { publishDiagnostics: {} } },
      initializationOptions: { settings: { kubeExpose: { rules: { [SELECTOR_RULE]: 'error' } } } },
    });
  });
  after(async () => {
    await client?.shutdown();
    rm(dir);
  });

  it('takes settings from initializationOptions and only sends what the client understands', async () => {
    const [d] = await client.waitForDiagnostics(join(dir, 'svc.yaml'), 'finding as error', (ds) => ofRule(ds, SELECTOR_RULE)[0]?.severity === 1).then((ds) => ofRule(ds, SELECTOR_RULE));
    assert.equal(d.relatedInformation, undefined);
    assert.equal(d.codeDescription, undefined);
    assert.equal(d.code, SELECTOR_RULE);
    assert.equal(client.registrations.length, 0);
    assert.equal(client.progress.length, 0);
    assert.equal(client.configurationRequests, 0);
  });

  it('takes pushed settings from didChangeConfiguration', async () => {
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: { kubeExpose: { rules: { [SELECTOR_RULE]: 'off' } } } });
    await client.waitForDiagnostics(join(dir, 'svc.yaml'), 'rule off', (ds) => ofRule(ds, SELECTOR_RULE).length === 0);
  });
});

describe('lsp: workspace folders', () => {
  let a: string;
  let b: string;
  let client: TestClient;

  before(async () => {
    a = tempFolder({ 'deploy.yaml': deployment('web', { app: 'web' }), 'svc.yaml': service('web', { app: 'web' }) });
    b = tempFolder({ 'deploy.yaml': deployment('api', { app: 'api-server' }), 'svc.yaml': service('api', { app: 'api' }) });
    client = await TestClient.start({ folders: [a] });
  });
  after(async () => {
    await client?.shutdown();
    rm(a);
    rm(b);
  });

  it('checks an open file outside every folder on its own', async () => {
    const svc = join(b, 'svc.yaml');
    client.open(svc);
    // alone (its Deployment is not open and not in a folder), the Service selects into an empty namespace: open world
    const ds = await client.waitForDiagnostics(svc, 'loose file checked', () => true);
    assert.equal(ofRule(ds, SELECTOR_RULE).length, 0);
    client.close(svc);
  });

  it('indexes a folder when it is added and forgets it when removed', async () => {
    const svc = join(b, 'svc.yaml');
    await client.conn.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [{ uri: uriOf(b), name: 'b' }], removed: [] } });
    await client.waitForDiagnostics(svc, 'finding in the added folder', (ds) => ofRule(ds, SELECTOR_RULE).length === 1);
    await client.conn.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [{ uri: uriOf(b), name: 'b' }] } });
    await client.waitForDiagnostics(svc, 'cleared with the folder', (ds) => ds.length === 0);
  });
});
