// Quick fixes keep comments, blank lines, quoting and indentation of untouched
// lines byte for byte. On a commented, irregularly indented corpus
// (test/fixtures/hostile/fixes: three- and four-space indentation, unindented
// and wide sequences, flow maps, both quote styles, CRLF), every fix of every
// finding is applied on its own: every line outside the edited ranges must be
// unchanged, and the fix must be sound (parses, removes its finding, adds no
// error). Also through the language server's code actions.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { applyFileEdits, assertFixSound, assertSound, assertUntouchedLinesKept, coldCheck, type Files } from './invariants';
import { Client, ROOT, uriOf } from './lsp';

const DIR = join(ROOT, 'test', 'fixtures', 'hostile', 'fixes');

function corpus(prefix: string): Files {
  const files: Files = {};
  for (const name of readdirSync(DIR).sort()) files[`${prefix}${name}`] = readFileSync(join(DIR, name), 'utf8');
  return files;
}

describe('quick fixes keep untouched lines byte for byte', () => {
  const files = corpus('fixes/');
  const before = coldCheck(files);

  it('the corpus has many fixable findings', () => {
    assertSound(files, before);
    const fixes = before.diagnostics.flatMap((d) => d.fixes);
    assert.ok(fixes.length >= 30, `${fixes.length} fixes`);
    assert.ok(new Set(before.diagnostics.filter((d) => d.fixes.length).map((d) => d.rule)).size >= 12, 'fixes of many rules');
  });

  for (const d of before.diagnostics) {
    for (const fix of d.fixes) {
      it(`${d.rule}: ${fix.title} (${d.uri}:${d.range.start.line + 1})`, () => {
        const fixed = applyFileEdits(files, fix.edits, fix.title);
        for (const uri of Object.keys(files)) {
          const edits = fix.edits.filter((e) => e.uri === uri);
          if (!edits.length) assert.equal(fixed[uri], files[uri], `${uri} is not edited`);
          else assertUntouchedLinesKept(files[uri], fixed[uri], edits, `"${fix.title}" in ${uri}`);
        }
        // line breaks of the file are kept: no LF lines in a CRLF file
        for (const e of fix.edits) if (files[e.uri].includes('\r\n')) assert.ok(!/(^|[^\r])\n/.test(e.newText), `"${fix.title}" writes LF into a CRLF file`);
        assertFixSound(files, before.diagnostics, d, fix);
      });
    }
  }

  it('through the language server: every quick fix offered keeps untouched lines', { timeout: 60_000 }, async () => {
    const client = await Client.start({ folders: [DIR] });
    try {
      const open = corpus('');
      for (const [name, text] of Object.entries(open)) client.open(uriOf(join(DIR, name)), text);
      let checked = 0;
      for (const [name, text] of Object.entries(open)) {
        const uri = uriOf(join(DIR, name));
        const ds = await client.waitFor(`diagnostics of ${name}`, () => client.diagnostics.get(uri)?.version === 1 ? client.published(uri) : undefined);
        const lines = text.split(/\r?\n/);
        const whole = { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: 0 } };
        const actions = (await client.request('textDocument/codeAction', { textDocument: { uri }, range: whole, context: { diagnostics: ds, only: ['quickfix'] } })) as {
          title: string;
          edit?: { documentChanges?: { textDocument: { uri: string }; edits: { range: any; newText: string }[] }[] };
        }[];
        for (const a of actions) {
          for (const dc of a.edit?.documentChanges ?? []) {
            const target = Object.keys(open).find((n) => uriOf(join(DIR, n)) === dc.textDocument.uri);
            assert.ok(target, `"${a.title}" edits a file of the corpus`);
            const edits = dc.edits.map((e) => ({ uri: target!, range: e.range, newText: e.newText }));
            const after = applyFileEdits(open, edits, a.title)[target!];
            assertUntouchedLinesKept(open[target!], after, edits, `server "${a.title}"`);
            checked++;
          }
        }
      }
      assert.ok(checked >= 30, `${checked} server edits checked`);
    } finally {
      await client.shutdown();
    }
  });
});
