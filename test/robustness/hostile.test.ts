// The hostile-input corpus (test/fixtures/hostile) and generated hostile
// inputs through the engine: no crash, no hang, every range inside its
// document, and the specific answer each input deserves.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_CONFIG } from '../../server/src/index';
import { splitDocuments } from '../../server/src/engine/parse';
import { decodeManifest } from '../../server/src/node/files';
import { assertSound, coldCheck, show } from './invariants';

process.removeAllListeners('warning'); // the YAML library warns about odd keys of hostile input

export const CORPUS = join(__dirname, '..', 'fixtures', 'hostile');

interface Expect {
  skipped?: 'size' | 'binary' | 'encoding';
  /** rules that must be reported (with at least this many findings) */
  rules?: Record<string, number>;
  /** rules that must not be reported */
  none?: string[];
  /** a message must match */
  message?: RegExp;
  /** no finding at all */
  clean?: boolean;
}

const EXPECT: Record<string, Expect> = {
  'bom.yaml': { rules: { 'service-selector-no-match': 1 }, none: ['yaml-syntax'] },
  'crlf.yaml': { rules: { 'service-selector-no-match': 1 }, none: ['yaml-syntax'] },
  'mixed-eol.yaml': {},
  'tabs.yaml': { rules: { 'yaml-syntax': 1 }, message: /Tabs are not allowed as indentation/ },
  'tab-after-colon.yaml': { none: ['yaml-syntax'] },
  'latin1.yaml': { skipped: 'encoding' },
  'utf16.yaml': { skipped: 'encoding' },
  'nul.yaml': { skipped: 'binary' },
  'binary.yaml': { skipped: 'binary' },
  'alias-bomb.yaml': { rules: { 'yaml-syntax': 1 }, message: /resource exhaustion/ },
  'alias-bomb-service.yaml': { rules: { 'yaml-syntax': 1 }, message: /resource exhaustion/ },
  'anchors.yaml': { none: ['yaml-syntax', 'service-selector-no-match', 'workload-selector-mismatch'] },
  'wrong-kind-types.yaml': { rules: { schema: 5 }, none: ['yaml-syntax'] },
  'list-junk.yaml': { none: ['yaml-syntax'] },
  'duplicate-keys.yaml': { rules: { 'yaml-syntax': 2 }, message: /Map keys must be unique/ },
  'helm-template.yaml': { clean: true },
  'go-template-fragment.yaml': { clean: true },
  'json-manifest.yaml': { rules: { 'service-nodeport-range': 1 }, none: ['yaml-syntax'] },
  'json-list.json': { rules: { 'service-nodeport-range': 1 }, none: ['yaml-syntax'] },
  'empty.yaml': { clean: true },
  'comments-only.yaml': { clean: true },
  'only-separators.yaml': { clean: true },
  'whitespace.yaml': { clean: true },
  'directives.yaml': { rules: { 'yaml-syntax': 1 } },
  'unicode.yaml': { rules: { schema: 1 }, none: ['yaml-syntax'] },
  'tags.yaml': { none: ['yaml-syntax'] },
  'complex-keys.yaml': { none: ['yaml-syntax'] },
  'multi-doc-broken.yaml': { rules: { 'yaml-syntax': 1, 'service-selector-no-match': 1 } },
  'block-scalars.yaml': { clean: true },
  'huge-numbers.yaml': { rules: { schema: 3 }, none: ['yaml-syntax'] },
};

