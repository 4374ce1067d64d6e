// Compiles the real-editor suite (test/e2e/suite/*.ts) to out/e2e/suite/*.js, one
// CommonJS file per source (mocha loads the *.e2e.js files itself: not *.test.js, which a bare
// `node --test` would pick up and run without VS Code); `vscode` and
// `mocha` stay require()s, resolved by the extension host (vscode) and from the
// project's node_modules (mocha).
import { build } from 'esbuild';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SUITE_OUT = join(ROOT, 'out/e2e/suite');

export async function buildSuite() {
  const src = join(ROOT, 'test/e2e/suite');
  const sources = readdirSync(src).filter((f) => f.endsWith('.ts'));
  // Files of sources that are gone (renamed tests) would still be loaded: drop them. The rest is
  // overwritten in place, never deleted first, so a run loading the suite at the same time is unharmed.
  const wanted = new Set(sources.map((f) => f.replace(/\.ts$/, '.js')));
  if (existsSync(SUITE_OUT)) for (const f of readdirSync(SUITE_OUT)) if (!wanted.has(f)) rmSync(join(SUITE_OUT, f), { force: true });
  await build({
    entryPoints: sources.map((f) => join(src, f)),
    outdir: SUITE_OUT,
    bundle: false,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return join(SUITE_OUT, 'index.js');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(await buildSuite());
}
