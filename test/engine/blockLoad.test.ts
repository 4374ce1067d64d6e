// blockLoad reads the plain block subset of YAML; everything it accepts must
// read exactly as `yaml` reads it (the parser the engine falls back to), and
// everything outside the subset must be refused, not guessed.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isMap, isPair, isScalar, isSeq, parseAllDocuments, parseDocument, type Node } from 'yaml';
import { blockLoad, blockLoadWithPositions } from '../../server/src/engine/blockLoad';
import type { PosNode } from '../../server/src/engine/positions';
import { fastLoad } from '../../server/src/engine/fastLoad';
import { splitDocuments } from '../../server/src/engine/parse';

const ROOT = join(__dirname, '..', '..');

/** `yaml`'s reading (YAML 1.1, as the engine parses), or undefined when it reports an error. */
function yamlValue(text: string): unknown {
  const docs = parseAllDocuments(text, { version: '1.1', merge: true, prettyErrors: false });
  if (!Array.isArray(docs) || docs.length !== 1 || docs[0].errors.length) return undefined;
  return docs[0].toJS({ maxAliasCount: 100 });
}

function accepts(text: string, expected?: unknown): void {
  const value = blockLoad(text);
  assert.notEqual(value, undefined, `refused:\n${text}`);
  assert.deepEqual(value, yamlValue(text), `differs from yaml:\n${text}`);
  if (expected !== undefined) assert.deepEqual(value, expected);
}

/** Every node's range (without trailing white space) is the range of `yaml`'s node there. */
function assertSameRanges(text: string, pos: PosNode, node: Node | null): void {
  const trimmed = (start: number, end: number) => {
    while (end > start && /\s/.test(text[end - 1])) end--;
    return text.slice(start, end) + `@${start}`;
  };
  assert.ok(node?.range, `no yaml node for ${trimmed(pos.start, pos.end)}`);
  assert.equal(trimmed(pos.start, pos.end), trimmed(node.range[0], node.range[1]));
  if (pos.kind === 'map') {
    assert.ok(isMap(node));
    assert.equal(pos.pairs!.length, node.items.length);
    pos.pairs!.forEach((p, i) => {
      const pair = node.items[i];
      assert.ok(isPair(pair));
      assertSameRanges(text, p.key, pair.key as Node);
      if (p.value.kind === 'null' && !pair.value) return; // `yaml` has no node for some empty values
      assertSameRanges(text, p.value, pair.value as Node);
    });
  } else if (pos.kind === 'seq') {
    assert.ok(isSeq(node));
    assert.equal(pos.items!.length, node.items.length);
    pos.items!.forEach((item, i) => assertSameRanges(text, item, node.items[i] as Node));
  } else {
    assert.ok(isScalar(node));
  }
}

function refuses(text: string): void {
  assert.equal(blockLoad(text), undefined, `accepted:\n${text}`);
}

