// Every fix and every refactor on the real-world manifests (test/fixtures/real-world),
// through the engine: each keeps the promises of invariants.ts on files nobody
// wrote for this product (the finding goes, nothing new breaks, the YAML still
// parses, and lines it does not touch stay byte for byte).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createWorkspace, DEFAULT_CONFIG } from '../../server/src/index';
import { refactorsAt } from '../../server/src/refactors/index';
import { applyFileEdits, assertFixSound, assertSound, assertUntouchedLinesKept, coldCheck, newErrors, show, yamlErrors, type Files } from './invariants';

const ROOT = join(__dirname, '..', 'fixtures', 'real-world');
const PROJECTS = readdirSync(ROOT).filter((d) => statSync(join(ROOT, d)).isDirectory()).sort();

function filesOf(project: string): Files {
  const dir = join(ROOT, project);
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .map((f) => [`${project}/${f}`, readFileSync(join(dir, f), 'utf8')]),
  );
}

let fixesTried = 0;
let refactorsTried = 0;

describe('real-world manifests: fixes and refactors', () => {
  for (const project of PROJECTS) {
    it(`${project}: every fix of every finding is sound`, () => {
      const files = filesOf(project);
      const before = coldCheck(files);
      assertSound(files, before);
      let fixes = 0;
      for (const d of before.diagnostics) {
        for (const fix of d.fixes) {
          assertFixSound(files, before.diagnostics, d, fix);
          for (const uri of new Set(fix.edits.map((e) => e.uri))) {
            const fixed = applyFileEdits(files, fix.edits, fix.title)[uri];
            assertUntouchedLinesKept(files[uri], fixed, fix.edits.filter((e) => e.uri === uri), `${fix.title} in ${uri}`);
          }
          fixes++;
          fixesTried++;
        }
      }
      assert.equal(fixes, before.diagnostics.reduce((n, d) => n + d.fixes.length, 0));
    });

    it(`${project}: every refactor at every resource keeps the files readable and breaks nothing`, () => {
      const files = filesOf(project);
      const before = coldCheck(files);
      const ws = createWorkspace({ ...DEFAULT_CONFIG });
      for (const [uri, text] of Object.entries(files)) ws.setFile(uri, text);
      ws.flush();
      for (const uri of Object.keys(files)) {
        {
          // a selection over the whole file: the refactors of every resource in it, each titled with its resource
          const whole = { start: { line: 0, character: 0 }, end: { line: files[uri].split('\n').length, character: 0 } };
          const offered = refactorsAt(ws, uri, whole, { onError: (e) => assert.fail(e as Error) });
          for (const rf of offered) {
            refactorsTried++;
            const what = `${uri} "${rf.title}"`;
            const out = applyFileEdits(files, rf.edits, what);
            for (const u of new Set(rf.edits.map((e) => e.uri))) {
              if (!(u in files)) continue; // a new file
              if (yamlErrors(files[u]) === 0) assert.equal(yamlErrors(out[u]), 0, `${what} breaks the YAML of ${u}:\n${out[u]}`);
              assertUntouchedLinesKept(files[u], out[u], rf.edits.filter((e) => e.uri === u), what);
            }
            const after = coldCheck(out);
            assertSound(out, after);
            const fresh = newErrors(files, out, rf.edits, before.diagnostics, after.diagnostics);
            assert.equal(fresh.length, 0, `${what} introduced errors:\n${show(fresh)}`);
          }
        }
      }
    });
  }

  it('tried a real number of fixes and refactors', () => {
    console.log(`real-world: ${fixesTried} fixes and ${refactorsTried} refactors checked`);
    assert.ok(fixesTried >= 50, `${fixesTried} fixes`);
    assert.ok(refactorsTried >= 100, `${refactorsTried} refactors`);
  });
});
