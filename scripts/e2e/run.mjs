#!/usr/bin/env node
// `npm run test:e2e`: every real-editor test that runs on this kind of machine, in order,
// each in its own process (each stops what it started):
//   suite  the mocha suite in code-server's extension host   (scripts/e2e/code-server.mjs)
//   ui     the packaged .vsix driven in headless chromium    (scripts/e2e/ui.mjs)
//   nvim   kube-expose lsp --stdio in headless Neovim        (scripts/e2e/nvim.mjs)
// Installs what is missing first (scripts/e2e/install.sh: Debian packages, code-server
// into .cache/e2e/). Closes with one `e2e: N passed, N failed, N skipped` line.
//
// Usage: node scripts/e2e/run.mjs [--only suite,ui,nvim] [--docs-images] [--keep]
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args[onlyAt + 1].split(',') : ['suite', 'ui', 'nvim'];
const pass = args.filter((a) => a === '--keep' || a === '--docs-images');

const PARTS = {
  suite: ['scripts/e2e/code-server.mjs'],
  ui: ['scripts/e2e/ui.mjs'],
  nvim: ['scripts/e2e/nvim.mjs'],
};
const COUNT = /^(\w+): (\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/;

function runPart(name) {
  return new Promise((resolve) => {
    const t = Date.now();
    const child = spawn(process.execPath, [...PARTS[name], ...(name === 'ui' ? pass : pass.filter((a) => a === '--keep'))], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let counts;
    let rest = '';
    const onLine = (line) => {
      const m = COUNT.exec(line);
      if (m) {
        counts = { passed: +m[2], failed: +m[3], skipped: +(m[4] ?? 0) };
        // shown, but not as a closing line: only the total below is one
        console.log(`[${name}] ${m[2]} passed, ${m[3]} failed, ${m[4] ?? 0} skipped`);
      } else console.log(line);
    };
    child.stdout.on('data', (b) => {
      rest += b;
      const lines = rest.split('\n');
      rest = lines.pop();
      lines.forEach(onLine);
    });
    child.on('close', (code, signal) => {
      if (rest) onLine(rest);
      const status = code ?? (signal ? 2 : 0);
      counts ??= { passed: 0, failed: 1, skipped: 0 };
      if (status !== 0 && counts.failed === 0) counts.failed = 1;
      resolve({ name, status, ms: Date.now() - t, ...counts });
    });
  });
}

const t0 = Date.now();
console.log(`== e2e: ${only.join(', ')}`);
if (only.includes('suite') || only.includes('ui')) {
  const r = spawnSync('bash', [path.join(ROOT, 'scripts/e2e/install.sh')], { stdio: ['ignore', 'inherit', 'inherit'], cwd: ROOT });
  if (r.status !== 0) {
    console.log('e2e install failed (scripts/e2e/install.sh)');
    console.log('e2e: 0 passed, 1 failed, 0 skipped');
    process.exit(2);
  }
} else if (only.includes('nvim')) {
  spawnSync('bash', [path.join(ROOT, 'scripts/e2e/install.sh'), 'nvim'], { stdio: ['ignore', 'inherit', 'inherit'], cwd: ROOT });
}
const installMs = Date.now() - t0;

const results = [];
for (const name of only) {
  if (!PARTS[name]) {
    console.error(`unknown part "${name}" (suite, ui, nvim)`);
    process.exit(2);
  }
  console.log(`\n== e2e ${name}`);
  results.push(await runPart(name));
}

console.log(`\n== e2e summary (install/check ${(installMs / 1000).toFixed(1)} s)`);
for (const r of results) {
  console.log(`  ${r.name.padEnd(6)} ${r.status === 0 ? 'ok  ' : 'FAIL'} ${String(r.passed).padStart(3)} passed ${String(r.failed).padStart(2)} failed ${String(r.skipped).padStart(2)} skipped  ${(r.ms / 1000).toFixed(1)} s`);
}
const sum = (k) => results.reduce((n, r) => n + r[k], 0);
console.log(`  total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
console.log(`e2e: ${sum('passed')} passed, ${sum('failed')} failed, ${sum('skipped')} skipped`);
process.exit(results.some((r) => r.status !== 0) ? 1 : 0);
