// Builds dist/ when it is older than the sources, so process-level tests (CLI,
// language server) always run the code under test. Test files run in parallel:
// a lock folder serialises builds.
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const CLI = join(ROOT, 'dist', 'cli.js');

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const name of readdirSync(path)) max = Math.max(max, newestMtime(join(path, name)));
  return max;
}

function isFresh(): boolean {
  try {
    const built = statSync(CLI).mtimeMs;
    const sources = Math.max(newestMtime(join(ROOT, 'server', 'src')), newestMtime(join(ROOT, 'package.json')), newestMtime(join(ROOT, 'scripts', 'build.mjs')), newestMtime(join(ROOT, 'scripts', 'bundles.mjs')));
    return built >= sources;
  } catch {
    return false;
  }
}

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** Builds dist/ when it is older than the sources. Test files run in parallel: a lock folder serialises builds. */
export function ensureBuilt(): void {
  if (isFresh()) return;
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  const lock = join(ROOT, 'dist', '.lsp-test-build.lock');
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      try {
        if (Date.now() - statSync(lock).mtimeMs > 60_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        // released meanwhile
      }
      if (Date.now() > deadline) throw new Error('timed out waiting for another test process to build dist/');
      sleepSync(50);
    }
  }
  try {
    if (!isFresh()) {
      const res = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
      if (res.status !== 0) throw new Error('node scripts/build.mjs failed');
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
