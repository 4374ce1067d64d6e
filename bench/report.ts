// Renders benchmark results: the target table (Markdown), a text chart and an
// SVG chart of how cost grows with the number of resources.
//
//   node --import tsx bench/report.ts [results.json] [--svg out.svg]
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResults, CaseResult, Measure, ServerResult, Stats } from './run';

const OURS = 'kube-expose';
const YLS = 'yaml-language-server';

type Pick = (r: ServerResult) => Measure<number | Stats> | undefined;

interface Row {
  label: string;
  target: string;
  /** the number compared with the target */
  limit?: number;
  caseName: string;
  pick: Pick;
  /** the server's main-thread CPU time for the same measurement */
  cpu?: (r: ServerResult) => number | Stats | undefined;
  /** p95 of a Stats, else the number */
  field?: 'p95';
}

const ROWS: Row[] = [
  { label: '1,000-resource file: open → diagnostics', target: '≤ 150 ms', limit: 150, caseName: '1k', pick: (r) => r.open, cpu: (r) => r.openCpu },
  { label: '… the same on the first start after install (no code cache yet)', target: '–', caseName: '1k', pick: (r) => r.openFirstStart, cpu: (r) => r.openFirstStartCpu },
  { label: '… the same in a running server that has just checked another file of that shape', target: '–', caseName: '1k', pick: (r) => r.openWarm, cpu: (r) => r.openWarmCpu },
  { label: '… the same file in the workspace folder, after the server indexed it', target: '–', caseName: '1k', pick: (r) => r.openIndexed },
  { label: '1,000-resource file: edit → diagnostics, p50/p95 (wall clock)', target: '≤ 50 ms p95', limit: 50, caseName: '1k', pick: (r) => r.edit, cpu: (r) => r.editCpu, field: 'p95' },
  { label: '… edit followed at once by a code action request (as VS Code sends)', target: '≤ 50 ms p95', limit: 50, caseName: '1k', pick: (r) => r.editForced, cpu: (r) => r.editForcedCpu, field: 'p95' },
  { label: '5,000-resource file: open → diagnostics', target: '≤ 600 ms', limit: 600, caseName: '5k', pick: (r) => r.open, cpu: (r) => r.openCpu },
  { label: '… the same on the first start after install (no code cache yet)', target: '–', caseName: '5k', pick: (r) => r.openFirstStart, cpu: (r) => r.openFirstStartCpu },
  { label: '… the same in a running server that has just checked another file of that shape', target: '–', caseName: '5k', pick: (r) => r.openWarm, cpu: (r) => r.openWarmCpu },
  { label: '… the same file in the workspace folder, after the server indexed it', target: '–', caseName: '5k', pick: (r) => r.openIndexed },
  { label: '5,000-resource file: edit → diagnostics, p50/p95 (wall clock)', target: '≤ 150 ms p95', limit: 150, caseName: '5k', pick: (r) => r.edit, cpu: (r) => r.editCpu, field: 'p95' },
  { label: '… followed by a code action request', target: '≤ 150 ms p95', limit: 150, caseName: '5k', pick: (r) => r.editForced, cpu: (r) => r.editForcedCpu, field: 'p95' },
  { label: 'hover on the 5,000-resource file, p50/p95', target: '≤ 20 ms p95', limit: 20, caseName: '5k', pick: (r) => r.hover, field: 'p95' },
  { label: 'completion on the 5,000-resource file, p50/p95', target: '≤ 20 ms p95', limit: 20, caseName: '5k', pick: (r) => r.completion, field: 'p95' },
  { label: '500 files × 10: start → all diagnostics', target: '≤ 2 s', limit: 2000, caseName: 'ws500', pick: (r) => r.allDiagnostics, cpu: (r) => r.allDiagnosticsCpu },
  { label: '500 files × 10: edit → diagnostics, p50/p95 (wall clock)', target: '–', caseName: 'ws500', pick: (r) => r.edit, cpu: (r) => r.editCpu, field: 'p95' },
  { label: '5,000 files × 10: start → all diagnostics', target: '≤ 15 s', limit: 15000, caseName: 'ws5000', pick: (r) => r.allDiagnostics, cpu: (r) => r.allDiagnosticsCpu },
  { label: '5,000 files × 10: edit → diagnostics, p50/p95 (wall clock)', target: '≤ 100 ms p95', limit: 100, caseName: 'ws5000', pick: (r) => r.edit, cpu: (r) => r.editCpu, field: 'p95' },
  { label: '… followed by a code action request', target: '≤ 100 ms p95', limit: 100, caseName: 'ws5000', pick: (r) => r.editForced, cpu: (r) => r.editForcedCpu, field: 'p95' },
  { label: 'server peak RSS, 1,000-resource file', target: '–', caseName: '1k', pick: (r) => r.peakMiB },
  { label: 'server peak RSS, 5,000-resource file', target: '–', caseName: '5k', pick: (r) => r.peakMiB },
  { label: 'server peak RSS, 500 files × 10', target: '–', caseName: 'ws500', pick: (r) => r.peakMiB },
  { label: 'server peak RSS, 50,000 resources', target: '≤ 600 MiB', limit: 600, caseName: 'ws5000', pick: (r) => r.peakMiB },
];

