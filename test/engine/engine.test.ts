// The engine itself: reading manifests, suppressions, configuration, and the
// promise that incremental results equal a cold check.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, createWorkspace, DEFAULT_CONFIG, parseConfigFile, ALL_RULES, type Rule } from '../../server/src/index';
import { splitDocuments } from '../../server/src/engine/parse';
import { isTemplateText } from '../../server/src/engine/workspace';
import { defineFacet, defineRule } from '../../server/src/engine/rule';
import { run } from '../rule-tester';

const DEPLOY = (labels = 'app: web', name = 'web') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector:
    matchLabels:
      ${labels}
  template:
    metadata:
      labels:
        ${labels}
    spec:
      containers:
        - name: c
          image: nginx
`;
const SVC = (selector = 'app: web', name = 'web') => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector:
    ${selector}
  ports:
    - name: http
      port: 80
`;

const noMatch = (files: Record<string, string>, config = {}) => run(files, config).filter((d) => d.rule === 'service-selector-no-match');

describe('reading manifests', () => {
  it('splits documents at --- lines, keeping leading comments and markers with their document', () => {
    const text = '# header\n---\na: 1\n---\nb: 2\n--- # c\nc: 3\n...\n';
    const docs = splitDocuments(text);
    assert.deepEqual(
      docs.map((d) => [d.startLine, d.text]),
      [
        [0, '# header\n---\na: 1\n'],
        [3, '---\nb: 2\n'],
        [5, '--- # c\nc: 3\n...\n'],
      ],
    );
    assert.equal(docs.map((d) => d.text).join(''), text);
  });

  it('does not split at --- inside an indented block scalar', () => {
    const text = 'a: |\n  ---\n  x\nb: 1\n';
    assert.equal(splitDocuments(text).length, 1);
  });

  it('expands kind: List items into resources', () => {
    const list = `apiVersion: v1\nkind: List\nitems:\n  - ${DEPLOY('app: api', 'api').replace(/\n(?!$)/g, '\n    ')}  - ${SVC('app: web').replace(/\n(?!$)/g, '\n    ')}`;
    const ws = createWorkspace();
    ws.setFile('a.yaml', list);
    ws.flush();
    assert.deepEqual(
      ws.resourcesOf('a.yaml').map((r) => r.label()),
      ['Deployment api', 'Service web'],
    );
    const d = ws.diagnostics('a.yaml').find((x) => x.rule === 'service-selector-no-match');
    assert.ok(d, 'the List item Service is checked');
    assert.equal(d.range.start.line, 24);
  });

  it('ignores YAML that is not a Kubernetes resource, without a word', () => {
    const files = {
      'ci.yaml': 'stages: [build]\njob:\n  script: echo {{ not a template\n',
      'compose.yml': 'services:\n  web:\n    ports: ["80:80"]\n',
      'weird.yaml': 'apiVersion: 3\nkind: {a: 1}\n---\napiVersion: v1\nkind: null\n---\n- just\n- a list\n---\n42\n',
    };
    assert.deepEqual(run(files), []);
  });

  it('reports YAML syntax errors only in files that hold Kubernetes documents, and checks the other documents', () => {
    const broken = `${SVC('app: nope')}---\napiVersion: v1\nkind: Service\nmetadata: {name: [x}\n`;
    const ds = run({ 'k8s/a.yaml': broken, 'k8s/d.yaml': DEPLOY(), 'notes.yaml': 'a: [1, 2\n' });
    const syntax = ds.filter((d) => d.rule === 'yaml-syntax');
    assert.ok(syntax.length >= 1);
    assert.ok(syntax.every((d) => d.uri === 'k8s/a.yaml' && d.range.start.line === 13));
    assert.equal(ds.filter((d) => d.rule === 'service-selector-no-match').length, 1);
  });

  it('skips Helm templates entirely', () => {
    const ws = createWorkspace();
    ws.setFile('t.yaml', `${SVC('app: {{ .Values.app }}')}`);
    ws.setFile('d.yaml', DEPLOY());
    ws.flush();
    assert.equal(ws.file('t.yaml')!.template, true);
    assert.deepEqual(ws.diagnostics('t.yaml'), []);
  });

  it('reports duplicate keys as a syntax error', () => {
    const ds = run({ 'a.yaml': 'apiVersion: v1\nkind: Service\nkind: Service\nmetadata:\n  name: a\n' });
    assert.equal(ds.filter((d) => d.rule === 'yaml-syntax').length, 1);
  });

  it('bounds alias expansion', () => {
    const bomb = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n';
    const started = Date.now();
    const ds = run({ 'bomb.yaml': bomb });
    assert.ok(Date.now() - started < 2000);
    assert.ok(ds.some((d) => d.rule === 'yaml-syntax' && /alias/i.test(d.message)), JSON.stringify(ds));
  });

  it('leaves same-named kinds of other API groups alone (Knative Service, a CRD Ingress)', () => {
    const knative = `apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: hello\nspec:\n  template:\n    spec:\n      containers:\n        - image: ghcr.io/knative/helloworld-go\n          ports:\n            - containerPort: 8080\n`;
    const crdIngress = `apiVersion: example.com/v1\nkind: Ingress\nmetadata:\n  name: x\nspec:\n  backend: {serviceName: nope}\n`;
    assert.deepEqual(run({ 'k.yaml': knative, 'i.yaml': crdIngress, 'd.yaml': DEPLOY() }), []);
  });

  it('applies the default namespace from configuration', () => {
    const files = { 'a.yaml': SVC(), 'b.yaml': DEPLOY().replace('name: web\n', 'name: web\n  namespace: prod\n') };
    assert.equal(noMatch(files).length, 0, 'no workload in namespace default: open world');
    assert.equal(noMatch({ ...files, 'c.yaml': DEPLOY('app: other', 'other') }).length, 1);
    assert.equal(noMatch({ ...files, 'c.yaml': DEPLOY('app: other', 'other') }, { defaultNamespace: 'prod' }).length, 0);
  });
});

