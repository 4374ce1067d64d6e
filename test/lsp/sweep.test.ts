// Every quick fix and every refactor, through the real server over stdio:
// - for each rule's example folder, the server publishes the rule's findings, a
//   fixable rule offers quick fixes at them, and applying the preferred one
//   through the editor path (didChange) makes the finding disappear;
// - on the clean examples, every refactor the server offers at every resource
//   yields documents that parse and check clean (no new error or warning).
import assert from 'node:assert/strict';
import { cpSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import type { CodeAction, Diagnostic, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { URI } from 'vscode-uri';
import { ALL_RULES, applyEdits } from '../../server/src/index';
import { run } from '../rule-tester';
import { ensureBuilt, FULL_CAPABILITIES, ROOT, TestClient, tempFolder } from './helpers';

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(n) ? [p] : [];
  });
}

const CAPS = {
  ...FULL_CAPABILITIES,
  textDocument: {
    ...FULL_CAPABILITIES.textDocument,
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'refactor.rewrite', 'refactor.extract', 'source', 'source.fixAll'] } }, isPreferredSupport: true },
  },
};

before(() => ensureBuilt());

describe('every quick fix over the protocol', () => {
  const fixable = ALL_RULES.filter((r) => r.fixable).map((r) => r.id);
  for (const rule of fixable) {
    it(`${rule}: offered at its finding and applying it clears the finding`, async () => {
      const dir = tempFolder({});
      cpSync(join(ROOT, 'examples', 'broken', rule), dir, { recursive: true });
      const files = yamlFiles(dir);
      const client = await TestClient.start({ folders: [dir], capabilities: CAPS });
      try {
        for (const f of files) client.open(f);
        // the first file that gets a finding of this rule
        const [file, diags] = await client.waitFor(`${rule} finding`, () => {
          for (const f of files) {
            const ds = (client.published(f) ?? []).filter((d) => d.code === rule);
            if (ds.length) return [f, ds] as [string, Diagnostic[]];
          }
          return undefined;
        });
        let applied = false;
        for (const target of diags) {
          const actions = ((await client.codeActions(file, target.range, ['quickfix'], [target])) ?? []) as CodeAction[];
          const fixes = actions.filter((a) => a.kind === 'quickfix' && a.diagnostics?.some((d) => d.code === rule && d.message === target.message) && !/^Disable|kube-expose-disable|Ignore/i.test(a.title));
          if (!fixes.length) continue;
          const fix = fixes.find((a) => a.isPreferred) ?? fixes[0];
          assert.ok(fix.edit, `${fix.title} has an edit`);
          client.applyEdit(fix.edit!);
          await client.waitForDiagnostics(file, `${rule} "${target.message}" gone after "${fix.title}"`, (ds) => !ds.some((d) => d.code === rule && d.message === target.message && sameRange(d.range, target.range)));
          applied = true;
          break;
        }
        assert.ok(applied, `no quick fix offered for any ${rule} finding in examples/broken/${rule}`);
      } finally {
        await client.shutdown();
      }
    });
  }
});

describe('every refactor over the protocol', () => {
  let client: TestClient;
  let dir: string;
  let files: string[];
  const texts = new Map<string, string>();

  before(async () => {
    dir = tempFolder({});
    cpSync(join(ROOT, 'examples', 'good'), dir, { recursive: true });
    files = yamlFiles(dir);
    client = await TestClient.start({ folders: [dir], capabilities: CAPS });
    for (const f of files) {
      texts.set(URI.file(f).toString(), readFileSync(f, 'utf8'));
      client.open(f);
    }
  });
  after(async () => client?.shutdown());

  const key = (uri: string) => URI.parse(uri).toString();
  const snapshot = () => Object.fromEntries([...texts].map(([u, t]) => [URI.parse(u).fsPath, t]));
  const errorsAndWarnings = (files: Record<string, string>) =>
    new Set(run(files).filter((d) => d.severity === 'error' || d.severity === 'warning').map((d) => `${d.rule}|${d.message}`));

  it('offers refactors at every resource, and each one leaves clean documents', async () => {
    const baseline = errorsAndWarnings(snapshot());
    let offered = 0;
    const titles = new Set<string>();
    for (const f of files) {
      const lines = readFileSync(f, 'utf8').split('\n');
      for (let line = 0; line < lines.length; line++) {
        if (!/^kind:/.test(lines[line])) continue;
        const range: Range = { start: { line, character: 0 }, end: { line, character: 0 } };
        const actions = ((await client.codeActions(f, range, ['refactor'])) ?? []) as CodeAction[];
        for (const a of actions) {
          assert.match(a.kind ?? '', /^refactor\.(rewrite|extract)$/, a.title);
          assert.ok(a.edit, `${a.title} carries its edit`);
          const after = applyWorkspaceEdit(snapshot(), a.edit!);
          for (const [path, text] of Object.entries(after)) {
            for (const doc of parseAllDocuments(text)) assert.deepEqual(doc.errors.map((e) => e.message), [], `${a.title} in ${path}`);
          }
          const fresh = [...errorsAndWarnings(after)].filter((x) => !baseline.has(x));
          assert.deepEqual(fresh, [], `"${a.title}" at ${f}:${line + 1} introduced findings`);
          offered++;
          titles.add(a.title.replace(/\d+/g, 'N').replace(/ \(.*\)$/, ''));
        }
      }
    }
    for (const t of ['Convert to NodePort', 'Convert to LoadBalancer', 'Convert to ClusterIP', 'Create an Ingress for this Service']) {
      assert.ok([...titles].some((x) => x.startsWith(t)), `${t} offered somewhere; got ${[...titles].join(' | ')}`);
    }
    assert.ok([...titles].some((x) => /^Expose with a Service/.test(x)), [...titles].join(' | '));
    assert.ok(offered >= 20, `${offered} refactors offered`);
  });

  function applyWorkspaceEdit(files: Record<string, string>, edit: WorkspaceEdit): Record<string, string> {
    const out = { ...files };
    const per = new Map<string, TextEdit[]>();
    for (const dc of edit.documentChanges ?? []) if ('textDocument' in dc) per.set(key(dc.textDocument.uri), dc.edits as TextEdit[]);
    for (const [u, e] of Object.entries(edit.changes ?? {})) per.set(key(u), e);
    for (const [u, e] of per) {
      const path = URI.parse(u).fsPath;
      assert.ok(path in out, `edit for unknown file ${u}`);
      out[path] = applyEdits(out[path], e);
    }
    return out;
  }
});

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}
