// The fuzz properties, shared by the short runs in `npm test` and the long
// run of `npm run fuzz`.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { refactorsAt } from '../../server/src/refactors/index';
import { combineFixes, createWorkspace, DEFAULT_CONFIG, type Diagnostic, type EngineConfig } from '../../server/src/index';
import { announced, applyFileEdits, assertFixSound, assertRangeInside, assertSound, coldCheck, findingGone, newErrors, yamlErrors, type Files } from '../robustness/invariants';
import type { Client, LspDiagnostic, TextEdit } from '../robustness/lsp';
import { uriOf } from '../robustness/lsp';
import { applyTextEdit, filesArb, filesArbOf, mutatedFilesArb, renderFile, fileArb, textEditArb } from './arbitraries';

/**
 * With FUZZ_TRACE=<file>, every case is written there before it runs: when a
 * case hangs, the watchdog of `npm run fuzz` (or you) finds it in that file.
 */
export function trace(value: unknown): void {
  const file = process.env.FUZZ_TRACE;
  if (file) writeFileSync(file, JSON.stringify(value));
}

export const configArb: fc.Arbitrary<Partial<EngineConfig>> = fc.record({
  conflictScope: fc.constantFrom<EngineConfig['conflictScope']>('directory', 'directory', 'file', 'workspace'),
  nodePortRange: fc.constantFrom({ min: 30000, max: 32767 }, { min: 30000, max: 30001 }, { min: 1, max: 65535 }, { min: 80, max: 80 }),
  defaultNamespace: fc.constantFrom('default', 'shop'),
  ingress: fc.constantFrom({ keepClassAnnotation: false }, { keepClassAnnotation: true }),
});

/** Property names: the same in `npm test` and `npm run fuzz`, so a printed replay command works in both. */
export const NAMES = {
  engine: 'engine: hostile text never crashes, ranges stay inside',
  fixes: 'engine: every fix is sound',
  incremental: 'engine: incremental equals cold',
  fixAll: 'engine: fixing everything converges and keeps files parsing',
  refactors: 'engine: every refactor is sound',
  server: 'server: diagnostics equal the engine, quick fixes are sound',
} as const;

/** Hostile text: whatever the engine is given, it answers soundly. */
export const engineSound = fc.property(mutatedFilesArb, configArb, (files, config) => {
  trace({ property: 'engineSound', files, config });
  assertSound(files, coldCheck(files, config));
});

/**
 * Every fix of every finding on generated manifests: applies without
 * overlapping edits, keeps the file parsing, removes its finding, adds no
 * error; and the incremental engine agrees with a cold check after it.
 */
export const fixesSound = fc.property(filesArbOf(2, 3), configArb, fc.nat(), (files, config, pick) => {
  trace({ property: 'fixesSound', files, config, pick });
  const before = coldCheck(files, config);
  assertSound(files, before);
  const all = before.diagnostics.flatMap((d) => d.fixes.map((fix) => ({ d, fix })));
  // at most 6 fixes a case (a rotating choice), the incremental comparison for 2 of them
  const chosen = all.length <= 6 ? all : Array.from({ length: 6 }, (_, i) => all[(pick + i * 7919) % all.length]);
  chosen.forEach(({ d, fix }, i) => {
    {
      const { files: fixed } = assertFixSound(files, before.diagnostics, d, fix, config);
      if (i >= 2) return;
      // incremental: the same workspace, edited, equals a cold check
      const ws = createWorkspace({ ...DEFAULT_CONFIG, ...config });
      for (const [uri, text] of Object.entries(files)) ws.setFile(uri, text);
      ws.flush();
      for (const uri of Object.keys(fixed)) if (fixed[uri] !== files[uri]) ws.setFile(uri, fixed[uri]);
      ws.flush();
      const incremental = Object.keys(fixed)
        .sort()
        .flatMap((u) => ws.diagnostics(u));
      assert.deepEqual(incremental, coldCheck(fixed, config).diagnostics, `incremental result after fix "${fix.title}" differs from a cold check`);
    }
  });
});

/**
 * "Fix everything", the way `kube-expose check --fix` does it: in passes, the
 * preferred fixes that go together (combineFixes), until nothing is left to apply. Every pass must keep the files
 * parsing, and the passes must come to an end (no two fixes undoing each other).
 */
export const fixAllSound = fc.property(filesArbOf(3, 3), configArb, (start, config) => {
  trace({ property: 'fixAllSound', files: start, config });
  let files: Files = { ...start };
  const parsed = new Set(Object.keys(files).filter((u) => yamlErrors(files[u]) === 0));
  for (let pass = 0; ; pass++) {
    const result = coldCheck(files, config);
    assertSound(files, result);
    const preferred = result.diagnostics.flatMap((d) => d.fixes.find((f) => f.isPreferred) ?? (d.fixes.length === 1 ? d.fixes[0] : []));
    const accepted = combineFixes(preferred, (uri) => files[uri]).flatMap((f) => f.edits);
    if (!accepted.length) break;
    assert.ok(pass < 10, `fixes still pending after 10 passes (fixes undoing each other?):\n${accepted.map((e) => `${e.uri} ${JSON.stringify(e.range)} ${JSON.stringify(e.newText)}`).join('\n')}`);
    files = applyFileEdits(files, accepted, `pass ${pass + 1}`);
    for (const u of parsed) assert.equal(yamlErrors(files[u]), 0, `pass ${pass + 1} broke the YAML of ${u}:\n${files[u]}`);
  }
});

