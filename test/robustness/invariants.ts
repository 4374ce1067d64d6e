// The promises every check must keep, whatever the input: shared by the
// hostile-input corpus, the fuzzers and the protocol stress test.
//
// - no exception, and no rule crash (the engine turns one into an
//   "internal error" diagnostic: for us that is a failure too);
// - every range (diagnostic, related location, fix edit) lies inside the text
//   it refers to, never between \r and \n or inside a surrogate pair;
// - every fix applies without overlapping edits, the result still parses, the
//   fixed finding is gone, and no new error appears unless the fix says so.
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { applyEdits, createWorkspace, DEFAULT_CONFIG, type Diagnostic, type EngineConfig } from '../../server/src/index';
import { comparePositions, LineIndex, type Position, type Range } from '../../server/src/engine/text';

export type Files = Record<string, string>;
export type Fix = Diagnostic['fixes'][number];

export interface CheckResult {
  diagnostics: Diagnostic[];
  ms: number;
}

/** A cold check of a set of files: a fresh engine, every file, one flush. */
export function coldCheck(files: Files, config: Partial<EngineConfig> = {}): CheckResult {
  const started = performance.now();
  const ws = createWorkspace({ ...DEFAULT_CONFIG, ...config });
  for (const [uri, text] of Object.entries(files)) ws.setFile(uri, text);
  ws.flush();
  const diagnostics = Object.keys(files)
    .sort()
    .flatMap((uri) => ws.diagnostics(uri));
  return { diagnostics, ms: performance.now() - started };
}

export function show(ds: readonly Diagnostic[]): string {
  return (
    ds.map((d) => `  ${d.uri}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.message.slice(0, 200)} [${d.rule}]`).join('\n') ||
    '  (none)'
  );
}

const lineIndexes = new WeakMap<object, Map<string, LineIndex>>();

function indexOf(files: Files, uri: string): LineIndex | undefined {
  let m = lineIndexes.get(files);
  if (!m) lineIndexes.set(files, (m = new Map()));
  let li = m.get(uri);
  if (!li && uri in files) m.set(uri, (li = new LineIndex(files[uri])));
  return li;
}

/** Why a position is not a valid place in a text (undefined when it is). */
export function badPosition(lines: LineIndex, p: Position): string | undefined {
  if (!Number.isInteger(p.line) || !Number.isInteger(p.character)) return `non-integer position ${JSON.stringify(p)}`;
  if (p.line < 0 || p.character < 0) return `negative position ${JSON.stringify(p)}`;
  if (p.line >= lines.lineCount) return `line ${p.line} past the last line ${lines.lineCount - 1}`;
  const start = lines.lineStarts[p.line];
  const length = lines.lineEnd(p.line) - start;
  if (p.character > length) return `character ${p.character} past the end of line ${p.line} (length ${length})`;
  const offset = start + p.character;
  const before = lines.text.charCodeAt(offset - 1);
  const at = lines.text.charCodeAt(offset);
  if (p.character > 0 && before >= 0xd800 && before <= 0xdbff && at >= 0xdc00 && at <= 0xdfff) return `position ${JSON.stringify(p)} splits a surrogate pair`;
  return undefined;
}

export function assertRangeInside(files: Files, uri: string, r: Range, what: string): void {
  const lines = indexOf(files, uri);
  assert.ok(lines, `${what}: refers to unknown file ${uri}`);
  for (const p of [r.start, r.end]) {
    const bad = badPosition(lines, p);
    assert.ok(!bad, `${what}: ${bad} in ${uri}`);
  }
  assert.ok(comparePositions(r.start, r.end) <= 0, `${what}: range ends before it starts ${JSON.stringify(r)}`);
}

/** Every range a diagnostic carries lies inside its file. */
export function assertDiagnosticsInside(files: Files, ds: readonly Diagnostic[]): void {
  for (const d of ds) {
    const what = `${d.rule} "${d.message.slice(0, 120)}"`;
    assertRangeInside(files, d.uri, d.range, what);
    for (const rel of d.related) assertRangeInside(files, rel.uri, rel.range, `${what} related "${rel.message.slice(0, 60)}"`);
    for (const f of d.fixes) for (const e of f.edits) assertRangeInside(files, e.uri, e.range, `${what} fix "${f.title}"`);
    assert.ok(['error', 'warning', 'information', 'hint'].includes(d.severity), `${what}: severity ${d.severity}`);
    assert.ok(d.message.trim().length > 0, `${d.rule}: empty message`);
  }
}

