// Every refactor offered on the examples applies without overlapping edits and
// keeps every file parsing; on the good examples it adds no error or warning
// (broken ones may see their existing findings reworded).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { refactorsAt } from '../../server/src/refactors/index';
import { run } from '../rule-tester';
import { apply, rethrow, workspace, type Files } from './helpers';

function parseErrors(text: string): number {
  const docs = parseAllDocuments(text);
  return Array.isArray(docs) ? docs.reduce((n, d) => n + d.errors.length, 0) : 0;
}

describe('refactors on the examples', () => {
  const dirs = ['examples/good', 'examples/broken'].flatMap((top) => readdirSync(top).map((d) => join(top, d)));
  for (const dir of dirs) {
    it(dir, () => {
      const files: Files = {};
      for (const f of readdirSync(dir)) if (/\.ya?ml$/.test(f)) files[join(dir, f)] = readFileSync(join(dir, f), 'utf8');
      const ws = workspace(files);
      const key = (d: { uri: string; rule: string; message: string }) => `${d.uri}|${d.rule}|${d.message}`;
      const before = new Set(run(files).map(key));
      for (const uri of Object.keys(files)) {
        for (const chunk of ws.file(uri)!.chunks) {
          for (const r of chunk.resources) {
            const line = chunk.startLine + chunk.lines.positionAt(r.node.range![0]).line;
            for (const rf of refactorsAt(ws, uri, { start: { line, character: 0 }, end: { line, character: 0 } }, { onError: rethrow })) {
              const where = `${uri}:${line + 1} "${rf.title}"`;
              const out = apply(files, rf);
              for (const u of Object.keys(out)) assert.ok(parseErrors(out[u]) <= parseErrors(files[u]), `${where}: ${u} no longer parses`);
              if (!dir.startsWith('examples/good')) continue;
              const fresh = run(out).filter((d) => (d.severity === 'error' || d.severity === 'warning') && !before.has(key(d)));
              assert.deepEqual(fresh.map((d) => `${d.rule}: ${d.message}`), [], where);
            }
          }
        }
      }
    });
  }
});
