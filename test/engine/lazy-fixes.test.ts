// Quick fixes are computed only when asked for: building them needs the `yaml`
// Document of the chunks they edit (slow when cold), and publishing
// diagnostics needs none of it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ALL_RULES, createWorkspace, DEFAULT_CONFIG } from '../../server/src/index';
import { mapAt, setKey } from '../../server/src/engine/edits';
import { isMap, isScalar } from 'yaml';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Chunk, Resource } from '../../server/src/engine/parse';
import { defineRule, type Fix, type Loc, type RuleContext } from '../../server/src/engine/rule';

const SVC = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
    - port: 80
`;

/** A finding located without nodes (a Loc given as is), so only its fix can build the Document. */
function probeRule(fixes: (ctx: RuleContext) => Fix[] | (() => Fix[])) {
  return defineRule({
    id: 'probe',
    severity: 'warning',
    description: 'test rule',
    fixable: true,
    kinds: ['Service'],
    check(r, ctx) {
      const at: Loc = { chunk: r.chunk, range: { start: { line: 1, character: 0 }, end: { line: 1, character: 4 } } };
      ctx.report({ message: 'probe', at, fixes: fixes(ctx) });
    },
  });
}

function open(rule: ReturnType<typeof probeRule>) {
  const ws = createWorkspace(DEFAULT_CONFIG, [rule]);
  ws.setFile('k8s/svc.yaml', SVC);
  ws.flush();
  const chunk = ws.file('k8s/svc.yaml')!.chunks[0];
  return { ws, chunk, ds: ws.diagnostics('k8s/svc.yaml') };
}

/** Runs `f` with KUBE_EXPOSE_STRICT_FIXES unset (the test runner sets it), as the CLI and the server run. */
function lenient<T>(f: () => T): T {
  const saved = process.env.KUBE_EXPOSE_STRICT_FIXES;
  delete process.env.KUBE_EXPOSE_STRICT_FIXES;
  try {
    return f();
  } finally {
    if (saved !== undefined) process.env.KUBE_EXPOSE_STRICT_FIXES = saved;
  }
}

describe('lazy fixes', () => {
  it('runs a fix function only when fixes are read, once, and builds the Document only then', () => {
    let calls = 0;
    const rule = probeRule(() => () => {
      calls++;
      const r = ws.resourcesOf('k8s/svc.yaml')[0];
      return [{ title: 'Set a selector', isPreferred: true, edits: [setKey(r.chunk, mapAt(r, ['spec'])!, 'selector', { app: 'web' })] }];
    });
    const { ws, chunk, ds } = open(rule);
    assert.equal(ds.length, 1);
    // what publishing reads: message, range, related
    assert.equal(ds[0].message, 'probe');
    assert.deepEqual(ds[0].range, { start: { line: 1, character: 0 }, end: { line: 1, character: 4 } });
    assert.equal(calls, 0);
    assert.equal(chunk.hasDocuments, false, 'diagnostics built the Document');
    // a second diagnostics() still computes nothing
    ws.diagnostics('k8s/svc.yaml');
    assert.equal(calls, 0);

    const fixes = ds[0].fixes;
    assert.equal(calls, 1);
    assert.equal(chunk.hasDocuments, true);
    assert.deepEqual(fixes, [
      {
        title: 'Set a selector',
        isPreferred: true,
        edits: [{ uri: 'k8s/svc.yaml', range: { start: { line: 6, character: 14 }, end: { line: 6, character: 14 } }, newText: '\n  selector:\n    app: web' }],
      },
    ]);
    assert.equal(ds[0].fixes, fixes, 'memoised');
    void ws.diagnostics('k8s/svc.yaml')[0].fixes;
    assert.equal(calls, 1, 'the finding keeps its fixes across diagnostics() calls');
  });

  it('keeps the fixes enumerable: JSON output and spreads see them', () => {
    const { ds } = open(probeRule(() => () => [{ title: 'noop', edits: [] }]));
    assert.deepEqual(JSON.parse(JSON.stringify(ds[0])).fixes, [{ title: 'noop', isPreferred: false, edits: [] }]);
    assert.deepEqual({ ...ds[0] }.fixes, [{ title: 'noop', isPreferred: false, edits: [] }]);
  });

  it('still accepts an array of fixes', () => {
    const { ds } = open(probeRule(() => [{ title: 'noop', isPreferred: true, edits: [] }]));
    assert.deepEqual(ds[0].fixes, [{ title: 'noop', isPreferred: true, edits: [] }]);
  });

  it('a fix function that throws gives no fixes and leaves the finding alone', () => {
    const { ds } = open(
      probeRule(() => () => {
        throw new Error('rule bug');
      }),
    );
    assert.equal(ds.length, 1);
    assert.equal(ds[0].message, 'probe');
    assert.deepEqual(
      lenient(() => ds[0].fixes),
      [],
    );
  });

  it('in tests (KUBE_EXPOSE_STRICT_FIXES=1) the error of a fix function surfaces where fixes are read', () => {
    const { ds } = open(
      probeRule(() => () => {
        throw new Error('rule bug');
      }),
    );
    const saved = process.env.KUBE_EXPOSE_STRICT_FIXES;
    process.env.KUBE_EXPOSE_STRICT_FIXES = '1';
    try {
      assert.throws(() => ds[0].fixes, /rule bug/);
    } finally {
      if (saved === undefined) delete process.env.KUBE_EXPOSE_STRICT_FIXES;
      else process.env.KUBE_EXPOSE_STRICT_FIXES = saved;
    }
  });

  it('RuleContext queries from a fix function throw a clear error (they would go unrecorded)', () => {
    for (const query of [
      (ctx: RuleContext) => ctx.all('template'),
      (ctx: RuleContext) => ctx.inNamespace('template', 'default'),
      (ctx: RuleContext) => ctx.selectTemplates('default', { app: 'web' }),
      (ctx: RuleContext) => ctx.report({ message: 'late', at: [] }),
    ]) {
      let error: unknown;
      const { ds } = open(
        probeRule((ctx) => () => {
          try {
            query(ctx);
          } catch (e) {
            error = e;
            throw e;
          }
          return [];
        }),
      );
      assert.deepEqual(
        lenient(() => ds[0].fixes),
        [],
      );
      assert.match(String(error), /RuleContext\.\w+\(\) called after the check of Service web returned .*capture their results/);
    }
  });

  it('Chunk.hasDocuments is false until nodes are needed', () => {
    const chunk = new Chunk('a.yaml', SVC, true);
    assert.equal(chunk.hasDocuments, false);
    void chunk.resources[0].node;
    assert.equal(chunk.hasDocuments, true);
  });

  it('Resource.hasNode/hasMapAt/hasScalarAt agree with nodeAt, from the value where they can', () => {
    const docs = [
      'apiVersion: v1\nkind: Service\nspec:\n  a: 1\n  b:\n  c: null\n  ? d\n  e: {f, g: 1}\n  h: [1, {i: 2}]\n',
      'apiVersion: v1\nkind: Service\nbase: &b {a: 1, c: null}\nspec:\n  <<: *b\n  e: *b\n  b: 2\n  h: [1, {i: 2}]\n',
      'apiVersion: v1\nkind: Service\nspec: {<<: {a: 1}, b: 2}\n',
      // read by the fast path: the value answers, except for nulls
      'apiVersion: v1\nkind: Service\nspec:\n  a: 1\n  b:\n  c: null\n  e: {f, g: 1, a: {}}\n  h: [1, {i: 2}]\n  80: x\n  "on": y\n',
    ];
    const paths = [['spec'], ['spec', 'a'], ['spec', 'b'], ['spec', 'c'], ['spec', 'd'], ['spec', 'e'], ['spec', 'e', 'f'], ['spec', 'e', 'g'], ['spec', 'e', 'a'], ['spec', 'e', 'c'], ['spec', 'h', 0], ['spec', 'h', 1, 'i'], ['spec', 'h', 2], ['spec', 'x'], ['spec', 'a', 'x'], ['nope', 'x'], ['spec', '80'], ['spec', 'on'], ['spec', 'e', 'a'], ['spec', 'h'], ['spec', 'e', 'g'], []];
    assert.deepEqual(
      docs.map((text) => new Chunk('a.yaml', text, true).readFast),
      [false, false, false, true],
    );
    for (const text of docs) {
      for (const path of paths) {
        const node = new Chunk('a.yaml', text, true).resources[0].nodeAt(path);
        assert.equal(new Chunk('a.yaml', text, true).resources[0].hasNode(path), node !== undefined, `${JSON.stringify(text)} ${path.join('.')}`);
        assert.equal(new Chunk('a.yaml', text, true).resources[0].hasMapAt(path), isMap(node), `${JSON.stringify(text)} ${path.join('.')}`);
        assert.equal(new Chunk('a.yaml', text, true).resources[0].hasScalarAt(path), isScalar(node), `${JSON.stringify(text)} ${path.join('.')}`);
      }
    }
    // a plain document answers from the value
    const plain = new Chunk('a.yaml', SVC, true).resources[0];
    assert.equal(plain.hasNode(['spec', 'ports', 0, 'port']), true);
    assert.equal(plain.hasNode(['spec', 'ports', 0, 'targetPort']), false);
    assert.equal(plain.hasMapAt(['spec', 'ports', 0]), true);
    assert.equal(plain.hasMapAt(['spec', 'ports']), false);
    assert.equal(plain.chunk.hasDocuments, false);
  });

  it('checking the examples reads no Document outside locating findings; reading the fixes does', () => {
    // Rules get a context whose loc() and report() (which locates) mark the
    // time they run: a Document read by a check at any other time is one a
    // Document-free location would not make go away.
    const root = join(__dirname, '..', '..', 'examples');
    let locating = 0;
    let checking: string | undefined;
    const offenders = new Map<string, Set<string>>();
    // (a chunk the slow path read has its Document already: reading it costs nothing)
    const note = (what: string, chunk: Chunk) => {
      if (checking && !locating && chunk.readFast) offenders.set(checking, (offenders.get(checking) ?? new Set()).add(`${what} in ${relative(root, chunk.uri)}`));
    };
    const docs = Object.getOwnPropertyDescriptor(Chunk.prototype, 'docs')!;
    const node = Object.getOwnPropertyDescriptor(Resource.prototype, 'node')!;
    Object.defineProperty(Chunk.prototype, 'docs', { ...docs, get(this: Chunk) { note('Chunk.docs', this); return docs.get!.call(this); } });
    Object.defineProperty(Resource.prototype, 'node', { ...node, get(this: Resource) { note('Resource.node', this.chunk); return node.get!.call(this); } });
    const during = <T,>(f: () => T): T => {
      locating++;
      try {
        return f();
      } finally {
        locating--;
      }
    };
    const rules = ALL_RULES.map((rule) => ({
      ...rule,
      check(r: Resource, ctx: RuleContext) {
        checking = rule.id;
        try {
          // the context with loc and report wrapped (its methods may live on a prototype: no spread)
          const watched: RuleContext = Object.create(ctx, {
            loc: { value: (...a: Parameters<RuleContext['loc']>) => during(() => ctx.loc(...a)) },
            report: { value: (rep: Parameters<RuleContext['report']>[0]) => during(() => ctx.report(rep)) },
          });
          rule.check(r, watched);
        } finally {
          checking = undefined;
        }
      },
    }));
    try {
      let fixes = 0;
      let findings = 0;
      for (const group of ['broken', 'good']) {
        for (const example of readdirSync(join(root, group))) {
          const ws = createWorkspace(DEFAULT_CONFIG, rules);
          const files = listYaml(join(root, group, example));
          for (const f of files) ws.setFile(f, readFileSync(f, 'utf8'));
          ws.flush();
          const ds = files.flatMap((f) => ws.diagnostics(f));
          findings += ds.length;
          fixes += ds.reduce((n, d) => n + d.fixes.length, 0);
        }
      }
      // the one exception: schema messages that show a value as written (`got the number 1.10`, `got yes, which
      // kubectl's YAML parser reads as the boolean true`) read its node, until source ranges come without Documents
      assert.deepEqual(Object.fromEntries([...offenders].map(([k, v]) => [k, [...v].sort()])), {
        schema: ['Chunk.docs in broken/schema/deployment.yaml', 'Chunk.docs in broken/schema/service.yaml', 'Resource.node in broken/schema/deployment.yaml', 'Resource.node in broken/schema/ingress.yaml', 'Resource.node in broken/schema/service.yaml'],
      });
      assert.ok(findings > 30 && fixes > 30, `${findings} findings, ${fixes} fixes`);
    } finally {
      Object.defineProperty(Chunk.prototype, 'docs', docs);
      Object.defineProperty(Resource.prototype, 'node', node);
    }
  });
});

function listYaml(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listYaml(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}
