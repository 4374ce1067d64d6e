// Short fuzz run through the real language server over stdio: generated
// manifests are opened, the published diagnostics must equal a cold engine
// check, and every quick fix it offers must be sound. `npm run fuzz` runs longer.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type fc from 'fast-check';
import { Client } from '../robustness/lsp';
import { baseSeed, runProperty, selected } from './config';
import { NAMES, serverSound } from './properties';

process.removeAllListeners('warning');
const base = baseSeed();
const NAME = NAMES.server;

describe('fuzz: language server over stdio', { timeout: 120_000 }, () => {
  let dir: string;
  let client: Client;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kx-fuzz-lsp-'));
    client = await Client.start({ folders: [dir] });
  });
  after(async () => {
    await client?.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it(NAME, { skip: !selected(NAME) }, async () => {
    await runProperty(NAME, base, { runs: 150, timeMs: 3500 }, serverSound(client, dir) as fc.IAsyncProperty<unknown>);
  });
});
