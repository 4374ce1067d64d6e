// Clear messages: a file skipped for size, encoding or binary content says so
// once (information on line 1 in the editor, one stderr line in the CLI),
// never silently; Helm templates are counted by the CLI and logged once by the
// server, never reported one by one.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client, ensureBuilt, ROOT, uriOf } from './lsp';

const BIN = join(ROOT, 'bin', 'kube-expose.js');
const CORPUS = join(ROOT, 'test', 'fixtures', 'hostile');
const MB = 1024 * 1024;

const SVC = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n  ports:\n    - port: 80\n      nodePort: 5\n';

/** name -> why it is skipped */
const SKIPPED: Record<string, RegExp> = {
  'k8s/huge.yaml': /50\.0 MiB, over the 5\.0 MiB limit \(setting maxFileSize\)/,
  'k8s/sparse.yaml': /8192\.0 MiB, over the 5\.0 MiB limit/,
  'k8s/utf16.yaml': /UTF-16/,
  'k8s/latin1.yaml': /not valid UTF-8/,
  'k8s/nul.yaml': /NUL bytes/,
  'k8s/binary.yaml': /NUL bytes/,
};
const TEMPLATES = ['chart/templates/svc.yaml', 'chart/templates/ingress.yaml'];

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kx-msg-'));
  mkdirSync(join(dir, 'k8s'));
  mkdirSync(join(dir, 'chart', 'templates'), { recursive: true });
  writeFileSync(join(dir, 'k8s', 'svc.yaml'), SVC);
  writeFileSync(join(dir, 'k8s', 'huge.yaml'), '');
  truncateSync(join(dir, 'k8s', 'huge.yaml'), 50 * MB);
  writeFileSync(join(dir, 'k8s', 'sparse.yaml'), '');
  truncateSync(join(dir, 'k8s', 'sparse.yaml'), 8 * 1024 * MB); // a sparse 8 GiB file: never read, never allocated
  for (const name of ['utf16.yaml', 'latin1.yaml', 'nul.yaml', 'binary.yaml']) copyFileSync(join(CORPUS, name), join(dir, 'k8s', name));
  copyFileSync(join(CORPUS, 'helm-template.yaml'), join(dir, TEMPLATES[0]));
  copyFileSync(join(CORPUS, 'go-template-fragment.yaml'), join(dir, TEMPLATES[1]));
  return dir;
}

before(() => ensureBuilt());

