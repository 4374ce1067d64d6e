// Runs every *.test.ts under test/ with node's test runner (TypeScript through tsx).
// Usage: node scripts/run-tests.mjs [substring filter...]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const filters = process.argv.slice(2);
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'e2e' || name === 'fixtures' || name === 'node_modules') continue;
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.ts') && (!filters.length || filters.some((f) => p.includes(f)))) files.push(p);
  }
})('test');
files.sort();
if (!files.length) {
  // never fall back to node --test's own discovery (it would pick up e2e scripts)
  console.error(`run-tests: no test file matches ${filters.join(', ')}`);
  process.exit(1);
}
// KUBE_EXPOSE_VERIFY_PARSE: every document read by the fast parser is read by `yaml` too, and any difference throws
// KUBE_EXPOSE_STRICT_FIXES: a rule's fix function that throws fails where the fixes are read (else: no fixes, silently)
const env = { KUBE_EXPOSE_VERIFY_PARSE: '1', KUBE_EXPOSE_STRICT_FIXES: '1', ...process.env };
const res = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], { stdio: 'inherit', env });
process.exit(res.status ?? 1);
