// Seeds, run counts and time budgets of the fuzzers, from the environment:
//
//   FUZZ_SEED   base seed (default: fixed in `npm test`, time-based in `npm run fuzz`)
//   FUZZ_RUNS   runs per property (default: the property's short-run count)
//   FUZZ_PATH   replay one shrunk counterexample (printed with a failure; use with FUZZ_ONLY)
//   FUZZ_ONLY   run only the properties whose name contains this
//   FUZZ_TIME   `npm run fuzz`: total seconds (default 1800)
//   FUZZ_LONG   set by `npm run fuzz`: time-bounded runs instead of counted ones
//
// Every run prints its seed; a failure prints the exact command that replays it.
import fc from 'fast-check';

export const LONG = process.env.FUZZ_LONG === '1';
const DEFAULT_SEED = 20261122;

export function baseSeed(): number {
  if (process.env.FUZZ_SEED) {
    const n = Number(process.env.FUZZ_SEED);
    if (!Number.isInteger(n)) throw new Error(`FUZZ_SEED must be an integer, not ${process.env.FUZZ_SEED}`);
    return n;
  }
  return LONG ? Date.now() % 2 ** 31 : DEFAULT_SEED;
}

/** A property's own seed: the base seed mixed with its name, so properties draw different cases. */
export function seedFor(base: number, name: string): number {
  let h = base | 0;
  for (let i = 0; i < name.length; i++) h = (Math.imul(h, 31) + name.charCodeAt(i)) | 0;
  return h;
}

export function selected(name: string): boolean {
  const only = process.env.FUZZ_ONLY;
  return !only || name.includes(only);
}

export interface Budget {
  /** runs in `npm test` */
  runs: number;
  /** wall-clock cap in ms (the run stops early, successfully, when reached) */
  timeMs: number;
}

export function parametersFor(name: string, base: number, budget: Budget): fc.Parameters<unknown> {
  const seed = seedFor(base, name);
  const runs = process.env.FUZZ_RUNS ? Number(process.env.FUZZ_RUNS) : budget.runs;
  const path = process.env.FUZZ_PATH && process.env.FUZZ_ONLY && name.includes(process.env.FUZZ_ONLY) ? process.env.FUZZ_PATH : undefined;
  return {
    seed,
    numRuns: runs,
    path,
    interruptAfterTimeLimit: budget.timeMs,
    markInterruptAsFailure: false,
    endOnFailure: !!path,
  };
}

export class FuzzFailure extends Error {}

/** Runs a property (sync or async) and throws a failure that says how to replay it. */
export async function runProperty<T>(name: string, base: number, budget: Budget, property: fc.IProperty<T> | fc.IAsyncProperty<T>): Promise<fc.RunDetails<T>> {
  const params = parametersFor(name, base, budget) as fc.Parameters<T>;
  const details = await fc.check(property as fc.IAsyncProperty<T>, params);
  const where = `FUZZ_SEED=${base} FUZZ_ONLY='${name}'`;
  if (details.failed) {
    const replay = `${where} FUZZ_PATH='${details.counterexamplePath}' node scripts/run-tests.mjs test/fuzz`;
    const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    throw new FuzzFailure(`fuzz property "${name}" failed (seed ${base}); replay with:\n  ${replay}\n\n${error}\n\n${fc.defaultReportMessage(details)}`);
  }
  process.stdout.write(`[fuzz] ${name}: ${details.numRuns} runs, ${details.numSkips} skipped, seed ${base}${details.interrupted ? ' (time budget reached)' : ''}\n`);
  return details;
}
