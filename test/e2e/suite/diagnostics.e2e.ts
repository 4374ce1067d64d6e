// Diagnostics as the editor receives them: one broken Service, and a reference
// across two files that breaks and heals while the Deployment is edited.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import { activate, expectStaysClean, fileUri, kubeDiagnostics, open, ruleOf, setText, waitForDiagnostic, waitForNoDiagnostic } from './helpers';

suite('diagnostics', () => {
  suiteSetup(async function () {
    this.timeout(60_000);
    const ext = await activate();
    // Printed once, so a log tells which host ran the suite.
    console.log(
      `host: vscode ${vscode.version}, appName=${vscode.env.appName}, appHost=${vscode.env.appHost}, ` +
        `remoteName=${vscode.env.remoteName ?? '(local)'}, folder=${vscode.workspace.workspaceFolders?.[0]?.uri.toString()}, extension=${ext.extensionPath}`,
    );
  });

  test('a Service whose selector matches no pods gets service-selector-no-match on its selector', async () => {
    const editor = await open('selector/web.yaml');
    const uri = editor.document.uri;
    assert.equal(editor.document.languageId, 'yaml');
    const d = await waitForDiagnostic(uri, 'service-selector-no-match');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(d.message, /Service web selects no pods/);
    assert.match(d.message, /web-frontend/, 'the message names the closest workload');
    // underlines the `selector` key of the Service (second document of the file)
    assert.equal(editor.document.lineAt(d.range.start.line).text.trim(), 'selector:');
    const serviceLine = editor.document.positionAt(editor.document.getText().indexOf('kind: Service')).line;
    assert.ok(d.range.start.line > serviceLine, 'the range is in the Service, not the Deployment');
    const code = d.code;
    if (typeof code === 'object') assert.match(String(code.target), /docs\/rules\/service-selector-no-match\.md$/, 'the code links to the rule page');
  });

  test('editing a Deployment in one file makes the Service in another file break and heal', async function () {
    this.timeout(90_000);
    const service = fileUri('cross-file/service.yaml');
    // The file is clean to begin with: wait until the server has checked the workspace
    // (another file's finding is there), then make sure this one has none.
    await waitForDiagnostic(fileUri('selector/web.yaml'), 'service-selector-no-match');
    await expectStaysClean(service, 'service-selector-no-match', 1000);

    const editor = await open('cross-file/deployment.yaml');
    const doc = editor.document;
    const original = doc.getText();
    try {
      // Relabel the workload (its selector and its pod template) through a WorkspaceEdit.
      const edit = new vscode.WorkspaceEdit();
      for (let line = 0; line < doc.lineCount; line++) {
        const text = doc.lineAt(line).text;
        const m = /^(\s*app: )api\s*$/.exec(text);
        if (m) edit.replace(doc.uri, new vscode.Range(line, m[1].length, line, text.length), 'api-v2');
      }
      assert.equal(edit.size, 1, 'one document edited');
      assert.ok(await vscode.workspace.applyEdit(edit));
      assert.equal((doc.getText().match(/app: api-v2/g) ?? []).length, 2, 'matchLabels and template labels relabelled');

      const d = await waitForDiagnostic(service, 'service-selector-no-match');
      assert.match(d.message, /Service api selects no pods/);
      assert.match(d.message, /api-v2/, 'the message shows the new labels of the closest workload');
      assert.ok(
        kubeDiagnostics(doc.uri).every((x) => ruleOf(x) !== 'workload-selector-mismatch'),
        'the Deployment itself stays consistent',
      );

      // Put the label back: the Service's diagnostic goes away again.
      await setText(doc.uri, original);
      await waitForNoDiagnostic(service, 'service-selector-no-match');
    } finally {
      if (doc.getText() !== original) await setText(doc.uri, original);
    }
  });
});