describe('hostile corpus through the engine', () => {
  const names = readdirSync(CORPUS).filter((n) => n !== 'README.md' && statSync(join(CORPUS, n)).isFile()); // fixes/: fix-preservation.test.ts

  it('has an expectation for every file', () => {
    assert.deepEqual(names.filter((n) => !(n in EXPECT)), []);
    assert.deepEqual(Object.keys(EXPECT).filter((n) => !names.includes(n)), []);
  });

  for (const name of names) {
    it(name, () => {
      const expect = EXPECT[name] ?? {};
      const read = decodeManifest(readFileSync(join(CORPUS, name)), DEFAULT_CONFIG.maxFileSize);
      if (expect.skipped) {
        assert.ok('skipped' in read, `${name} is skipped`);
        assert.equal(read.skipped, expect.skipped);
        assert.match(read.detail, /^kube-expose skipped this file: /);
        return;
      }
      assert.ok('text' in read, `${name} is read`);
      const files = { [`hostile/${name}`]: read.text };
      const result = coldCheck(files);
      assertSound(files, result, 5000);
      const ds = result.diagnostics;
      if (expect.clean) assert.equal(ds.length, 0, show(ds));
      for (const [rule, n] of Object.entries(expect.rules ?? {})) {
        assert.ok(ds.filter((d) => d.rule === rule).length >= n, `expected ${n}+ ${rule} in ${name}:\n${show(ds)}`);
      }
      for (const rule of expect.none ?? []) assert.equal(ds.filter((d) => d.rule === rule).length, 0, `no ${rule} in ${name}:\n${show(ds)}`);
      if (expect.message) assert.ok(ds.some((d) => expect.message!.test(d.message)), `a message matching ${expect.message} in ${name}:\n${show(ds)}`);
    });
  }

  it('places findings after a BOM and in CRLF files on the right lines', () => {
    for (const name of ['bom.yaml', 'crlf.yaml']) {
      const read = decodeManifest(readFileSync(join(CORPUS, name)), DEFAULT_CONFIG.maxFileSize);
      assert.ok('text' in read);
      const [d] = coldCheck({ [name]: read.text }).diagnostics.filter((x) => x.rule === 'service-selector-no-match');
      assert.deepEqual(d.range, { start: { line: 5, character: 2 }, end: { line: 5, character: 10 } }, name);
    }
  });
});

const svc = (extra = '') => `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n${extra}`;

function sound(text: string, maxMs = 5000): ReturnType<typeof coldCheck>['diagnostics'] {
  const files = { 'gen/x.yaml': text };
  const result = coldCheck(files);
  assertSound(files, result, maxMs);
  return result.diagnostics;
}

