// The rapid-edit storm of stress.ts, short: a couple of thousand protocol
// messages in a few seconds. `npm run fuzz` runs longer storms with new seeds.
import { describe, it } from 'node:test';
import { baseSeed, seedFor } from '../fuzz/config';
import { runStress } from './stress';
import { ensureBuilt } from './lsp';

describe('protocol stress', { timeout: 120_000 }, () => {
  it('survives a storm of edits, requests, cancellations and file events, and ends where a cold check does', async () => {
    ensureBuilt();
    const seed = seedFor(baseSeed(), 'stress');
    const steps = Number(process.env.STRESS_STEPS ?? 1500);
    const r = await runStress({ seed, steps });
    process.stdout.write(`[stress] seed ${seed}: ${r.steps} steps, ${r.requests} requests (${r.cancelled} cancelled), max latency ${r.maxLatencyMs} ms, after ${r.finalLatencyMs} ms, ${r.ms} ms in all\n`);
  });
});
