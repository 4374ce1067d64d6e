// Times the engine directly (no LSP): indexing a generated workspace, then
// single-line edits, phase by phase. With --cpu-prof this shows where the time goes:
//   node --import tsx --cpu-prof --cpu-prof-dir=.cache/bench/prof bench/profile/engine.ts 1k
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ALL_RULES, createWorkspace } from '../../server/src/index';
import { generate, pickEdits } from '../run';

// time spent per rule, reset per phase
const ruleMs = new Map<string, { ms: number; calls: number }>();
for (const rule of ALL_RULES) {
  const check = rule.check.bind(rule);
  (rule as { check: typeof check }).check = (r, ctx) => {
    const t = performance.now();
    try {
      return check(r, ctx);
    } finally {
      const e = ruleMs.get(rule.id) ?? { ms: 0, calls: 0 };
      e.ms += performance.now() - t;
      e.calls++;
      ruleMs.set(rule.id, e);
    }
  };
}
const topRules = () => {
  const s = [...ruleMs].sort((a, b) => b[1].ms - a[1].ms).slice(0, 4).map(([id, e]) => `${id} ${e.ms.toFixed(0)}ms/${e.calls}`).join(', ');
  ruleMs.clear();
  return s;
};
const name = process.argv[2] ?? '1k';
const edits = Number(process.argv[3] ?? 12);
const ws = generate(name);
const engine = createWorkspace();
const keyOf = (rel: string) => join(ws.root, rel);
const texts = new Map<string, string>();
const time = <T>(label: string, fn: () => T): T => {
  const t = performance.now();
  const r = fn();
  console.log(`${label.padEnd(34)} ${(performance.now() - t).toFixed(1).padStart(8)} ms`);
  return r;
};
time('read + setFile (parse)', () => {
  for (const f of ws.files) {
    const text = readFileSync(keyOf(f.path), 'utf8');
    texts.set(f.path, text);
    engine.setFile(keyOf(f.path), text);
  }
});
ruleMs.clear();
const touched = time('flush (check all)', () => engine.flush());
console.log(`  rules: ${topRules()}`);
time(`diagnostics of ${touched.size} files`, () => {
  let n = 0;
  for (const k of touched) n += engine.diagnostics(k).length;
  return n;
});
const sameFile = !!ws.main;
// process CPU time per edit (the machine may be shared: wall-clock phases are only indicative)
const cpus: number[] = [];
for (const e of pickEdits(ws, edits, sameFile)) {
  const lines = texts.get(e.file)!.split('\n');
  lines[e.line] = lines[e.line].replace(e.from, e.to);
  const text = lines.join('\n');
  texts.set(e.file, text);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  engine.setFile(keyOf(e.file), text);
  const t1 = performance.now();
  const dirty = (engine as unknown as { dirty: Set<unknown> }).dirty.size;
  const t = engine.flush();
  const t2 = performance.now();
  let n = 0;
  for (const k of t) n += engine.diagnostics(k).length;
  const t3 = performance.now();
  const cpu = process.cpuUsage(c0);
  cpus.push((cpu.user + cpu.system) / 1000);
  console.log(`edit ${e.type.padEnd(10)} CPU ${((cpu.user + cpu.system) / 1000).toFixed(1)} ms; setFile ${(t1 - t0).toFixed(1)} ms, flush ${(t2 - t1).toFixed(1)} ms (${t.size} files), diagnostics ${(t3 - t2).toFixed(1)} ms; ${dirty} re-checked: ${topRules()}`);
}
const sorted = [...cpus].sort((a, b) => a - b);
console.log(`edit CPU p50 ${sorted[Math.floor(sorted.length / 2)]?.toFixed(1)} ms, max ${sorted[sorted.length - 1]?.toFixed(1)} ms`);
