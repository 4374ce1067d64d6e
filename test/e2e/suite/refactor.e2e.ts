// Refactors on a clean Service: "Convert to NodePort" and "Create an Ingress for
// this Service". Each must leave every document it touches clean. Skipped while
// the server advertises no refactor code action kind (the refactors are being
// written); they run as soon as it does.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import { activate, applyAction, codeActionKinds, codeActions, expectStaysClean, kubeDiagnostics, open, rangeOf, serverCapabilities, sleep, waitFor } from './helpers';

async function skipUnlessRefactors(ctx: Mocha.Context): Promise<void> {
  const kinds = codeActionKinds(await serverCapabilities());
  if (!kinds.some((k) => k === 'refactor' || k.startsWith('refactor.'))) {
    console.log(`    (skipped: the server advertises no refactor code actions yet; codeActionKinds=${JSON.stringify(kinds)})`);
    ctx.skip();
  }
}

/** Every document a code action edits (or opens through its command). */
function touched(action: vscode.CodeAction): vscode.Uri[] {
  const uris = new Map<string, vscode.Uri>();
  for (const [uri] of action.edit?.entries() ?? []) uris.set(uri.toString(), uri);
  for (const arg of action.command?.arguments ?? []) {
    if (typeof arg === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(arg)) uris.set(vscode.Uri.parse(arg).toString(), vscode.Uri.parse(arg));
    else if (arg instanceof vscode.Uri) uris.set(arg.toString(), arg);
  }
  return [...uris.values()];
}

/** Waits until the server has had the edit (a diagnostics event, or a quiet second), then demands no findings for a while. */
async function expectClean(uris: vscode.Uri[]): Promise<void> {
  await new Promise<void>((resolve) => {
    const keys = new Set(uris.map((u) => u.toString()));
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => keys.has(u.toString()))) {
        sub.dispose();
        resolve();
      }
    });
    setTimeout(() => {
      sub.dispose();
      resolve();
    }, 1000);
  });
  await sleep(300);
  for (const uri of uris) await expectStaysClean(uri, undefined, 1000);
}

async function refactorAt(file: string, at: RegExp, title: RegExp): Promise<{ editor: vscode.TextEditor; action: vscode.CodeAction }> {
  const editor = await open(file);
  const range = rangeOf(editor.document, at);
  editor.selection = new vscode.Selection(range.start, range.start);
  // Let the server see the document and check it first (it starts out clean).
  await sleep(500);
  assert.equal(kubeDiagnostics(editor.document.uri).length, 0, `${file} starts clean`);
  const actions = await waitFor(
    `a refactor matching ${title}`,
    async () => {
      const all = await codeActions(editor.document.uri, range, vscode.CodeActionKind.Refactor);
      return all.some((a) => title.test(a.title)) ? all : undefined;
    },
    10_000,
  ).catch(async (e) => {
    const all = await codeActions(editor.document.uri, range, vscode.CodeActionKind.Refactor);
    throw new Error(`${(e as Error).message}; refactors offered: ${JSON.stringify(all.map((a) => a.title))}`);
  });
  const action = actions.find((a) => title.test(a.title))!;
  assert.ok(action.kind && vscode.CodeActionKind.Refactor.contains(action.kind), `"${action.title}" is a refactor (${action.kind?.value})`);
  return { editor, action };
}

suite('refactors', () => {
  suiteSetup(async function () {
    this.timeout(60_000);
    await activate();
  });

  test('"Convert to NodePort" turns a ClusterIP Service into a clean NodePort Service', async function () {
    await skipUnlessRefactors(this);
    const { editor, action } = await refactorAt('refactor-nodeport/service.yaml', /name: (admin)/, /^Convert to NodePort/);
    await applyAction(action);
    const text = editor.document.getText();
    assert.match(text, /^\s+type: NodePort$/m);
    await expectClean([editor.document.uri, ...touched(action)]);
  });

  test('"Create an Ingress for this Service" adds a clean Ingress routing to it', async function () {
    await skipUnlessRefactors(this);
    const { editor, action } = await refactorAt('refactor-ingress/service.yaml', /name: (docs)/, /^Create an Ingress/);
    await applyAction(action);
    const uris = [editor.document.uri, ...touched(action)];
    // The Ingress may land in this file or in a new one: find it among the documents touched.
    const texts = await Promise.all(uris.map(async (u) => (await vscode.workspace.openTextDocument(u)).getText()));
    const ingress = texts.find((t) => /^kind: Ingress$/m.test(t));
    assert.ok(ingress, `an Ingress is written into one of ${uris.map((u) => u.path).join(', ')}`);
    assert.match(ingress, /^apiVersion: networking\.k8s\.io\/v1$/m);
    assert.match(ingress, /name: docs\b/, 'the Ingress backend names the Service');
    await expectClean(uris);
  });
});
