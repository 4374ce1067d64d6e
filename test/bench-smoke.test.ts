// The benchmark's regression guard (bench/smoke.ts): a 1,000-resource file opened
// and edited through the real language server; fails only on gross regressions
// (ten times the performance targets, in server CPU time). The full benchmark is
// `npm run bench` (docs/performance.md).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSmoke } from '../bench/smoke';
import { ensureBuilt } from './helpers/build';

test('bench smoke: no gross performance regression (open and edit a 1,000-resource file)', { timeout: 60_000 }, async () => {
  ensureBuilt();
  const r = await runSmoke(8);
  assert.ok(r.ok, `performance regression:\n${r.lines.join('\n')}`);
});
