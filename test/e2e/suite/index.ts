// The --extensionTestsPath entry: the extension host (desktop VS Code through
// @vscode/test-electron, or code-server through scripts/e2e/code-server.mjs)
// loads this module and awaits run(). Mocha runs in-process, with the real
// `vscode` API.
//
// Environment (set on the editor process; the extension host inherits it):
//   KUBE_EXPOSE_E2E_RESULTS  file to write {passed, failed, skipped} to (the runners print the counts from it)
//   KUBE_EXPOSE_E2E_GREP     run only the tests whose full title matches (a regular expression)
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export interface SuiteResults {
  passed: string[];
  failed: { title: string; error: string }[];
  skipped: string[];
  durationMs: number;
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, reporter: 'spec', timeout: 60_000, slow: 5_000 });
  const grep = process.env.KUBE_EXPOSE_E2E_GREP;
  if (grep) mocha.grep(new RegExp(grep));
  for (const f of fs.readdirSync(__dirname).sort()) if (f.endsWith('.e2e.js')) mocha.addFile(path.join(__dirname, f));

  const results: SuiteResults = { passed: [], failed: [], skipped: [], durationMs: 0 };
  const t0 = Date.now();
  const write = () => {
    results.durationMs = Date.now() - t0;
    const out = process.env.KUBE_EXPOSE_E2E_RESULTS;
    if (out) fs.writeFileSync(out, JSON.stringify(results, null, 2));
  };
  return new Promise<void>((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        write();
        if (failures) reject(new Error(`${failures} of ${results.passed.length + results.failed.length} tests failed`));
        else resolve();
      });
      runner.on('pass', (t) => results.passed.push(t.fullTitle()));
      runner.on('fail', (t, err) => results.failed.push({ title: t.fullTitle(), error: String((err as Error)?.stack ?? err) }));
      runner.on('pending', (t) => results.skipped.push(t.fullTitle()));
    } catch (e) {
      // a test file that does not load
      results.failed.push({ title: 'loading the suite', error: String((e as Error)?.stack ?? e) });
      write();
      reject(e);
    }
  });
}
