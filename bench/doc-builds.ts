// How many chunks build their `yaml` Document (the slow, node-level parse) when
// the generated 1k benchmark workspace is opened, and who asked for it: the
// rule whose check (or fix) was running, and whether the build happened while
// locating a finding (ctx.loc / locate) or elsewhere (fixes, rule node access);
// and which chunks' Documents are read outside locate at all (what would still
// be built once locations come from a position index instead of nodes).
// Not a test: `node node_modules/.bin/tsx bench/doc-builds.ts [case] [--fixes]`
// (--fixes also reads every diagnostic's fixes afterwards, as a CLI --format json would).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Chunk, Resource } from '../server/src/engine/parse';
import { createWorkspace } from '../server/src/index';
import { generate } from './run';

const name = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? '1k';
const readFixes = process.argv.includes('--fixes');
const ws = generate(name);

// who is running: the rule id, set around each check by wrapping the rules
let phase = 'setFile';
const builds: { phase: string; inLocate: boolean }[] = [];
// (older engines have no Chunk.hasDocuments: the script also measures the code before lazy fixes)
const hasDocuments = (c: Chunk): boolean => ('hasDocuments' in c ? c.hasDocuments : (c as any).parsed !== undefined);
/** chunks whose Document something other than locate reads (what a Document-free ctx.loc would still build), and who first */
const outsideLocate = new Map<Chunk, string>();
const desc = Object.getOwnPropertyDescriptor(Chunk.prototype, 'docs')!;
Object.defineProperty(Chunk.prototype, 'docs', {
  ...desc,
  get(this: Chunk) {
    const built = hasDocuments(this);
    if (!built || !outsideLocate.has(this)) {
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 50;
      const inLocate = /\n\s+at locate \(/.test(new Error().stack ?? '');
      Error.stackTraceLimit = limit;
      if (!built) builds.push({ phase, inLocate });
      if (!inLocate) outsideLocate.set(this, phase);
    }
    return desc.get!.call(this);
  },
});

// a resource keeps its node once found: reads of it count as reads of its chunk's Document
const nodeDesc = Object.getOwnPropertyDescriptor(Resource.prototype, 'node')!;
Object.defineProperty(Resource.prototype, 'node', {
  ...nodeDesc,
  get(this: Resource) {
    if (hasDocuments(this.chunk) && !outsideLocate.has(this.chunk)) {
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 50;
      if (!/\n\s+at locate \(/.test(new Error().stack ?? '')) outsideLocate.set(this.chunk, phase);
      Error.stackTraceLimit = limit;
    }
    return nodeDesc.get!.call(this);
  },
});

const workspace = createWorkspace();
for (const rule of workspace.rules) {
  const check = rule.check;
  (rule as any).check = (r: any, ctx: any) => {
    const before = phase;
    phase = rule.id;
    try {
      check.call(rule, r, ctx);
    } finally {
      phase = before;
    }
  };
}
let chunks = 0;
for (const f of ws.files) {
  const key = join(ws.root, f.path);
  workspace.setFile(key, readFileSync(key, 'utf8'));
  chunks += workspace.file(key)!.chunks.length;
}
phase = 'flush';
workspace.flush();
phase = 'diagnostics';
const ds = [...workspace.uris()].flatMap((u) => workspace.diagnostics(u));
if (readFixes) {
  phase = 'fixes';
  for (const d of ds) void d.fixes;
}

const by = new Map<string, { all: number; locate: number }>();
for (const b of builds) {
  const e = by.get(b.phase) ?? { all: 0, locate: 0 };
  e.all++;
  if (b.inLocate) e.locate++;
  by.set(b.phase, e);
}
const total = builds.length;
const outside = builds.filter((b) => !b.inLocate).length;
console.log(`${name}: ${chunks} chunks, ${ds.length} diagnostics; Documents built: ${total} (${outside} outside ctx.loc/locate)`);
for (const [phase, e] of [...by].sort((a, b) => b[1].all - a[1].all)) console.log(`  ${phase.padEnd(34)} ${String(e.all).padStart(4)}  (in locate ${e.locate}, elsewhere ${e.all - e.locate})`);
const users = new Map<string, number>();
for (const p of outsideLocate.values()) users.set(p, (users.get(p) ?? 0) + 1);
console.log(`Chunks whose Document is read outside locate (built even with a Document-free ctx.loc): ${outsideLocate.size}`);
for (const [p, n] of [...users].sort((a, b) => b[1] - a[1])) console.log(`  ${p.padEnd(34)} ${String(n).padStart(4)}`);