/**
 * Every refactor offered at the first line of every resource, on generated and
 * on mutated manifests: computing it does not throw, its edits lie inside
 * their files and do not overlap, its snippet replaces one of its edits, files
 * that parsed still parse, and the engine checks the result soundly.
 */
export const refactorsSound = fc.property(fc.oneof(filesArbOf(2, 3), mutatedFilesArb), configArb, (files, config) => {
  trace({ property: 'refactorsSound', files, config });
  const ws = createWorkspace({ ...DEFAULT_CONFIG, ...config });
  for (const [uri, text] of Object.entries(files)) ws.setFile(uri, text);
  ws.flush();
  for (const uri of Object.keys(files)) {
    for (const chunk of ws.file(uri)?.chunks ?? []) {
      for (const r of chunk.resources) {
        const start = r.node?.range?.[0];
        if (start === undefined) continue;
        const line = chunk.startLine + chunk.lines.positionAt(start).line;
        const cursor = { start: { line, character: 0 }, end: { line, character: 0 } };
        const offered = refactorsAt(ws, uri, cursor, {
          onError: (e) => {
            throw e;
          },
        });
        for (const rf of offered) {
          const what = `${uri}:${line + 1} "${rf.title}"`;
          for (const e of rf.edits) assertRangeInside(files, e.uri, e.range, `${what} edit`);
          if (rf.snippet) {
            const sn = rf.snippet;
            assert.ok(rf.edits.some((e) => e.uri === sn.uri && JSON.stringify(e.range) === JSON.stringify(sn.range)), `${what}: its snippet replaces none of its edits`);
          }
          const out = applyFileEdits(files, rf.edits, what);
          for (const u of Object.keys(out)) {
            if (yamlErrors(files[u]) === 0) assert.equal(yamlErrors(out[u]), 0, `${what} breaks the YAML of ${u}:\n--- before:\n${files[u]}\n--- after:\n${out[u]}`);
          }
          assertSound(out, coldCheck(out, config));
        }
      }
    }
  }
});

/** Random edit sequences on one engine end where a cold check of the final texts is. */
export const incrementalSound = fc.property(filesArb, fc.array(fc.tuple(fc.nat(), textEditArb), { minLength: 1, maxLength: 8 }), configArb, (start, edits, config) => {
  trace({ property: 'incrementalSound', start, edits, config });
  const files: Files = { ...start };
  const keys = Object.keys(files);
  const ws = createWorkspace({ ...DEFAULT_CONFIG, ...config });
  for (const [uri, text] of Object.entries(files)) ws.setFile(uri, text);
  ws.flush();
  for (const [which, e] of edits) {
    const k = keys[which % keys.length];
    files[k] = applyTextEdit(files[k], e);
    ws.setFile(k, files[k]);
    if (which % 3 === 0) ws.flush(); // sometimes several edits between checks
  }
  ws.flush();
  const incremental = keys.sort().flatMap((u) => ws.diagnostics(u));
  const cold = coldCheck(files, config);
  assertSound(files, cold);
  assert.deepEqual(incremental, cold.diagnostics, 'incremental findings differ from a cold check');
});

// --------------------------------------------------------------------------- over the protocol

const SEVERITY = { error: 1, warning: 2, information: 3, hint: 4 } as const;

export function asLsp(d: Diagnostic): { code: string; severity: number; message: string; range: Diagnostic['range'] } {
  return { code: d.rule, severity: SEVERITY[d.severity], message: d.message, range: d.range };
}

export function fromLsp(d: LspDiagnostic): { code: string; severity: number; message: string; range: Diagnostic['range'] } {
  return { code: String(d.code), severity: d.severity ?? 0, message: d.message, range: d.range };
}

const order = (a: { code: string; message: string; range: Diagnostic['range'] }, b: typeof a) =>
  a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.code.localeCompare(b.code) || a.message.localeCompare(b.message);

export function sameDiagnostics(server: LspDiagnostic[], engine: Diagnostic[], what: string): void {
  assert.deepEqual(server.map(fromLsp).sort(order), engine.map(asLsp).sort(order), `${what}: the server's diagnostics differ from a cold engine check`);
}

interface CodeActionLike {
  title: string;
  kind?: string;
  diagnostics?: LspDiagnostic[];
  edit?: { documentChanges?: { textDocument: { uri: string; version: number | null }; edits: TextEdit[] }[]; changes?: Record<string, TextEdit[]> };
}

