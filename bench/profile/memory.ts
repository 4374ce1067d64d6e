// Where the engine's memory goes: heap retained per resource by each layer
// (text, yaml Documents, plain values, line index, the checked workspace).
//   node --expose-gc --import tsx bench/profile/memory.ts ws500
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { createWorkspace } from '../../server/src/index';
import { splitDocuments } from '../../server/src/engine/parse';
import { LineIndex } from '../../server/src/engine/text';
import { generate } from '../run';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const ws = generate(process.argv[2] ?? 'ws500');
const texts = ws.files.map((f) => readFileSync(join(ws.root, f.path), 'utf8'));
const n = ws.resources;
const per = (bytes: number) => `${((bytes / n) | 0).toString().padStart(6)} B/resource, ${(bytes / 2 ** 20).toFixed(0).padStart(4)} MiB`;
const keep: unknown[] = [];
let base = heap();
const step = (label: string, fn: () => unknown) => {
  keep.push(fn());
  const now = heap();
  console.log(`${label.padEnd(40)} ${per(now - base)}`);
  base = now;
};
const chunks = texts.flatMap((t) => splitDocuments(t).map((c) => c.text));
step('chunk texts', () => chunks.map((c) => c.slice(0, c.length) + ' '));
const docs = chunks.map((c) => parseAllDocuments(c));
step('yaml Documents (parseAllDocuments)', () => docs);
step('plain values (toJS)', () => docs.map((d) => (Array.isArray(d) ? d.map((x) => x.toJS()) : null)));
step('LineIndex', () => chunks.map((c) => new LineIndex(c)));
keep.length = 0;
docs.length = 0;
base = heap();
const engine = createWorkspace();
ws.files.forEach((f, i) => engine.setFile(join(ws.root, f.path), texts[i]));
const afterParse = heap();
console.log(`${'engine: setFile (all layers)'.padEnd(40)} ${per(afterParse - base)}`);
engine.flush();
console.log(`${'engine: flush (findings, index, deps)'.padEnd(40)} ${per(heap() - afterParse)}`);
console.log(`rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