function value(m: Measure<number | Stats> | undefined, field?: 'p95'): number | undefined {
  if (m === undefined || typeof m === 'string') return undefined;
  if (typeof m === 'number') return Number.isFinite(m) ? m : undefined;
  return field ? m[field] : m.p50;
}

function show(m: Measure<number | Stats> | undefined, unit: string): string {
  if (m === undefined) return '–';
  if (typeof m === 'string') return m;
  if (typeof m === 'number') return Number.isFinite(m) ? `${num(m)} ${unit}` : '–';
  return `${num(m.p50)} / ${num(m.p95)} ${unit}`;
}

function num(x: number): string {
  if (x >= 10_000) return `${(x / 1000).toFixed(1)} k`.replace('.0 k', ' k');
  if (x >= 100) return String(Math.round(x));
  if (x >= 10) return x.toFixed(0);
  return x.toFixed(1);
}

const serverOf = (c: CaseResult | undefined, name: string) => c?.servers.find((s) => s.server === name);

/** The target table: ours, yaml-language-server, the ratio, pass/fail. */
export function renderTable(results: BenchResults): string {
  const byName = new Map(results.cases.map((c) => [c.name, c]));
  const out = ['| case | target | kube-expose | yaml-language-server | yls ÷ ours | target met |', '|---|---|---|---|---|---|'];
  for (const row of ROWS) {
    const c = byName.get(row.caseName);
    if (!c) continue;
    const unit = row.label.includes('RSS') ? 'MiB' : 'ms';
    const ours = serverOf(c, OURS);
    const yls = serverOf(c, YLS);
    const om = ours ? row.pick(ours) : undefined;
    const ym = yls ? row.pick(yls) : undefined;
    const ov = value(om, row.field);
    const yv = value(ym, row.field);
    const ratio = ov && yv ? `${yv / ov >= 10 ? Math.round(yv / ov) : (yv / ov).toFixed(1)}×` : '–';
    const met = row.limit === undefined ? '' : ov === undefined ? (typeof om === 'string' ? 'no' : '–') : ov <= row.limit ? 'yes' : 'no';
    const withCpu = (m: Measure<number | Stats> | undefined, r: ServerResult | undefined) => {
      const cpu = r && row.cpu?.(r);
      return cpu === undefined || typeof m === 'string' ? show(m, unit) : `${show(m, unit)} (CPU ${typeof cpu === 'number' ? num(cpu) : `${num(cpu.p50)} / ${num(cpu.p95)}`})`;
    };
    out.push(`| ${row.label} | ${row.target} | ${withCpu(om, ours)} | ${yls ? withCpu(ym, yls) : 'not run'} | ${ratio} | ${met} |`);
  }
  const big = byName.get('ws5000') ?? [...byName.values()].at(-1);
  for (const c of results.cases) {
    if (c.cli === undefined) continue;
    const cv = value(c.cli);
    const yv = value(c.yamlParse);
    const ratio = cv && yv ? cv / yv : undefined;
    const isTarget = c === big && c.name === 'ws5000';
    out.push(
      `| \`kube-expose check\`, ${c.resources.toLocaleString('en-US')} resources (${c.files} files) vs \`yaml\` parse alone | ${isTarget ? '≤ 2× yaml' : '–'} | ${show(c.cli, 'ms')}${c.cliCpu ? ` (CPU ${num(c.cliCpu)})` : ''} | yaml: ${show(c.yamlParse, 'ms')}${c.yamlParseCpu ? ` (CPU ${num(c.yamlParseCpu)})` : ''} | check ÷ yaml: ${ratio ? `${ratio.toFixed(1)}×` : '–'} | ${isTarget ? (ratio === undefined ? 'no' : ratio <= 2 ? 'yes' : 'no') : ''} |`,
    );
  }
  const cl = results.client;
  if (cl) {
    const load = cl.requireCpuMs;
    const deferred = cl.deferredRequireCpuMs !== undefined ? `; after activation, loading vscode-languageclient: ${num(cl.deferredRequireCpuMs)} ms CPU` : '';
    out.push(`| extension activation: load the packaged client + activate() (CPU time; wall ${cl.requireMs !== undefined ? num(cl.requireMs + (cl.activateSyncMs ?? 0)) : '–'} ms${deferred}) | ≤ 50 ms | ${load !== undefined ? `${num(load + (cl.activateSyncMs ?? 0))} ms` : '–'} | – | – | ${load === undefined ? '–' : load + (cl.activateSyncMs ?? 0) <= 50 ? 'yes' : 'no'} |`);
    const mb = (b?: number) => (b === undefined ? '–' : `${(b / 2 ** 20).toFixed(2)} MiB`);
    const files = cl.minifiedFiles && Object.keys(cl.minifiedFiles).length > 1 ? `${Object.entries(cl.minifiedFiles).map(([f, b]) => `${f} ${(b / 1024).toFixed(1)} KiB`).join(' + ')}; ` : '';
    out.push(`| client bundle, minified (${files}server bundle ${mb(cl.serverMinifiedBytes)}) | ≤ 2 MB | ${mb(cl.minifiedBytes)} | – | – | ${cl.minifiedBytes === undefined ? '–' : cl.minifiedBytes <= 2_000_000 ? 'yes' : 'no'} |`);
  }
  const notes = results.cases.flatMap((c) => c.servers.flatMap((sv) => sv.notes.slice(0, 3).map((n) => `- ${c.name}, ${sv.server}: ${n}`)));
  if (notes.length) out.push('', 'Notes:', '', ...notes);
  out.push('', renderPlanted(results));
  return out.join('\n');
}