describe('suppression', () => {
  const files = (svc: string) => ({ 'svc.yaml': svc, 'd.yaml': DEPLOY('app: api', 'api') });
  it('disable-next-line silences the named rule on the next line', () => {
    const svc = SVC('app: web').replace('  selector:', '  # kube-expose-disable-next-line service-selector-no-match -- pods come later\n  selector:');
    assert.equal(noMatch(files(svc)).length, 0);
    const other = SVC('app: web').replace('  selector:', '  # kube-expose-disable-next-line schema\n  selector:');
    assert.equal(noMatch(files(other)).length, 1);
  });
  it('disable at the top of a document or file', () => {
    assert.equal(noMatch(files(`# kube-expose-disable service-selector-no-match\n${SVC()}`)).length, 0);
    assert.equal(noMatch(files(`# kube-expose-disable\n${SVC()}`)).length, 0);
    const second = `${SVC('app: x', 'a')}---\n# kube-expose-disable service-selector-no-match\n${SVC('app: y', 'b')}`;
    const ds = noMatch(files(second));
    assert.equal(ds.length, 1);
    assert.match(ds[0].message, /^Service a /);
  });
  it('the kube-expose.io/ignore annotation', () => {
    const svc = SVC().replace('  name: web\n', '  name: web\n  annotations:\n    kube-expose.io/ignore: "schema, service-selector-no-match"\n');
    assert.equal(noMatch(files(svc)).length, 0);
  });
  it('rules set to off in configuration', () => {
    assert.equal(noMatch(files(SVC()), { rules: { 'service-selector-no-match': 'off' } }).length, 0);
    assert.equal(noMatch(files(SVC()), { rules: { 'service-selector-no-match': 'error' } })[0].severity, 'error');
  });
});

describe('configuration files', () => {
  const ids = ALL_RULES.map((r) => r.id);
  it('accepts every documented key', () => {
    const cfg = parseConfigFile('nodePortRange: 30000-32767\ndefaultNamespace: apps\nconflictScope: workspace\nrules:\n  service-selector-no-match: hint\nexclude: ["charts/**"]\ningress:\n  keepClassAnnotation: true\nmaxFileSize: 1000\n', ids);
    assert.equal(cfg.conflictScope, 'workspace');
  });
  for (const [text, pattern] of [
    ['nodePortRange: 30000\n', /nodePortRange/],
    ['nodePortRange: 40000-30000\n', /nodePortRange/],
    ['conflictScope: cluster\n', /conflictScope.*file, directory, workspace/],
    ['rules:\n  service-selector-no-match: loud\n', /rules\.service-selector-no-match/],
    ['rules:\n  no-such-rule: off\n', /rules\.no-such-rule: unknown rule id/],
    ['colour: blue\n', /unknown key "colour"/],
    ['a: [1\n', /not valid YAML/],
  ] as [string, RegExp][]) {
    it(`rejects ${JSON.stringify(text)} naming the key`, () => {
      assert.throws(() => parseConfigFile(text, ids), (e: Error) => e instanceof ConfigError && pattern.test(e.message));
    });
  }
});