/** No rule crashed (the engine reports a crash as an "internal error" finding). */
export function assertNoInternalErrors(ds: readonly Diagnostic[]): void {
  const crashed = ds.filter((d) => /internal error/i.test(d.message));
  assert.equal(crashed.length, 0, `a rule crashed:\n${show(crashed)}`);
}

/** The standard checks on one result. */
export function assertSound(files: Files, result: CheckResult, maxMs = 10_000): void {
  assertNoInternalErrors(result.diagnostics);
  assertDiagnosticsInside(files, result.diagnostics);
  assert.ok(result.ms < maxMs, `check took ${Math.round(result.ms)} ms (limit ${maxMs})`);
}

/** Edits of one file never overlap (insertions at one point may share it). */
export function assertNoOverlap(edits: readonly { range: Range }[], what: string): void {
  const sorted = [...edits].sort((a, b) => comparePositions(a.range.start, b.range.start) || comparePositions(a.range.end, b.range.end));
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1].range;
    const cur = sorted[i].range;
    const overlap = comparePositions(cur.start, prev.end) < 0;
    assert.ok(!overlap, `${what}: overlapping edits ${JSON.stringify(prev)} and ${JSON.stringify(cur)}`);
  }
}

export function applyFileEdits(files: Files, edits: readonly { uri: string; range: Range; newText: string }[], what: string): Files {
  const out = { ...files };
  const byFile = new Map<string, { range: Range; newText: string }[]>();
  for (const e of edits) byFile.set(e.uri, [...(byFile.get(e.uri) ?? []), e]);
  for (const [uri, list] of byFile) {
    assert.ok(uri in out, `${what}: edits unknown file ${uri}`);
    assertNoOverlap(list, what);
    out[uri] = applyEdits(out[uri], list);
  }
  return out;
}

/** Number of YAML syntax errors a text has (0: it parses). */
export function yamlErrors(text: string): number {
  try {
    const docs = parseAllDocuments(text, { prettyErrors: false });
    if (!Array.isArray(docs)) return 0;
    let n = 0;
    for (const d of docs) {
      n += d.errors.length;
      if (d.errors.length) continue;
      try {
        d.toJS({ maxAliasCount: 100 }); // unresolved aliases surface here
      } catch {
        n++;
      }
    }
    return n;
  } catch {
    return Infinity;
  }
}


/** Where a position of `before` is after the edits (a position inside a replaced range goes to its start). */
export function mapPosition(before: string, after: string, edits: readonly { range: Range; newText: string }[], pos: Position): Position {
  const lines = new LineIndex(before);
  const at = lines.offsetAt(pos);
  let delta = 0;
  let mapped: number | undefined;
  for (const e of [...edits].sort((a, b) => comparePositions(a.range.start, b.range.start))) {
    const start = lines.offsetAt(e.range.start);
    const end = lines.offsetAt(e.range.end);
    if (end <= at) delta += e.newText.length - (end - start);
    else if (start <= at) mapped = start + delta;
  }
  return new LineIndex(after).positionAt(mapped ?? at + delta);
}

/**
 * True when a fix's target finding is gone: fewer findings of its rule with
 * its message, or none of its rule left where it was (the edits shift it).
 * Position matters when a Service has two equal ports: removing the first
 * one's nodePort gives the second one's finding the first one's message.
 */
export function findingGone(
  target: { uri: string; rule: string; message: string; range: Range },
  before: readonly { uri: string; rule: string; message: string; range: Range }[],
  after: readonly { uri: string; rule: string; message: string; range: Range }[],
  texts: { before: string; after: string },
  edits: readonly { range: Range; newText: string }[],
): boolean {
  const same = (d: { uri: string; rule: string; message: string }) => d.uri === target.uri && d.rule === target.rule && d.message === target.message;
  if (after.filter(same).length < before.filter(same).length) return true;
  const where = mapPosition(texts.before, texts.after, edits, target.range.start);
  return !after.some((d) => d.uri === target.uri && d.rule === target.rule && comparePositions(d.range.start, where) === 0);
}

/**
 * Identity of an error for "did the fix add one": a schema message starts with
 * the field's path, which a fix that moves fields (an apiVersion migration)
 * legitimately changes, so the path is left out there.
 */
