// Builds dist/ once per test process when it is missing or older than the sources,
// so process-level tests always run the code under test.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const st = statSync(p);
    t = Math.max(t, st.isDirectory() ? newest(p) : st.mtimeMs);
  }
  return t;
}

export function ensureBuilt(): void {
  const outputs = ['dist/cli.js', 'dist/server.js'];
  const oldest = Math.min(...outputs.map((o) => (existsSync(o) ? statSync(o).mtimeMs : 0)));
  const sources = Math.max(newest('server/src'), newest('schemas'), statSync('package.json').mtimeMs);
  if (oldest < sources) execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