/** Planted mistakes found, per case and server. */
export function renderPlanted(results: BenchResults): string {
  const out = ['| planted mistakes found | kube-expose | yaml-language-server |', '|---|---|---|'];
  for (const c of results.cases) {
    const o = serverOf(c, OURS)?.planted;
    const y = serverOf(c, YLS)?.planted;
    if (!o && !y) continue;
    const rules = [...new Set([...Object.keys(o?.byRule ?? {}), ...Object.keys(y?.byRule ?? {})])].sort();
    const f = (p: ServerResult['planted'], rule?: string) => {
      if (!p) return '–';
      const r = rule ? p.byRule[rule] : p;
      return r ? `${r.found}/${r.total}` : '–';
    };
    out.push(`| **${c.name}** (all) | ${f(o)} | ${f(y)} |`);
    for (const rule of rules) out.push(`| ${c.name}: \`${rule}\` | ${f(o, rule)} | ${f(y, rule)} |`);
  }
  return out.join('\n');
}

// ----------------------------------------------------------------------------- scaling chart

interface Series {
  label: string;
  color: string;
  points: { x: number; y: number }[];
}

function scalingSeries(results: BenchResults): Series[] {
  const series: Series[] = [];
  const add = (label: string, color: string, pick: (c: CaseResult) => number | undefined, cases: string[]) => {
    const points = results.cases
      .filter((c) => cases.includes(c.name))
      .map((c) => ({ x: c.name.startsWith('ws') ? c.resources : (c.mainResources ?? c.resources), y: pick(c) }))
      .filter((p): p is { x: number; y: number } => p.y !== undefined && p.y > 0);
    if (points.length) series.push({ label, color, points });
  };
  const single = ['1k', '5k'];
  const multi = ['ws500', 'ws5000'];
  const cpuOf = (m: number | Stats | undefined, field?: 'p95') => (m === undefined ? undefined : typeof m === 'number' ? m : field ? m[field] : m.p50);
  add('one file: kube-expose open', '#1f77b4', (c) => serverOf(c, OURS)?.openCpu, single);
  add('one file: yaml-language-server open', '#d62728', (c) => serverOf(c, YLS)?.openCpu, single);
  add('one file: kube-expose edit p95', '#2ca02c', (c) => cpuOf(serverOf(c, OURS)?.editForcedCpu, 'p95'), single);
  add('one file: yaml-language-server edit p95', '#ff7f0e', (c) => cpuOf(serverOf(c, YLS)?.editCpu, 'p95'), single);
  add('workspace: kube-expose start → all', '#9467bd', (c) => serverOf(c, OURS)?.allDiagnosticsCpu, multi);
  add('workspace: yaml-language-server start → all', '#8c564b', (c) => (typeof serverOf(c, YLS)?.allDiagnostics === 'number' ? serverOf(c, YLS)?.allDiagnosticsCpu : undefined), multi);
  add('workspace: kube-expose edit p95', '#e377c2', (c) => cpuOf(serverOf(c, OURS)?.editForcedCpu, 'p95'), multi);
  add('workspace: kube-expose check (CLI)', '#17becf', (c) => c.cliCpu, multi);
  add('workspace: yaml parse alone', '#7f7f7f', (c) => c.yamlParseCpu, multi);
  return series;
}