describe('blockLoad', () => {
  it('reads block maps and sequences, compact sequences and maps in sequence entries', () => {
    accepts(
      [
        '# a comment',
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: web   # trailing comment',
        '  labels:',
        '    app.kubernetes.io/name: web',
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        '      - name: web',
        '        ports:',
        '          - containerPort: 8080',
        '            name: http',
        '        args:',
        '        - --port',
        '        - "8080"',
        '',
        '      -   name: sidecar',
        '          image: busybox',
        '',
      ].join('\n'),
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', labels: { 'app.kubernetes.io/name': 'web' } },
        spec: {
          template: {
            spec: {
              containers: [
                { name: 'web', ports: [{ containerPort: 8080, name: 'http' }], args: ['--port', '8080'] },
                { name: 'sidecar', image: 'busybox' },
              ],
            },
          },
        },
      },
    );
  });

  it('resolves plain scalars as YAML 1.1 does, and keeps quoted ones strings', () => {
    accepts(
      'a: yes\nb: off\nc: 0x1F\nd: 010\ne: 1_000\nf: 190:20:30\ng: ~\nh: null\ni: .inf\nj: -.5\nk: 1e3\nl: e5\nm: "yes"\nnn: \'010\'\no:\np: -1\nq: 08\n',
      { a: true, b: false, c: 31, d: 8, e: 1000, f: 685230, g: null, h: null, i: Infinity, j: -0.5, k: 1000, l: NaN, m: 'yes', nn: '010', o: null, p: -1, q: 8 },
    );
  });

  it('reads quoted scalars with escapes, quoted keys, and one-line flow sequences', () => {
    accepts(
      `"a b": 'it''s'\nc: "tab\\there \\u00e9 \\x41 \\"q\\" \\\\"\nd: [80, "x", 'y', a.b, "#"]\ne: []\nf: {}\ng: [ 1 , 2 ]\nh: "a # b"  # c\n`,
      { 'a b': "it's", c: 'tab\there é A "q" \\', d: [80, 'x', 'y', 'a.b', '#'], e: [], f: {}, g: [1, 2], h: 'a # b' },
    );
  });

  it('reads plain scalars holding colons, hashes and brackets that are not indicators', () => {
    accepts('url: http://example.com:8080/a#b\nimage: nginx:1.25\nx: a[0]{b},c\nyy: a:b\nz: -x\n', {
      url: 'http://example.com:8080/a#b',
      image: 'nginx:1.25',
      x: 'a[0]{b},c',
      yy: 'a:b',
      z: '-x',
    });
  });

  it('reads a document after a start marker, with comments and blank lines around', () => {
    accepts('\n# leading\n--- # marker comment\n# before\nkind: Service\n\n# between\nmetadata:\n\n  name: a\n# after\n');
  });

  it('refuses what it does not read itself', () => {
    for (const text of [
      'a: &x 1\nb: *x\n', // anchors, aliases
      'a: !!str 1\n', // tags
      'a:\n  <<: {b: 1}\n', // merge keys
      'a: |\n  text\n', // block scalars
      'a: >-\n  text\n',
      'a: one\n  two\n', // a multi-line plain scalar
      'a: "one\n  two"\n', // a multi-line quoted scalar
      'a:\n\tb: 1\n', // tabs
      'a: 1\r\nb: 2\r\n', // CRs
      '\uFEFFa: 1\n', // a byte order mark
      'a: 1\na: 2\n', // a duplicate key
      '1: a\n', // keys that are not strings
      'true: a\n',
      'on: a\n',
      'y: a\n',
      'a: - b\n', // a sequence on the key's line
      '- a\n- b\n', // a root that is not a map
      '  a: 1\n', // an indented root
      'a: 1\n---\nb: 2\n', // two documents
      'a: 1\n...\n',
      'a: {b: 1}\n', // flow maps
      'a: [b, [c]]\n', // nested flow
      'a: [b,]\n', // a trailing comma
      'a: [\n  b]\n', // a flow sequence over lines
      'a: b: c\n', // a mapping indicator in a value
      'a: "b"#c\n', // a comment glued to a token
      'a: b\n  c: d\n', // a more indented line after a scalar
      'a:\n- b\n-\n- c\n', // an empty sequence entry
      'a:\n  - - b\n', // a compact nested sequence
      'a:\n\n# c\nb: 1\n', // an empty value, a blank line, then a comment
      'a: 2001-12-14\n', // a timestamp
      'a: "\\N"\n', // a rare escape
      'a: @b\n', // a reserved indicator
      '__proto__: 1\n',
      'a b: 1\n', // a key with a space
      'a : 1\n', // a space before the colon
      'a: b\u2028c\n', // a YAML 1.1 line break
      '# only a comment\n',
      '',
    ]) {
      refuses(text);
    }
  });

  it('agrees with yaml on every document of the examples and fixtures it accepts', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.ya?ml$/.test(name)) files.push(path);
      }
    };
    walk(join(ROOT, 'examples'));
    walk(join(ROOT, 'test', 'fixtures'));
    let accepted = 0;
    let documents = 0;
    for (const file of files) {
      for (const { text } of splitDocuments(readFileSync(file, 'utf8'))) {
        documents++;
        const value = blockLoad(text);
        if (value === undefined) continue;
        accepted++;
        assert.deepEqual(value, yamlValue(text), `${file}:\n${text}`);
      }
    }
    // most real documents are in the subset (the point of the reader)
    assert.ok(accepted > documents / 2, `${accepted} of ${documents} documents accepted`);
  });

  it('leaves deep nesting to yaml (which reports it) and never overflows the stack', () => {
    const nested = (depth: number) => Array.from({ length: depth }, (_, i) => `${' '.repeat(i)}k:\n`).join('');
    assert.notEqual(blockLoad(nested(50)), undefined);
    assert.equal(blockLoad(nested(150)), undefined);
    assert.equal(blockLoad(nested(6000)), undefined);
  });

  it('knows where each value is, as yaml does', () => {
    for (const text of [
      'a: 1\nb: "x"  # c\nc:\n  d: [1, \'2\']\n  e: {}\nf:\n- g: 1\n  h: x # c\n-   i: y\n- z\ng:\n  -  "q"\nh:\n',
      '--- # start\nkind: Service\nspec:\n  ports:\n  - port: 80   \n    name: http\n  selector:\n    app: web\nlast: value',
      'a:\n\n  b:   # c\n\n    c: 1\nd:    \ne: x\n',
    ]) {
      const read = blockLoadWithPositions(text);
      assert.ok(read?.root, `no index for:\n${text}`);
      assert.deepEqual(read.value, blockLoad(text));
      assertSameRanges(text, read.root, parseDocument(text, { version: '1.1' }).contents);
    }
  });

  it('gives no index where comment lines follow a block collection (yaml counts them into some ranges only)', () => {
    for (const text of ['a:\n  b: 1\n  # c\nd: 2\n', 'a: 1\n# trailing\n', 'a:\n- x\n  # c\nb: 1\n']) {
      const read = blockLoadWithPositions(text);
      assert.ok(read, text);
      assert.equal(read.root, undefined, text);
    }
  });

  it('is what fastLoad uses for a document it accepts; the rest still goes to js-yaml', () => {
    assert.deepEqual(fastLoad('a: 1\nb: [x]\n')?.values, [{ a: 1, b: ['x'] }]);
    assert.deepEqual(fastLoad('a: |\n  x\n')?.values, [{ a: 'x\n' }]);
    assert.equal(fastLoad('a: &x 1\nb: *x\n'), undefined);
  });
});
