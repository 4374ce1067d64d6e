// combineFixes: which fixes go together in one "fix all" or `--fix` pass.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { combineFixes, type CombinableEdit } from '../../server/src/engine/combine';

const text = 'a: 1\nb: {x: 1}\n---\nc: 3\n';
const at = (line: number, from: number, to: number, newText: string, uri = 'f.yaml'): CombinableEdit => ({ uri, range: { start: { line, character: from }, end: { line, character: to } }, newText });
const fix = (title: string, ...edits: CombinableEdit[]) => ({ title, edits });
const titles = (fs: { title: string }[]) => fs.map((f) => f.title);
const textOf = (uri: string) => (uri === 'f.yaml' ? text : undefined);

describe('combineFixes', () => {
  it('keeps fixes in order of preference and drops one that overlaps an accepted one', () => {
    const out = combineFixes([fix('one', at(0, 3, 4, '2')), fix('two', at(0, 3, 4, '5')), fix('three', at(3, 3, 4, '4'))], textOf);
    assert.deepEqual(titles(out), ['one', 'three']);
  });

  it('drops a fix that, with an accepted fix in the same document, writes a duplicate key', () => {
    const out = combineFixes([fix('rename a to b2', at(0, 0, 1, 'b2')), fix('add b2', at(1, 9, 9, '\nb2: 0')), fix('other document', at(3, 3, 4, '9'))], textOf);
    assert.deepEqual(titles(out), ['rename a to b2', 'other document']);
  });

  it('drops a lone fix that breaks its document, and keeps the rest', () => {
    const out = combineFixes([fix('breaks', at(1, 3, 4, '')), fix('fine', at(3, 3, 4, '4'))], textOf);
    assert.deepEqual(titles(out), ['fine']);
  });

  it('drops a fix for a file it cannot read, and one without edits', () => {
    const out = combineFixes([fix('elsewhere', at(0, 0, 1, 'z', 'gone.yaml')), fix('empty'), fix('fine', at(0, 3, 4, '7'))], textOf);
    assert.deepEqual(titles(out), ['fine']);
  });
});
