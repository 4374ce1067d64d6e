#!/usr/bin/env node
// The same real-editor suite (test/e2e/suite) in desktop VS Code, through
// @vscode/test-electron: for a workstation or CI machine that can download VS Code
// (the download is cached in .vscode-test/). On Linux without a display it re-runs
// itself under `xvfb-run -a` when that exists (Debian: apt-get install xvfb).
//
// Usage: node scripts/e2e/vscode.mjs [--grep REGEX] [--keep]
//   VSCODE_VERSION   'stable' (default), 'insiders' or a version such as 1.100.3 (what code-server 4.100.3 embeds)
// Exit: 0 all passed, 1 a test failed, 2 the run itself failed (download, start).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildSuite } from './build-suite.mjs';
import { buildProject, countLine, log, removeScratch, ROOT, scratch } from './lib.mjs';

const args = process.argv.slice(2);
const grepAt = args.indexOf('--grep');
const grep = grepAt >= 0 ? args[grepAt + 1] : process.env.KUBE_EXPOSE_E2E_GREP;
const keep = args.includes('--keep') || process.env.KEEP_STATE === '1';
const version = process.env.VSCODE_VERSION || 'stable';

if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY && !process.env.KUBE_EXPOSE_E2E_NO_XVFB) {
  if (spawnSync('sh', ['-c', 'command -v xvfb-run'], { stdio: 'ignore' }).status === 0) {
    log('no display: re-running under xvfb-run -a');
    const r = spawnSync('xvfb-run', ['-a', process.execPath, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, KUBE_EXPOSE_E2E_NO_XVFB: '1' } });
    process.exit(r.status ?? 2);
  }
  log('warning: no DISPLAY and no xvfb-run; VS Code may fail to start (apt-get install xvfb)');
}

async function main() {
  const { runTests } = await import('@vscode/test-electron');
  buildProject();
  const suiteEntry = await buildSuite();
  const s = scratch('vscode');
  const resultsFile = path.join(s.dir, 'results.json');
  let code;
  try {
    code = await runTests({
      version,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: suiteEntry,
      extensionTestsEnv: { KUBE_EXPOSE_E2E_RESULTS: resultsFile, ...(grep ? { KUBE_EXPOSE_E2E_GREP: grep } : {}) },
      // --disable-extensions turns off installed extensions only: built-ins (the YAML language) and
      // the extension under development stay on.
      launchArgs: [s.workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', '--user-data-dir', s.userData, '--extensions-dir', s.extensions],
    });
  } catch (e) {
    // runTests rejects when VS Code exits non-zero (a failing test) or cannot be downloaded/started
    code = e;
  }
  let results;
  try {
    results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  } catch {
    results = undefined;
  }
  if (!results) {
    console.error(`VS Code ${version} did not run the suite: ${code?.message ?? code}`);
    removeScratch(s, false);
    console.log(countLine('suite', 0, 1, 0));
    return 2;
  }
  for (const f of results.failed) console.log(`FAILED: ${f.title}`);
  const failed = results.failed.length > 0 || code !== 0;
  removeScratch(s, keep || failed);
  console.log(countLine('suite', results.passed.length, results.failed.length, results.skipped.length));
  return failed ? 1 : 0;
}

main().then(
  (status) => process.exit(status),
  (e) => {
    console.error(e?.stack ?? e);
    console.log(countLine('suite', 0, 1, 0));
    process.exit(2);
  },
);
