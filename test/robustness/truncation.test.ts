// YAML syntax errors at every position of real files: each example manifest
// and each corpus file cut after every line (with the rest of its folder
// intact, so cross-file rules run on half-written input too). Every cut must
// check soundly; a sample is compared with a cold check.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { createWorkspace, DEFAULT_CONFIG } from '../../server/src/index';
import { decodeManifest } from '../../server/src/node/files';
import { assertSound, coldCheck, type Files } from './invariants';
import { ROOT } from './lsp';

process.removeAllListeners('warning');

function folders(dir: string, out: Files[] = []): Files[] {
  const files: Files = {};
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) folders(p, out);
    else if (/\.(ya?ml|json)$/.test(name)) {
      const read = decodeManifest(readFileSync(p), DEFAULT_CONFIG.maxFileSize);
      if ('text' in read) files[relative(ROOT, p).split('\\').join('/')] = read.text;
    }
  }
  if (Object.keys(files).length) out.push(files);
  return out;
}

// the corpus files are unrelated to each other: each is its own set
const SETS = [...folders(join(ROOT, 'examples')), ...folders(join(ROOT, 'test', 'fixtures', 'hostile')).flatMap((f) => Object.entries(f).map(([k, v]) => ({ [k]: v })))];

describe('every file cut after every line', () => {
  it('finds the example folders and the corpus', () => {
    assert.ok(SETS.length >= 10, `${SETS.length} folders`);
  });

  for (const files of SETS) {
    const folder = Object.keys(files).length === 1 ? Object.keys(files)[0] : Object.keys(files)[0].replace(/[^/]*$/, '');
    it(folder, () => {
      const ws = createWorkspace(DEFAULT_CONFIG);
      for (const [uri, text] of Object.entries(files)) ws.setFile(uri, text);
      ws.flush();
      let step = 0;
      for (const [uri, text] of Object.entries(files)) {
        const cuts = [...text.matchAll(/\n/g)].map((m) => m.index! + 1);
        for (const cut of [0, ...cuts.slice(0, -1)]) {
          const current = { ...files, [uri]: text.slice(0, cut) };
          const started = performance.now();
          ws.setFile(uri, current[uri]);
          ws.flush();
          const diagnostics = Object.keys(current)
            .sort()
            .flatMap((u) => ws.diagnostics(u));
          assertSound(current, { diagnostics, ms: performance.now() - started }, 5000);
          if (step++ % 17 === 0) assert.deepEqual(diagnostics, coldCheck(current).diagnostics, `${uri} cut at ${cut}: incremental differs from cold`);
        }
        ws.setFile(uri, text);
      }
      ws.flush();
    });
  }
});
