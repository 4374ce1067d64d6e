// CPU profile of the language server itself over a benchmark scenario:
//   node --import tsx bench/profile/server.ts open 1k      # cold open of the 1,000-resource file
//   node --import tsx bench/profile/server.ts start ws500  # workspace start → all diagnostics
//   node --import tsx bench/profile/server.ts edit 1k [N]  # N edits as the benchmark makes them, each timed (wall and server CPU)
// Writes .cache/bench/prof/server-*.cpuprofile; summarise with bench/profile/top.mjs.
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BenchClient, sleep, uriOf } from '../lsp';
import { CACHE, generate, pickEdits } from '../run';
import { kubeExpose, ROOT } from '../servers';

const [scenario = 'open', name = '1k'] = process.argv.slice(2);
const dir = join(CACHE, 'prof');
mkdirSync(dir, { recursive: true });
const ws = generate(name);
const spec = kubeExpose();
spec.command = [process.execPath, '--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=server-${scenario}-${name}.cpuprofile`, ...spec.command.slice(1)];
(async () => {
  const c = await BenchClient.start(spec, scenario === 'open' ? [] : [ws.root], ROOT);
  await c.configured();
  const t0 = performance.now();
  if (scenario === 'edit') {
    await c.waitFor('indexing', () => c.notifications.some((n) => n.method === 'kubeExpose/indexing' && n.params.total > 0 && n.params.done === n.params.total), 300_000);
    await c.quiet(1000, 120_000);
    const walls: number[] = [];
    const cpus: number[] = [];
    for (const e of pickEdits(ws, Number(process.argv[4] ?? 24), !!ws.main)) {
      const path = join(ws.root, e.file);
      if (!c.isOpen(path)) {
        const uri = c.open(path);
        await c.nextPublish(uri, 60_000, 'open');
      }
      await c.quiet(250, 10_000);
      await sleep(50);
      const expect = uriOf(join(ws.root, e.expectFile));
      const cpu0 = c.cpuMs();
      const t = performance.now();
      c.editLine(path, e.line, e.from, e.to);
      const pub = await c.nextPublish(expect, 20_000, `edit ${e.type}`, (ds) =>
        ds.some((d) => d.code === e.expectRule && d.range.start.line >= e.expectStart && d.range.start.line <= e.expectEnd),
      );
      walls.push(pub.at - t);
      cpus.push(c.cpuMs() - cpu0);
      console.log(`edit ${e.type.padEnd(10)} ${(pub.at - t).toFixed(1).padStart(7)} ms, server CPU ${(c.cpuMs() - cpu0).toFixed(1).padStart(6)} ms${e.expectFile !== e.file ? ' (cross-file)' : ''}`);
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    console.log(`edit ${name}: median ${med(walls).toFixed(1)} ms, server CPU median ${med(cpus).toFixed(1)} ms`);
  } else if (scenario === 'open') {
    const uri = c.open(join(ws.root, ws.main!));
    await c.nextPublish(uri, 300_000, 'open');
  } else {
    await c.waitFor('indexing', () => c.notifications.some((n) => n.method === 'kubeExpose/indexing' && n.params.total > 0 && n.params.done === n.params.total), 300_000);
    await c.quiet(1000, 120_000);
  }
  if (scenario !== 'edit') console.log(`${scenario} ${name}: ${(c.lastPublishAt - (scenario === "open" ? t0 : c.startedAt)).toFixed(0)} ms, server CPU ${c.cpuMs().toFixed(0)} ms, peak ${c.memory()?.peakMiB.toFixed(0)} MiB`);
  await c.shutdown();
  await sleep(500);
  console.log(readdirSync(dir).filter((f) => f.startsWith('server-')).map((f) => join(dir, f)).join('\n'));
})();