describe('incremental checking', () => {
  function cold(files: Record<string, string>) {
    return run(files).map((d) => JSON.stringify(d)).sort();
  }

  it('an edit re-parses only the documents it touches', () => {
    const ws = createWorkspace();
    const text = [DEPLOY('app: a', 'a'), SVC('app: a', 'a'), DEPLOY('app: b', 'b')].join('---\n');
    ws.setFile('f.yaml', text);
    ws.flush();
    const before = ws.file('f.yaml')!.chunks;
    ws.setFile('f.yaml', text.replace('name: a\nspec:\n  selector:\n    app: a', 'name: a\nspec:\n  selector:\n    app: zzz'));
    ws.flush();
    const after = ws.file('f.yaml')!.chunks;
    assert.equal(after[0], before[0]);
    assert.notEqual(after[1], before[1]);
    assert.equal(after[2], before[2]);
  });

  it('splitting only around an edit gives the documents (and the Helm template verdict) of a full split', () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const bits = ['---\n', '--- # c\n', '# only a comment\n', '\n', 'a: 1\n', 'kind: Service\n', '  x: |\n    ---\n', '...\n', '%YAML 1.2\n', '\r\n', '\r', '---', 'b: 2\r\n', '- c\n', '{{', '}}', '{', '}', '{{ .Values.x }}', '{{-', ' '];
    const ws = createWorkspace();
    let text = Array.from({ length: 12 }, (_, i) => `---\nkind: Service\nmetadata:\n  name: s${i}\n`).join('');
    ws.setFile('f.yaml', text);
    for (let step = 0; step < 3000; step++) {
      const at = rand(text.length + 1);
      const cut = rand(4) === 0 ? rand(40) : 0;
      const insert = Array.from({ length: rand(3) }, () => bits[rand(bits.length)]).join('');
      text = text.slice(0, at) + insert + text.slice(Math.min(text.length, at + cut));
      if (text.length > 4000) text = text.slice(0, 2000);
      if (rand(20) === 0) text += `---\nkind: Service\nmetadata:\n  name: s${step}\n`.repeat(1 + rand(4));
      ws.setFile('f.yaml', text);
      const file = ws.file('f.yaml')!;
      assert.equal(file.template, isTemplateText(text), `step ${step}: ${JSON.stringify(text)}`);
      const got = file.chunks.map((c) => ({ text: c.text, startLine: c.startLine, startOffset: c.startOffset }));
      assert.deepEqual(got, file.template ? [] : splitDocuments(text), `step ${step}: ${JSON.stringify(text)}`);
      if (file.template && rand(3) > 0) text = text.replace(/[{}]/g, '');
    }
  });

  it('moves findings of later documents when an earlier one grows', () => {
    const ws = createWorkspace();
    ws.setFile('d.yaml', DEPLOY('app: api', 'api'));
    const text = `${SVC('app: x', 'a')}---\n${SVC('app: y', 'b')}`;
    ws.setFile('f.yaml', text);
    ws.flush();
    const lineOfB = () => ws.diagnostics('f.yaml').find((d) => d.message.startsWith('Service b'))!.range.start.line;
    const was = lineOfB();
    ws.setFile('f.yaml', `# one\n# two\n${text}`);
    ws.flush();
    assert.equal(lineOfB(), was + 2);
  });

  it('re-checks a Service in another file when a Deployment’s labels change', () => {
    const ws = createWorkspace();
    ws.setFile('svc.yaml', SVC());
    ws.setFile('deploy.yaml', DEPLOY());
    ws.flush();
    assert.equal(ws.diagnostics('svc.yaml').length, 0);
    ws.setFile('deploy.yaml', DEPLOY('app: other'));
    const touched = ws.flush();
    assert.ok(touched.has('svc.yaml'));
    assert.equal(ws.diagnostics('svc.yaml').filter((d) => d.rule === 'service-selector-no-match').length, 1);
    ws.removeFile('deploy.yaml');
    ws.setFile('deploy2.yaml', DEPLOY());
    ws.flush();
    assert.equal(ws.diagnostics('svc.yaml').filter((d) => d.rule === 'service-selector-no-match').length, 0);
  });

  it('random edit sequences give the same findings as a cold check', () => {
    let seed = 42;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const pieces = [
      () => DEPLOY(`app: ${['web', 'api', 'db'][rand(3)]}`, ['web', 'api', 'db'][rand(3)]),
      () => SVC(`app: ${['web', 'api', 'db', 'x'][rand(4)]}`, ['web', 'api', 'db'][rand(3)]),
      () => `${SVC('app: web')}`.replace('port: 80', `port: 80\n      nodePort: ${30000 + rand(3)}`).replace('spec:\n', 'spec:\n  type: NodePort\n'),
      () => `apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: i${rand(3)}\nspec:\n  rules:\n    - http:\n        paths:\n          - path: /\n            pathType: Prefix\n            backend:\n              service:\n                name: ${['web', 'api', 'nope'][rand(3)]}\n                port:\n                  number: ${[80, 8080][rand(2)]}\n`,
      () => 'a: [broken\n',
    ];
    const ws = createWorkspace();
    const files: Record<string, string> = {};
    const names = ['a/1.yaml', 'a/2.yaml', 'b/3.yaml'];
    for (let step = 0; step < 150; step++) {
      const name = names[rand(names.length)];
      if (rand(10) === 0) {
        delete files[name];
        ws.removeFile(name);
      } else {
        const docs = Array.from({ length: 1 + rand(3) }, () => pieces[rand(pieces.length)]());
        files[name] = docs.join('---\n');
        ws.setFile(name, files[name]);
      }
      if (rand(3) === 0 || step === 149) {
        ws.flush();
        const incremental = Object.keys(files)
          .flatMap((u) => ws.diagnostics(u))
          .map((d) => JSON.stringify(d))
          .sort();
        assert.deepEqual(incremental, cold(files), `step ${step}`);
      }
    }
  });

  it('a bounded flush checks part of the backlog and the rest later, with the same result', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`f${i}.yaml`] = i % 2 ? SVC(`app: s${i}`, `s${i}`) : DEPLOY(`app: s${i + 1}`, `d${i}`);
    const ws = createWorkspace();
    for (const [k, v] of Object.entries(files)) ws.setFile(k, v);
    const pending = ws.pendingChecks;
    assert.equal(pending, 300);
    ws.flush(0);
    assert.ok(ws.pendingChecks > 0 && ws.pendingChecks < pending, `partial: ${ws.pendingChecks}`);
    while (ws.pendingChecks) ws.flush(1);
    const incremental = Object.keys(files).flatMap((u) => ws.diagnostics(u)).map((d) => JSON.stringify(d)).sort();
    assert.deepEqual(incremental, run(files).map((d) => JSON.stringify(d)).sort());
  });

  it('publishes a finding under the file it is located in, and refreshes it when its source changes', () => {
    // a rule on Services that points at the selected Deployment's labels in another file
    const pointer: Rule = defineRule({
      id: 'pointer', severity: 'hint', description: 'reports on the workload a Service selects', fixable: false, kinds: ['Service'],
      check(r, ctx) {
        for (const t of ctx.inNamespace('template', ctx.namespaceOf(r))) ctx.report({ message: `selected by ${r.name}`, at: ctx.loc(t, ['metadata', 'name']) });
      },
    });
    const ws = createWorkspace(DEFAULT_CONFIG, [pointer]);
    ws.setFile('svc.yaml', SVC());
    ws.setFile('deploy.yaml', DEPLOY());
    ws.flush();
    assert.deepEqual(ws.diagnostics('svc.yaml'), []);
    const d = ws.diagnostics('deploy.yaml');
    assert.equal(d.length, 1);
    assert.equal(d[0].uri, 'deploy.yaml');
    assert.equal(d[0].range.start.line, 3);
    ws.setFile('svc.yaml', SVC('app: web', 'renamed'));
    assert.ok(ws.flush().has('deploy.yaml'));
    assert.equal(ws.diagnostics('deploy.yaml')[0].message, 'selected by renamed');
    ws.removeFile('svc.yaml');
    assert.ok(ws.flush().has('deploy.yaml'));
    assert.deepEqual(ws.diagnostics('deploy.yaml'), []);
  });

  it('a rule that throws is contained and reported, other rules still run', () => {
    const boom: Rule = defineRule({ id: 'boom', severity: 'error', description: 'always throws, for this test', fixable: false, kinds: ['Service'], check() { throw new Error('kaput'); } });
    const ws = createWorkspace(DEFAULT_CONFIG, [boom, ...ALL_RULES]);
    ws.setFile('s.yaml', SVC());
    ws.setFile('d.yaml', DEPLOY('app: x', 'x'));
    ws.flush();
    const ds = ws.diagnostics('s.yaml');
    assert.ok(ds.some((d) => d.rule === 'boom' && /internal error.*kaput/.test(d.message)));
    assert.ok(ds.some((d) => d.rule === 'service-selector-no-match'));
  });
});

