// Real manifests from public projects (test/fixtures/real-world, see its README),
// through the real `kube-expose` process: the findings users would see, exactly,
// and `check --fix` leaving every file readable, its comments in place, and the
// guesses (fixes not preferred) untouched.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { ensureBuilt } from '../helpers/build';

const BIN = resolve('bin/kube-expose.js');
const ROOT = resolve('test/fixtures/real-world');
const EXPECTED: Record<string, { resources: number; findings: string[] }> = JSON.parse(readFileSync(join(ROOT, 'expected.json'), 'utf8'));
const PROJECTS = readdirSync(ROOT).filter((d) => statSync(join(ROOT, d)).isDirectory()).sort();

interface Report {
  summary: { resources: number };
  diagnostics: { file: string; rule: string; severity: string; range: { start: { line: number; character: number } } }[];
}

function check(dir: string, ...args: string[]): { report: Report; code: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, 'check', dir, '--format', 'json', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.ok(r.stdout, `no output (exit ${r.status}): ${r.stderr}`);
  return { report: JSON.parse(r.stdout) as Report, code: r.status, stderr: r.stderr };
}

const findings = (dir: string, report: Report) =>
  report.diagnostics.map((d) => `${relative(dir, d.file)}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.rule}`).sort();

const filesOf = (dir: string) => readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();

before(() => ensureBuilt());

describe('real-world manifests', () => {
  it('every project folder has its expected findings, and every expected project a folder', () => {
    assert.deepEqual(PROJECTS, Object.keys(EXPECTED).sort());
    assert.ok(PROJECTS.length >= 10);
  });

  for (const project of PROJECTS) {
    it(`${project}: the findings are exactly the reviewed ones`, () => {
      const dir = join(ROOT, project);
      const { report, code, stderr } = check(dir);
      assert.equal(report.summary.resources, EXPECTED[project].resources, 'resources read');
      assert.deepEqual(findings(dir, report), EXPECTED[project].findings);
      assert.equal(code, report.diagnostics.some((d) => d.severity === 'error') ? 1 : 0, stderr);
    });
  }

  describe('check --fix', () => {
    let work: string;
    before(() => {
      work = mkdtempSync(join(tmpdir(), 'kx-real-'));
      cpSync(ROOT, work, { recursive: true });
    });
    after(() => rmSync(work, { recursive: true, force: true }));

    for (const project of PROJECTS) {
      it(`${project}: files stay readable and keep their comments; nothing new is found; a second run changes nothing`, () => {
        const dir = join(work, project);
        const before = new Map(filesOf(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
        const first = check(dir).report;
        check(dir, '--fix');
        const after = new Map(filesOf(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
        for (const [f, text] of after) {
          const errors = (t: string) => parseAllDocuments(t).flatMap((d) => ('errors' in d ? d.errors : [])).map((e) => e.message);
          // (a file that did not parse, e.g. with a duplicate key, must not get worse)
          assert.ok(errors(text).length <= errors(before.get(f)!).length, `${f} no longer parses:\n${errors(text).join('\n')}`);
          const lines = new Set(text.split(/\r?\n/).map((l) => l.trim()));
          for (const l of before.get(f)!.split(/\r?\n/)) if (l.trim().startsWith('#')) assert.ok(lines.has(l.trim()), `${f} lost the comment ${l.trim()}`);
        }
        const second = check(dir).report;
        assert.equal(second.summary.resources, first.summary.resources);
        const rulesBefore = new Set(first.diagnostics.map((d) => d.rule));
        assert.deepEqual(second.diagnostics.filter((d) => !rulesBefore.has(d.rule)).map((d) => d.rule), [], 'a fix made a new kind of finding');
        assert.ok(second.diagnostics.length <= first.diagnostics.length);
        check(dir, '--fix');
        for (const [f, text] of after) assert.equal(readFileSync(join(dir, f), 'utf8'), text, `second --fix changed ${f}`);
      });
    }

    it('leaves alone what only a person can decide (fixes offered but not preferred)', () => {
      for (const [project, file] of [
        ['prometheus-operator__kube-prometheus', 'manifests__grafana-service.yaml'],
        ['kubernetes__website', 'content__en__examples__service__networking__dual-stack-prefer-ipv6-lb-svc.yaml'],
        ['kubernetes__website', 'content__en__examples__service__networking__name-virtual-host-ingress.yaml'],
      ]) {
        assert.equal(readFileSync(join(work, project, file), 'utf8'), readFileSync(join(ROOT, project, file), 'utf8'), `${project}/${file}`);
      }
    });

    it('applies the sure fixes (the lowercase hostport typo, the Ingress migration)', () => {
      assert.match(readFileSync(join(work, 'traefik__traefik', 'examples__k8s__traefik-ds.yaml'), 'utf8'), /\bhostPort: 8080/);
      const ingress = readFileSync(join(work, 'istio__istio', 'samples__bookinfo__platform__kube__bookinfo-ingress.yaml'), 'utf8');
      assert.match(ingress, /^apiVersion: networking\.k8s\.io\/v1$/m);
      assert.match(ingress, /^ {2}ingressClassName: istio$/m);
    });
  });
});
