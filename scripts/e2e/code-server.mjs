#!/usr/bin/env node
// Runs the real-editor suite (test/e2e/suite) inside code-server's Node extension
// host, headless, with no network beyond 127.0.0.1.
//
// code-server's CLI has no --extensionDevelopmentPath/--extensionTestsPath, but
// the VS Code web workbench it serves reads both from the `payload` URL
// parameter; the remote extension host then loads the extension under
// development and runs the suite's run(), and the workbench reports the result
// through window.codeAutomationExit(code) (extension-host console output through
// window.codeAutomationLog) — the hooks microsoft/vscode-test-web uses.
//
// Usage: node scripts/e2e/code-server.mjs [--grep REGEX] [--keep]
//   --keep / KEEP_STATE=1   keep the scratch state (kept anyway on failure)
//   VERBOSE=1               also print the workbench's own log lines
//   E2E_TIMEOUT_MS          whole-run limit (default 300000)
//   KUBE_EXPOSE_E2E_EXTENSION  the extension folder to test (default: this project; any folder with
//                           package.json + dist/, e.g. a deliberately broken copy to prove the suite fails)
// Exit: 0 all passed, 1 a test failed, 2 the run itself failed (install, start, timeout).
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import { buildSuite } from './build-suite.mjs';
import { buildProject, cleanupAll, countLine, ensureInstalled, launchBrowser, log, removeScratch, ROOT, scratch, startCodeServer, watchdog } from './lib.mjs';

const EXTENSION = path.resolve(process.env.KUBE_EXPOSE_E2E_EXTENSION || ROOT);

const args = process.argv.slice(2);
const grepAt = args.indexOf('--grep');
const grep = grepAt >= 0 ? args[grepAt + 1] : process.env.KUBE_EXPOSE_E2E_GREP;
const keep = args.includes('--keep') || process.env.KEEP_STATE === '1';
const VERBOSE = process.env.VERBOSE === '1';
const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS || 300_000);

// Workbench chatter that says nothing about the suite.
const NOISE = /^(Creating a socket|Resolved connection|Updating additional builtin|\[Service Worker\]|ChatSessionStore|getaddrinfo ENOTFOUND|Started local extension host|\[perf\]|Extension host agent|Failed to load resource|ERR \[remote-connection\]|\[Extension Host\] \(node:\d+\) )/;

async function main() {
  const tStart = Date.now();
  ensureInstalled();
  if (EXTENSION === ROOT) buildProject();
  else log(`testing the extension in ${EXTENSION}`);
  const suiteEntry = (await buildSuite()).replace(/\.js$/, '');
  watchdog(TIMEOUT + 60_000, 'code-server suite');
  const s = scratch('suite');
  const resultsFile = path.join(s.dir, 'results.json');
  const env = { KUBE_EXPOSE_E2E_RESULTS: resultsFile, ...(grep ? { KUBE_EXPOSE_E2E_GREP: grep } : {}) };
  const cs = await startCodeServer(s, { env });
  const { page } = await launchBrowser(s);

  let exitCode;
  const exited = new Promise((resolve) => (exitCode = resolve));
  await page.exposeFunction('codeAutomationLog', (type, logArgs) => {
    const line = util.format(...(Array.isArray(logArgs) ? logArgs : [logArgs]));
    if (VERBOSE || !NOISE.test(line)) (type === 'error' ? console.error : console.log)(line);
  });
  await page.exposeFunction('codeAutomationExit', (code) => exitCode(code));
  page.on('pageerror', (e) => VERBOSE && console.error(`[page] ${e.message}`));

  const payload = [
    ['extensionDevelopmentPath', cs.remote(EXTENSION)],
    ['extensionTestsPath', cs.remote(suiteEntry)],
  ];
  log(`opening the workbench on ${s.workspace} with the suite ${path.relative(ROOT, suiteEntry)}`);
  await page.goto(cs.url(s.workspace, payload));
  const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), TIMEOUT).unref())]);

  let results;
  try {
    results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  } catch {
    results = undefined;
  }
  let status;
  if (code === 'timeout') {
    console.error(`the suite did not finish within ${TIMEOUT / 1000} s`);
    status = 2;
  } else if (!results) {
    console.error(`the suite ended (exit ${code}) without writing ${resultsFile}: it did not load or crashed`);
    status = 2;
  } else status = code === 0 && results.failed.length === 0 ? 0 : 1;

  await cleanupAll();
  removeScratch(s, keep || status !== 0);
  if (results) {
    for (const f of results.failed) console.log(`FAILED: ${f.title}`);
    console.log(`code-server suite: exit ${code} in ${((Date.now() - tStart) / 1000).toFixed(1)} s`);
    console.log(countLine('suite', results.passed.length, results.failed.length, results.skipped.length));
  } else console.log(countLine('suite', 0, 1, 0));
  return status;
}

main().then(
  (status) => process.exit(status),
  async (e) => {
    console.error(e?.stack ?? e);
    await cleanupAll();
    console.log(countLine('suite', 0, 1, 0));
    process.exit(2);
  },
);
