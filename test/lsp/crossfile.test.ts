// Edits in one file change the findings of another; files created and deleted on disk.
import assert from 'node:assert/strict';
import { unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { deployment, ensureBuilt, FileChangeType, ofRule, rm, SELECTOR_RULE, service, tempFolder, TestClient, uriOf } from './helpers';

before(() => ensureBuilt());

describe('lsp: cross-file findings', () => {
  let dir: string;
  let client: TestClient;
  const deployPath = () => join(dir, 'app/deploy.yaml');
  const svcPath = () => join(dir, 'app/svc.yaml');

  before(async () => {
    dir = tempFolder({
      'app/deploy.yaml': deployment('web', { app: 'web' }),
      'app/svc.yaml': service('web', { app: 'web' }),
      'app/api-svc.yaml': service('api', { app: 'api' }),
    });
    client = await TestClient.start({ folders: [dir] });
  });
  after(async () => {
    await client?.shutdown();
    rm(dir);
  });

  it('an edit of a Deployment updates the findings of the Service in another open file', async () => {
    client.open(deployPath());
    client.open(svcPath());
    await client.waitForDiagnostics(svcPath(), 'the open Service is checked, no selector finding', (ds) => ofRule(ds, SELECTOR_RULE).length === 0);

    client.change(deployPath(), deployment('web', { app: 'web-v2' }));
    const [d] = await client.waitForDiagnostics(svcPath(), 'selector finding after the label change', (ds) => ofRule(ds, SELECTOR_RULE).length === 1).then((ds) => ofRule(ds, SELECTOR_RULE));
    assert.match(d.message, /app is "web-v2", not "web"/);
    assert.equal(client.diagnostics.get(uriOf(svcPath()))?.version, 1, 'published with the version of the Service text it was computed from');

    client.change(deployPath(), deployment('web', { app: 'web' }));
    await client.waitForDiagnostics(svcPath(), 'selector finding cleared', (ds) => ofRule(ds, SELECTOR_RULE).length === 0);
  });

  it('a closed file that depends on an edited open file is re-published', async () => {
    const api = join(dir, 'app/api-svc.yaml');
    // the api Service (closed) matches nothing: there are templates in the namespace, none with app=api
    await client.waitForDiagnostics(api, 'api selector finding', (ds) => ofRule(ds, SELECTOR_RULE).length === 1);
    client.change(deployPath(), deployment('web', { app: 'api' }));
    await client.waitForDiagnostics(api, 'api finding cleared by an edit of another file', (ds) => ofRule(ds, SELECTOR_RULE).length === 0);
    await client.waitForDiagnostics(svcPath(), 'web finding appears', (ds) => ofRule(ds, SELECTOR_RULE).length === 1);
    client.change(deployPath(), deployment('web', { app: 'web' }));
    await client.waitForDiagnostics(api, 'api finding back', (ds) => ofRule(ds, SELECTOR_RULE).length === 1);
  });

  it('follows files created and deleted on disk (didChangeWatchedFiles)', async () => {
    const api = join(dir, 'app/api-svc.yaml');
    const apiDeploy = join(dir, 'app/api-deploy.yaml');
    await client.waitForDiagnostics(api, 'api selector finding', (ds) => ofRule(ds, SELECTOR_RULE).length === 1);

    writeFileSync(apiDeploy, deployment('api', { app: 'api' }));
    client.fileEvents([apiDeploy, FileChangeType.Created]);
    await client.waitForDiagnostics(api, 'finding cleared by the created file', (ds) => ofRule(ds, SELECTOR_RULE).length === 0);

    writeFileSync(apiDeploy, deployment('api', { app: 'api-v2' }));
    client.fileEvents([apiDeploy, FileChangeType.Changed]);
    await client.waitForDiagnostics(api, 'finding back after the file changed', (ds) => ofRule(ds, SELECTOR_RULE).length === 1);

    writeFileSync(apiDeploy, deployment('api', { app: 'api' }));
    client.fileEvents([apiDeploy, FileChangeType.Changed]);
    await client.waitForDiagnostics(api, 'finding cleared again', (ds) => ofRule(ds, SELECTOR_RULE).length === 0);

    unlinkSync(apiDeploy);
    client.fileEvents([apiDeploy, FileChangeType.Deleted]);
    await client.waitForDiagnostics(api, 'finding back after the deletion', (ds) => ofRule(ds, SELECTOR_RULE).length === 1);
  });

  it('on close, the file on disk replaces the editor text', async () => {
    // unsaved edit: the Service selects app=api-x (no such template)
    client.change(svcPath(), service('web', { app: 'nothing-here' }));
    await client.waitForDiagnostics(svcPath(), 'finding from the unsaved text', (ds) => ofRule(ds, SELECTOR_RULE).length === 1);
    client.close(svcPath());
    // the disk still says app=web: the finding goes away
    await client.waitForDiagnostics(svcPath(), 'disk text checked after close', (ds) => ofRule(ds, SELECTOR_RULE).length === 0);
  });
});
