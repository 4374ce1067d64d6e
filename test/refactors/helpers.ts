// Shared checks of the refactor tests: build a workspace, ask for the refactors
// at a line, apply one, and verify the promises every refactor makes.
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { applyEdits, createWorkspace, DEFAULT_CONFIG, type Diagnostic, type EngineConfig, type Workspace } from '../../server/src/index';
import { refactorsAt, type Refactor } from '../../server/src/refactors/index';
import { run } from '../rule-tester';

export type Files = Record<string, string>;

export const FILE = 'k8s/app.yaml';

export function workspace(files: Files, config?: Partial<EngineConfig>): Workspace {
  const ws = createWorkspace({ ...DEFAULT_CONFIG, ...config });
  for (const [uri, text] of Object.entries(files)) ws.setFile(uri, text);
  return ws;
}

/** 0-based line of the first line of `text` containing `needle` (after `from`, when given). */
export function lineOf(text: string, needle: string, from?: string): number {
  const lines = text.split(/\r?\n/);
  const start = from ? lines.findIndex((l) => l.includes(from)) : 0;
  const i = lines.findIndex((l, k) => k >= start && l.includes(needle));
  assert.ok(i >= 0, `no line contains ${needle}`);
  return i;
}

/** Refactors at a cursor on a line (column 2 by default) of a file. */
export function refactorsOn(files: Files, line: number, opts: { uri?: string; config?: Partial<EngineConfig>; character?: number } = {}): Refactor[] {
  const ws = workspace(files, opts.config);
  const pos = { line, character: opts.character ?? 2 };
  return refactorsAt(ws, opts.uri ?? FILE, { start: pos, end: pos }, { onError: rethrow });
}

export function rethrow(e: unknown): never {
  throw e;
}

export function titles(rs: Refactor[]): string[] {
  return rs.map((r) => r.title);
}

export function pick(rs: Refactor[], title: string | RegExp): Refactor {
  const found = rs.find((r) => (typeof title === 'string' ? r.title === title : title.test(r.title)));
  assert.ok(found, `no refactor ${title} among ${JSON.stringify(titles(rs))}`);
  return found;
}

export function apply(files: Files, refactor: Refactor): Files {
  const out = { ...files };
  const byFile = new Map<string, Refactor['edits']>();
  for (const e of refactor.edits) byFile.set(e.uri, [...(byFile.get(e.uri) ?? []), e]);
  for (const [uri, edits] of byFile) {
    assert.ok(uri in out, `edit of unknown file ${uri}`);
    out[uri] = applyEdits(out[uri], edits);
  }
  return out;
}

/** `# ...` comment fragments of a text, in order (with the whitespace before them). */
function comments(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => /(^|\s)#.*$/.exec(l)?.[0])
    .filter((c): c is string => c !== undefined);
}

function show(ds: Diagnostic[]): string {
  return ds.map((d) => `  ${d.uri}:${d.range.start.line + 1} ${d.severity} ${d.message} [${d.rule}]`).join('\n') || '  (none)';
}

export interface CheckOptions {
  config?: Partial<EngineConfig>;
  /** objects the refactor converted or created: they must have no error or warning at all */
  clean?: { kind: string; name: string }[];
  /** comment fragments the refactor removes on purpose (with the lines of removed keys) */
  removedComments?: string[];
  /** rules whose new findings are expected */
  allowNew?: string[];
}

/**
 * Applies a refactor and checks: every file still parses, no new error or
 * warning appears (and the converted/created objects have none), every
 * comment survives byte for byte. Returns the new files.
 */
export function applyAndCheck(files: Files, refactor: Refactor, opts: CheckOptions = {}): Files {
  const out = apply(files, refactor);
  for (const [uri, text] of Object.entries(out)) {
    const docs = parseAllDocuments(text);
    const errors = (Array.isArray(docs) ? docs : []).flatMap((d) => d.errors.map((e) => e.message));
    assert.deepEqual(errors, [], `${uri} does not parse after "${refactor.title}":\n${text}`);
    // the file keeps a single line-ending style
    if (files[uri]?.includes('\r\n')) assert.ok(!/[^\r]\n/.test(text), `${uri}: a bare LF in a CRLF file after "${refactor.title}"`);
    if (uri in files) {
      const before = comments(files[uri]).filter((c) => !(opts.removedComments ?? []).some((x) => c.includes(x)));
      const after = comments(text);
      let k = 0;
      for (const c of after) if (k < before.length && c === before[k]) k++;
      assert.equal(k, before.length, `${uri}: comment ${JSON.stringify(before[k])} did not survive "${refactor.title}":\n${text}`);
    }
  }
  const key = (d: Diagnostic) => `${d.uri}|${d.rule}|${d.message}`;
  const serious = (d: Diagnostic) => d.severity === 'error' || d.severity === 'warning';
  const before = new Set(run(files, opts.config).map(key));
  const after = run(out, opts.config);
  const allow = new Set(opts.allowNew ?? []);
  const fresh = after.filter((d) => serious(d) && !before.has(key(d)) && !allow.has(d.rule));
  assert.equal(fresh.length, 0, `"${refactor.title}" introduced findings:\n${show(fresh)}\n${Object.values(out).join('\n=====\n')}`);
  for (const o of opts.clean ?? []) {
    const bad = after.filter((d) => serious(d) && d.resource?.kind === o.kind && d.resource.name === o.name);
    assert.equal(bad.length, 0, `${o.kind} ${o.name} is not clean after "${refactor.title}":\n${show(bad)}`);
  }
  return out;
}

export function toCrlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}
