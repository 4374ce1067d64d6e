// Security: nothing from the workspace is executed or fetched, no network at
// all; indexing never follows a symlink out of the workspace; a malicious
// .kube-expose.yaml can only change severities and ranges, and is refused
// with a clear error otherwise.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ALL_RULES, ConfigError, parseConfigFile } from '../../server/src/index';
import { collectFiles } from '../../server/src/node/files';
import { Client, ensureBuilt, ROOT, uriOf } from './lsp';

process.removeAllListeners('warning'); // the YAML library warns about the unknown tags of the bait

const TRAP = join(__dirname, 'no-network.cjs');
const BIN = join(ROOT, 'bin', 'kube-expose.js');
const RULE_IDS = ALL_RULES.map((r) => r.id);

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kx-sec-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

const PWNED = join(tmpdir(), `kx-pwned-${process.pid}`);

/** Manifests that invite fetching or running something. */
const BAIT: Record<string, string> = {
  'k8s/svc.yaml': `# yaml-language-server: $schema=https://example.invalid/schema.json
$schema: https://example.invalid/service.json
apiVersion: v1
kind: Service
metadata:
  name: db
  annotations:
    kube-expose.io/ignore: "\${process.exit(1)}"
spec:
  type: ExternalName
  externalName: db.example.invalid
  ports:
    - port: 5432
`,
  'k8s/ingress.yaml': `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
spec:
  ingressClassName: nginx
  rules:
    - host: shop.example.invalid
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 80
`,
  'k8s/tags.yaml': `apiVersion: v1
kind: Service
metadata:
  name: !!js/function "function () { require('fs').writeFileSync('${PWNED}', 'x') }"
spec:
  selector: !<tag:yaml.org,2002:js/undefined> ''
  ports: [{port: 80}]
`,
  'chart/templates/svc.yaml': `apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ exec "touch ${PWNED}" }}\n`,
  'k8s/endpoints.yaml': `apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: db\nsubsets:\n  - addresses: [{ip: 10.0.0.1, hostname: evil.example.invalid}]\n    ports: [{port: 5432}]\n`,
  '.kube-expose.yaml': `nodePortRange: 30000-32767\nrules:\n  service-no-backends: off\n`,
};

function run(args: string[], cwd: string, trapLog: string) {
  return spawnSync(process.execPath, ['--require', TRAP, BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, KX_TRAP_LOG: trapLog, NO_COLOR: '1' }, timeout: 60_000 });
}

before(() => ensureBuilt());

