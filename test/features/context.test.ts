// The line-based typing context behind completion: parent keys from
// indentation, list indices from `- ` items, flow collections on the line.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { typingContext } from '../../server/src/features/context';
import { Chunk } from '../../server/src/engine/parse';
import { cursor } from './helpers';

function ctx(textWithBar: string, mark = '|') {
  const { text, pos } = cursor(textWithBar.replace(/\|/g, '\u0000').replace(mark === '|' ? '\u0000' : mark, '|'));
  const restored = text.replace(/\u0000/g, '|');
  return ctxOf(restored, pos);
}

function ctxOf(text: string, pos: { line: number; character: number }) {
  const chunk = new Chunk('file:///t.yaml', text, true);
  const t = typingContext(chunk, chunk.lines.offsetAt(pos));
  return t && { mode: t.mode, path: t.path, prefix: t.prefix, word: text.slice(t.start, t.end), flow: t.flow, quote: t.quote, maybeItem: t.maybeItem };
}

describe('typing context', () => {
  it('reads a partial key under nested maps', () => {
    assert.deepEqual(ctx('spec:\n  selector:\n    ap|\n  ports: []\n'), { mode: 'key', path: ['spec', 'selector'], prefix: 'ap', word: 'ap', flow: false, quote: undefined, maybeItem: false });
  });

  it('reads an empty value and a partial value, replacing the whole word', () => {
    assert.deepEqual(ctx('spec:\n  ports:\n    - port: 80\n      targetPort: |\n')?.path, ['spec', 'ports', 0, 'targetPort']);
    const t = ctx('spec:\n  ports:\n    - port: 80\n    - port: 81\n      targetPort: ht|tp\n');
    assert.deepEqual([t?.mode, t?.path, t?.prefix, t?.word], ['value', ['spec', 'ports', 1, 'targetPort'], 'ht', 'http']);
  });

  it('counts list items, including items with nested content and indentless lists', () => {
    const text = 'spec:\n  rules:\n    - host: a\n      http:\n        paths:\n          - path: /\n    - host: b\n      http:\n        paths:\n          - path: /x\n            backend:\n              service:\n                name: |\n';
    assert.deepEqual(ctx(text)?.path, ['spec', 'rules', 1, 'http', 'paths', 0, 'backend', 'service', 'name']);
    assert.deepEqual(ctx('spec:\n  ports:\n  - port: 80\n  - port: 81\n    nodePort: |\n')?.path, ['spec', 'ports', 1, 'nodePort']);
  });

  it('starts a new item on a bare dash and on a blank line at an indentation', () => {
    assert.deepEqual(ctx('spec:\n  ports:\n    - port: 80\n    - |\n'), { mode: 'key', path: ['spec', 'ports', 1], prefix: '', word: '', flow: false, quote: undefined, maybeItem: true });
    assert.deepEqual(ctx('spec:\n  ports:\n    - port: 80\n      |\n')?.path, ['spec', 'ports', 0]);
    assert.deepEqual(ctx('spec:\n  type: NodePort\n  |\n')?.path, ['spec']);
    assert.deepEqual(ctx('spec:\n  type: NodePort\n|\n')?.path, []);
  });

  it('skips comments and blank lines when looking for the parent', () => {
    assert.deepEqual(ctx('spec:\n  selector:\n    # pick the pods\n\n    app: web\n    tr|\n')?.path, ['spec', 'selector']);
  });

  it('reads flow maps and lists on the cursor line', () => {
    assert.deepEqual(ctx('spec:\n  selector: {app: w|}\n'), { mode: 'value', path: ['spec', 'selector', 'app'], prefix: 'w', word: 'w', flow: true, quote: undefined, maybeItem: false });
    assert.deepEqual(ctx('spec:\n  selector: {app: web, |}\n')?.mode, 'key');
    assert.deepEqual(ctx('spec:\n  ports: [{port: 80, targetPort: 80}, {port: 81, targetPort: h|}]\n')?.path, ['spec', 'ports', 1, 'targetPort']);
    assert.deepEqual(ctx('spec:\n  ports:\n    - {port: 80, targetPort: |}\n')?.path, ['spec', 'ports', 0, 'targetPort']);
    assert.deepEqual(ctx('spec:\n  tls:\n    - hosts: [a.example.com, |]\n')?.path, ['spec', 'tls', 0, 'hosts', 1]);
    assert.equal(ctx('spec:\n  selector: {app: web}|\n'), undefined);
  });

  it('reads quoted values without the quote', () => {
    const t = ctx('metadata:\n  labels:\n    app: "we|b"\n');
    assert.deepEqual([t?.prefix, t?.word, t?.quote], ['we', 'web', '"']);
  });

  it('gives up inside comments and block scalars', () => {
    assert.equal(ctx('spec:\n  type: NodePort # a com|ment\n'), undefined);
    assert.equal(ctx('data:\n  x: |\n    abc‸\n', '‸'), undefined);
    assert.equal(ctx('data:\n  x: |\n    abc\n  ‸\n', '‸')?.mode, 'key');
    assert.equal(ctx('data:\n  x: >-|\n'), undefined);
  });
});