let caseNo = 0;

/**
 * One manifest through the real server: published diagnostics equal a cold
 * engine check; every quick fix targets the open version, has no overlapping
 * edits, keeps the file parsing, removes its finding and adds no error.
 */
export function serverSound(client: Client, dir: string) {
  return fc.asyncProperty(fc.tuple(fileArb, fc.array(textEditArb, { maxLength: 2 })), async ([spec, edits]) => {
    let text = renderFile(spec);
    for (const e of edits) text = applyTextEdit(text, e);
    trace({ property: 'serverSound', text });
    const path = join(dir, spec.dir, `case-${++caseNo}.yaml`);
    const uri = uriOf(path);
    const key = uri;
    client.open(uri, text);
    try {
      const published = await client.waitFor(`diagnostics of ${uri}`, () => {
        const p = client.diagnostics.get(uri);
        return p && p.version === 1 ? p.diagnostics : undefined;
      });
      const files = { [key]: text };
      const cold = coldCheck(files);
      assertSound(files, cold);
      sameDiagnostics(published, cold.diagnostics, `case ${caseNo}`);
      for (const d of published) assertRangeInside(files, key, d.range, `published ${d.code}`);
      if (!published.length) return;
      const lines = text.split(/\r\n|\r|\n/);
      const whole = { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: lines[lines.length - 1].length } };
      // fix-all: one edit with the preferred fix of every finding, none overlapping, still parsing
      const all = await client.request<CodeActionLike[] | null>('textDocument/codeAction', { textDocument: { uri }, range: whole, context: { diagnostics: published, only: ['source.fixAll'] } });
      for (const a of all ?? []) {
        const edits = (a.edit?.documentChanges ?? []).flatMap((dc) => {
          assert.equal(dc.textDocument.uri, uri, `"${a.title}" edits only the open document`);
          return dc.edits.map((e) => ({ uri: key, range: e.range, newText: e.newText }));
        });
        const fixedAll = applyFileEdits(files, edits, `"${a.title}"`)[key];
        if (yamlErrors(text) === 0) assert.equal(yamlErrors(fixedAll), 0, `"${a.title}" breaks the YAML:\n--- before:\n${text}\n--- after:\n${fixedAll}`);
        assertSound({ [key]: fixedAll }, coldCheck({ [key]: fixedAll }));
      }
      const actions = await client.request<CodeActionLike[] | null>('textDocument/codeAction', { textDocument: { uri }, range: whole, context: { diagnostics: published, only: ['quickfix'] } });
      assert.ok(Array.isArray(actions), 'codeAction answers a list');
      for (const a of actions!) {
        assert.equal(a.kind, 'quickfix', `"${a.title}" is a quickfix`);
        assert.ok(a.edit, `"${a.title}" has an edit`);
        const changes = a.edit!.documentChanges ?? [];
        assert.ok(changes.length > 0, `"${a.title}" edits something`);
        const engineEdits: { uri: string; range: Diagnostic['range']; newText: string }[] = [];
        for (const dc of changes) {
          assert.equal(dc.textDocument.uri, uri, `"${a.title}" edits only the open document`);
          assert.equal(dc.textDocument.version, 1, `"${a.title}" is for the open version`);
          for (const e of dc.edits) {
            assertRangeInside(files, key, e.range, `"${a.title}" edit`);
            engineEdits.push({ uri: key, range: e.range, newText: e.newText });
          }
        }
        const fixed = applyFileEdits(files, engineEdits, `"${a.title}"`)[key];
        if (yamlErrors(text) === 0) assert.equal(yamlErrors(fixed), 0, `"${a.title}" breaks the YAML:\n--- before:\n${text}\n--- after:\n${fixed}`);
        const after = coldCheck({ [key]: fixed });
        assertSound({ [key]: fixed }, after);
        const inFile = (d: { code: string; message: string; range: Diagnostic['range'] }) => ({ uri: key, rule: d.code, message: d.message, range: d.range });
        for (const target of a.diagnostics ?? []) {
          assert.ok(
            findingGone(inFile(fromLsp(target)), published.map(fromLsp).map(inFile), after.diagnostics.map(asLsp).map(inFile), { before: text, after: fixed }, engineEdits),
            `"${a.title}" leaves its finding ${target.code} "${target.message.slice(0, 100)}"\n--- before:\n${text}\n--- after:\n${fixed}`,
          );
        }
        // also the "Disable ... for this line/file" actions: a comment must not break anything
        const fresh = newErrors(files, { [key]: fixed }, engineEdits, cold.diagnostics, after.diagnostics).filter((d) => !announced(a.title, d));
        assert.equal(fresh.length, 0, `"${a.title}" introduces errors:\n${fresh.map((d) => `${d.rule}: ${d.message}`).join('\n')}\n--- before:\n${text}\n--- after:\n${fixed}`);
      }
    } finally {
      client.close(uri);
    }
  });
}

