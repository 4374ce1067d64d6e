// Summarises a .cpuprofile: self time and inclusive time per function (top N).
//   node bench/profile/top.mjs file.cpuprofile [N] [filter]
import { readFileSync } from 'node:fs';

const [file, n = '30', filter] = process.argv.slice(2);
const prof = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(prof.nodes.map((x) => [x.id, x]));
const dt = new Map();
for (let i = 0; i < prof.samples.length; i++) dt.set(prof.samples[i], (dt.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i] ?? 0));
const parent = new Map();
for (const x of prof.nodes) for (const c of x.children ?? []) parent.set(c, x.id);
const label = (x) => `${x.callFrame.functionName || '(anon)'} ${x.callFrame.url.replace(/^.*\/(server\/src|node_modules)\//, '$1/').replace(/^file:\/\//, '')}:${x.callFrame.lineNumber + 1}`;
const self = new Map();
const total = new Map();
let all = 0;
for (const [id, t] of dt) {
  all += t;
  const x = nodes.get(id);
  self.set(label(x), (self.get(label(x)) ?? 0) + t);
  // inclusive: count each label once per stack
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const l = label(nodes.get(cur));
    if (seen.has(l)) continue;
    seen.add(l);
    total.set(l, (total.get(l) ?? 0) + t);
  }
}
const show = (m, title) => {
  console.log(`\n${title} (of ${(all / 1000).toFixed(0)} ms)`);
  for (const [l, t] of [...m].filter(([l]) => !filter || l.includes(filter)).sort((a, b) => b[1] - a[1]).slice(0, Number(n))) console.log(`${(t / 1000).toFixed(0).padStart(8)} ms ${((100 * t) / all).toFixed(1).padStart(5)}%  ${l}`);
};
show(self, 'self time');
show(total, 'inclusive time');
