// The client targets: bundle size (as packaged: minified) and activation time.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';
import { bundles, commonOptions } from '../scripts/bundles.mjs';
import { ROOT } from './servers';

export interface ClientResult {
  /** dist/client.js as built for development (unminified) */
  devBytes?: number;
  /** the client as `npm run package` builds it (minified): all its bundles together */
  minifiedBytes?: number;
  /** the same, per file (client.js, the entry; languageclient.js, loaded after activation) */
  minifiedFiles?: Record<string, number>;
  /** minified dist/server.js (packaged in the .vsix too) */
  serverMinifiedBytes?: number;
  /** median of runs: loading the minified bundle, CPU time of that, activate()'s synchronous part */
  requireMs?: number;
  requireCpuMs?: number;
  activateSyncMs?: number;
  /** median CPU time of loading dist/languageclient.js, which the client does after activation (not part of it) */
  deferredRequireCpuMs?: number;
  runs: { requireMs: number; requireCpuMs: number; activateSyncMs: number; deferredRequireCpuMs?: number }[];
  notes: string[];
}

const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

export async function measureClient(cache: string, runs = 5): Promise<ClientResult> {
  const res: ClientResult = { runs: [], notes: [] };
  const dev = join(ROOT, 'dist', 'client.js');
  if (existsSync(dev)) res.devBytes = statSync(dev).size;
  const entry = join(ROOT, 'client', 'src', 'extension.ts');
  if (!existsSync(entry)) {
    res.notes.push('no client/src/extension.ts');
    return res;
  }
  mkdirSync(cache, { recursive: true });
  const out = join(cache, 'dist', 'client.js'); // beside a dist/ like the packaged extension
  // the client's bundles, built as `npm run package` builds them (scripts/bundles.mjs), beside each other
  const common = { ...commonOptions(true), logLevel: 'silent' as const };
  res.minifiedFiles = {};
  for (const { client, ...b } of bundles) {
    if (!client) continue;
    const outfile = join(cache, b.outfile);
    await build({ ...common, ...b, entryPoints: b.entryPoints.map((e) => join(ROOT, e)), outfile });
    res.minifiedFiles[basename(outfile)] = statSync(outfile).size;
  }
  res.minifiedBytes = Object.values(res.minifiedFiles).reduce((a, b) => a + b, 0);
  const serverEntry = join(ROOT, 'server', 'src', 'lsp', 'main.ts');
  if (existsSync(serverEntry)) {
    const r = await build({ ...common, entryPoints: [serverEntry], write: false, outfile: join(cache, 'dist', 'server.js') });
    res.serverMinifiedBytes = r.outputFiles[0].contents.length;
  }
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(process.execPath, [join(ROOT, 'bench', 'client-activation.cjs'), out], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    try {
      const run = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '');
      if (run.activateError && !res.notes.some((n) => n.startsWith('activate() failed'))) res.notes.push(`activate() failed in the stand-in host: ${run.activateError}`);
      res.runs.push({ requireMs: run.requireMs, requireCpuMs: run.requireCpuMs, activateSyncMs: run.activateSyncMs, deferredRequireCpuMs: run.deferredRequireCpuMs });
    } catch {
      res.notes.push(`activation run failed: ${(r.stderr || r.stdout).slice(0, 300)}`);
      break;
    }
  }
  if (res.runs.length) {
    res.requireMs = med(res.runs.map((r) => r.requireMs));
    res.requireCpuMs = med(res.runs.map((r) => r.requireCpuMs));
    res.activateSyncMs = med(res.runs.map((r) => r.activateSyncMs));
    const deferred = res.runs.flatMap((r) => (r.deferredRequireCpuMs === undefined ? [] : [r.deferredRequireCpuMs]));
    if (deferred.length) res.deferredRequireCpuMs = med(deferred);
  }
  return res;
}
