// The real `kube-expose` process on fixture folders: output shapes, exit codes, --fix.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { before, describe, it } from 'node:test';
import { ensureBuilt } from '../helpers/build';

const BIN = resolve('bin/kube-expose.js');

function kx(args: string[], opts: { cwd?: string; input?: string | Buffer } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: opts.cwd, input: opts.input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function fixture(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kx-cli-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web-frontend
  template:
    metadata:
      labels:
        app: web-frontend
    spec:
      containers:
        - name: web
          image: nginx
          ports:
            - name: http
              containerPort: 8080
`;

const SERVICE = `# the public face of web
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web # typo: the pods say web-frontend
  ports:
    - port: 80
      targetPort: http
`;

before(() => ensureBuilt());

describe('kube-expose CLI', () => {
  it('prints its version and help', () => {
    const v = kx(['--version']);
    assert.equal(v.code, 0);
    assert.equal(v.stdout.trim(), JSON.parse(readFileSync('package.json', 'utf8')).version);
    const h = kx(['--help']);
    assert.equal(h.code, 0);
    assert.match(h.stdout, /kube-expose check \[paths\.\.\. \| -\]/);
  });

  it('reports a clean folder with exit 0', () => {
    const dir = fixture({ 'k8s/deploy.yaml': DEPLOY, 'k8s/svc.yaml': SERVICE.replace('app: web #', 'app: web-frontend #') });
    const r = kx(['check', 'k8s'], { cwd: dir });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /no problems in 2 files, 2 resources/);
  });

  it('prints findings as path:line:col severity message [rule] with a code frame', () => {
    const dir = fixture({ 'k8s/deploy.yaml': DEPLOY, 'k8s/svc.yaml': SERVICE });
    const r = kx(['check', 'k8s'], { cwd: dir });
    assert.equal(r.code, 0, 'warnings alone exit 0');
    assert.match(r.stdout, /^k8s\/svc\.yaml:7:3 warning Service web selects no pods: .* \[service-selector-no-match\]$/m);
    assert.match(r.stdout, /^ {4}7 \| {3}selector:$/m);
    assert.match(r.stdout, /^ {6}\| {3}\^{8}$/m);
    assert.match(r.stdout, /1 problem \(0 errors, 1 warning, 0 information, 0 hints\) in 2 files, 2 resources/);
  });

  it('emits the stable JSON shape', () => {
    const dir = fixture({ 'k8s/deploy.yaml': DEPLOY, 'k8s/svc.yaml': SERVICE });
    const r = kx(['check', 'k8s', '--format', 'json'], { cwd: dir });
    const out = JSON.parse(r.stdout);
    assert.equal(out.version, 1);
    assert.deepEqual(Object.keys(out.summary), ['files', 'resources', 'errors', 'warnings', 'information', 'hints']);
    assert.deepEqual(out.summary, { files: 2, resources: 2, errors: 0, warnings: 1, information: 0, hints: 0 });
    const d = out.diagnostics.find((x: any) => x.rule === 'service-selector-no-match');
    assert.equal(d.file, 'k8s/svc.yaml');
    assert.equal(d.severity, 'warning');
    assert.deepEqual(d.range, { start: { line: 6, character: 2 }, end: { line: 6, character: 10 } });
    assert.deepEqual(d.resource, { kind: 'Service', namespace: 'default', name: 'web' });
    assert.equal(d.related[0].file, 'k8s/deploy.yaml');
    assert.equal(d.related[0].range.start.line, 10);
    assert.equal(d.fixes[0].title, 'Change selector to app=web-frontend (matches Deployment web)');
    assert.deepEqual(d.fixes[0].edits, [{ file: 'k8s/svc.yaml', range: { start: { line: 7, character: 9 }, end: { line: 7, character: 12 } }, newText: 'web-frontend' }]);
  });

  it('emits SARIF 2.1.0 with rule metadata and regions', () => {
    const dir = fixture({ 'k8s/deploy.yaml': DEPLOY, 'k8s/svc.yaml': SERVICE });
    const r = kx(['check', 'k8s', '--format', 'sarif'], { cwd: dir });
    const sarif = JSON.parse(r.stdout);
    assert.equal(sarif.version, '2.1.0');
    const run = sarif.runs[0];
    assert.equal(run.tool.driver.name, 'kube-expose');
    const ids = run.tool.driver.rules.map((x: any) => x.id);
    assert.ok(ids.includes('service-selector-no-match') && ids.includes('yaml-syntax'));
    const res = run.results.find((x: any) => x.ruleId === 'service-selector-no-match');
    assert.equal(res.level, 'warning');
    assert.equal(run.tool.driver.rules[res.ruleIndex].id, 'service-selector-no-match');
    assert.deepEqual(res.locations[0].physicalLocation.region, { startLine: 7, startColumn: 3, endLine: 7, endColumn: 11 });
    assert.equal(res.locations[0].physicalLocation.artifactLocation.uri, 'k8s/svc.yaml');
    assert.equal(res.relatedLocations[0].physicalLocation.artifactLocation.uri, 'k8s/deploy.yaml');
  });

  it('exits 1 on errors and reports YAML syntax errors while checking the other documents', () => {
    const broken = `apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  labels: {app: [}\n---\n${SERVICE}`;
    const dir = fixture({ 'k8s/deploy.yaml': DEPLOY, 'k8s/svc.yaml': broken });
    const r = kx(['check', '.', '--format', 'json'], { cwd: dir });
    assert.equal(r.code, 1);
    const out = JSON.parse(r.stdout);
    const syntax = out.diagnostics.filter((d: any) => d.rule === 'yaml-syntax');
    assert.ok(syntax.length >= 1);
    assert.equal(syntax[0].range.start.line, 4);
    assert.ok(out.diagnostics.some((d: any) => d.rule === 'service-selector-no-match' && d.range.start.line === 12));
  });

  it('--max-warnings turns warnings into a failure', () => {
    const dir = fixture({ 'k8s/deploy.yaml': DEPLOY, 'k8s/svc.yaml': SERVICE });
    assert.equal(kx(['check', 'k8s', '--max-warnings', '1'], { cwd: dir }).code, 0);
    assert.equal(kx(['check', 'k8s', '--max-warnings', '0'], { cwd: dir }).code, 1);
  });

  it('exits 2 with a one-line message on usage, config and I/O errors', () => {
    const dir = fixture({ 'k8s/svc.yaml': SERVICE, 'bad/.kube-expose.yaml': 'rules:\n  no-such-rule: off\n', 'bad/a.yaml': SERVICE, 'bad2/.kube-expose.yaml': 'conflictScope: galaxy\n', 'bad2/a.yaml': SERVICE });
    for (const [args, pattern] of [
      [['check', '--format', 'xml', 'k8s'], /--format must be text, json or sarif/],
      [['check', '--bogus', 'k8s'], /Unknown option '--bogus'/],
      [['check', 'missing-folder'], /missing-folder: no such file or directory/],
      [['check', 'bad'], /rules\.no-such-rule: unknown rule id/],
      [['check', 'bad2'], /conflictScope: .*(file, directory, workspace)/],
      [['check', '--node-port-range', '40000-30000', 'k8s'], /nodePortRange/],
      [['check', '--config', 'nope.yaml', 'k8s'], /nope\.yaml/],
      [['frobnicate'], /unknown command "frobnicate"/],
    ] as [string[], RegExp][]) {
      const r = kx(args, { cwd: dir });
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, pattern);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    }
  });

  it('--fix applies the preferred fix in place, keeps comments, and reports what is left', () => {
    const dir = fixture({ 'k8s/deploy.yaml': DEPLOY, 'k8s/svc.yaml': SERVICE });
    const r = kx(['check', 'k8s', '--fix'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /applied 1 fix in k8s\/svc\.yaml/);
    const fixed = readFileSync(join(dir, 'k8s/svc.yaml'), 'utf8');
    assert.equal(fixed, SERVICE.replace('app: web #', 'app: web-frontend #'));
    assert.match(r.stdout, /no problems/);
  });

  it('reads the patches a kustomization names as patches, whichever of its three names it has', () => {
    const base = {
      'base/kustomization.yaml': 'resources:\n  - web.yaml\n',
      'base/web.yaml': `${DEPLOY}---\n${SERVICE.replace('app: web # typo: the pods say web-frontend', 'app: web-frontend')}`,
      // a partial Service: read as a whole object it has no selector, so no backends
      'prod/service-type.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n',
    };
    const kustomization = 'resources:\n  - ../base\npatches:\n  - path: service-type.yaml\n';
    for (const name of ['kustomization.yaml', 'kustomization.yml', 'Kustomization']) {
      const dir = fixture({ ...base, [`prod/${name}`]: kustomization });
      const r = kx(['check', '.', '--format', 'json'], { cwd: dir });
      assert.deepEqual(JSON.parse(r.stdout).diagnostics, [], `${name}: ${r.stdout}`);
      assert.equal(r.code, 0, name);
    }
    // without a kustomization naming it, the partial Service is checked as a whole object
    const alone = kx(['check', '.', '--format', 'json'], { cwd: fixture(base) });
    assert.ok(JSON.parse(alone.stdout).diagnostics.some((d: { rule: string; file: string }) => d.file.endsWith('service-type.yaml')), alone.stdout);
  });

  it('counts Helm templates as skipped and notes binary files once', () => {
    const dir = fixture({
      'chart/templates/svc.yaml': `apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  selector:\n    app: nope\n`,
      'k8s/deploy.yaml': DEPLOY,
      'k8s/blob.yaml': Buffer.from([0x61, 0x00, 0x62, 0x0a]),
    });
    const r = kx(['check', '.'], { cwd: dir });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /skipped: 1 template file/);
    assert.match(r.stdout, /k8s\/blob\.yaml:1:1 information kube-expose skipped this file: it contains NUL bytes/);
    assert.equal(r.stderr.match(/blob\.yaml/g)?.length, 1);
  });

  it('reads a manifest from stdin with -', () => {
    const r = kx(['check', '-', '--format', 'json'], { input: `${DEPLOY}---\n${SERVICE}` });
    const out = JSON.parse(r.stdout);
    assert.equal(out.summary.resources, 2);
    assert.equal(out.diagnostics[0].file, '<stdin>');
  });

  it('honours .kube-expose.yaml and flags over it', () => {
    const dir = fixture({ 'k8s/deploy.yaml': DEPLOY, 'k8s/svc.yaml': SERVICE, '.kube-expose.yaml': 'rules:\n  service-selector-no-match: error\n' });
    const r = kx(['check', 'k8s', '--format', 'json'], { cwd: dir });
    assert.equal(r.code, 1);
    assert.equal(JSON.parse(r.stdout).diagnostics[0].severity, 'error');
    const off = fixture({ 'k8s/deploy.yaml': DEPLOY, 'k8s/svc.yaml': SERVICE, '.kube-expose.yaml': 'rules:\n  service-selector-no-match: off\n' });
    assert.match(kx(['check', 'k8s'], { cwd: off }).stdout, /no problems/);
  });

  it('gives UTF-16 columns on non-ASCII lines and correct lines in CRLF files', () => {
    const svc = SERVICE.replace('# the public face of web', '# 🚀 the public face').replace('  selector:', '  selector: # ünïcødé 🚀').replace('    app: web #', '    app: "wéb" #');
    const crlf = svc.replace(/\n/g, '\r\n');
    const dir = fixture({ 'k8s/deploy.yaml': DEPLOY, 'k8s/svc.yaml': crlf });
    const out = JSON.parse(kx(['check', 'k8s', '--format', 'json'], { cwd: dir }).stdout);
    const d = out.diagnostics.find((x: any) => x.rule === 'service-selector-no-match');
    assert.deepEqual(d.range, { start: { line: 6, character: 2 }, end: { line: 6, character: 10 } });
    const edit = d.fixes[0].edits[0];
    assert.deepEqual(edit.range, { start: { line: 7, character: 9 }, end: { line: 7, character: 14 } });
  });
});