describe('no network, nothing executed', { timeout: 120_000 }, () => {
  let dir: string;
  let trapLog: string;
  before(() => {
    dir = folder(BAIT);
    trapLog = join(dir, '..', `kx-trap-${process.pid}-${Date.now()}.log`);
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(trapLog, { force: true });
  });

  it('the trap works: a trapped process that tries the network is recorded', () => {
    const r = spawnSync(process.execPath, ['--require', TRAP, '-e', "require('node:dns').lookup('example.com', () => {})"], { encoding: 'utf8', env: { ...process.env, KX_TRAP_LOG: trapLog } });
    assert.notEqual(r.status, 0);
    assert.match(readFileSync(trapLog, 'utf8'), /^dns\.lookup/);
    rmSync(trapLog);
  });

  it('the CLI checks in every format without touching the network', () => {
    for (const format of ['text', 'json', 'sarif']) {
      const r = run(['check', '.', '--format', format], dir, trapLog);
      assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
      assert.ok(r.stdout.length > 0);
    }
    const fix = run(['check', '.', '--fix'], dir, trapLog);
    assert.ok(fix.status === 0 || fix.status === 1, fix.stderr);
    assert.equal(existsSync(trapLog) ? readFileSync(trapLog, 'utf8') : '', '', 'network or process calls were made');
    assert.ok(!existsSync(PWNED), 'workspace content was executed');
  });

  it('a language server session over stdio works and never touches the network', async () => {
    const client = await Client.start({ folders: [dir], nodeArgs: ['--require', TRAP], env: { ...process.env, KX_TRAP_LOG: trapLog } });
    try {
      const svc = join(dir, 'k8s/svc.yaml');
      await client.waitFor('diagnostics of the folder', () => (client.publishes.length ? true : undefined));
      const uri = uriOf(svc);
      client.open(uri, readFileSync(svc, 'utf8'));
      client.edit(uri, [{ range: { start: { line: 10, character: 16 }, end: { line: 10, character: 16 } }, text: 'x' }]);
      const caps = client.result.capabilities as Record<string, unknown>;
      const pos = { line: 10, character: 18 };
      await client.request('textDocument/codeAction', { textDocument: { uri }, range: { start: pos, end: pos }, context: { diagnostics: [] } });
      if (caps.hoverProvider) await client.request('textDocument/hover', { textDocument: { uri }, position: pos });
      if (caps.completionProvider) await client.request('textDocument/completion', { textDocument: { uri }, position: pos });
      if (caps.definitionProvider) await client.request('textDocument/definition', { textDocument: { uri }, position: { line: 5, character: 9 } });
      if (caps.documentSymbolProvider) await client.request('textDocument/documentSymbol', { textDocument: { uri } });
      if (caps.workspaceSymbolProvider) await client.request('workspace/symbol', { query: 'db' });
      client.fileEvents([{ uri: uriOf(join(dir, '.kube-expose.yaml')), type: 2 }]);
      await client.quiet(500);
      assert.ok(client.publishes.length > 0, 'the stdio transport carried diagnostics');
    } finally {
      await client.shutdown();
    }
    assert.equal(existsSync(trapLog) ? readFileSync(trapLog, 'utf8') : '', '', 'network or process calls were made');
    assert.ok(!existsSync(PWNED), 'workspace content was executed');
  });
});

