// Rapid-edit stress over the protocol: thousands of didChange notifications
// with random edits, at typing speed and much faster, interleaved with every
// request the server advertises (some cancelled at once), open/close, and
// files created, changed and deleted on disk. Afterwards: every request was
// answered or cancelled properly, the server still answers quickly, and its
// final diagnostics equal a cold engine check of the final texts.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { URI } from 'vscode-uri';
import { collectFiles, decodeManifest } from '../../server/src/node/files';
import { DEFAULT_CONFIG } from '../../server/src/index';
import { asLsp, fromLsp } from '../fuzz/properties';
import { LineIndex } from '../../server/src/engine/text';
import { badPosition, coldCheck, show } from './invariants';
import { CancellationTokenSource, Client, uriOf } from './lsp';

/** Every range an answer gives for the document asked about lies inside the text it was asked about. `where` (the request's position) goes into the message. */
export function assertAnswerInside(method: string, answer: unknown, uri: string, text: string, where = ''): void {
  const lines = new LineIndex(text);
  const check = (r: unknown, what: string) => {
    if (!r || typeof r !== 'object' || !('start' in r) || !('end' in r)) return;
    const range = r as { start: { line: number; character: number }; end: { line: number; character: number } };
    for (const p of [range.start, range.end]) {
      const bad = badPosition(lines, p);
      assert.ok(!bad, `${method}: ${what} ${bad} (${uri})${where}\n${JSON.stringify(answer).slice(0, 500)}`);
    }
    assert.ok(range.start.line < range.end.line || (range.start.line === range.end.line && range.start.character <= range.end.character), `${method}: ${what} ends before it starts: ${JSON.stringify(range)}${where}`);
  };
  const walk = (v: unknown, what: string, depth = 0): void => {
    if (!v || typeof v !== 'object' || depth > 12) return;
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${what}[${i}]`, depth + 1));
    const o = v as Record<string, unknown>;
    // locations and edits in other documents are about other texts
    if (typeof o.uri === 'string' && o.uri !== uri) return;
    if (o.textDocument && typeof o.textDocument === 'object' && (o.textDocument as { uri?: string }).uri !== uri) return;
    if (o.changes && typeof o.changes === 'object') for (const [u, edits] of Object.entries(o.changes as object)) if (u === uri) walk(edits, `${what}.changes`, depth + 1);
    for (const [k, x] of Object.entries(o)) {
      if (k === 'changes' || k === 'data' || k === 'command' || k === 'diagnostics') continue;
      if (k === 'range' || k === 'selectionRange' || k === 'targetRange' || k === 'targetSelectionRange' || k === 'insert' || k === 'replace') check(x, `${what}.${k}`);
      else walk(x, `${what}.${k}`, depth + 1);
    }
  };
  if (method === 'textDocument/prepareRename') check(answer, 'range');
  walk(answer, 'answer');
}

/** ", asked at {line, character} of the line "..."": what a failed range check needs to be replayed without the storm. */
function askedAt(params: unknown, text: string): string {
  const p = (params as { position?: { line: number; character: number } }).position;
  if (!p) return '';
  const lines = new LineIndex(text);
  return `, asked at ${JSON.stringify(p)} of the line ${JSON.stringify(p.line < lines.lineCount ? lines.lineText(p.line) : '')}`;
}

/** A small seeded PRNG (mulberry32): the same seed, the same storm. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DEPLOY = (name: string, app: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  selector:
    matchLabels:
      app: ${app}
  template:
    metadata:
      labels:
        app: ${app}
    spec:
      containers:
        - name: ${name}
          image: nginx
          ports:
            - name: http
              containerPort: 8080
              hostPort: 9100
`;
const SVC = (name: string, app: string, nodePort = 30080) => `# ${name}: the public face
apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  type: NodePort
  selector:
    app: ${app}
  ports:
    - name: http
      port: 80
      targetPort: http
      nodePort: ${nodePort}
`;
const ING = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  annotations:
    kubernetes.io/ingress.class: nginx
spec:
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 80
`;

const SNIPPETS = ['app: web', 'app: web-frontend', 'targetPort: 8080', 'nodePort: 30080', 'hostPort: 9100', '- name: http\n  port: 80', '---\n', 'kind: Service', 'selector: {}', '{{ .Values.x }}', ': ', '- ', '  ', '\t', '#', '"', "'", '[', '{', '}', ']', '&a', '*a', '\u0000', '😀'];
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789-: \n';

export interface StressOptions {
  seed: number;
  steps: number;
  /** log a line every n steps (0: never) */
  progressEvery?: number;
}

export interface StressReport {
  steps: number;
  requests: number;
  cancelled: number;
  maxLatencyMs: number;
  finalLatencyMs: number;
  ms: number;
}

const CANCELLED = -32800;
const CONTENT_MODIFIED = -32801;
const INVALID_PARAMS = -32602;

export async function runStress(opts: StressOptions): Promise<StressReport> {
  const random = rng(opts.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const dir = mkdtempSync(join(tmpdir(), 'kx-stress-'));
  const started = Date.now();
  mkdirSync(join(dir, 'k8s'));
  mkdirSync(join(dir, 'other'));
  writeFileSync(join(dir, 'k8s', 'deploy.yaml'), DEPLOY('web', 'web-frontend'));
  writeFileSync(join(dir, 'k8s', 'svc.yaml'), SVC('web', 'web'));
  writeFileSync(join(dir, 'k8s', 'ingress.yaml'), ING);
  writeFileSync(join(dir, 'other', 'agent.yaml'), DEPLOY('agent', 'agent').replace('Deployment', 'DaemonSet'));
  const client = await Client.start({ folders: [dir] });
  const caps = client.result.capabilities as Record<string, unknown>;
  const pending: { method: string; p: Promise<unknown>; sent: number; latency?: number; cancelled: boolean }[] = [];
  let cancelled = 0;
  try {
    // wait for the index: every file on disk published (or the quiet after it)
    await client.quiet(400);
    const paths = [join(dir, 'k8s', 'svc.yaml'), join(dir, 'k8s', 'deploy.yaml'), join(dir, 'k8s', 'new.yaml')];
    for (const p of paths.slice(0, 2)) client.open(uriOf(p), readFileSync(p, 'utf8'));
    client.open(uriOf(paths[2]), SVC('fresh', 'web-frontend', 30081)); // never saved
    const openUris = () => [...client.docs.keys()];

    const request = (method: string, params: unknown, cancel = false) => {
      const token = cancel ? new CancellationTokenSource() : undefined;
      const sent = Date.now();
      const entry = { method, sent, cancelled: cancel, latency: undefined as number | undefined, p: undefined as unknown as Promise<unknown> };
      // the server answers about the text as it was when the request was sent (requests follow the changes in order)
      const docUri = (params as { textDocument?: { uri: string } }).textDocument?.uri;
      const snapshot = docUri ? client.docs.get(docUri)?.getText() : undefined;
      entry.p = client.request(method, params, 30_000, token).then(
        (r) => {
          entry.latency = Date.now() - sent;
          if (docUri && snapshot !== undefined) assertAnswerInside(method, r, docUri, snapshot, askedAt(params, snapshot));
          return r;
        },
        (e) => {
          entry.latency = Date.now() - sent;
          const code = (e as { code?: number }).code;
          if (code === CANCELLED || code === CONTENT_MODIFIED) return undefined;
          if (code === INVALID_PARAMS && /rename/i.test(method)) return undefined; // "not a valid name": an answer
          throw new Error(`${method} failed: ${(e as Error).message}`);
        },
      );
      if (token) {
        cancelled++;
        if (random() < 0.5) token.cancel();
        else setTimeout(() => token.cancel(), Math.floor(random() * 5));
      }
      pending.push(entry);
    };

    const randomPosition = (uri: string) => {
      const doc = client.docs.get(uri)!;
      const offset = Math.floor(random() * (doc.getText().length + 1));
      return doc.positionAt(offset);
    };

    for (let step = 0; step < opts.steps; step++) {
      const r = random();
      const uri = pick(openUris());
      if (r < 0.72) {
        // an edit: typing, deleting, pasting, replacing a line
        const doc = client.docs.get(uri)!;
        const text = doc.getText();
        const at = Math.floor(random() * (text.length + 1));
        const kind = random();
        let range;
        let insert = '';
        if (kind < 0.45) {
          range = { start: doc.positionAt(at), end: doc.positionAt(at) };
          insert = ALPHABET[Math.floor(random() * ALPHABET.length)];
        } else if (kind < 0.75) {
          range = { start: doc.positionAt(at), end: doc.positionAt(Math.min(text.length, at + 1 + Math.floor(random() * 3))) };
        } else if (kind < 0.92) {
          range = { start: doc.positionAt(at), end: doc.positionAt(at) };
          insert = pick(SNIPPETS);
        } else {
          const line = doc.positionAt(at).line;
          range = { start: { line, character: 0 }, end: { line: line + 1, character: 0 } };
          insert = random() < 0.5 ? '' : '  ' + pick(SNIPPETS) + '\n';
        }
        // keep files from growing without bound: a big file is replaced by a fresh one
        if (text.length > 6000) client.replace(uri, SVC('reset', 'web-frontend'));
        else if (random() < 0.1) {
          // two changes in one notification, applied in order
          const second = { start: range.start, end: range.start };
          client.edit(uri, [
            { range, text: insert },
            { range: second, text: pick(SNIPPETS) },
          ]);
        } else client.edit(uri, [{ range, text: insert }]);
      } else if (r < 0.87) {
        const method = pick([
          'textDocument/codeAction',
          caps.hoverProvider ? 'textDocument/hover' : '',
          caps.completionProvider ? 'textDocument/completion' : '',
          caps.definitionProvider ? 'textDocument/definition' : '',
          caps.referencesProvider ? 'textDocument/references' : '',
          caps.documentSymbolProvider ? 'textDocument/documentSymbol' : '',
          caps.codeLensProvider ? 'textDocument/codeLens' : '',
          caps.workspaceSymbolProvider ? 'workspace/symbol' : '',
          caps.renameProvider ? 'textDocument/prepareRename' : '',
          caps.renameProvider ? 'textDocument/rename' : '',
        ].filter(Boolean));
        const position = randomPosition(uri);
        let params: unknown = { textDocument: { uri }, position, context: { includeDeclaration: true }, newName: pick(['web2', 'Bad Name', 'a']) };
        if (method === 'workspace/symbol') params = { query: pick(['', 'web', 'x']) };
        if (method === 'textDocument/codeAction') {
          // in document order, like an editor's selection
          const other = randomPosition(uri);
          const reversed = other.line < position.line || (other.line === position.line && other.character < position.character);
          const range = reversed ? { start: other, end: position } : { start: position, end: other };
          params = { textDocument: { uri }, range, context: { diagnostics: client.published(uri) ?? [], only: random() < 0.3 ? ['source.fixAll'] : undefined } };
        }
        request(method, params, random() < 0.25);
      } else if (r < 0.91) {
        // close and reopen, from disk when the file exists there
        const path = URI.parse(uri).fsPath;
        const text = client.docs.get(uri)!.getText();
        client.close(uri);
        let reopened = text;
        try {
          if (random() < 0.5) reopened = readFileSync(path, 'utf8');
        } catch {
          // not on disk
        }
        client.open(uri, reopened);
      } else if (r < 0.97) {
        // the disk changes under closed files
        const victim = pick(['k8s/ingress.yaml', 'other/agent.yaml', 'k8s/extra.yaml', 'other/extra.yaml']);
        const path = join(dir, victim);
        const u = uriOf(path);
        if (client.docs.has(u)) continue;
        const roll = random();
        try {
          if (roll < 0.35) {
            unlinkSync(path);
            client.fileEvents([{ uri: u, type: 3 }]);
          } else if (roll < 0.7) {
            writeFileSync(path, pick([ING, SVC('extra', 'agent', 30080), DEPLOY('extra', 'web'), 'broken: [yaml\n', '']));
            client.fileEvents([{ uri: u, type: 1 }]);
          } else {
            writeFileSync(path, pick([ING.replace('number: 80', 'number: 81'), SVC('extra', 'web', 30080)]));
            client.fileEvents([{ uri: u, type: 2 }]);
          }
        } catch {
          // already gone: a deleted event for nothing is fine too
          client.fileEvents([{ uri: u, type: 3 }]);
        }
      } else {
        // typing pauses: some shorter, some longer than the debounce
        await new Promise((res) => setTimeout(res, random() < 0.7 ? Math.floor(random() * 20) : 150 + Math.floor(random() * 100)));
      }
      if (step % 25 === 0) await new Promise((res) => setImmediate(res)); // let replies in
      if (opts.progressEvery && step % opts.progressEvery === 0) process.stdout.write(`[stress] step ${step}, ${pending.length} requests\n`);
    }

    // every request answered (or cancelled properly)
    await client.withTimeout('all requests of the storm', Promise.all(pending.map((x) => x.p)), 60_000);
    const maxLatencyMs = Math.max(0, ...pending.map((x) => x.latency ?? 0));
    // still responsive
    const t = Date.now();
    const uri = openUris()[0];
    await client.request('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } }, 5000);
    const finalLatencyMs = Date.now() - t;
    assert.ok(finalLatencyMs < 3000, `the server took ${finalLatencyMs} ms to answer after the storm`);

    // the final diagnostics are those of a cold check of the final texts
    await client.quiet(700);
    const files: Record<string, string> = {};
    for (const abs of collectFiles([dir])) {
      const read = decodeManifest(readFileSync(abs), DEFAULT_CONFIG.maxFileSize);
      if ('text' in read) files[uriOf(abs)] = read.text;
    }
    const skipped = new Set<string>();
    for (const [u, doc] of client.docs) {
      const read = decodeManifest(Buffer.from(doc.getText(), 'utf8'), DEFAULT_CONFIG.maxFileSize);
      if ('text' in read) files[u] = read.text;
      else {
        delete files[u];
        skipped.add(u);
      }
    }
    const cold = coldCheck(files);
    for (const u of Object.keys(files)) {
      const expected = cold.diagnostics.filter((d) => d.uri === u);
      const got = client.published(u) ?? [];
      const order = (a: ReturnType<typeof asLsp>, b: ReturnType<typeof asLsp>) =>
        a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.code.localeCompare(b.code) || a.message.localeCompare(b.message);
      assert.deepEqual(got.map(fromLsp).sort(order), expected.map(asLsp).sort(order), `final diagnostics of ${u} (seed ${opts.seed}) differ from a cold check:\nexpected:\n${show(expected)}\ntext:\n${files[u]}`);
    }
    for (const u of skipped) assert.deepEqual(client.published(u)?.map((d) => d.code), ['file-skipped'], `${u} is skipped with one note`);
    assert.ok(!client.exited, 'the server is still running');
    const failures = client.logs.filter((l) => /unexpected error|failed:/.test(l));
    assert.equal(failures.length, 0, `a handler failed (seed ${opts.seed}):\n${failures.join('\n')}`);
    return { steps: opts.steps, requests: pending.length, cancelled, maxLatencyMs, finalLatencyMs, ms: Date.now() - started };
  } finally {
    await client.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
}