describe('generated hostile input through the engine', () => {
  it('YAML syntax errors at every position: a document cut after every character of a line', () => {
    const text = svc('  type: NodePort\n  externalIPs: ["1.2.3.4", {a: [b, "c"]}]\n  clusterIP: \'x\' # note\n');
    for (let i = 0; i <= text.length; i++) sound(text.slice(0, i));
  });

  it('deeply nested flow collections are reported, not overflowed', () => {
    for (const depth of [100, 1000, 5000]) {
      for (const [open, close] of [
        ['[', ']'],
        ['{a: ', '}'],
      ]) {
        const ds = sound(`apiVersion: v1\nkind: Service\nmetadata: {name: deep}\nspec:\n  ports: ${open.repeat(depth)}${close.repeat(depth)}\n`);
        if (depth >= 5000) assert.ok(ds.some((d) => d.rule === 'yaml-syntax' && /nested too deeply/.test(d.message)), show(ds));
      }
      sound(`apiVersion: v1\nkind: Service\nspec: ${'['.repeat(depth)}\n`); // unclosed
    }
  });

  it('deeply nested block collections', () => {
    for (const depth of [500, 2000]) {
      sound('apiVersion: v1\nkind: Service\nspec:\n' + Array.from({ length: depth }, (_, i) => ' '.repeat(i + 1) + `k${i}:`).join('\n') + ' 1\n');
      sound('apiVersion: v1\nkind: Service\nspec:\n' + Array.from({ length: depth }, (_, i) => ' '.repeat(i) + '-').join('\n') + ' 1\n');
    }
  });

  it('10,000-character lines: values, keys, comments, flow lists, plain text', () => {
    const long = 'x'.repeat(10_000);
    sound(svc(`  clusterIP: ${long}\n`));
    sound(svc(`  clusterIP: "${long}"\n`));
    sound(svc(`  ${long}: 1\n`));
    sound(svc(`  ${'y'.repeat(100_000)}: 1\n`));
    sound(svc(`# ${long}\n`));
    sound(svc(`  externalIPs: [${Array.from({ length: 2000 }, (_, i) => `"10.0.${i >> 8}.${i & 255}"`).join(', ')}]\n`));
    sound(`${long}\n` + svc());
    sound(svc().replace('web\n', `web-${'a'.repeat(10_000)}\n`));
    sound(svc(`  selector: {${Array.from({ length: 1000 }, (_, i) => `k${i}: v${i}`).join(', ')}}\n`).replace('  selector:\n    app: web\n', ''));
  });

  it('apiVersion and kind of the wrong type are not resources and do not crash', () => {
    for (const v of ['1', '{a: 1}', '[Service]', 'null', '', '~', 'true', '1.5', '!!binary aGVsbG8=', '&a x', '*nope', '"   "']) {
      sound(`apiVersion: ${v}\nkind: Service\nmetadata: {name: x}\nspec: {ports: [{port: 80}]}\n`);
      sound(`apiVersion: v1\nkind: ${v}\nmetadata: {name: x}\nspec: {ports: [{port: 80}]}\n`);
      sound(`apiVersion: v1\nkind: List\nitems:\n  - apiVersion: ${v}\n    kind: ${v}\n`);
    }
  });

  it('documents that are not maps', () => {
    for (const doc of ['- a\n- b\n', '42\n', '"str"\n', 'null\n', '!!set {a, b}\n', '? a\n', '[apiVersion, kind]\n', '&a [*a]\n']) sound(`${doc}---\n${svc()}`);
  });

  it('duplicate keys at every level are syntax errors, reported once each', () => {
    const ds = sound('apiVersion: v1\napiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  name: b\nspec:\n  ports:\n    - port: 80\n      port: 81\n');
    assert.equal(ds.filter((d) => d.rule === 'yaml-syntax').length, 3, show(ds));
  });

  it('Helm templates and Go-template fragments are skipped whole, never reported', () => {
    for (const t of [
      '{{ .Values.x }}',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n',
      '{{- define "x" -}}\nkind: Service\n{{- end }}\n',
      'apiVersion: v1\nkind: Service\nspec:\n  ports: {{ toYaml .Values.ports | nindent 4 }}\n',
      '{{/* a comment */}}\napiVersion: v1\n',
    ]) {
      assert.deepEqual(sound(t), [], t);
    }
  });

  it('JSON manifests, pretty and on one line', () => {
    const value = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'j' }, spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 5 }] } };
    for (const text of [JSON.stringify(value), JSON.stringify(value, null, 2), JSON.stringify(value, null, '\t')]) {
      assert.ok(sound(text).some((d) => d.rule === 'service-nodeport-range'), text);
    }
  });

  it('splits documents the way the line index counts lines (lone CR, CRLF, U+2028)', () => {
    for (const text of ['a: 1\r---\nb: 2\n---\nc: 3', 'a: 1\r\n---\r\nb: 2\r\n', 'a: "x\u2028y"\n---\nb: 2\n', '\r\r\n---\n\r']) {
      const parts = splitDocuments(text);
      assert.equal(parts.map((p) => p.text).join(''), text);
      for (const p of parts) {
        const before = text.slice(0, p.startOffset);
        const breaks = (before.match(/\r\n|\r|\n/g) ?? []).length;
        assert.equal(p.startLine, breaks, JSON.stringify(text));
      }
    }
  });

  it('many documents and a big list stay well within the time limit', () => {
    const docs = Array.from({ length: 300 }, (_, i) => svc().replace('name: web', `name: web-${i}`)).join('---\n');
    sound(docs, 10_000);
  });
});
