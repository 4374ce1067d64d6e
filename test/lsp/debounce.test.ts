// A burst of edits: stale states are never published, and the final findings
// are exactly what a cold check of the final text gives.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver-protocol';
import { createWorkspace, DEFAULT_CONFIG, type Diagnostic } from '../../server/src/index';
import { deployment, ensureBuilt, ofRule, rm, SELECTOR_RULE, service, tempFolder, TestClient, uriOf } from './helpers';

before(() => ensureBuilt());

/** The engine's own findings for a set of files (keyed by URI), as the CLI computes them. */
function coldCheck(files: Record<string, string>, config: Partial<typeof DEFAULT_CONFIG> = {}): Record<string, Diagnostic[]> {
  const ws = createWorkspace({ ...DEFAULT_CONFIG, ...config });
  for (const [uri, text] of Object.entries(files)) ws.setFile(uri, text);
  ws.flush();
  return Object.fromEntries(Object.keys(files).map((uri) => [uri, ws.diagnostics(uri)]));
}

const SEVERITY = { error: 1, warning: 2, information: 3, hint: 4 } as const;
const fromEngine = (ds: Diagnostic[]) => ds.map((d) => ({ code: d.rule, message: d.message, range: d.range, severity: SEVERITY[d.severity] }));
const fromLsp = (ds: LspDiagnostic[]) => ds.map((d) => ({ code: d.code, message: d.message, range: d.range, severity: d.severity }));

describe('lsp: debounce and supersession', () => {
  let dir: string;
  let client: TestClient;

  before(async () => {
    dir = tempFolder({ 'deploy.yaml': deployment('web', { app: 'web-frontend' }), 'svc.yaml': service('web', { app: 'web' }) });
    client = await TestClient.start({ folders: [dir] });
  });
  after(async () => {
    await client?.shutdown();
    rm(dir);
  });

  it('200 rapid changes end in the findings of a cold check of the final text', async () => {
    const svc = join(dir, 'svc.yaml');
    client.open(svc);
    await client.waitForDiagnostics(svc, 'initial finding', (ds) => ofRule(ds, SELECTOR_RULE).length === 1);
    const before = client.publishes.length;

    // line 6 is `    app: web`; the value starts at character 9
    let value = 'web';
    for (let i = 0; i < 200; i++) {
      const next = i === 199 ? 'web-fronted' : i % 2 ? 'web-frontend' : `web-${i}`;
      if (i % 10 === 9) client.change(svc, client.text(svc).replace(/^ {4}app: .*$/m, `    app: ${next}`));
      else client.edit(svc, { start: { line: 6, character: 9 }, end: { line: 6, character: 9 + value.length } }, next);
      value = next;
    }
    assert.match(client.text(svc), /^ {4}app: web-fronted$/m);
    const finalVersion = 201;
    const published = await client.waitFor('diagnostics for the final version', () => {
      const p = client.diagnostics.get(uriOf(svc));
      return p?.version === finalVersion ? p : undefined;
    });

    const cold = coldCheck({ [uriOf(join(dir, 'deploy.yaml'))]: readFileSync(join(dir, 'deploy.yaml'), 'utf8'), [uriOf(svc)]: client.text(svc) });
    assert.deepEqual(fromLsp(published.diagnostics), fromEngine(cold[uriOf(svc)]));
    assert.match(ofRule(published.diagnostics, SELECTOR_RULE)[0].message, /app is "web-frontend", not "web-fronted"/);

    const burst = client.publishes.slice(before).filter((p) => p.uri === uriOf(svc));
    assert.ok(burst.length < 20, `debounced: ${burst.length} publishes for 200 changes`);
    assert.ok(
      burst.every((p) => p.version === undefined || p.version <= finalVersion),
      'no publish for a version the client never had',
    );

    // a code action right after an edit sees the new text, not the last debounced state
    client.edit(svc, { start: { line: 6, character: 9 }, end: { line: 6, character: 9 + 'web-fronted'.length } }, 'web-frontendd');
    const d = ofRule(published.diagnostics, SELECTOR_RULE)[0];
    const actions = (await client.codeActions(svc, d.range, ['quickfix'], [])) ?? [];
    const fix = actions.find((a) => 'isPreferred' in a && a.isPreferred) as { edit?: { documentChanges?: { textDocument: { version: number } }[] } } | undefined;
    assert.equal(fix?.edit?.documentChanges?.[0].textDocument.version, finalVersion + 1);
  });
});

describe('lsp: a larger workspace', () => {
  let dir: string;
  let client: TestClient;
  const N = 100;
  let settings: Record<string, unknown> = {};

  before(async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < N; i++) {
      const ns = i % 3 ? `team${i % 5}` : undefined;
      files[`apps/a${i}.yaml`] = deployment(`a${i}`, { app: `a${i}` }, ns) + '---\n' + service(`a${i}`, { app: i % 4 ? `a${i}` : `b${i}` }, ns);
    }
    dir = tempFolder(files);
    client = await TestClient.start({ folders: [dir], settings: () => settings });
  });
  after(async () => {
    await client?.shutdown();
    rm(dir);
  });

  async function expectCold(config: Partial<typeof DEFAULT_CONFIG>, description: string): Promise<void> {
    const texts: Record<string, string> = {};
    for (const name of readdirSync(join(dir, 'apps'))) texts[uriOf(join(dir, 'apps', name))] = readFileSync(join(dir, 'apps', name), 'utf8');
    const cold = coldCheck(texts, config);
    const expected = Object.entries(cold).filter(([, ds]) => ds.length);
    // every file with findings is published with exactly those findings, and nothing else is
    await client.waitFor(description, () => {
      for (const [uri, ds] of expected) {
        const got = client.diagnostics.get(uri)?.diagnostics;
        if (!got || JSON.stringify(fromLsp(got)) !== JSON.stringify(fromEngine(ds))) return undefined;
      }
      for (const [uri, p] of client.diagnostics) if (p.diagnostics.length && !cold[uri]?.length) return undefined;
      return true;
    }, 20000);
    assert.ok(expected.length >= N / 4);
  }

  it('publishes what a cold check finds, after indexing and after a configuration change', async () => {
    await expectCold({}, 'findings of the initial index');
    settings = { defaultNamespace: 'team1' };
    client.setSettings(settings);
    await expectCold({ defaultNamespace: 'team1' }, 'findings after the namespace change');
  });
});