/** A log-log SVG chart: CPU milliseconds against resources. */
export function renderSvg(results: BenchResults): string {
  const series = scalingSeries(results);
  const W = 760;
  const H = 420;
  const L = 70;
  const R = 300;
  const T = 20;
  const B = 50;
  const xs = series.flatMap((s) => s.points.map((p) => p.x));
  const ys = series.flatMap((s) => s.points.map((p) => p.y));
  if (!xs.length) return '<svg xmlns="http://www.w3.org/2000/svg"/>';
  const x0 = Math.floor(Math.log10(Math.min(...xs)));
  const x1 = Math.ceil(Math.log10(Math.max(...xs)) + 0.01);
  const y0 = Math.floor(Math.log10(Math.min(...ys)));
  const y1 = Math.ceil(Math.log10(Math.max(...ys)) + 0.01);
  const px = (x: number) => L + ((Math.log10(x) - x0) / (x1 - x0)) * (W - L - R);
  const py = (y: number) => H - B - ((Math.log10(y) - y0) / (y1 - y0)) * (H - T - B);
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`, `<rect width="${W}" height="${H}" fill="white"/>`];
  for (let e = x0; e <= x1; e++) parts.push(`<line x1="${px(10 ** e)}" y1="${T}" x2="${px(10 ** e)}" y2="${H - B}" stroke="#ddd"/><text x="${px(10 ** e)}" y="${H - B + 16}" text-anchor="middle">${(10 ** e).toLocaleString('en-US')}</text>`);
  for (let e = y0; e <= y1; e++) {
    const label = 10 ** e >= 1000 ? `${10 ** (e - 3)} s` : `${10 ** e} ms`;
    parts.push(`<line x1="${L}" y1="${py(10 ** e)}" x2="${W - R}" y2="${py(10 ** e)}" stroke="#ddd"/><text x="${L - 6}" y="${py(10 ** e) + 4}" text-anchor="end">${label}</text>`);
  }
  parts.push(`<text x="${(L + W - R) / 2}" y="${H - 12}" text-anchor="middle">resources (log scale); y: server or process CPU time (log scale)</text>`);
  series.forEach((s, i) => {
    const pts = s.points.sort((a, b) => a.x - b.x);
    parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts.map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ')}"/>`);
    for (const p of pts) parts.push(`<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="3" fill="${s.color}"/>`);
    const ly = T + 10 + i * 18;
    parts.push(`<line x1="${W - R + 12}" y1="${ly}" x2="${W - R + 32}" y2="${ly}" stroke="${s.color}" stroke-width="2"/><text x="${W - R + 38}" y="${ly + 4}">${s.label}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** The same data as a text chart (one bar per point, log scale). */
export function renderTextChart(results: BenchResults): string {
  const series = scalingSeries(results);
  const ys = series.flatMap((s) => s.points.map((p) => p.y));
  if (!ys.length) return '';
  const lo = Math.log10(Math.max(1, Math.min(...ys)));
  const hi = Math.log10(Math.max(...ys));
  const width = 48;
  const lines: string[] = [];
  for (const s of series) {
    lines.push(s.label);
    for (const p of s.points.sort((a, b) => a.x - b.x)) {
      const n = Math.max(1, Math.round(((Math.log10(Math.max(1, p.y)) - lo) / Math.max(0.001, hi - lo)) * width));
      lines.push(`  ${p.x.toLocaleString('en-US').padStart(7)} resources │${'█'.repeat(n)} ${num(p.y)} ms CPU`);
    }
  }
  return lines.join('\n');
}

/** Replaces the text between `<!-- NAME:start -->` and `<!-- NAME:end -->`. */
function between(doc: string, name: string, body: string): string {
  const re = new RegExp(`(<!-- ${name}:start -->\\n)[\\s\\S]*?(<!-- ${name}:end -->)`);
  if (!re.test(doc)) throw new Error(`no ${name}:start/end markers`);
  return doc.replace(re, (_m, a: string, b: string) => `${a}${body}\n${b}`);
}

/** The machine line above the table. */
export function renderContext(results: BenchResults): string {
  const m = results.machine;
  const loads = results.cases.filter((c) => c.load).map((c) => `${c.name} ${c.load![0]}–${c.load![1]}`);
  const noisy = results.cases.filter((c) => c.steal !== undefined || c.probeMs).map((c) => `${c.name} ${c.steal ?? '?'} % / ${c.probeMs?.join('–') ?? '?'} ms`);
  return (
    `Run of ${results.date.slice(0, 10)}${results.commit ? ` at ${results.commit}` : ''}: ${m.cpus} × ${m.model}, ${m.memGiB} GiB, Node.js ${m.node}` +
    `${results.ylsVersion ? `, yaml-language-server ${results.ylsVersion}` : ''}. 1-min load average before–after each case: ${loads.join(', ')}. ` +
    `${noisy.length ? `CPU time taken by other guests of the host (steal) and a fixed CPU probe (SHA-256 of 32 MiB) before–after each case: ${noisy.join(', ')}. ` : ''}` +
    'Wall-clock times, with the server\'s main-thread CPU time in brackets (the CLI: process CPU).'
  );
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const opt = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const svgOut = opt('--svg');
  const docsOut = opt('--docs');
  const file = args.find((a, i) => !a.startsWith('--') && !['--svg', '--docs'].includes(args[i - 1])) ?? join(__dirname, 'results', 'latest.json');
  const results = JSON.parse(readFileSync(file, 'utf8')) as BenchResults;
  const table = renderTable(results);
  const chart = `\`\`\`\n${renderTextChart(results)}\n\`\`\``;
  console.log(`${table}\n\n${chart}`);
  if (svgOut) writeFileSync(svgOut, renderSvg(results));
  if (docsOut) {
    let doc = readFileSync(docsOut, 'utf8');
    doc = between(doc, 'results', `${renderContext(results)}\n\n${table}`);
    doc = between(doc, 'chart', chart);
    writeFileSync(docsOut, doc);
  }
}