describe('skipped files and templates: the CLI', { timeout: 60_000 }, () => {
  let dir: string;
  before(() => (dir = workspace()));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('says once on stderr why each file is skipped, and counts templates in the summary', () => {
    const started = Date.now();
    const r = spawnSync(process.execPath, [BIN, 'check', '.'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000 });
    assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
    assert.equal(r.status, 1, r.stderr); // the nodePort error of svc.yaml
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, Object.keys(SKIPPED).length, r.stderr);
    for (const [name, why] of Object.entries(SKIPPED)) {
      const mine = lines.filter((l) => l.startsWith(`kube-expose: ${name}: `));
      assert.equal(mine.length, 1, `one stderr line for ${name}:\n${r.stderr}`);
      assert.match(mine[0], why);
    }
    assert.match(r.stdout, /skipped: 2 template files; not checked: 6 files \(size, binary or encoding\)/);
    for (const t of TEMPLATES) assert.ok(!r.stdout.includes(t), `template ${t} is not reported`);
  });

  it('reports each skipped file once, as information on line 1, in JSON', () => {
    const r = spawnSync(process.execPath, [BIN, 'check', '.', '--format', 'json'], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
    const out = JSON.parse(r.stdout) as { diagnostics: { file: string; rule: string; severity: string; range: { start: { line: number } } }[] };
    for (const name of Object.keys(SKIPPED)) {
      const mine = out.diagnostics.filter((d) => d.file === name);
      assert.equal(mine.length, 1, name);
      assert.equal(mine[0].rule, 'file-skipped');
      assert.equal(mine[0].severity, 'information');
      assert.equal(mine[0].range.start.line, 0);
    }
    assert.equal(out.diagnostics.filter((d) => TEMPLATES.includes(d.file)).length, 0);
  });

  it('the size limit is a setting', () => {
    const small = mkdtempSync(join(tmpdir(), 'kx-msg-'));
    try {
      writeFileSync(join(small, 'svc.yaml'), SVC);
      writeFileSync(join(small, '.kube-expose.yaml'), 'maxFileSize: 100\n');
      const r = spawnSync(process.execPath, [BIN, 'check', '.'], { cwd: small, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      assert.equal(r.status, 0);
      assert.match(r.stderr, /^kube-expose: svc\.yaml: kube-expose skipped this file: it is \d+ bytes, over the 100 bytes limit \(setting maxFileSize\)\.\n$/);
      writeFileSync(join(small, '.kube-expose.yaml'), `maxFileSize: ${60 * MB}\n`);
      const checked = spawnSync(process.execPath, [BIN, 'check', '.'], { cwd: small, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      assert.equal(checked.status, 1, 'checked again: its nodePort error counts');
      assert.equal(checked.stderr, '');
    } finally {
      rmSync(small, { recursive: true, force: true });
    }
  });
});

describe('skipped files and templates: the language server', { timeout: 60_000 }, () => {
  let dir: string;
  let client: Client;
  before(async () => {
    dir = workspace();
    client = await Client.start({ folders: [dir] });
    await client.waitFor('the index', () => client.published(uriOf(join(dir, 'k8s', 'svc.yaml'))));
    await client.quiet(300);
  });
  after(async () => {
    await client?.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes one information note on line 1 for each skipped file', () => {
    for (const [name, why] of Object.entries(SKIPPED)) {
      const ds = client.published(uriOf(join(dir, name)));
      assert.equal(ds?.length, 1, `${name}: ${JSON.stringify(ds)}`);
      assert.equal(ds![0].code, 'file-skipped');
      assert.equal(ds![0].severity, 3);
      assert.equal(ds![0].range.start.line, 0);
      assert.match(ds![0].message, why);
    }
  });

  it('logs each template once and publishes nothing for it', () => {
    for (const t of TEMPLATES) {
      const path = join(dir, t);
      assert.equal(client.logs.filter((l) => l.includes(path)).length, 1, `one log line for ${t}:\n${client.logs.join('\n')}`);
      assert.ok(!client.published(uriOf(path))?.length, `nothing published for ${t}`);
    }
  });

  it('says it once while a skipped or template file is being edited, not per keystroke', async () => {
    const tpl = uriOf(join(dir, TEMPLATES[0]));
    client.open(tpl, '{{ .Values.x }}\napiVersion: v1\n');
    const bin = uriOf(join(dir, 'k8s', 'typed.yaml'));
    client.open(bin, 'a: \u0000\n');
    for (let i = 0; i < 30; i++) {
      client.edit(tpl, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'x' }]);
      client.edit(bin, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'y' }]);
      await new Promise((r) => setTimeout(r, i % 5 === 0 ? 200 : 5));
    }
    await client.quiet(400);
    assert.equal(client.logs.filter((l) => l.includes(join(dir, TEMPLATES[0]))).length, 1, client.logs.join('\n'));
    assert.ok(!client.published(tpl)?.length);
    const ds = client.published(bin);
    assert.deepEqual(ds?.map((d) => [d.code, d.severity, d.range.start.line]), [['file-skipped', 3, 0]]);
    client.close(tpl);
    client.close(bin);
  });

  it('an open document over the size limit is skipped with a note, and checked again once it shrinks', async () => {
    const uri = uriOf(join(dir, 'k8s', 'big-open.yaml'));
    const big = SVC + `# ${'x'.repeat(6 * MB)}\n`;
    client.open(uri, big);
    await client.waitFor('the size note', () => client.published(uri)?.find((d) => d.code === 'file-skipped'), 20_000);
    assert.match(client.published(uri)![0].message, /over the 5\.0 MiB limit \(setting maxFileSize\)/);
    client.replace(uri, SVC);
    await client.waitFor('checked again', () => client.published(uri)?.find((d) => d.code === 'service-nodeport-range'), 20_000);
    assert.ok(!client.published(uri)!.some((d) => d.code === 'file-skipped'));
    client.close(uri);
  });
});
