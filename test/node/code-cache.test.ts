// The code cache that bin/kube-expose.js and dist/server.js load the large
// bundles through (server/src/node/codeCache.ts): it must speed up a start, and
// never change what runs or stop it from running.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { before, describe, it } from 'node:test';
import { codeCacheDir } from '../../server/src/node/codeCache';
import { ensureBuilt } from '../helpers/build';

/** A small CommonJS bundle that requires a neighbour by a relative path and reports its module variables. */
function bundle(dir: string, answer: number): string {
  writeFileSync(join(dir, 'helper.js'), 'module.exports = (x) => x * 2;\n');
  const file = join(dir, 'bundle.js');
  writeFileSync(
    file,
    `'use strict';\nconst twice = require('./helper.js');\nfunction answer() { return twice(${answer}); }\n` +
      `module.exports = { answer, file: __filename, dir: __dirname, self: this === module.exports };\n`,
  );
  return file;
}

/**
 * Loads `file` through the built dist/load.js in a fresh process (V8 keeps
 * what it compiled in a process, so a second load there would not read the
 * cache at all), calls `save()` when asked, and reports what happened.
 */
function load(file: string, dir: string | undefined, save = false): { cache: string; answer: number; file: string; dir: string; self: boolean; saved?: boolean; cacheFile?: string } {
  // one script for every load: node's -e text is part of process.execArgv, which the cache is keyed by
  const script = `
    const { LOAD, FILE, DIR, SAVE } = process.env;
    const b = require(LOAD).loadBundle(FILE, DIR || undefined);
    const saved = SAVE ? b.save() : undefined;
    console.log(JSON.stringify({ cache: b.cache, cacheFile: b.cacheFile, saved, answer: b.exports.answer(), file: b.exports.file, dir: b.exports.dir, self: b.exports.self }));`;
  const env = { ...process.env, LOAD: resolve('dist/load.js'), FILE: file, DIR: dir ?? '', SAVE: save ? '1' : '' };
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

describe('code cache (node/codeCache)', () => {
  before(() => ensureBuilt());

  it('loads a bundle like require, then reads back the cache it saved', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kx-cc-'));
    const cache = join(dir, 'cache');
    const file = bundle(dir, 21);
    const first = load(file, cache, true);
    assert.deepEqual(first, { cache: 'absent', cacheFile: first.cacheFile, saved: true, answer: 42, file, dir, self: true });
    assert.equal(readdirSync(cache).filter((n) => n.endsWith('.bin')).length, 1);
    assert.equal(load(file, cache).cache, 'accepted');
    assert.equal(load(file, cache, true).saved, false, 'a short run keeps the cache it read');
  });

  it('a changed bundle of the same length never gets the old bytecode', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kx-cc-'));
    const cache = join(dir, 'cache');
    const file = bundle(dir, 21);
    load(file, cache, true);
    bundle(dir, 12); // same length, other code
    const after = load(file, cache);
    assert.equal(after.cache, 'absent', 'another source is another cache file');
    assert.equal(after.answer, 24);
  });

  it('a corrupt cache file is rejected by V8, the bundle still runs, and the file is rewritten', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kx-cc-'));
    const cache = join(dir, 'cache');
    const file = bundle(dir, 21);
    const { cacheFile } = load(file, cache, true);
    const good = readFileSync(cacheFile!);
    for (const junk of [Buffer.alloc(4096, 7), good.subarray(0, good.length >> 1), Buffer.alloc(0)]) {
      writeFileSync(cacheFile!, junk);
      const second = load(file, cache, true);
      assert.equal(second.cache, 'rejected');
      assert.equal(second.answer, 42);
      assert.equal(second.saved, true);
      assert.equal(load(file, cache).cache, 'accepted');
    }
  });

  it('no folder means no cache; the folder comes from KUBE_EXPOSE_CODE_CACHE or the per-user cache folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kx-cc-'));
    const off = load(bundle(dir, 1), undefined, true);
    assert.deepEqual([off.cache, off.answer, off.saved], ['off', 2, false]);
    assert.equal(codeCacheDir({ KUBE_EXPOSE_CODE_CACHE: '0' }), undefined);
    assert.equal(codeCacheDir({ KUBE_EXPOSE_CODE_CACHE: '/x/y' }), '/x/y');
    if (process.platform === 'linux') assert.equal(codeCacheDir({ XDG_CACHE_HOME: '/c' }), '/c/kube-expose');
  });
});

describe('code cache in the real CLI', () => {
  before(() => ensureBuilt());

  it('the second run reads the cache the first wrote, with the same output; a corrupt cache changes nothing', () => {
    const cache = mkdtempSync(join(tmpdir(), 'kx-cc-cli-'));
    const run = () => spawnSync(process.execPath, [resolve('bin/kube-expose.js'), 'check', '--format', 'json', 'examples/'], { encoding: 'utf8', env: { ...process.env, KUBE_EXPOSE_CODE_CACHE: cache } });
    const first = run();
    const files = readdirSync(cache).filter((n) => n.startsWith('cli-') && n.endsWith('.bin'));
    assert.equal(files.length, 1, `one cache file for dist/cli.js: ${readdirSync(cache).join(', ')}`);
    const written = readFileSync(join(cache, files[0]));
    assert.ok(written.length > 100_000, `the cache holds the compiled code (${written.length} bytes)`);
    const second = run();
    assert.deepEqual(readFileSync(join(cache, files[0])), written, 'a short run that read the cache leaves it alone');
    assert.equal(second.stdout, first.stdout);
    assert.equal(second.status, first.status);
    assert.ok(JSON.parse(first.stdout).summary.files > 0);
    writeFileSync(join(cache, files[0]), written.subarray(0, 1000));
    const third = run();
    assert.equal(third.stdout, first.stdout);
    assert.equal(third.stderr, first.stderr);
    assert.ok(readFileSync(join(cache, files[0])).length > 100_000, 'the rejected cache is written again');
  });
});
