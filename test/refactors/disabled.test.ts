// Refactors that fit a resource but whose edits would be unsafe there are left
// out; asked for (`includeDisabled`), they come back with the reason and no edits,
// so an editor can show them greyed out.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LEFT_OUT, refactorsAt } from '../../server/src/refactors/index';
import { FILE, rethrow, workspace } from './helpers';

// The class annotation sits in a map an alias of another document still uses:
// moving it out would delete the anchor's content under the alias.
const ANCHORED = [
  'apiVersion: v1',
  'kind: List',
  'items:',
  '- apiVersion: networking.k8s.io/v1',
  '  kind: Ingress',
  '  metadata:',
  '    name: api',
  '    annotations: &a',
  '      kubernetes.io/ingress.class: nginx',
  '  spec:',
  '    defaultBackend: {service: {name: web, port: {number: 80}}}',
  '- apiVersion: v1',
  '  kind: ConfigMap',
  '  metadata:',
  '    name: c',
  '    annotations: *a',
  '',
].join('\n');

function at(text: string, line: number, includeDisabled: boolean) {
  const pos = { line, character: 4 };
  return refactorsAt(workspace({ [FILE]: text }), FILE, { start: pos, end: pos }, { onError: rethrow, includeDisabled });
}

describe('refactors left out as unsafe', () => {
  it('are not offered by default', () => {
    const titles = at(ANCHORED, 4, false).map((r) => r.title);
    assert.ok(!titles.some((t) => t.includes('ingress class annotation')), titles.join(', '));
    assert.ok(at(ANCHORED, 4, false).every((r) => r.disabled === undefined && r.edits.length > 0));
  });

  it('come back disabled, with the reason and no edits, when asked for', () => {
    const all = at(ANCHORED, 4, true);
    const move = all.find((r) => r.title.includes('ingress class annotation'));
    assert.ok(move, all.map((r) => r.title).join(', '));
    assert.equal(move.disabled, LEFT_OUT.breaksYaml);
    assert.deepEqual(move.edits, []);
    // the safe ones are the same either way
    assert.deepEqual(
      all.filter((r) => !r.disabled).map((r) => r.title),
      at(ANCHORED, 4, false).map((r) => r.title),
    );
  });

  it('leave a plain document alone: nothing is disabled', () => {
    const plain = ANCHORED.replace(' &a', '').replace('    annotations: *a\n', '');
    const all = at(plain, 4, true);
    assert.ok(all.some((r) => r.title.includes('ingress class annotation')), all.map((r) => r.title).join(', '));
    assert.deepEqual(all.filter((r) => r.disabled), []);
  });
});
