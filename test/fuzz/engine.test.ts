// Short fuzz runs of the engine properties (a few seconds each); `npm run fuzz`
// runs the same properties for as long as FUZZ_TIME says. Seeds: see config.ts.
import { describe, it } from 'node:test';
import type fc from 'fast-check';
import { baseSeed, runProperty, selected, type Budget } from './config';
import { engineSound, fixAllSound, fixesSound, incrementalSound, NAMES, refactorsSound } from './properties';

process.removeAllListeners('warning'); // the YAML library warns about odd keys of hostile input
const base = baseSeed();
const SHORT: Budget = { runs: 400, timeMs: 2500 };

describe('fuzz: engine', { timeout: 120_000 }, () => {
  const props = [
    [NAMES.engine, engineSound],
    [NAMES.fixes, fixesSound],
    [NAMES.incremental, incrementalSound],
    [NAMES.fixAll, fixAllSound],
    [NAMES.refactors, refactorsSound],
  ] as const;
  for (const [name, prop] of props) {
    it(name, { skip: !selected(name) }, async () => {
      await runProperty(name, base, SHORT, prop as fc.IProperty<unknown>);
    });
  }
});
