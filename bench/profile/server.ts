// CPU profile of the language server itself over a benchmark scenario:
//   node --import tsx bench/profile/server.ts open 1k      # cold open of the 1,000-resource file
//   node --import tsx bench/profile/server.ts start ws500  # workspace start → all diagnostics
// Writes .cache/bench/prof/server-*.cpuprofile; summarise with bench/profile/top.mjs.
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BenchClient, sleep } from '../lsp';
import { CACHE, generate } from '../run';
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
  if (scenario === 'open') {
    const uri = c.open(join(ws.root, ws.main!));
    await c.waitFor((p) => !!p && p.uri === uri, 300_000, 'open');
  } else {
    await c.waitFor(() => c.notifications.some((n) => n.method === 'kubeExpose/indexing' && n.params.total > 0 && n.params.done === n.params.total), 300_000, 'indexing');
    await c.quiet(1000, 120_000);
  }
  console.log(`${scenario} ${name}: ${(c.lastPublishAt - (scenario === "open" ? t0 : c.startedAt)).toFixed(0)} ms, server CPU ${c.cpuMs().toFixed(0)} ms, peak ${c.memory()?.peakMiB.toFixed(0)} MiB`);
  await c.stop();
  await sleep(500);
  console.log(readdirSync(dir).filter((f) => f.startsWith('server-')).map((f) => join(dir, f)).join('\n'));
})();
