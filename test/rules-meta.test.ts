// Every rule is complete: a docs page, a test file, an example that makes it
// fire, a row in the README; and every correct example stays clean.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ALL_RULES } from '../server/src/index';
import { run } from './rule-tester';

/** The public rule ids (issue #2's table, plus file-skipped, statefulset-service-mismatch and the Gateway API route rules). */
const PUBLIC_IDS = [
  'service-selector-no-match',
  'service-selector-empty',
  'service-no-backends',
  'service-targetport-unresolved',
  'service-targetport-unnamed',
  'service-targetport-undeclared',
  'service-port-name-required',
  'service-port-duplicate',
  'service-nodeport-range',
  'service-nodeport-duplicate',
  'service-type-mismatch',
  'service-externalname-invalid',
  'service-external-ips',
  'pod-hostport-conflict',
  'pod-hostport-scaling',
  'pod-hostnetwork-port-mismatch',
  'pod-host-exposure',
  'workload-selector-mismatch',
  'statefulset-service-mismatch',
  'ingress-backend-service-missing',
  'ingress-backend-port-missing',
  'ingress-deprecated-api',
  'ingress-pathtype-missing',
  'ingress-class-annotation',
  'ingress-class-conflict',
  'ingress-class-unknown',
  'ingress-rule-invalid',
  'gateway-listener-invalid',
  'route-rule-invalid',
  'route-not-attached',
  'route-backend-service-missing',
  'route-backend-port-missing',
  'route-backend-not-permitted',
  'endpoints-port-mismatch',
  'schema',
  'yaml-syntax',
  'file-skipped',
];

function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, name.name);
    if (name.isDirectory()) Object.assign(out, readTree(p));
    else if (/\.ya?ml$/.test(name.name)) out[p.split('\\').join('/')] = readFileSync(p, 'utf8');
  }
  return out;
}

describe('rule catalogue', () => {
  it('has exactly the public rule ids', () => {
    assert.deepEqual([...ALL_RULES.map((r) => r.id)].sort(), [...PUBLIC_IDS].sort());
  });

  const readme = readFileSync('README.md', 'utf8');
  for (const rule of ALL_RULES) {
    it(`${rule.id}: docs page, tests, README row`, () => {
      const page = `docs/rules/${rule.id}.md`;
      assert.ok(existsSync(page), `missing ${page}`);
      const text = readFileSync(page, 'utf8');
      assert.match(text, new RegExp(`^# ${rule.id}$`, 'm'));
      assert.match(text, new RegExp(`Default severity:\\*\\* ${rule.severity}`), `${page} states the default severity`);
      if (!['yaml-syntax', 'file-skipped'].includes(rule.id)) assert.ok(existsSync(`test/rules/${rule.id}.test.ts`), `missing test/rules/${rule.id}.test.ts`);
      assert.ok(readme.includes(`[${rule.id}](docs/rules/${rule.id}.md)`), `README rule table lacks ${rule.id}`);
    });
    if (rule.id === 'file-skipped') continue;
    it(`${rule.id}: fires in examples/broken/${rule.id}/`, () => {
      const dir = `examples/broken/${rule.id}`;
      assert.ok(existsSync(dir), `missing ${dir}`);
      const found = run(readTree(dir)).filter((d) => d.rule === rule.id);
      assert.ok(found.length > 0, `${rule.id} does not fire in ${dir}`);
    });
  }

  it('examples/good is clean: every exposure method written correctly', () => {
    const found = run(readTree('examples/good'));
    assert.deepEqual(
      found.map((d) => `${d.uri}:${d.range.start.line + 1} ${d.rule}: ${d.message}`),
      [],
    );
  });
});
