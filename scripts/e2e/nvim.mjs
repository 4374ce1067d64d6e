#!/usr/bin/env node
// Neovim as a second real LSP client: headless `nvim` runs test/e2e/nvim/check.lua,
// which starts `kube-expose lsp --stdio` through Neovim's built-in client on a copy
// of the fixture workspace, reads back the diagnostic of a broken manifest (rule code
// and message), asks for the quick fix and checks that applying it clears it.
//
// Usage: node scripts/e2e/nvim.mjs
//   NVIM=/path/to/nvim               another Neovim
//   KUBE_EXPOSE_E2E_EXTENSION=/dir   run /dir/bin/kube-expose.js instead of this project's (e.g. a broken copy)
// Exit: 0 all checks passed, 1 a check failed, 2 the run itself failed.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildProject, countLine, FIXTURE_WORKSPACE, log, ROOT } from './lib.mjs';

const NVIM = process.env.NVIM || 'nvim';
const CHECKS = ['server starts', 'diagnostic', 'diagnostic source', 'code action', 'fix clears the diagnostic'];

async function main() {
  if (spawnSync(NVIM, ['--version'], { stdio: 'ignore' }).status !== 0) {
    log('neovim missing: scripts/e2e/install.sh nvim');
    spawnSync('bash', [path.join(ROOT, 'scripts/e2e/install.sh'), 'nvim'], { stdio: 'inherit' });
  }
  const version = spawnSync(NVIM, ['--version'], { encoding: 'utf8' }).stdout?.split('\n')[0] ?? '?';
  const ext = path.resolve(process.env.KUBE_EXPOSE_E2E_EXTENSION || ROOT);
  if (ext === ROOT) buildProject();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-expose-nvim-'));
  const workspace = path.join(scratch, 'workspace');
  fs.cpSync(FIXTURE_WORKSPACE, workspace, { recursive: true });
  const xdg = path.join(scratch, 'xdg'); // swap, shada and lsp.log stay in scratch
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: xdg, XDG_DATA_HOME: xdg, XDG_CACHE_HOME: xdg, XDG_STATE_HOME: xdg,
    E2E_LSP_CMD: JSON.stringify([process.execPath, path.join(ext, 'bin/kube-expose.js'), 'lsp', '--stdio']),
    E2E_FILE: path.join(workspace, 'selector/web.yaml'),
    E2E_ROOT: workspace,
    E2E_RULE: 'service-selector-no-match',
    E2E_MESSAGE: 'Service web selects no pods',
    E2E_TIMEOUT_MS: process.env.E2E_TIMEOUT_MS || '20000',
  };
  log(`${version}: kube-expose lsp --stdio on selector/web.yaml`);
  const t = Date.now();
  const child = spawn(NVIM, ['--headless', '--clean', '-n', '-c', `luafile ${path.join(ROOT, 'test/e2e/nvim/check.lua')}`], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (b) => (output += b));
  child.stderr.on('data', (b) => (output += b));
  const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const code = await new Promise((resolve) => child.on('close', (c, sig) => resolve(c ?? (sig ? 2 : 0))));
  clearTimeout(killer);
  const lines = output.split(/\r?\n/).filter((l) => /^(DIAG|CHECK|SERVER) /.test(l));
  for (const l of lines) console.log(`  ${l}`);
  const checks = lines.filter((l) => l.startsWith('CHECK '));
  const passed = checks.filter((l) => l.startsWith('CHECK ok ')).length;
  const bad = checks.length - passed + (code !== 0 && checks.every((l) => l.startsWith('CHECK ok ')) ? 1 : 0);
  if (code !== 0 && !checks.length) console.log(output.trim());
  log(`neovim finished with exit ${code} in ${Date.now() - t} ms`);
  fs.rmSync(scratch, { recursive: true, force: true });
  console.log(countLine('nvim', passed, bad, Math.max(0, CHECKS.length - passed - bad)));
  return code === 0 && bad === 0 ? 0 : code === 2 ? 2 : 1;
}

main().then(
  (s) => process.exit(s),
  (e) => {
    console.error(e?.stack ?? e);
    console.log(countLine('nvim', 0, 1, 0));
    process.exit(2);
  },
);