export function errorKey(d: { uri: string; rule: string; message: string }): string {
  const message = d.rule === 'schema' ? d.message.replace(/^[^\s:]+: /, '') : d.message;
  return `${d.uri}|${d.rule}|${message}`;
}

/**
 * Fix titles announce the errors they knowingly leave: a fix that moves a
 * value elsewhere may uncover a finding there. Each entry: a rule whose new
 * error a title matching the pattern excuses.
 */
export const ANNOUNCED: { rule: string; title: RegExp; message: RegExp; why: string }[] = [
  {
    rule: 'ingress-rule-invalid',
    title: /^Migrate to networking\.k8s\.io\/v1/,
    message: /./,
    why: 'ingress-rule-invalid checks the backends (and names the default backend field) of v1 Ingresses only: after the migration, a backend that was already broken is reported',
  },
  {
    rule: 'schema',
    title: /^Migrate to networking\.k8s\.io\/v1/,
    message: /^spec\.(defaultBackend|rules\[\d+\]\.http\.paths\[\d+\]\.backend)\.service\b/,
    why: 'the migration carries serviceName/servicePort over as they are: a missing or odd one (unchecked in v1beta1) is reported on service.name/port',
  },
  {
    rule: 'ingress-rule-invalid',
    title: /^Add pathType: \w+ \(path ".*" must still be fixed\)$/,
    message: /^Path ".*" in Ingress/,
    why: 'no pathType makes a relative path valid: once it has one, the path itself is reported',
  },
  {
    rule: 'service-type-mismatch',
    title: /^Change to "(ClusterIP|NodePort|LoadBalancer|ExternalName)"$/,
    message: /./,
    why: 'a misspelt Service type hides the fields that do not go with the type meant: correcting it lets the type rule judge them',
  },
  {
    rule: 'service-nodeport-duplicate',
    title: /^Change type to (NodePort|LoadBalancer)/,
    message: /./,
    why: 'nodePorts of a ClusterIP Service are refused as such; once the type opens node ports, their clashes count',
  },
  {
    rule: 'service-nodeport-range',
    title: /^Change type to (NodePort|LoadBalancer)/,
    message: /./,
    why: 'nodePorts of a ClusterIP Service are refused as such; once the type opens node ports, their range counts',
  },
  {
    rule: '*',
    title: /^(Quote the value|Remove the quotes)/,
    message: /./,
    why: 'a wrong-typed value (a number where a name belongs, a quoted number) gets its type: the rules that read it check it from then on',
  },
  {
    rule: '*',
    title: /^Rename "[^"]*" to "[^"]*"$/,
    message: /./,
    why: 'a misspelt field name hides the field from every rule: once renamed, the rules that read it judge it',
  },
  {
    rule: '*',
    title: /^Change to "[^"]*"$/,
    message: /./,
    why: 'a misspelt enum value (a type, a pathType, a protocol) hides what depends on it: once corrected, the rules that read it judge the object',
  },
];

export function announced(title: string, d: { rule: string; message: string }): boolean {
  // a wildcard excuses other rules only: a schema fix never excuses a new schema error
  return ANNOUNCED.some((a) => (a.rule === '*' ? d.rule !== 'schema' : a.rule === d.rule) && a.title.test(title) && a.message.test(d.message));
}


/** Maps an offset of the edited text back to the original text: a point, or the replaced span when it falls in inserted text. */
export function mapBack(original: string, edits: readonly { range: Range; newText: string }[], offset: number): [number, number] {
  const lines = new LineIndex(original);
  const spans = edits
    .map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), length: e.newText.length }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  let delta = 0;
  for (const sp of spans) {
    if (offset < sp.start + delta) break;
    if (offset < sp.start + delta + sp.length) return [sp.start, sp.end];
    delta += sp.length - (sp.end - sp.start);
  }
  return [offset - delta, offset - delta];
}

/**
 * The errors of `after` that `before` did not have. The same finding may be
 * worded differently after a fix (its advice changes, a field it names moves,
 * it is reported on another key of the same object), so an error counts as
 * old when `before` had the same rule and message, or the same rule at the
 * same place (mapped back through the edits), or the same rule on the same
 * object (file, kind, namespace, name).
 */
