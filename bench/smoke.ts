// The regression guard: a small, fast slice of the benchmark that fails only on
// gross regressions (ten times a target), judged on the server's CPU time so a
// busy machine does not fail it; wall-clock limits are looser still and only
// catch hangs. `npm run bench:smoke`, and test/bench-smoke.test.ts in `npm test`.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { singleFile } from './generate';
import { BenchClient, uriOf } from './lsp';
import { CACHE, pickEdits, stats, type Stats } from './run';
import { kubeExpose, ROOT } from './servers';

export interface SmokeResult {
  ok: boolean;
  lines: string[];
  openMs: number;
  openCpuMs: number;
  edit?: Stats;
  editCpu?: Stats;
}

/**
 * Limits: 10× the edit target in CPU time, 20× its open target (opening is
 * dominated by YAML parsing, today about 7× the target: 10× would leave no margin
 * for noise); 20–40× in wall-clock time (hangs).
 */
export const LIMITS = {
  openCpuMs: 20 * 150,
  openWallMs: 40 * 150,
  editCpuP95: 10 * 50,
  editWallP95: 20 * 50,
};

export async function runSmoke(edits = 10): Promise<SmokeResult> {
  const started = performance.now();
  const ws = singleFile(join(CACHE, 'smoke'), 1000, 7);
  const main = join(ws.root, ws.main!);
  const spec = kubeExpose();
  const lines: string[] = [];
  // 1. cold open of the 1,000-resource file (best of two server starts: CPU time still varies a little)
  let openMs = Infinity;
  let openCpuMs = Infinity;
  let c: BenchClient;
  for (let run = 0; run < 2; run++) {
    c = await BenchClient.start(spec, [], ROOT);
    try {
      await c.configured();
      const cpu0 = c.cpuMs();
      const t0 = performance.now();
      const uri = c.open(main);
      const pub = await c.nextPublish(uri, 30_000, 'open');
      openMs = Math.min(openMs, pub.at - t0);
      openCpuMs = Math.min(openCpuMs, c.cpuMs() - cpu0);
    } finally {
      await c.shutdown();
    }
  }
  // 2. edits in the workspace folder, each answered by a code action request right away (no debounce)
  c = await BenchClient.start(spec, [ws.root], ROOT);
  const wall: number[] = [];
  const cpu: number[] = [];
  try {
    await c.configured();
    const uri = c.open(main);
    await c.nextPublish(uri, 30_000, 'open in folder');
    await c.quiet(200, 10_000);
    for (const e of pickEdits(ws, edits, true)) {
      const expect = join(ws.root, e.expectFile);
      const cpu0 = c.cpuMs();
      const t0 = performance.now();
      c.editLine(main, e.line, e.from, e.to);
      void c.codeAction(main, e.line).catch(() => undefined);
      const pub = await c.nextPublish(uriOf(expect), 10_000, `edit ${e.type}`, (ds) =>
        ds.some((d) => d.code === e.expectRule && d.range.start.line >= e.expectStart && d.range.start.line <= e.expectEnd),
      );
      wall.push(pub.at - t0);
      cpu.push(c.cpuMs() - cpu0);
      await c.quiet(200, 5_000);
    }
  } finally {
    await c.shutdown();
  }
  const edit = stats(wall);
  const editCpu = stats(cpu);
  const checks: [string, number, number][] = [
    ['open 1,000 resources: CPU ms', openCpuMs, LIMITS.openCpuMs],
    ['open 1,000 resources: wall ms', openMs, LIMITS.openWallMs],
    ['edit p95: CPU ms', editCpu?.p95 ?? NaN, LIMITS.editCpuP95],
    ['edit p95: wall ms', edit?.p95 ?? NaN, LIMITS.editWallP95],
  ];
  let ok = true;
  for (const [label, value, limit] of checks) {
    const pass = value <= limit;
    ok &&= pass;
    lines.push(`${pass ? 'ok  ' : 'FAIL'} ${label.padEnd(32)} ${value.toFixed(0).padStart(6)}  (limit ${limit})`);
  }
  lines.push(`bench:smoke took ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { ok, lines, openMs, openCpuMs, edit, editCpu };
}



if (require.main === module) {
  runSmoke()
    .then((r) => {
      for (const l of r.lines) console.log(l);
      process.exit(r.ok ? 0 : 1);
    })
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