describe('symlinks never lead out of the workspace', { timeout: 60_000 }, () => {
  let root: string;
  let ws: string;
  let outside: string;
  const finding = `apiVersion: v1\nkind: Service\nmetadata:\n  name: outside\nspec:\n  type: NodePort\n  ports: [{port: 80, nodePort: 5}]\n`;

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'kx-links-'));
    ws = join(root, 'ws');
    outside = join(root, 'outside');
    mkdirSync(join(ws, 'k8s'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret.yaml'), finding);
    writeFileSync(join(ws, 'k8s', 'svc.yaml'), finding.replace('outside', 'inside'));
    symlinkSync('/etc', join(ws, 'etc-link'));
    symlinkSync(outside, join(ws, 'outside-dir'));
    symlinkSync(join(outside, 'secret.yaml'), join(ws, 'k8s', 'secret.yaml'));
    symlinkSync(join(ws, 'k8s', 'svc.yaml'), join(ws, 'inside-link.yaml'));
    symlinkSync(ws, join(ws, 'k8s', 'loop'));
    symlinkSync(join(root, 'nowhere.yaml'), join(ws, 'dangling.yaml'));
    symlinkSync('/dev/zero', join(ws, 'zero.yaml'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('collectFiles keeps real files and links inside, nothing else', () => {
    const files = collectFiles([ws]).map((f) => f.slice(ws.length + 1)).sort();
    assert.deepEqual(files, ['inside-link.yaml', 'k8s/svc.yaml']);
  });

  it('the CLI reports nothing from outside', () => {
    const r = spawnSync(process.execPath, [BIN, 'check', '.', '--format', 'json'], { cwd: ws, encoding: 'utf8', timeout: 30_000 });
    const out = JSON.parse(r.stdout) as { diagnostics: { file: string }[]; summary: { files: number } };
    assert.equal(out.summary.files, 2, r.stdout);
    assert.ok(out.diagnostics.every((d) => d.file === 'k8s/svc.yaml' || d.file === 'inside-link.yaml'), r.stdout);
  });

  it('the server indexes nothing from outside, even when a watcher announces the links', async () => {
    const client = await Client.start({ folders: [ws] });
    try {
      await client.waitFor('the inside file', () => client.published(uriOf(join(ws, 'k8s', 'svc.yaml'))));
      // editors report created links like any file or folder
      client.fileEvents([
        { uri: uriOf(join(ws, 'etc-link')), type: 1 },
        { uri: uriOf(join(ws, 'outside-dir')), type: 1 },
        { uri: uriOf(join(ws, 'k8s', 'secret.yaml')), type: 1 },
        { uri: uriOf(join(ws, 'k8s', 'loop')), type: 1 },
        { uri: uriOf(join(ws, 'zero.yaml')), type: 1 },
        { uri: uriOf(join(ws, 'dangling.yaml')), type: 1 },
      ]);
      await client.quiet(600);
      const published = [...client.diagnostics.keys()].filter((u) => (client.diagnostics.get(u)?.diagnostics.length ?? 0) > 0);
      const allowed = new Set([uriOf(join(ws, 'k8s', 'svc.yaml')), uriOf(join(ws, 'inside-link.yaml'))]);
      assert.deepEqual(published.filter((u) => !allowed.has(u)), [], 'diagnostics for files outside the workspace');
      assert.doesNotMatch(client.logs.join('\n'), /\/etc\//, 'nothing under /etc was read');
      assert.ok(!client.exited);
    } finally {
      await client.shutdown();
    }
  });
});

describe('a malicious .kube-expose.yaml', { timeout: 60_000 }, () => {
  const bad: [string, string, RegExp][] = [
    ['alias bomb', 'a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n', /not valid YAML|unknown key/],
    ['unknown key', 'exec: rm -rf /\n', /unknown key "exec"/],
    ['remote extends', 'extends: https://example.invalid/config.yaml\n', /unknown key "extends"/],
    ['plugins', 'plugins: [./evil.js]\n', /unknown key "plugins"/],
    ['prototype pollution', '__proto__: {polluted: true}\n', /unknown key|__proto__/],
    ['huge nodePortRange', 'nodePortRange: 0-99999999999999999999\n', /nodePortRange/],
    ['reversed nodePortRange', 'nodePortRange: 32767-30000\n', /nodePortRange/],
    ['nodePortRange as a map', 'nodePortRange: {min: 1}\n', /nodePortRange/],
    ['infinite maxFileSize', 'maxFileSize: .inf\n', /maxFileSize/],
    ['NaN maxFileSize', 'maxFileSize: .nan\n', /maxFileSize/],
    ['negative maxFileSize', 'maxFileSize: -1\n', /maxFileSize/],
    ['fractional maxFileSize', 'maxFileSize: 0.5\n', /maxFileSize/],
    ['string maxFileSize', 'maxFileSize: "5MB"\n', /maxFileSize/],
    ['unknown rule', 'rules:\n  rm-rf: error\n', /rules\.rm-rf: unknown rule id/],
    ['bad severity', 'rules:\n  schema: fatal\n', /rules\.schema/],
    ['rules as a list', 'rules: [schema]\n', /rules/],
    ['thousands of unknown rules', `rules:\n${Array.from({ length: 5000 }, (_, i) => `  r${i}: off`).join('\n')}\n`, /unknown rule id/],
    ['namespace path', 'defaultNamespace: ../../etc\n', /defaultNamespace/],
    ['long namespace', `defaultNamespace: ${'a'.repeat(1000)}\n`, /defaultNamespace/],
    ['conflict scope', 'conflictScope: everything\n', /conflictScope/],
    ['exclude not a list', 'exclude: "**"\n', /exclude/],
    ['exclude of numbers', 'exclude: [1, 2]\n', /exclude/],
    ['a list', '- a\n- b\n', /\(root\)|must be object/],
    ['a number', '42\n', /\(root\)|must be object/],
    ['deep nesting', `ingress: ${'{a: '.repeat(3000)}1${'}'.repeat(3000)}\n`, /ingress|not valid YAML/],
    ['duplicate keys', 'maxFileSize: 1\nmaxFileSize: 2\n', /not valid YAML/],
    ['tags', 'rules: !!js/function "function(){}"\n', /rules|not valid YAML/],
  ];

  for (const [name, text, message] of bad) {
    it(`refuses ${name} with a clear error`, () => {
      const started = Date.now();
      assert.throws(() => parseConfigFile(text, RULE_IDS), (e: unknown) => e instanceof ConfigError && message.test(e.message) && !e.message.includes('\n'));
      // a guard against a hang, not a benchmark: generous for a loaded CI machine
      assert.ok(Date.now() - started < 10_000, `${name} took ${Date.now() - started} ms`);
      assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype polluted');
    });
  }

  it('accepts odd but valid values, which change severities and ranges only', () => {
    const cfg = parseConfigFile('\uFEFFnodePortRange: " 1 - 65535 "\r\nmaxFileSize: 1\r\nrules: {}\r\nexclude: ["../../../**", "**/**/**/**/**/**/**/**/**/**/*.yaml", "[z-a]"]\r\n', RULE_IDS);
    assert.deepEqual(Object.keys(cfg).sort(), ['exclude', 'maxFileSize', 'nodePortRange', 'rules']);
  });

  it('the CLI exits 2 with one line naming the key, and pathological globs stay fast', () => {
    const dir = folder({ 'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: [{port: 80}]}\n' });
    try {
      for (const [, text, message] of [bad[0], bad[1], bad[5], bad[13]]) {
        writeFileSync(join(dir, '.kube-expose.yaml'), text);
        const r = spawnSync(process.execPath, [BIN, 'check', '.'], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
        assert.equal(r.status, 2, r.stdout + r.stderr);
        assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
        assert.match(r.stderr, message);
      }
      writeFileSync(join(dir, '.kube-expose.yaml'), 'exclude:\n  - "**/**/**/**/**/**/**/**/**/**/**/**/**/**/**/**/*.y?(a)ml"\n  - "../../../**"\n  - "!(*)"\n');
      for (let i = 0; i < 30; i++) mkdirSync(join(dir, ...Array.from({ length: 12 }, (_, k) => `d${(i + k) % 5}`)), { recursive: true });
      const started = Date.now();
      const r = spawnSync(process.execPath, [BIN, 'check', '.'], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
      assert.ok(r.status === 0 || r.status === 1, r.stderr);
      assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the server reports a broken config on the file, keeps checking, and survives a bomb', async () => {
    const dir = folder({
      'k8s/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n  type: NodePort\n  ports: [{port: 80, nodePort: 5}]\n',
      '.kube-expose.yaml': bad[0][1],
    });
    const client = await Client.start({ folders: [dir] });
    try {
      const cfg = uriOf(join(dir, '.kube-expose.yaml'));
      await client.waitFor('config error', () => client.published(cfg)?.find((d) => d.code === 'config'));
      await client.waitFor('the manifest still checked', () => client.published(uriOf(join(dir, 'k8s/svc.yaml')))?.find((d) => d.code === 'service-nodeport-range'));
      for (const [, text] of bad) {
        writeFileSync(join(dir, '.kube-expose.yaml'), text);
        client.fileEvents([{ uri: cfg, type: 2 }]);
      }
      writeFileSync(join(dir, '.kube-expose.yaml'), 'rules:\n  service-nodeport-range: off\n');
      client.fileEvents([{ uri: cfg, type: 2 }]);
      await client.waitFor('the valid config applied', () => {
        const ds = client.published(uriOf(join(dir, 'k8s/svc.yaml')));
        return ds && !ds.some((d) => d.code === 'service-nodeport-range') ? true : undefined;
      });
      assert.equal(client.published(cfg)?.length ?? 0, 0);
      const errors = client.messages.filter((m) => m.type === 1);
      assert.ok(errors.length >= 1 && errors.length <= bad.length, `${errors.length} error messages`);
    } finally {
      await client.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
