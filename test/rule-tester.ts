// One tester for every rule, ESLint style: valid cases must produce no finding
// of the rule; invalid cases must produce exactly the listed findings; a case
// with `fix` applies that fix, checks again with every rule, and asserts the
// finding is gone, nothing new at error severity appeared, and (optionally)
// the exact output text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createWorkspace, ALL_RULES, applyEdits, DEFAULT_CONFIG, type Diagnostic, type EngineConfig, type Rule } from '../server/src/index';

export type Files = Record<string, string>;

export interface ValidCase {
  name: string;
  code?: string;
  files?: Files;
  config?: Partial<EngineConfig>;
}

export interface ExpectedError {
  message?: string | RegExp;
  /** 1-based, like editors show */
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  file?: string;
  severity?: Diagnostic['severity'];
  /** number of related locations */
  related?: number;
  /** titles of the fixes offered, in order */
  fixes?: (string | RegExp)[];
  /** title of the preferred fix (the one fix-all and `check --fix` apply unreviewed); null: none is preferred */
  preferred?: string | RegExp | null;
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedError[];
  /** apply a fix of the first error (by title, default: the preferred one) and check the result */
  fix?: {
    error?: number;
    title?: string | RegExp;
    /** expected text of files after the fix */
    output?: string | Files;
    /** rules whose new error findings the fix title announces */
    allowNew?: string[];
  };
}

const DEFAULT_FILE = 'manifests/test.yaml';

function filesOf(c: ValidCase): Files {
  return c.files ?? { [DEFAULT_FILE]: c.code ?? '' };
}

export function run(files: Files, config?: Partial<EngineConfig>, rules: readonly Rule[] = ALL_RULES): Diagnostic[] {
  const ws = createWorkspace({ ...DEFAULT_CONFIG, ...config }, rules);
  for (const [uri, text] of Object.entries(files)) ws.setFile(uri, text);
  ws.flush();
  return Object.keys(files).flatMap((uri) => ws.diagnostics(uri));
}

function matches(expected: string | RegExp, actual: string): boolean {
  return typeof expected === 'string' ? expected === actual : expected.test(actual);
}

function show(ds: Diagnostic[]): string {
  return ds.map((d) => `  ${d.uri}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.message} [${d.rule}]`).join('\n') || '  (none)';
}

/** Applies a fix's edits to the files they touch. */
export function applyFix(files: Files, fix: Diagnostic['fixes'][number]): Files {
  const out = { ...files };
  const byFile = new Map<string, { range: Diagnostic['range']; newText: string }[]>();
  for (const e of fix.edits) byFile.set(e.uri, [...(byFile.get(e.uri) ?? []), e]);
  for (const [uri, edits] of byFile) {
    assert.ok(uri in out, `fix edits unknown file ${uri}`);
    out[uri] = applyEdits(out[uri], edits);
  }
  return out;
}

export function ruleTester(rule: Rule, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  describe(rule.id, () => {
    it('has metadata', () => {
      assert.match(rule.id, /^[a-z0-9-]+$/);
      assert.ok(rule.description.length > 10, 'description');
      assert.ok(['error', 'warning', 'information', 'hint'].includes(rule.severity));
    });
    for (const c of cases.valid) {
      it(`valid: ${c.name}`, () => {
        const found = run(filesOf(c), c.config).filter((d) => d.rule === rule.id);
        assert.equal(found.length, 0, `expected no ${rule.id} findings, got:\n${show(found)}`);
      });
    }
    for (const c of cases.invalid) {
      it(`invalid: ${c.name}`, () => {
        const files = filesOf(c);
        const all = run(files, c.config);
        const found = all.filter((d) => d.rule === rule.id);
        assert.equal(found.length, c.errors.length, `expected ${c.errors.length} ${rule.id} findings, got:\n${show(found)}`);
        c.errors.forEach((e, i) => {
          const d = found[i];
          const where = `finding ${i}: ${d.message}`;
          if (e.message !== undefined) assert.ok(matches(e.message, d.message), `${where}\n  does not match ${e.message}`);
          if (e.file !== undefined) assert.equal(d.uri, e.file, where);
          if (e.line !== undefined) assert.equal(d.range.start.line + 1, e.line, `${where}: line`);
          if (e.column !== undefined) assert.equal(d.range.start.character + 1, e.column, `${where}: column`);
          if (e.endLine !== undefined) assert.equal(d.range.end.line + 1, e.endLine, `${where}: end line`);
          if (e.endColumn !== undefined) assert.equal(d.range.end.character + 1, e.endColumn, `${where}: end column`);
          if (e.severity !== undefined) assert.equal(d.severity, e.severity, where);
          if (e.related !== undefined) assert.equal(d.related.length, e.related, `${where}: related`);
          if (e.fixes !== undefined) {
            assert.equal(d.fixes.length, e.fixes.length, `${where}: fixes ${JSON.stringify(d.fixes.map((f) => f.title))}`);
            e.fixes.forEach((t, k) => assert.ok(matches(t, d.fixes[k].title), `${where}: fix ${k} "${d.fixes[k].title}" does not match ${t}`));
          }
          if (e.preferred !== undefined) {
            const preferred = d.fixes.filter((f) => f.isPreferred).map((f) => f.title);
            if (e.preferred === null) assert.deepEqual(preferred, [], `${where}: no fix should be preferred`);
            else assert.ok(preferred.length === 1 && matches(e.preferred, preferred[0]), `${where}: preferred ${JSON.stringify(preferred)}, expected ${e.preferred}`);
          }
          // every range lies inside its document
          for (const r of [d.range, ...d.related.map((x) => x.range)]) assert.ok(r.start.line >= 0 && r.end.line >= r.start.line, where);
        });
        if (c.fix) {
          const target = found[c.fix.error ?? 0];
          const fix = c.fix.title ? target.fixes.find((f) => matches(c.fix!.title!, f.title)) : (target.fixes.find((f) => f.isPreferred) ?? target.fixes[0]);
          assert.ok(fix, `no fix ${c.fix.title ?? '(preferred)'} among ${JSON.stringify(target.fixes.map((f) => f.title))}`);
          const fixed = applyFix(files, fix);
          if (c.fix.output !== undefined) {
            if (typeof c.fix.output === 'string') assert.equal(fixed[Object.keys(files)[0]], c.fix.output);
            else for (const [uri, text] of Object.entries(c.fix.output)) assert.equal(fixed[uri], text, `output of ${uri}`);
          }
          const after = run(fixed, c.config);
          const key = (d: Diagnostic) => `${d.rule}|${d.message}`;
          assert.ok(!after.some((d) => d.rule === rule.id && d.message === target.message && d.uri === target.uri), `fix "${fix.title}" did not remove the finding:\n${show(after)}`);
          const before = new Set(all.map(key));
          const allow = new Set(c.fix.allowNew ?? []);
          const fresh = after.filter((d) => d.severity === 'error' && !before.has(key(d)) && !allow.has(d.rule));
          assert.equal(fresh.length, 0, `fix "${fix.title}" introduced errors:\n${show(fresh)}`);
        }
      });
    }
  });
}
