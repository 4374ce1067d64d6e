// `npm run fuzz`: the fuzzers and the protocol storm for FUZZ_TIME seconds
// (default 1800), in rounds with fresh seeds. Each round runs in a child
// process under a watchdog: a round that stops making progress is a hang, and
// the case it was running (written by the properties to FUZZ_TRACE) is saved
// to test-results/fuzz-hang-<seed>.json. The first failure stops the run and
// prints the command that replays it.
//
//   FUZZ_TIME=600 npm run fuzz          ten minutes
//   FUZZ_SEED=123 npm run fuzz          start from a given seed (rounds use 123, 124, ...)
//   FUZZ_ROUND_MS=60000                 time per property per round
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const total = Number(process.env.FUZZ_TIME ?? 1800) * 1000;
const roundMs = Number(process.env.FUZZ_ROUND_MS ?? 60_000);
const first = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;
const deadline = Date.now() + total;
const started = Date.now();

const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(1);

process.stdout.write(`[fuzz] ${Math.round(total / 1000)} s from seed ${first}, ${roundMs / 1000} s per property per round\n`);

/** Runs a child; it hangs when neither its output nor its trace file moved for `quietMs`, or it exceeds `limitMs`. */
function runRound(args, env, limitMs, quietMs = 120_000) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, env: { KUBE_EXPOSE_VERIFY_PARSE: '1', KUBE_EXPOSE_STRICT_FIXES: '1', ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const begun = Date.now();
    let active = Date.now();
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      active = Date.now();
      process.stdout.write(d);
    });
    child.stderr.on('data', (d) => {
      out += d;
      active = Date.now();
    });
    const timer = setInterval(() => {
      let traced = 0;
      try {
        if (env.FUZZ_TRACE) traced = statSync(env.FUZZ_TRACE).mtimeMs;
      } catch {
        // not written yet
      }
      const idle = Date.now() - Math.max(active, traced);
      if (idle > quietMs || Date.now() - begun > limitMs) {
        clearInterval(timer);
        child.kill('SIGKILL');
        resolve({ code: null, out, hung: true });
      }
    }, 2000);
    child.on('exit', (code) => {
      clearInterval(timer);
      resolve({ code, out, hung: false });
    });
  });
}

let round = 0;
// the exhaustive wrong-type pass once (about 2 minutes): every schema field with every wrong type
if (total >= 5 * 60_000) {
  const r = await runRound(['--import', 'tsx', '--test', '--test-reporter=spec', 'test/robustness/wrong-types.test.ts'], { FUZZ_LONG: '1' }, 20 * 60_000, 10 * 60_000);
  if (r.code !== 0) {
    process.stderr.write(r.out + `\n[fuzz] the exhaustive wrong-type pass failed${r.hung ? ' (hung)' : ''}\n`);
    process.exit(1);
  }
}
do {
  const seed = first + round++;
  const left = deadline - Date.now();
  const perProperty = Math.max(5_000, Math.min(roundMs, left / 5));
  const trace = join(tmpdir(), `kx-fuzz-trace-${process.pid}-${seed}.json`);
  process.stdout.write(`[fuzz] round ${round}: FUZZ_SEED=${seed} (${Math.round((Date.now() - started) / 1000)} s elapsed)\n`);
  const r = await runRound(['--import', 'tsx', 'test/fuzz/long.ts'], { FUZZ_SEED: String(seed), FUZZ_LONG: '1', FUZZ_TRACE: trace, FUZZ_ROUND_MS: String(perProperty) }, perProperty * 4 + 5 * 60_000);
  if (r.hung) {
    mkdirSync(join(root, 'test-results'), { recursive: true });
    const saved = join(root, 'test-results', `fuzz-hang-${seed}.json`);
    if (existsSync(trace)) writeFileSync(saved, readFileSync(trace));
    process.stderr.write(`\n[fuzz] round with FUZZ_SEED=${seed} stopped making progress: a hang. The case it was running: ${existsSync(trace) ? saved : '(none recorded)'}\n`);
    process.exit(1);
  }
  rmSync(trace, { force: true });
  if (r.code !== 0) {
    process.stderr.write(`\n${r.out.slice(-20_000)}\n[fuzz] round with FUZZ_SEED=${seed} failed (see the replay command above)\n`);
    process.exit(1);
  }
} while (Date.now() < deadline);
process.stdout.write(`[fuzz] ${round} rounds from seed ${first} in ${Math.round((Date.now() - started) / 1000)} s: no failure\n`);
