// One round of `npm run fuzz` (started by run.mjs, which watches it for
// hangs): every fuzz property for FUZZ_ROUND_MS each, then a protocol storm.
// Uses the property names and seeds of the short runs, so a failure prints a
// replay command that works with `node scripts/run-tests.mjs test/fuzz`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type fc from 'fast-check';
import { Client } from '../robustness/lsp';
import { runStress } from '../robustness/stress';
import { baseSeed, runProperty, seedFor, selected } from './config';
import { engineSound, fixAllSound, fixesSound, incrementalSound, NAMES, refactorsSound, serverSound } from './properties';

process.removeAllListeners('warning');

async function main(): Promise<void> {
  const base = baseSeed();
  const timeMs = Number(process.env.FUZZ_ROUND_MS ?? 60_000);
  const budget = { runs: Number(process.env.FUZZ_RUNS ?? 1e9), timeMs };
  for (const [name, prop] of [
    [NAMES.engine, engineSound],
    [NAMES.fixes, fixesSound],
    [NAMES.incremental, incrementalSound],
    [NAMES.fixAll, fixAllSound],
    [NAMES.refactors, refactorsSound],
  ] as const) {
    if (selected(name)) await runProperty(name, base, budget, prop as fc.IProperty<unknown>);
  }
  if (selected(NAMES.server)) {
    const dir = mkdtempSync(join(tmpdir(), 'kx-fuzz-lsp-'));
    const client = await Client.start({ folders: [dir] });
    try {
      await runProperty(NAMES.server, base, budget, serverSound(client, dir) as fc.IAsyncProperty<unknown>);
    } finally {
      await client.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (selected('stress')) {
    const seed = seedFor(base, 'stress');
    const steps = Number(process.env.STRESS_STEPS ?? 8000);
    const r = await runStress({ seed, steps, progressEvery: 1000 });
    process.stdout.write(`[stress] seed ${seed} (FUZZ_SEED=${base} STRESS_STEPS=${steps}): ${r.requests} requests (${r.cancelled} cancelled), max latency ${r.maxLatencyMs} ms, ${r.ms} ms\n`);
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
