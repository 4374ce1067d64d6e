// The suggestion helpers shared by the rules: what is suggested (closest,
// byCloseness) and what a fix may apply unreviewed (confidentTypo).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { byCloseness, closest, confidentTypo } from '../../server/src/rules/util';

describe('rules/util', () => {
  it('confidentTypo: case, one edit per four characters, a swap of neighbours', () => {
    for (const [a, b] of [
      ['web', 'WEB'],
      ['shopp', 'shop'],
      ['kart', 'cart'],
      ['ngnix', 'nginx'],
      ['wbe', 'web'],
      ['frontend', 'frontent'],
      ['web-frontnd', 'web-frontend'],
      ['htpp', 'http'],
      ['htps', 'https'],
    ]) {
      assert.ok(confidentTypo(a, b), `${a} ~ ${b}`);
      assert.ok(confidentTypo(b, a), `${b} ~ ${a}`);
    }
  });

  it('confidentTypo: not loose matches, not names differing only in digits', () => {
    for (const [a, b] of [
      ['service1', 'adservice'],
      ['my-service', 'adservice'],
      ['internal', 'internal-nginx'],
      ['grafana', 'node-exporter'],
      ['web', 'api'],
      ['web-1', 'web-2'],
      ['v1', 'v2'],
      ['service1', 'service12'],
      // protocol names a letter apart are different protocols
      ['http', 'https'],
      ['grpc', 'grpcs'],
      ['h2', 'h2c'],
      ['ws', 'wss'],
      ['HTTP', 'https'],
    ]) {
      assert.ok(!confidentTypo(a, b), `${a} !~ ${b}`);
      assert.ok(!confidentTypo(b, a), `${b} !~ ${a}`);
    }
  });

  it('closest suggests more loosely than confidentTypo applies', () => {
    assert.equal(closest('service1', ['adservice', 'database']), 'adservice');
    assert.equal(closest('web', ['WEB', 'web']), 'web');
    assert.equal(closest('storefront', ['db']), undefined);
    assert.deepEqual(byCloseness('web-ap', ['web-app', 'database', 'web-api', 'web-api']), ['web-api', 'web-app', 'database']);
  });
});