export function newErrors(files: Files, fixed: Files, edits: readonly { uri: string; range: Range; newText: string }[], before: readonly Diagnostic[], after: readonly Diagnostic[]): Diagnostic[] {
  const had = new Set(before.map(errorKey));
  const object = (d: Diagnostic) => (d.resource ? `${d.uri}|${d.rule}|${d.resource.kind}|${d.resource.namespace}|${d.resource.name}` : undefined);
  const objects = new Set(before.filter((d) => d.severity === 'error').map(object));
  // renaming a misspelt `metadata` key names an object that had no name: its errors were errors of the nameless one
  const nameless = (d: Diagnostic) => (d.resource ? `${d.uri}|${d.rule}|${d.resource.kind}` : undefined);
  const unnamed = new Set(before.filter((d) => d.severity === 'error' && d.resource && !d.resource.name).map(nameless));
  return after.filter((d) => {
    if (d.severity !== 'error' || had.has(errorKey(d))) return false;
    if (object(d) !== undefined && objects.has(object(d))) return false;
    if (nameless(d) !== undefined && unnamed.has(nameless(d))) return false;
    const own = edits.filter((e) => e.uri === d.uri);
    const original = files[d.uri];
    if (original === undefined) return true;
    const newLines = new LineIndex(fixed[d.uri]);
    const oldLines = new LineIndex(original);
    const [from, to] = mapBack(original, own, newLines.offsetAt(d.range.start));
    const first = oldLines.positionAt(from).line;
    const last = oldLines.positionAt(to).line;
    return !before.some((b) => b.uri === d.uri && b.rule === d.rule && b.range.start.line >= first && b.range.start.line <= last);
  });
}

export interface FixOutcome {
  files: Files;
  after: Diagnostic[];
}

/**
 * Applies one fix of `target` to `files` (checked with `config`) and asserts
 * the fix promises. `before` is the cold check of `files`.
 */
export function assertFixSound(files: Files, before: readonly Diagnostic[], target: Diagnostic, fix: Fix, config: Partial<EngineConfig> = {}): FixOutcome {
  const what = `fix "${fix.title}" of ${target.rule} "${target.message.slice(0, 100)}"`;
  assert.ok(fix.edits.length > 0, `${what}: no edits`);
  const fixed = applyFileEdits(files, fix.edits, what);
  for (const uri of new Set(fix.edits.map((e) => e.uri))) {
    if (yamlErrors(files[uri]) === 0) assert.equal(yamlErrors(fixed[uri]), 0, `${what}: ${uri} no longer parses:\n${fixed[uri]}`);
  }
  const after = coldCheck(fixed, config);
  assertSound(fixed, after);
  const targetEdits = fix.edits.filter((e) => e.uri === target.uri);
  assert.ok(
    findingGone(target, before, after.diagnostics, { before: files[target.uri], after: fixed[target.uri] }, targetEdits),
    `${what}: the finding is still there after the fix:\n${show(after.diagnostics)}\n--- fixed text:\n${Object.values(fixed).join('\n=====\n')}`,
  );
  const fresh = newErrors(files, fixed, fix.edits, before, after.diagnostics).filter((d) => !announced(fix.title, d));
  assert.equal(fresh.length, 0, `${what}: introduced new errors:\n${show(fresh)}\n--- before:\n${Object.values(files).join('\n=====\n')}\n--- after:\n${Object.values(fixed).join('\n=====\n')}`);
  return { files: fixed, after: after.diagnostics };
}

/** Lines of `before` outside the edited line spans must reappear, byte for byte, in `after`. */
export function assertUntouchedLinesKept(before: string, after: string, edits: readonly { range: Range; newText: string }[], what: string): void {
  // Map each original line to its line in the new text: lines before an edit keep
  // their number; each edit shifts later lines by (inserted lines - removed lines).
  const sorted = [...edits].sort((a, b) => comparePositions(a.range.start, b.range.start));
  const oldLines = before.split(/(?<=\n)/);
  const newLines = after.split(/(?<=\n)/);
  let shift = 0;
  let e = 0;
  for (let line = 0; line < oldLines.length; line++) {
    while (e < sorted.length && sorted[e].range.end.line < line) {
      const r = sorted[e].range;
      shift += (sorted[e].newText.match(/\n/g)?.length ?? 0) - (r.end.line - r.start.line);
      e++;
    }
    const touched = sorted.some((x) => x.range.start.line <= line && line <= x.range.end.line);
    if (touched) continue;
    assert.equal(newLines[line + shift], oldLines[line], `${what}: untouched line ${line + 1} changed`);
  }
}