describe('re-running only the rules an edit concerns', () => {
  const NODEPORT_SVC = (name: string, nodePort: number, targetPort = 8080) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  type: NodePort
  selector:
    app: ${name}
  ports:
    - name: http
      port: 80
      targetPort: ${targetPort}
      nodePort: ${nodePort}
`;
  const cold = (files: Record<string, string>, rules?: readonly Rule[]) => run(files, {}, rules);
  const all = (ws: ReturnType<typeof createWorkspace>, files: Record<string, string>) => Object.keys(files).flatMap((u) => ws.diagnostics(u));

  /** A rule whose findings say how often it ran: a run that is skipped leaves its old count. */
  function counting(id: string, read: (r: Parameters<Rule['check']>[0], ctx: Parameters<Rule['check']>[1]) => readonly unknown[]) {
    const runs = new Map<string, number>();
    const rule: Rule = defineRule({
      id, severity: 'hint', description: 'counts its runs, for these tests', fixable: false, kinds: ['Service'],
      check(r, ctx) {
        const n = (runs.get(r.name!) ?? 0) + 1;
        runs.set(r.name!, n);
        ctx.report({ message: `${id} ${r.name} run ${n}, sees ${read(r, ctx).length}`, at: ['metadata', 'name'] });
      },
    });
    return rule;
  }
  const runOf = (ws: ReturnType<typeof createWorkspace>, uri: string, id: string) =>
    ws.diagnostics(uri).filter((d) => d.rule === id).map((d) => d.message);

  it('an edit re-runs only the rules that read what changed, keeping the others’ findings', () => {
    const readsTemplates = counting('reads-templates', (r, ctx) => ctx.inNamespace('template', ctx.namespaceOf(r)));
    const readsNothing = counting('reads-nothing', () => []);
    const ws = createWorkspace(DEFAULT_CONFIG, [readsTemplates, readsNothing]);
    ws.setFile('svc.yaml', SVC());
    ws.setFile('deploy.yaml', DEPLOY());
    ws.flush();
    ws.setFile('deploy.yaml', DEPLOY('app: other'));
    ws.flush();
    assert.deepEqual(runOf(ws, 'svc.yaml', 'reads-templates'), ['reads-templates web run 2, sees 1']);
    assert.deepEqual(runOf(ws, 'svc.yaml', 'reads-nothing'), ['reads-nothing web run 1, sees 0']);
  });

  it('a facet re-runs its readers only when a resource’s key under it changes', () => {
    const ports = defineFacet('test-node-ports', (s) => {
      const p = (s.value as any).spec?.ports?.[0]?.nodePort;
      return p === undefined ? undefined : String(p);
    });
    const rule = counting('node-ports', (r, ctx) => ctx.inScope('Service', r, ports));
    const ws = createWorkspace(DEFAULT_CONFIG, [rule]);
    const files: Record<string, string> = { 'k8s/a.yaml': NODEPORT_SVC('a', 30001), 'k8s/b.yaml': NODEPORT_SVC('b', 30002), 'k8s/c.yaml': SVC('app: c', 'c') };
    for (const [k, v] of Object.entries(files)) ws.setFile(k, v);
    ws.flush();
    assert.deepEqual(runOf(ws, 'k8s/b.yaml', 'node-ports'), ['node-ports b run 1, sees 2'], 'a Service without the facet is left out');
    // a targetPort edit keeps a's key: b is not re-run
    ws.setFile('k8s/a.yaml', NODEPORT_SVC('a', 30001, 9090));
    ws.flush();
    assert.deepEqual(runOf(ws, 'k8s/b.yaml', 'node-ports'), ['node-ports b run 1, sees 2']);
    assert.deepEqual(runOf(ws, 'k8s/a.yaml', 'node-ports'), ['node-ports a run 2, sees 2'], 'the edited Service itself is checked again');
    // nor is an edit of a resource the facet leaves out
    ws.setFile('k8s/c.yaml', SVC('app: cc', 'c'));
    ws.flush();
    assert.deepEqual(runOf(ws, 'k8s/b.yaml', 'node-ports'), ['node-ports b run 1, sees 2']);
    // a nodePort edit changes a's key: b is re-run
    ws.setFile('k8s/a.yaml', NODEPORT_SVC('a', 30005, 9090));
    ws.flush();
    assert.deepEqual(runOf(ws, 'k8s/b.yaml', 'node-ports'), ['node-ports b run 2, sees 2']);
    // c gains a node port: it joins the facet, b is re-run and sees it
    ws.setFile('k8s/c.yaml', NODEPORT_SVC('c', 30009));
    ws.flush();
    assert.deepEqual(runOf(ws, 'k8s/b.yaml', 'node-ports'), ['node-ports b run 3, sees 3']);
  });

  it('a query by name re-runs only when an object of that name changes', () => {
    const rule = counting('named', (r, ctx) => (r.name === 'a' ? [] : ctx.named('Service', ctx.namespaceOf(r), 'a')));
    const ws = createWorkspace(DEFAULT_CONFIG, [rule]);
    ws.setFile('a.yaml', SVC('app: a', 'a'));
    ws.setFile('b.yaml', SVC('app: b', 'b'));
    ws.setFile('c.yaml', SVC('app: c', 'c'));
    ws.flush();
    ws.setFile('b.yaml', SVC('app: bb', 'b'));
    ws.flush();
    assert.deepEqual(runOf(ws, 'c.yaml', 'named'), ['named c run 1, sees 1'], 'another name: not re-run');
    ws.setFile('a.yaml', SVC('app: aa', 'a'));
    ws.flush();
    assert.deepEqual(runOf(ws, 'c.yaml', 'named'), ['named c run 2, sees 1']);
    ws.setFile('b.yaml', SVC('app: b', 'a')); // a second variant of a
    ws.flush();
    assert.deepEqual(runOf(ws, 'c.yaml', 'named'), ['named c run 3, sees 2']);
  });

  it('node port conflicts follow nodePort edits across files, not targetPort edits, and always equal a cold check', () => {
    const files: Record<string, string> = { 'k8s/a.yaml': NODEPORT_SVC('a', 30001), 'k8s/b.yaml': NODEPORT_SVC('b', 30001) };
    const ws = createWorkspace();
    for (const [k, v] of Object.entries(files)) ws.setFile(k, v);
    ws.flush();
    const dup = () => ws.diagnostics('k8s/b.yaml').filter((d) => d.rule === 'service-nodeport-duplicate');
    assert.equal(dup().length, 1);
    for (const [file, text] of [
      ['k8s/a.yaml', NODEPORT_SVC('a', 30001, 9090)], // projection unchanged
      ['k8s/a.yaml', `# a comment moves everything\n${NODEPORT_SVC('a', 30001, 9090)}`], // b's related location moves
      ['k8s/a.yaml', NODEPORT_SVC('a', 30002, 9090)], // projection changed: the conflict is gone
      ['k8s/a.yaml', NODEPORT_SVC('a', 30001, 9090)], // and back
    ] as const) {
      files[file] = text;
      ws.setFile(file, text);
      ws.flush();
      assert.deepEqual(all(ws, files), cold(files), text);
    }
    assert.equal(dup().length, 1);
  });

  it('a host port conflict follows hostPort edits in another file, and ignores label edits', () => {
    const POD = (name: string, hostPort: number, label = name) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels:
    app: ${label}
spec:
  containers:
    - name: c
      image: nginx
      ports:
        - containerPort: 80
          hostPort: ${hostPort}
`;
    const files: Record<string, string> = { 'k8s/a.yaml': POD('a', 8080), 'k8s/b.yaml': POD('b', 8080), 'k8s/c.yaml': DEPLOY('app: c', 'c') };
    const ws = createWorkspace();
    for (const [k, v] of Object.entries(files)) ws.setFile(k, v);
    ws.flush();
    const conflict = () => ws.diagnostics('k8s/b.yaml').filter((d) => d.rule === 'pod-hostport-conflict');
    assert.equal(conflict().length, 1);
    for (const [file, text] of [
      ['k8s/a.yaml', POD('a', 8080, 'renamed')],
      ['k8s/c.yaml', DEPLOY('app: d', 'c')],
      ['k8s/a.yaml', `\n\n${POD('a', 8080, 'renamed')}`],
      ['k8s/a.yaml', POD('a', 8081)],
    ] as const) {
      files[file] = text;
      ws.setFile(file, text);
      ws.flush();
      assert.deepEqual(all(ws, files), cold(files), text);
    }
    assert.equal(conflict().length, 0);
  });

  it('a file is returned by flush when a finding’s related location in another file moved', () => {
    const other = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n`;
    const files: Record<string, string> = { 'k8s/a.yaml': `${other}---\n${NODEPORT_SVC('a', 30001)}`, 'k8s/b.yaml': NODEPORT_SVC('b', 30001) };
    const ws = createWorkspace();
    for (const [k, v] of Object.entries(files)) ws.setFile(k, v);
    ws.flush();
    files['k8s/a.yaml'] = `${other}data:\n  x: "1"\n---\n${NODEPORT_SVC('a', 30001)}`; // the Service's document is kept, two lines lower
    ws.setFile('k8s/a.yaml', files['k8s/a.yaml']);
    assert.ok(ws.flush().has('k8s/b.yaml'));
    assert.deepEqual(all(ws, files), cold(files));
  });

  it('a re-run whose findings did not change leaves its file out of what flush returns', () => {
    const ws = createWorkspace();
    ws.setFile('svc.yaml', SVC('app: web'));
    ws.setFile('deploy.yaml', DEPLOY());
    ws.flush();
    // the Service reads the Deployment's labels; an image change keeps its findings as they are
    ws.setFile('deploy.yaml', DEPLOY().replace('image: nginx', 'image: nginx:2'));
    const touched = ws.flush();
    assert.ok(touched.has('deploy.yaml'));
    assert.ok(!touched.has('svc.yaml'), [...touched].join());
  });

  it('documents added, removed or reordered around an edit still equal a cold check', () => {
    const files: Record<string, string> = { 'k8s/a.yaml': [NODEPORT_SVC('a', 30001), NODEPORT_SVC('b', 30001)].join('---\n') };
    const ws = createWorkspace();
    ws.setFile('k8s/a.yaml', files['k8s/a.yaml']);
    ws.flush();
    for (const text of [
      [NODEPORT_SVC('b', 30001), NODEPORT_SVC('a', 30001, 1)].join('---\n'),
      [NODEPORT_SVC('c', 30001), NODEPORT_SVC('b', 30001), NODEPORT_SVC('a', 30001, 1)].join('---\n'),
      [NODEPORT_SVC('c', 30001, 2), NODEPORT_SVC('a', 30001, 1)].join('---\n'),
      [NODEPORT_SVC('a', 30001, 2), NODEPORT_SVC('c', 30001, 1)].join('---\n'),
      [NODEPORT_SVC('c', 30001, 1), NODEPORT_SVC('x', 30001, 3), NODEPORT_SVC('a', 30001, 2)].join('---\n'),
      [NODEPORT_SVC('c', 30001, 1), NODEPORT_SVC('a', 30001, 2), NODEPORT_SVC('x', 30001, 3)].join('---\n'), // two unchanged documents swapped
      [NODEPORT_SVC('a', 30001, 2), NODEPORT_SVC('x', 30001, 4), NODEPORT_SVC('c', 30001, 1)].join('---\n'),
    ]) {
      files['k8s/a.yaml'] = text;
      ws.setFile('k8s/a.yaml', text);
      ws.flush();
      assert.deepEqual(all(ws, files), cold(files), text);
    }
  });
});
