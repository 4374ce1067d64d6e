// Quick fixes and fix-all, applied the way an editor applies them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic } from 'vscode-languageserver-protocol';
import { deployment, ensureBuilt, FULL_CAPABILITIES, ofRule, rm, SELECTOR_RULE, service, tempFolder, TestClient, uriOf } from './helpers';

before(() => ensureBuilt());

const isAction = (x: unknown): x is CodeAction => typeof x === 'object' && x !== null && 'title' in x && !('command' in x && typeof (x as any).command === 'string');

describe('lsp: code actions', () => {
  let dir: string;
  let client: TestClient;

  before(async () => {
    dir = tempFolder({
      'a/deploy.yaml': deployment('web', { app: 'web-frontend' }),
      'a/svc.yaml': service('web', { app: 'web' }),
      // the rule looks for pod templates namespace-wide: one namespace per case
      'b/deploy.yaml': deployment('shop', { app: 'shop' }, 'b') + '---\n' + deployment('cart', { app: 'cart' }, 'b'),
      'b/svcs.yaml': service('shop', { app: 'shopp' }, 'b') + '---\n' + service('cart', { app: 'kart' }, 'b'),
      'c/deploy.yaml': deployment('db', { app: 'db' }, 'c'),
      'c/svc.yaml': service('db', { app: 'dbb' }, 'c'),
      'd/deploy.yaml': deployment('q', { app: 'q' }, 'd'),
      'd/svc.yaml': service('q', { app: 'qq' }, 'd'),
      'e/svc.yaml': service('plain', { app: 'plain' }, 'e'),
    });
    client = await TestClient.start({ folders: [dir] });
  });
  after(async () => {
    await client?.shutdown();
    rm(dir);
  });

  async function selectorFinding(path: string): Promise<Diagnostic> {
    const ds = await client.waitForDiagnostics(path, 'selector finding', (ds) => ofRule(ds, SELECTOR_RULE).length > 0);
    return ofRule(ds, SELECTOR_RULE)[0];
  }

  it('offers the rule fix as a preferred quickfix and applying it clears the finding', async () => {
    const svc = join(dir, 'a/svc.yaml');
    client.open(svc);
    const d = await selectorFinding(svc);
    const actions = ((await client.codeActions(svc, d.range, undefined, [d])) ?? []).filter(isAction);
    const fix = actions.find((a) => a.title === 'Change selector to app=web-frontend (matches Deployment web)');
    assert.ok(fix, `fix offered, got: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(fix.kind, 'quickfix');
    assert.equal(fix.isPreferred, true);
    assert.deepEqual(fix.diagnostics, [d]);
    const change = fix.edit?.documentChanges?.[0];
    assert.ok(change && 'textDocument' in change);
    assert.deepEqual(change.textDocument, { uri: uriOf(svc), version: 1 });
    assert.ok(actions.some((a) => a.title === `Disable ${SELECTOR_RULE} for this line`));
    assert.ok(!actions.some((a) => a.kind?.startsWith('source')), 'no source actions unless asked for');

    client.applyEdit(fix.edit!);
    assert.match(client.text(svc), /selector:\n {4}app: web-frontend\n/);
    await client.waitForDiagnostics(svc, 'finding gone after the fix', (ds) => ofRule(ds, SELECTOR_RULE).length === 0);
  });

  it('answers for a caret inside the finding, even without context diagnostics', async () => {
    const svc = join(dir, 'd/svc.yaml');
    client.open(svc);
    const d = await selectorFinding(svc);
    const caret = { line: d.range.start.line, character: d.range.start.character + 2 };
    const actions = ((await client.codeActions(svc, { start: caret, end: caret }, ['quickfix'], [])) ?? []).filter(isAction);
    assert.ok(actions.some((a) => a.isPreferred && a.title.startsWith('Change selector to app=q ')));
    const disable = actions.find((a) => a.title === `Disable ${SELECTOR_RULE} for this line`)!;
    client.applyEdit(disable.edit!);
    assert.match(client.text(svc), new RegExp(`\\n  # kube-expose-disable-next-line ${SELECTOR_RULE}\\n  selector:`));
    await client.waitForDiagnostics(svc, 'finding suppressed by the comment', (ds) => ofRule(ds, SELECTOR_RULE).length === 0);
  });

  it('fixes a closed file with a null-version edit', async () => {
    const svc = join(dir, 'c/svc.yaml');
    const d = await selectorFinding(svc);
    const actions = ((await client.codeActions(svc, d.range, undefined, [d])) ?? []).filter(isAction);
    const fix = actions.find((a) => a.isPreferred)!;
    const change = fix.edit!.documentChanges![0];
    assert.ok('textDocument' in change);
    assert.equal(change.textDocument.version, null);
    client.applyEdit(fix.edit!); // writes the file and sends a watcher event
    assert.match(readFileSync(svc, 'utf8'), /app: db\n/);
    await client.waitForDiagnostics(svc, 'closed file re-read after the fix', (ds) => ofRule(ds, SELECTOR_RULE).length === 0);
  });

  it('fix-all applies every preferred fix of the file in one edit', async () => {
    const svcs = join(dir, 'b/svcs.yaml');
    client.open(svcs);
    await client.waitForDiagnostics(svcs, 'two selector findings', (ds) => ofRule(ds, SELECTOR_RULE).length === 2);
    const everything = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    for (const only of [['source.fixAll'], ['source.fixAll.kube-expose'], ['source']]) {
      const actions = ((await client.codeActions(svcs, everything, only, [])) ?? []).filter(isAction);
      assert.equal(actions.length, 1, `one action for only=${only}`);
      assert.equal(actions[0].kind, 'source.fixAll.kube-expose');
    }
    const quick = ((await client.codeActions(svcs, everything, ['quickfix'], [])) ?? []).filter(isAction);
    assert.ok(!quick.some((a) => a.kind === 'source.fixAll.kube-expose'));

    const [all] = ((await client.codeActions(svcs, everything, ['source.fixAll'], [])) ?? []).filter(isAction);
    const change = all.edit!.documentChanges![0];
    assert.ok('textDocument' in change);
    assert.equal(change.textDocument.uri, uriOf(svcs));
    assert.equal(change.edits.length, 2);
    client.applyEdit(all.edit!);
    await client.waitForDiagnostics(svcs, 'both findings fixed', (ds) => ofRule(ds, SELECTOR_RULE).length === 0);
  });

  it('offers the refactors at the cursor', async () => {
    const svc = join(dir, 'e/svc.yaml');
    client.open(svc);
    await client.waitForDiagnostics(svc, 'checked', () => true);
    const caret = { line: 1, character: 3 }; // on `kind: Service`
    const actions = ((await client.codeActions(svc, { start: caret, end: caret }, ['refactor'], [])) ?? []).filter(isAction);
    const toNodePort = actions.find((a) => a.title === 'Convert to NodePort');
    assert.ok(toNodePort, `refactor offered, got: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(toNodePort.kind, 'refactor.rewrite');
    assert.ok(actions.every((a) => a.kind?.startsWith('refactor')));
    client.applyEdit(toNodePort.edit!);
    assert.match(client.text(svc), /\n {2}type: NodePort\n/);
    const quick = ((await client.codeActions(svc, { start: caret, end: caret }, ['quickfix'], [])) ?? []).filter(isAction);
    assert.ok(!quick.some((a) => a.kind?.startsWith('refactor')));
  });
});

describe('lsp: code actions for clients without documentChanges', () => {
  let dir: string;
  let client: TestClient;

  before(async () => {
    dir = tempFolder({ 'deploy.yaml': deployment('web', { app: 'web-frontend' }), 'svc.yaml': service('web', { app: 'web' }) });
    const caps = structuredClone(FULL_CAPABILITIES);
    caps.workspace!.workspaceEdit = { documentChanges: false };
    client = await TestClient.start({ folders: [dir], capabilities: caps, initializationOptions: { insertSnippetCommand: true } });
  });
  after(async () => {
    await client?.shutdown();
    rm(dir);
  });

  it('uses `changes`', async () => {
    const svc = join(dir, 'svc.yaml');
    client.open(svc);
    const [d] = await client.waitForDiagnostics(svc, 'finding', (ds) => ofRule(ds, SELECTOR_RULE).length === 1).then((ds) => ofRule(ds, SELECTOR_RULE));
    const fix = ((await client.codeActions(svc, d.range, undefined, [d])) ?? []).filter(isAction).find((a) => a.isPreferred)!;
    assert.equal(fix.edit?.documentChanges, undefined);
    assert.deepEqual(Object.keys(fix.edit!.changes!), [uriOf(svc)]);
    client.applyEdit(fix.edit!);
    await client.waitForDiagnostics(svc, 'finding gone', (ds) => ofRule(ds, SELECTOR_RULE).length === 0);
  });

  it('hands snippet refactors to the editor command when the client opts in', async () => {
    const svc = join(dir, 'svc.yaml');
    const caret = { line: 1, character: 3 };
    const actions = ((await client.codeActions(svc, { start: caret, end: caret }, ['refactor.extract'], [])) ?? []).filter(isAction);
    const ingress = actions.find((a) => /^Create an Ingress/.test(a.title));
    assert.ok(ingress, `got: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(ingress.edit, undefined);
    assert.equal(ingress.command?.command, 'kubeExpose.insertSnippet');
    assert.equal(ingress.command?.arguments?.[0], uriOf(svc));
    assert.match(ingress.command?.arguments?.[2], /host: \$\{1:web\.example\.com\}/);
  });
});

describe('lsp: refactors that would be unsafe', () => {
  // moving the class annotation would delete the content of an anchor another document's alias uses
  const anchored =
    'apiVersion: v1\nkind: List\nitems:\n- apiVersion: networking.k8s.io/v1\n  kind: Ingress\n  metadata:\n    name: api\n    annotations: &a\n      kubernetes.io/ingress.class: nginx\n  spec:\n    defaultBackend: {service: {name: web, port: {number: 80}}}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: c\n    annotations: *a\n';
  let dir: string;
  before(() => {
    dir = tempFolder({ 'list.yaml': anchored, 'svc.yaml': service('plain', { app: 'plain' }) });
  });
  after(() => rm(dir));

  /** The refactors on the anchored Ingress's `kind` and on the plain Service's, for a client with or without disabledSupport. */
  async function refactorsWith(disabledSupport: boolean): Promise<{ ingress: CodeAction[]; service: CodeAction[] }> {
    const caps = structuredClone(FULL_CAPABILITIES);
    caps.textDocument!.codeAction = { ...caps.textDocument!.codeAction, disabledSupport };
    const client = await TestClient.start({ folders: [dir], capabilities: caps });
    try {
      const at = async (name: string, line: number) => {
        const file = join(dir, name);
        client.open(file);
        await client.waitForDiagnostics(file, 'checked', () => true);
        const caret = { line, character: 4 };
        return ((await client.codeActions(file, { start: caret, end: caret }, ['refactor'], [])) ?? []).filter(isAction);
      };
      return { ingress: await at('list.yaml', 4), service: await at('svc.yaml', 1) };
    } finally {
      await client.shutdown();
    }
  }

  it('shows them disabled, with the reason, to a client that supports it', async () => {
    const { ingress, service: plain } = await refactorsWith(true);
    const move = ingress.find((a) => a.title === 'Move ingress class annotation to spec.ingressClassName');
    assert.ok(move, `got: ${ingress.map((a) => a.title).join(' | ')}`);
    assert.equal(move.kind, 'refactor.rewrite');
    assert.match(move.disabled?.reason ?? '', /anchor that an alias still uses/);
    assert.equal(move.edit, undefined);
    assert.equal(move.command, undefined);
    // safe refactors are offered as before
    assert.ok(plain.some((a) => a.title === 'Convert to NodePort' && !a.disabled && a.edit), plain.map((a) => a.title).join(' | '));
  });

  it('leaves them out for a client that does not', async () => {
    const { ingress, service: plain } = await refactorsWith(false);
    assert.deepEqual(ingress.map((a) => a.title), []);
    assert.ok(plain.some((a) => a.title === 'Convert to NodePort' && a.edit), plain.map((a) => a.title).join(' | '));
  });
});
