// One test per bug the fuzzers and the hostile corpus found, each with the
// smallest input that showed it. (The fuzzers keep looking for their kin.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { TextEdit } from 'vscode-languageserver-types';
import { complete } from '../../server/src/features';
import { createWorkspace, DEFAULT_CONFIG } from '../../server/src/index';
import { readManifest } from '../../server/src/node/files';
import { refactorsAt } from '../../server/src/refactors/index';
import { applyFileEdits, assertFixSound, assertSound, coldCheck, findingGone, show, yamlErrors, type Files } from './invariants';
import { Client, ensureBuilt, uriOf } from './lsp';

process.removeAllListeners('warning');

function check(text: string, uri = 'k8s/x.yaml'): { files: Files; ds: ReturnType<typeof coldCheck>['diagnostics'] } {
  const files = { [uri]: text };
  const r = coldCheck(files);
  assertSound(files, r, 5000);
  return { files, ds: r.diagnostics };
}

function fixesOf(ds: ReturnType<typeof check>['ds'], rule: string) {
  return ds.filter((d) => d.rule === rule).flatMap((d) => d.fixes.map((fix) => ({ d, fix })));
}

describe('regressions', { timeout: 60_000 }, () => {
  it('a 100,000-character unknown key is checked in well under a second (schema: edit distance against every known field)', () => {
    const started = Date.now();
    check(`apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n  ${'k'.repeat(100_000)}: 1\n  ports: [{port: 80}]\n`);
    assert.ok(Date.now() - started < 1500, `${Date.now() - started} ms`);
  });

  it('a map written into a flow collection is written in flow style (edits.setPairValue)', () => {
    const text = `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector:\n    matchLabels: {app: web, tier: db}\n  template:\n    metadata: { labels: {} }\n    spec: { containers: [ { name: web, image: nginx } ] }\n`;
    const { files, ds } = check(text);
    const fixes = fixesOf(ds, 'workload-selector-mismatch');
    assert.ok(fixes.length > 0, show(ds));
    for (const { d, fix } of fixes) {
      const { files: fixed } = assertFixSound(files, ds, d, fix);
      assert.equal(yamlErrors(fixed['k8s/x.yaml']), 0);
    }
  });

  it('naming a port written as a flow map inserts the name and leaves the rest alone (a lone CR there is part of the first key to yaml); found by the long fuzz run', () => {
    // the fix used to rewrite the map's inside trimmed, which dropped the CR and made the key "name" twice
    const text = `apiVersion: v1\nkind: Service\nmetadata: {name: db}\nspec:\n  selector: {app: db}\n  ports: [{\n    \r "name": "http", port: 80}, { port: 81 }]\n`;
    const { files, ds } = check(text);
    const fixes = fixesOf(ds, 'service-port-name-required');
    assert.ok(fixes.length >= 2, show(ds));
    for (const { d, fix } of fixes) {
      const { files: fixed } = assertFixSound(files, ds, d, fix);
      assert.equal(yamlErrors(fixed['k8s/x.yaml']), 0, fixed['k8s/x.yaml']);
    }
    const all = fixes.find(({ fix }) => fix.title.startsWith('Name all'))!;
    assert.match(applyFileEdits(files, all.fix.edits, all.fix.title)['k8s/x.yaml'], /\[\{name: http, \n {4}\r "name": "http", port: 80\}, \{ name: port-81, port: 81 \}\]/);
  });

  it('replacing a plain scalar takes a lone CR that yaml reads as part of it (edits.contentEnd); found by the long fuzz run', () => {
    // "Local\r" (a CR, then a tab, then the line break): "Change to Local" replaced only "Local", so the value stayed "Local\r"
    const text = `apiVersion: v1\r\nkind: Service\r\nmetadata:\r\n  name: shop\r\nspec:\r\n  type: LoadBalancer\r\n  ports:\r\n  - port: 80\r\n  externalTrafficPolicy: Local\r\t\n`;
    const { files, ds } = check(text);
    const fixes = fixesOf(ds, 'schema').filter(({ fix }) => fix.title === 'Change to "Local"');
    assert.equal(fixes.length, 1, show(ds));
    const { files: fixed } = assertFixSound(files, ds, fixes[0].d, fixes[0].fix);
    assert.match(fixed['k8s/x.yaml'], /externalTrafficPolicy: Local\t\n$/);
  });

  it('rewriting an anchored value keeps its anchor, so aliases still resolve (edits.setPairValue)', () => {
    const text = `apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: x}\nspec:\n  rules:\n  - http:\n      paths:\n      - path: /\n        backend: &b\n          serviceName:\n            odd: map\n          servicePort: 80\n      - path: /b\n        backend: *b\n`;
    const { files, ds } = check(text);
    const [{ fix }] = fixesOf(ds, 'ingress-deprecated-api');
    const fixed = applyFileEdits(files, fix.edits, fix.title)['k8s/x.yaml'];
    assert.match(fixed, /backend: &b\n/);
    assert.equal(yamlErrors(fixed), 0, fixed);
  });

  it('the fast parser leaves to yaml what it reads differently (fastLoad; each found by the long fuzz run)', () => {
    // each of these is a syntax error or a different value for yaml: the check must report the syntax error
    const texts = [
      "apiVersion: v1\nkind: Service\nmetadata:\n  name: ''#'\n", // a comment glued to a quote
      '{"apiVersion": "v1", "kind": "Service", "metadata": {"name":# "web"}}\n', // a comment glued to a colon
      '{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": {#\n"type": "NodePort"}}\n', // a comment glued to a bracket
      'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ports: [{port: 80,\n[] }]\n', // a flow collection continued too far left
      '--- apiVersion: v1\n', // content on the marker line
      '{\n  "apiVersion": "v1",\n  "kind": "Pod",\n  "metadata": {\n    "name": "x"\n#\n\n},\n  "spec": {}\n}\n', // a comment inside a flow collection
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: "a\\\nb"\n', // an escaped line break, continued too far left
    ];
    for (const text of texts) {
      const { ds } = check(text);
      assert.ok(ds.some((d) => d.rule === 'yaml-syntax'), `${JSON.stringify(text)}: ${show(ds)}`);
    }
  });

  it('the fast parser leaves an empty flow key, a null flow map entry and a lone tag to yaml, which reads them differently from js-yaml', () => {
    // the test runner's KUBE_EXPOSE_VERIFY_PARSE=1 throws when the two readings differ
    const texts = [
      '{"apiVersion": "v1", "kind": "List", "items": [\n  :{"kind": "Service"}\n]}\n',
      '!\n',
      'apiVersion: v1\nkind: Service\n?',
      '{"apiVersion": "v1", "kind": "IngressClass", "spec": {"controller": "x"\n,~      }}\n', // key "" for yaml, "null" for js-yaml
      '{"kind": "Service", "spec": {null}}\n',
      'apiVersion: v1\nkind: Service\nmetadata:\n\n# a comment\n    web\nspec: {}\n', // yaml reads "web spec" as a multi-line key
      '{"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"name":!!str ---\n "web", "image": "nginx"}]}}\n', // a tag right after a JSON colon
      // an empty sequence entry, then a "-" further left: js-yaml takes it into the same sequence (found by the stress run)
      '\n \n  -\n\n- b4\n',
      'apiVersion: v1\nkind: Service\nspec:\n  ports:\n    - # to do\n  - port: 80\n',
      'apiVersion: v1\nkind: List\nitems:\n- - \n- kind: Service\n',
    ];
    for (const text of texts) check(text);
  });

  it('a fix whose edits overlap is never offered (the class annotation moved into a JSON Ingress without spec)', () => {
    const text = '{\n  "apiVersion": "networking.k8s.io/v1",\n  "kind": "Ingress",\n  "metadata": {\n    "name": "web",\n    "annotations": {\n      "kubernetes.io/ingress.class": "nginx"\n    }\n  }\n}\n';
    const { files, ds } = check(text);
    assert.ok(ds.some((d) => d.rule === 'ingress-class-annotation'), show(ds));
    for (const { d, fix } of fixesOf(ds, 'ingress-class-annotation')) assertFixSound(files, ds, d, fix);
  });

  it('no fix deletes an anchor that an alias still uses (edits.removeKey)', () => {
    const text = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {}\n  spec:\n    selector: &a1 {}\n- apiVersion: v1\n  kind: Service\n  metadata: {}\n  spec:\n    selector: *a1\n';
    const { files, ds } = check(text);
    for (const { d, fix } of fixesOf(ds, 'service-selector-empty')) assertFixSound(files, ds, d, fix);
  });

  it('removing the only pair of a flow map also removes its trailing comma (edits.removeKey left `{ , }`; found by the long fuzz run)', () => {
    for (const tail of [', ', ' ,', ' # why\n ,', '']) {
      const text = `{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "shop"},\n "spec": {"selector": {"app": "x"}, "ports": [{"port": 80, "nodePort": 3000}, {"nodePort": 3001${tail}}]}}\n`;
      const { files, ds } = check(text);
      const fixes = fixesOf(ds, 'service-type-mismatch');
      assert.equal(fixes.length, 2, show(ds));
      for (const { d, fix } of fixes) assertFixSound(files, ds, d, fix);
    }
  });

  it('"the fixed finding is gone" tells it from an equal finding elsewhere, and still catches a fix that fixes nothing (found by the long fuzz run)', () => {
    // two equal ports: removing the first nodePort gives the second port's finding the first one's message
    const text = 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  type: NodePort\n  ports:\n  - port: 80\n    nodePort: 8080\n  - port: 80\n    nodePort: 8080\n';
    const { files, ds } = check(text);
    const fixes = fixesOf(ds, 'service-nodeport-range').filter(({ fix }) => fix.title.startsWith('Remove nodePort'));
    assert.equal(fixes.length, 2, show(ds));
    for (const { d, fix } of fixes) assertFixSound(files, ds, d, fix);
    const [{ d }] = fixes;
    const same = [{ range: { start: { line: 7, character: 14 }, end: { line: 7, character: 18 } }, newText: '8080' }];
    assert.equal(findingGone(d, ds, ds, { before: text, after: text }, same), false, 'an edit that changes nothing fixes nothing');
    const moved = text.replace('  - port: 80\n', '  # a comment\n  - port: 80\n');
    const after = coldCheck({ [d.uri]: moved }).diagnostics;
    const comment = [{ range: { start: { line: 6, character: 0 }, end: { line: 6, character: 0 } }, newText: '  # a comment\n' }];
    assert.equal(findingGone(d, ds, after, { before: text, after: moved }, comment), false, 'a finding moved down by a line is the same finding');
  });

  it('a map written into an empty value keeps the comment after the colon on its line (edits.setPairValue glued it to the last label; found by the long fuzz run)', () => {
    for (const eol of ['\n', '\r\n']) {
      const text = [
        'apiVersion: v1', 'kind: Service', 'metadata: {name: web}', 'spec:', '  selector: {app: web}', '  ports: [{port: 80}]', '---',
        'apiVersion: apps/v1', 'kind: Deployment', 'metadata: {name: web}', 'spec:', '  selector:', '    matchLabels: {tier: x}', '  template:', '    metadata:',
        '      labels:  # keep me', '    spec:', '      containers: [{name: web, image: nginx}]', '',
      ].join(eol);
      const { files, ds } = check(text);
      const fixes = fixesOf(ds, 'service-selector-no-match').filter(({ fix }) => fix.title.includes('pod template labels'));
      assert.ok(fixes.length > 0, show(ds));
      for (const { d, fix } of fixes) {
        const { files: fixed } = assertFixSound(files, ds, d, fix);
        assert.match(fixed['k8s/x.yaml'], new RegExp(`      labels:  # keep me${eol}        app: web${eol}`), fixed['k8s/x.yaml']);
      }
    }
  });

  it('renaming a misspelt metadata key reveals the errors inside it: they are not errors the fix made (found by the long fuzz run)', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetata:\n  name: x\n  labels: {app: -5}\nspec:\n  ports: [{port: 80}]\n';
    const { files, ds } = check(text);
    const fixes = fixesOf(ds, 'schema').filter(({ fix }) => fix.title.includes('"metadata"'));
    assert.equal(fixes.length, 1, show(ds));
    const { after } = assertFixSound(files, ds, fixes[0].d, fixes[0].fix);
    assert.ok(after.some((d) => d.rule === 'schema' && d.message.includes('-5')), `the label error shows once the key is right: ${show(after)}`);
  });

  it('a fix never writes a string kubectl reads as a boolean (edits.toYaml)', () => {
    const text = `{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "w"}, "spec": {"selector": {"matchLabels": {"app": "yes"}}, "template": {"metadata": {"labels": {}}, "spec": {"containers": []}}}}\n`;
    const { files, ds } = check(text);
    const fixes = fixesOf(ds, 'workload-selector-mismatch').filter((f) => /pod template labels/.test(f.fix.title));
    assert.ok(fixes.length, show(ds));
    for (const { d, fix } of fixes) {
      const fixed = assertFixSound(files, ds, d, fix).files['k8s/x.yaml'];
      assert.match(fixed, /app: "yes"/);
    }
  });

  it('no fix copies a selector value that is no valid label value into the pod labels', () => {
    const { ds } = check(`{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "w"}, "spec": {"selector": {"matchLabels": {"app": -5}}, "template": {"metadata": {"labels": {}}, "spec": {"containers": []}}}}\n`);
    assert.ok(!fixesOf(ds, 'workload-selector-mismatch').some((f) => /pod template labels/.test(f.fix.title)), show(ds));
  });

  it('no fix copies a label value that is invalid (the number 1e+21) between a Service selector and pod labels', () => {
    const svc = (sel: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: ${sel}}\n  ports: [{port: 80}]\n`;
    const pod = (labels: string) => `---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels: {${labels}}\nspec: {containers: []}\n`;
    for (const text of [svc('1e+21') + pod(''), svc('web') + pod('app: 1e+21'), svc('').replace('{app: }', '{}') + pod('app: -5')]) {
      const { files, ds } = check(text);
      for (const { d, fix } of [...fixesOf(ds, 'service-selector-no-match'), ...fixesOf(ds, 'service-selector-empty')]) assertFixSound(files, ds, d, fix);
    }
  });

  it('moving the class annotation fills an existing `ingressClassName: null` instead of adding a second key', () => {
    const { files, ds } = check('apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  annotations:\n    kubernetes.io/ingress.class: nginx\nspec:\n  ingressClassName: null\n  defaultBackend: {service: {name: web, port: {number: 80}}}\n');
    const fixes = fixesOf(ds, 'ingress-class-annotation');
    assert.ok(fixes.length, show(ds));
    for (const { d, fix } of fixes) assert.match(assertFixSound(files, ds, d, fix).files['k8s/x.yaml'], /ingressClassName: nginx\n/);
  });

  it('a targetPort is never pointed at a container port name that is itself invalid', () => {
    const { files, ds } = check('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n    metadata: {labels: {app: api}}\n    spec:\n      containers: [{name: api, image: nginx, ports: [{name: a_b, containerPort: 80}]}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec:\n  selector: {app: api}\n  ports: [{port: 80, targetPort: http}]\n');
    for (const { d, fix } of fixesOf(ds, 'service-targetport-unresolved')) assertFixSound(files, ds, d, fix);
  });

  it('adding a pathType to a relative path says the path must still be fixed', () => {
    const { ds } = check(`apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: x}\nspec:\n  rules:\n  - http:\n      paths:\n      - path: api\n        backend: {service: {name: web, port: {number: 80}}}\n`);
    const titles = fixesOf(ds, 'ingress-pathtype-missing').map((f) => f.fix.title);
    assert.ok(titles.length && titles.every((t) => / \(path "api" must still be fixed\)$/.test(t)), titles.join('\n'));
  });

  it('documents after a lone CR line break get the right lines (parse.splitDocuments)', () => {
    const text = ':\r\uFEFF{\n  "apiVersion": "apps/v1",\n  "kind": "Deployment",\n  "metadata": {},\n  "spec": {}\n}\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {}\nspec:\n  rules: []\n';
    const { ds } = check(text);
    const ing = ds.find((d) => /neither rules nor a defaultBackend/.test(d.message));
    assert.ok(ing, show(ds));
    assert.equal(ing.range.start.line, 12); // "rules" on the 13th line, counting the lone CR
  });

  it('incremental results equal a cold check when equal candidates are registered in another order (workspace query order)', () => {
    const svc = 'apiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec:\n  selector: {tier: web}\n  ports: [{port: 80}]\n';
    const a = 'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  selector: {matchLabels: {app: api}}\n  template:\n    metadata: {labels: {app: api}}\n    spec: {containers: []}\n';
    const b = 'apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: api}\nspec:\n  template:\n    metadata: {labels: {}}\n    spec: {containers: []}\n';
    const files: Files = { 'k8s/f0.yaml': svc, 'k8s/f1.yaml': a, 'k8s/f2.yaml': b };
    const ws = createWorkspace(DEFAULT_CONFIG);
    for (const [u, t] of Object.entries(files)) ws.setFile(u, t);
    ws.flush();
    files['k8s/f1.yaml'] = a.replace('  namespace: shop\n', '  ~namespace: shop\n'); // now in the default namespace too
    ws.setFile('k8s/f1.yaml', files['k8s/f1.yaml']);
    ws.flush();
    const incremental = Object.keys(files).flatMap((u) => ws.diagnostics(u));
    assert.deepEqual(incremental, coldCheck(files).diagnostics);
  });

  it('a port number like 1e+21 does not make the port-name fix loop forever (service-spec naming)', () => {
    const started = Date.now();
    const { ds } = check("apiVersion: v1\nkind: Service\nmetadata: {name: shop}\nspec:\n  type: NodePort\n  ports:\n    - port: 80\n    - port: 1e+21\n");
    assert.ok(Date.now() - started < 2000);
    assert.ok(ds.some((d) => d.rule === 'service-port-name-required'), show(ds));
  });

  it('a syntax error next to an emoji never splits it (parse: error ranges)', () => {
    check('\uFEFFapiVersion: v1\r\nkind: List\r\nitems:\r\n- apiVersion: networking.k8s.io/v1\r\n  kind: Ingress\r\n  metadata: { namespace: default, labels: {} }\r\n\n😀  spec: { rules: [] }\r\n');
    check('apiVersion: v1\nkind: Service\nmetadata: {name: "😀😀\n');
    // an error that yaml places between the halves of the emoji (the smallest text found that does it)
    check(
      [
        '{',
        '  "apiVersion": "v1",',
        '  "kind": "List",',
        '  "items": [',
        '    {',
        '      "metadata": {',
        '      },',
        '      "spec": {',
        '        "ports": [',
        '          {',
        '          },',
        '          {',
        '          }',
        '        ],',
        '        "externalIPs": [',
        '        ],',
        '      }',
        '    },',
        '    {',
        '      "metadata": {',
        '      },',
        '      "spec": {',
        '        "template": {',
        '          "metadata": {',
        '          },',
        '          "spec": {',
        '            "containers": [',
        '              {',
        '                "ports": [',
        '                  {',
        '                  }',
        '                ]',
        '              }',
        '            ]',
        '          }',
        '        }',
        '      }',
        '    },',
        '    {',
        '      "metadata": {',
        '      },',
        '      "subsets": [',
        '        {',
        '          "ports": [',
        '            {',
        '            },',
        '            {',
        '            }',
        '          ]',
        '        }',
        '      ]',
        '    },',
        '    {',
        '      "apiVersion": "v1",',
        '      "kind": "Pod",',
        '      "metadata": {',
        '        "labels": {',
        '        }',
        '      },',
        '      "spec": {',
        '        "containers": [',
        '          {',
        '          }',
        '        ]',
        '      }',
        '    }',
        ' }1😀]',
      ].join('\n'),
    );
  });

  it('an Ingress backend is never pointed at a Service whose name is itself invalid (the schema check ignored on it)', () => {
    const text =
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: "sh@p"\n  annotations: {kube-expose.io/ignore: schema}\nspec:\n  ports: [{port: 80}]\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  defaultBackend:\n    service:\n      name: shop\n      port: {number: 80}\n';
    const { ds } = check(text);
    assert.ok(ds.some((d) => d.rule === 'ingress-backend-service-missing'), show(ds));
    assert.deepEqual(fixesOf(ds, 'ingress-backend-service-missing').map(({ fix }) => fix.title), []);
  });

  it('no "Remove the quotes" fix for a plain number that is a string because of a stray CR at the end of the file', () => {
    const { ds } = check('apiVersion: v1\r\nkind: Pod\r\nmetadata: {name: p}\r\nspec:\r\n  containers:\r\n    - image: nginx\r\n      name: c\r\n      ports:\r\n        - containerPort: 8080\r');
    const port = ds.filter((d) => d.rule === 'schema' && d.message.includes('containerPort'));
    assert.ok(port.length, show(ds));
    assert.deepEqual(fixesOf(port, 'schema').map(({ fix }) => fix.title), []);
    // a quoted number still gets it
    const quoted = check('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - image: nginx\n      name: c\n      ports:\n        - containerPort: "8080"\n');
    assert.deepEqual(fixesOf(quoted.ds, 'schema').map(({ fix }) => fix.title), ['Remove the quotes: 8080']);
  });

  it('an Ingress backend is never pointed at Service port 0', () => {
    const { ds } = check('apiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec:\n  selector: {app: x}\n  ports: [{port: 0}]\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\nspec:\n  rules:\n  - http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend: {service: {name: api, port: {number: 9121}}}\n');
    assert.ok(!fixesOf(ds, 'ingress-backend-port-missing').some((f) => /port 0\b/.test(f.fix.title)), show(ds));
  });

  it('a container port without a number is not offered as "listens on undefined"', () => {
    const { ds } = check('apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n      - name: web\n        ports: [{name: metrics, containerPort: "9090"}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{name: https, port: 443, targetPort: 8443}]\n');
    for (const d of ds) assert.doesNotMatch(d.message, /undefined|\?\//, d.message);
  });

  it('nesting too deep to read is said plainly', () => {
    const { ds } = check(`apiVersion: v1\nkind: Service\nspec: ${'['.repeat(8000)}${']'.repeat(8000)}\n`);
    assert.ok(ds.some((d) => d.rule === 'yaml-syntax' && /^YAML nested too deeply to be read/.test(d.message)), show(ds));
  });

  it('a huge value is cut short in the schema message', () => {
    const { ds } = check(`apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n  type: ${'Q'.repeat(100_000)}\n  ports: [{port: 80}]\n`);
    const d = ds.find((x) => x.rule === 'schema');
    assert.ok(d && d.message.length < 400, d?.message.slice(0, 300));
    assert.match(d!.message, /\(100000 characters\)/);
  });

  it('a completion with the cursor right after the "-" of `- name: http` replaces nothing, at the cursor (features/context: the word started at the key, after the cursor)', () => {
    // the protocol storm, FUZZ_SEED=20261123: "textDocument/completion: answer.items[0].textEdit.range ends before it starts"
    const ws = createWorkspace(DEFAULT_CONFIG);
    ws.setFile('k8s/x.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - name: http\n      port: 80\n');
    ws.flush();
    const items = complete(ws, 'k8s/x.yaml', { line: 6, character: 5 })?.items ?? [];
    assert.ok(items.length > 0);
    const at = { line: 6, character: 5 };
    for (const item of items) assert.deepEqual((item.textEdit as TextEdit).range, { start: at, end: at }, item.label);
  });

  it('a FIFO or a device is refused, not read forever (node/files.readManifest)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kx-fifo-'));
    try {
      const fifo = join(dir, 'pipe.yaml');
      if (spawnSync('mkfifo', [fifo]).status === 0) assert.throws(() => readManifest(fifo, 1000), /not a regular file/);
      assert.throws(() => readManifest('/dev/zero', 1000), /not a regular file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fix-all and --fix never combine two fixes that together write a duplicate key (rename "pathTyp" + add the missing pathType; engine/combine)', { timeout: 30_000 }, async () => {
    ensureBuilt();
    const text =
      'apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: shop\nspec:\n  rules:\n    - http:\n        paths:\n          - path: /api\n            pathTyp: Prefix\n            backend:\n              service:\n                name: web\n                port:\n                  number: 80\n';
    const { ds } = check(text);
    assert.deepEqual(ds.map((d) => d.rule).sort(), ['ingress-pathtype-missing', 'schema'], show(ds));
    const dir = mkdtempSync(join(tmpdir(), 'kx-reg-'));
    const client = await Client.start({ folders: [dir] });
    try {
      // the editor: one fix-all action, whose result parses and fixes what it claims
      const uri = uriOf(join(dir, 'ing.yaml'));
      client.open(uri, text);
      const published = await client.waitFor('two findings', () => (client.published(uri)?.length === 2 ? client.published(uri) : undefined));
      const whole = { start: { line: 0, character: 0 }, end: { line: 15, character: 0 } };
      const actions = (await client.request('textDocument/codeAction', { textDocument: { uri }, range: whole, context: { diagnostics: published, only: ['source.fixAll'] } })) as { title: string; edit: any }[];
      assert.equal(actions.length, 1, JSON.stringify(actions));
      assert.equal(actions[0].title, 'Fix the kube-expose problem', 'only one of the two clashing fixes is taken');
      const edits = actions[0].edit.documentChanges[0].edits.map((e: any) => ({ uri: 'ing.yaml', range: e.range, newText: e.newText }));
      const fixed = applyFileEdits({ 'ing.yaml': text }, edits, actions[0].title)['ing.yaml'];
      assert.equal(yamlErrors(fixed), 0, fixed);
      assert.equal(fixed.match(/pathType:/g)?.length, 1, fixed);
      // the CLI writes a file that parses, with one pathType
      const file = join(dir, 'cli.yaml');
      writeFileSync(file, text);
      const r = spawnSync(process.execPath, ['bin/kube-expose.js', 'check', '--fix', file], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
      assert.equal(r.status, 1, r.stderr); // the unknown key "pathTyp" stays for the user to delete
      const written = readFileSync(file, 'utf8');
      assert.equal(yamlErrors(written), 0, written);
      assert.equal(written.match(/pathType:/g)?.length, 1, written);
      assert.match(r.stdout, /unknown field "pathTyp"/);
    } finally {
      await client.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('"Disable <rule> for this line" covers a finding that starts on a line cut short by a lone CR (engine: suppressionLine)', { timeout: 30_000 }, async () => {
    ensureBuilt();
    // the key "\r": LSP counts the lone CR as a line break, so the finding starts on a line that looks blank
    const text = 'apiVersion: v1\r\nkind: Service\r\nmetadata:\r\n  name: web\r\nspec:\r\n  selector:\r\n    tier: frontend\r\n    \r: web\r\n  ports:\r\n  - port: 80\r\n';
    const { ds } = check(text);
    const target = ds.find((d) => d.rule === 'schema' && d.message.includes('label key'));
    assert.ok(target, show(ds));
    const dir = mkdtempSync(join(tmpdir(), 'kx-reg-'));
    const client = await Client.start({ folders: [dir] });
    try {
      const uri = uriOf(join(dir, 'svc.yaml'));
      client.open(uri, text);
      const published = await client.waitFor('the label key finding', () => client.published(uri)?.filter((d) => d.code === 'schema' && d.message.includes('label key')));
      assert.equal(published.length, 1);
      const actions = (await client.request('textDocument/codeAction', { textDocument: { uri }, range: published[0].range, context: { diagnostics: published } })) as { title: string; edit: any }[];
      const disable = actions.find((a) => a.title === 'Disable schema for this line');
      assert.ok(disable, actions.map((a) => a.title).join('\n'));
      const edits = disable.edit.documentChanges[0].edits.map((e: any) => ({ uri: 'svc.yaml', range: e.range, newText: e.newText }));
      const fixed = applyFileEdits({ 'svc.yaml': text }, edits, disable.title)['svc.yaml'];
      assert.ok(!coldCheck({ 'svc.yaml': fixed }).diagnostics.some((d) => d.rule === 'schema' && d.message.includes('label key')), fixed);
    } finally {
      await client.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refactors of a flow-style spec: a key is added after the last pair, a comment line inside stays a comment, and no refactor has overlapping edits (found by the refactor fuzz property)', () => {
    const uri = 'k8s/svc.yaml';
    const offered = (text: string, line = 1) => {
      const at = { start: { line, character: 0 }, end: { line, character: 0 } };
      const ws = createWorkspace({ ...DEFAULT_CONFIG });
      ws.setFile(uri, text);
      ws.flush();
      return refactorsAt(ws, uri, at, {
        onError: (e) => {
          throw e;
        },
      });
    };
    const json = '{\n  "apiVersion": "v1",\n  "kind": "Service",\n  "metadata": {"name": "db"},\n  "spec": {\n    #"type": "ClusterIP",\n    "ports": [{"port": 80}]\n  }\n}\n';
    const toNodePort = offered(json).find((r) => r.title === 'Convert to NodePort');
    assert.ok(toNodePort);
    const out = applyFileEdits({ [uri]: json }, toNodePort.edits, toNodePort.title)[uri];
    assert.equal(yamlErrors(out), 0, out);
    assert.ok(out.includes('\n    #"type": "ClusterIP",\n'), out);
    assert.ok(out.includes('"ports": [{"port": 80}], "type": "NodePort"\n'), out);
    // clusterIP: None added and externalTrafficPolicy dropped would each rewrite `{...}`: never both in one refactor
    const lone = '{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "db"},\n "spec": {"externalTrafficPolicy": "Local"}}\n';
    for (const r of offered(lone)) applyFileEdits({ [uri]: lone }, r.edits, r.title);
    // a path item written as a single pair in a flow sequence gets braces, its nested map no second pathType
    const pair = '{"apiVersion": "extensions/v1beta1", "kind": "Ingress", "metadata": {"name": "x"},\n "spec": {"rules": [{"http": {"paths": [\n  : {"path": "/", "pathType": "Prefix", "backend": {"serviceName": "a", "servicePort": 80}}\n ]}}]}}\n';
    const migrate = offered(pair).find((r) => r.title === 'Migrate Ingress to networking.k8s.io/v1');
    assert.ok(migrate);
    const migrated = applyFileEdits({ [uri]: pair }, migrate.edits, migrate.title)[uri];
    assert.equal(yamlErrors(migrated), 0, migrated);
    // a new document after a file that ends with a lone CR (a line break for the editor, not for YAML)
    const workload = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n        ports:\n        - containerPort: 80\n# the end\r';
    const expose = offered(workload).find((r) => r.title === 'Expose with a Service (ClusterIP)');
    assert.ok(expose);
    const exposed = applyFileEdits({ [uri]: workload }, expose.edits, expose.title)[uri];
    assert.equal(yamlErrors(exposed), 0, exposed);
    assert.match(exposed, /# the end\r\n---\n/);
    // moving the class annotation would delete an anchor an alias still uses: not offered (refactorsAt checks
    // that the touched documents still parse)
    const anchored =
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: networking.k8s.io/v1\n  kind: Ingress\n  metadata:\n    name: api\n    annotations: &a\n      kubernetes.io/ingress.class: nginx\n  spec:\n    defaultBackend: {service: {name: web, port: {number: 80}}}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: c\n    annotations: *a\n';
    const moves = offered(anchored, 4).filter((r) => r.title.includes('ingress class annotation'));
    for (const r of moves) assert.equal(yamlErrors(applyFileEdits({ [uri]: anchored }, r.edits, r.title)[uri]), 0, r.title);
    assert.ok(!moves.some((r) => r.title.startsWith('Move')), moves.map((r) => r.title).join(', '));
  });

  it('no "Disable <rule> for this line" for a line that starts inside a quoted scalar written over two lines (the comment would land in the string)', { timeout: 30_000 }, async () => {
    ensureBuilt();
    const text = 'apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: { selector: {app: web}, externalName:"\n   ", externalIPs: [ 1.2.3.4 ], ports: [{port: 80}] }\n';
    const dir = mkdtempSync(join(tmpdir(), 'kx-reg-'));
    const client = await Client.start({ folders: [dir] });
    try {
      const uri = uriOf(join(dir, 'svc.yaml'));
      client.open(uri, text);
      const ds = await client.waitFor('the externalIPs finding', () => client.published(uri)?.filter((d) => d.code === 'service-external-ips' && d.range.start.line === 4));
      assert.ok(ds.length > 0);
      const actions = (await client.request('textDocument/codeAction', { textDocument: { uri }, range: ds[0].range, context: { diagnostics: ds } })) as { title: string; edit: any }[];
      assert.ok(!actions.some((a) => a.title === 'Disable service-external-ips for this line'), actions.map((a) => a.title).join('\n'));
      assert.ok(actions.some((a) => a.title === 'Disable service-external-ips for this file'), actions.map((a) => a.title).join('\n'));
    } finally {
      await client.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the server offers no line-disable for YAML syntax errors (the comment would land inside the broken YAML)', { timeout: 30_000 }, async () => {
    ensureBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'kx-reg-'));
    const client = await Client.start({ folders: [dir] });
    try {
      const uri = uriOf(join(dir, 'svc.yaml'));
      const text = '{\n  "apiVersion": "v1",\n  "kind": "Service",\n  "spec": {\n    "ports": [\n';
      client.open(uri, text);
      const ds = await client.waitFor('the syntax error', () => client.published(uri)?.filter((d) => d.code === 'yaml-syntax'));
      assert.ok(ds.length > 0);
      const actions = (await client.request('textDocument/codeAction', { textDocument: { uri }, range: ds[0].range, context: { diagnostics: ds } })) as { title: string; edit: any }[];
      assert.ok(!actions.some((a) => /Disable yaml-syntax for this line/.test(a.title)), actions.map((a) => a.title).join('\n'));
      const file = actions.find((a) => a.title === 'Disable yaml-syntax for this file');
      assert.ok(file, actions.map((a) => a.title).join('\n'));
      const edits = file.edit.documentChanges[0].edits.map((e: any) => ({ uri: 'svc.yaml', range: e.range, newText: e.newText }));
      const fixed = applyFileEdits({ 'svc.yaml': text }, edits, file.title)['svc.yaml'];
      assert.equal(coldCheck({ 'svc.yaml': fixed }).diagnostics.filter((d) => d.rule === 'yaml-syntax').length, 0);
      // a FIFO announced by a watcher event does not block the server
      const fifo = join(dir, 'pipe.yaml');
      if (spawnSync('mkfifo', [fifo]).status === 0) {
        client.fileEvents([{ uri: uriOf(fifo), type: 1 }]);
        await client.quiet(400);
        await client.request('textDocument/codeAction', { textDocument: { uri }, range: ds[0].range, context: { diagnostics: [] } }, 3000);
      }
    } finally {
      await client.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
