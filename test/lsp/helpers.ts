// A small LSP client for protocol tests: spawns the real bundled server
// (`node dist/cli.js lsp --stdio`), answers the requests a server sends to its
// client (workspace/configuration, registrations, progress), records what the
// server publishes, and lets tests wait for a specific state with a timeout.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import {
  ConfigurationRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidChangeWatchedFilesNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  FileChangeType,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShowMessageNotification,
  ShutdownRequest,
  CodeActionRequest,
  WorkDoneProgressCreateRequest,
  type ClientCapabilities,
  type CodeAction,
  type Command,
  type Diagnostic,
  type InitializeResult,
  type PublishDiagnosticsParams,
  type Range,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { applyEdits } from '../../server/src/engine/apply';

export const ROOT = resolve(__dirname, '../..');
const CLI = join(ROOT, 'dist', 'cli.js');
/** The installed command (`kube-expose`): bin/kube-expose.js runs dist/cli.js. */
const BIN = join(ROOT, 'bin', 'kube-expose.js');

import { ensureBuilt } from '../helpers/build';

export { ensureBuilt };

// ----------------------------------------------------------------------------- fixtures

// temp folders are removed when the test process exits (servers are shut down by then)
const created: string[] = [];
process.on('exit', () => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

export function tempFolder(files: Record<string, string | Uint8Array>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kube-expose-lsp-'));
  created.push(dir);
  writeFiles(dir, files);
  return dir;
}

export function writeFiles(dir: string, files: Record<string, string | Uint8Array>): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = join(dir, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
}

export const uriOf = (path: string) => URI.file(path).toString();

export function deployment(name: string, labels: Record<string, string>, namespace?: string): string {
  const lines = Object.entries(labels).map(([k, v]) => `${k}: ${v}`);
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
${namespace ? `  namespace: ${namespace}\n` : ''}spec:
  replicas: 1
  selector:
    matchLabels:
${lines.map((l) => `      ${l}`).join('\n')}
  template:
    metadata:
      labels:
${lines.map((l) => `        ${l}`).join('\n')}
    spec:
      containers:
        - name: ${name}
          image: nginx:1.27
          ports:
            - name: http
              containerPort: 8080
`;
}

export function service(name: string, selector: Record<string, string>, namespace?: string): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
${namespace ? `  namespace: ${namespace}\n` : ''}spec:
  selector:
${Object.entries(selector)
  .map(([k, v]) => `    ${k}: ${v}`)
  .join('\n')}
  ports:
    - name: http
      port: 80
      targetPort: http
`;
}

export const SELECTOR_RULE = 'service-selector-no-match';

// ----------------------------------------------------------------------------- client

export interface StartOptions {
  folders: string[];
  /** kubeExpose settings answered to workspace/configuration (a function gets the scopeUri) */
  settings?: Record<string, unknown> | ((scopeUri: string | undefined) => unknown);
  capabilities?: ClientCapabilities;
  initializationOptions?: unknown;
}

export const FULL_CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    workspaceFolders: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceEdit: { documentChanges: true },
  },
  window: { workDoneProgress: true, showMessage: {} },
  textDocument: {
    synchronization: { dynamicRegistration: false },
    publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, dataSupport: true, tagSupport: { valueSet: [1, 2] }, versionSupport: true },
    codeAction: {
      codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'source', 'source.fixAll'] } },
      isPreferredSupport: true,
    },
  },
};

interface Waiter {
  check: () => boolean;
  resolve: () => void;
}

export class TestClient {
  readonly conn: MessageConnection;
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  /** every publishDiagnostics, in order */
  readonly publishes: PublishDiagnosticsParams[] = [];
  readonly logs: string[] = [];
  readonly messages: { type: number; message: string }[] = [];
  readonly progress: { token: string | number; value: any }[] = [];
  readonly registrations: { method: string; registerOptions?: any }[] = [];
  /** notifications with no dedicated handler (e.g. kubeExpose/indexing) */
  readonly notifications: { method: string; params: any }[] = [];
  readonly docs = new Map<string, TextDocument>();
  configurationRequests = 0;
  stderr = '';
  private waiters: Waiter[] = [];
  private exited = false;
  result!: InitializeResult;

  private constructor(
    readonly proc: ChildProcessWithoutNullStreams,
    public settings: StartOptions['settings'],
  ) {
    this.conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
    proc.stderr.on('data', (d) => (this.stderr += String(d)));
    proc.on('exit', () => {
      this.exited = true;
      this.poke();
    });
    this.conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      const key = URI.parse(p.uri).toString();
      this.diagnostics.set(key, p);
      this.publishes.push(p);
      this.poke();
    });
    this.conn.onNotification(LogMessageNotification.type, (p) => {
      this.logs.push(p.message);
      this.poke();
    });
    this.conn.onNotification(ShowMessageNotification.type, (p) => {
      this.messages.push(p);
      this.poke();
    });
    this.conn.onNotification((method: string, params: unknown) => {
      this.notifications.push({ method, params });
      this.poke();
    });
    this.conn.onUnhandledProgress((p) => {
      this.progress.push(p);
      this.poke();
    });
    this.conn.onRequest(ConfigurationRequest.type, (p) => {
      this.configurationRequests++;
      this.poke();
      return p.items.map((item) => {
        if (item.section !== 'kubeExpose') return null;
        return typeof this.settings === 'function' ? this.settings(item.scopeUri) : (this.settings ?? {});
      });
    });
    this.conn.onRequest(RegistrationRequest.type, (p) => {
      this.registrations.push(...p.registrations);
      this.poke();
      return null;
    });
    this.conn.onRequest(WorkDoneProgressCreateRequest.type, () => null);
    this.conn.onRequest('window/showMessageRequest', () => null);
    this.conn.onRequest('workspace/applyEdit', () => ({ applied: false }));
    this.conn.listen();
  }

  static async start(opts: StartOptions): Promise<TestClient> {
    ensureBuilt();
    const proc = spawn(process.execPath, [BIN, 'lsp', '--stdio'], { cwd: ROOT, stdio: 'pipe' });
    const client = new TestClient(proc, opts.settings);
    client.result = await client.conn.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: opts.folders[0] ? uriOf(opts.folders[0]) : null,
      workspaceFolders: opts.folders.map((f, i) => ({ uri: uriOf(f), name: `folder${i}` })),
      capabilities: opts.capabilities ?? FULL_CAPABILITIES,
      initializationOptions: opts.initializationOptions,
    });
    await client.conn.sendNotification(InitializedNotification.type, {});
    return client;
  }

  private poke(): void {
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      let done = false;
      try {
        done = w.check();
      } catch {
        done = false;
      }
      if (done) w.resolve();
      else still.push(w);
    }
    this.waiters = still;
  }

  /** Resolves with fn's value once it is not undefined; re-evaluated on every message from the server. */
  waitFor<T>(description: string, fn: () => T | undefined, timeoutMs = 8000): Promise<T> {
    return new Promise<T>((resolvePromise, reject) => {
      let value: T | undefined;
      const check = () => {
        if (this.exited) throw new Error('server exited');
        value = fn();
        return value !== undefined;
      };
      try {
        if (check()) return resolvePromise(value as T);
      } catch (e) {
        return reject(e);
      }
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        const dump = [...this.diagnostics].map(([u, p]) => `  ${u}: ${p.diagnostics.map((d) => `${d.code} ${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`).join(' | ') || '(none)'}`);
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${description}${this.exited ? ' (server exited)' : ''}\npublished:\n${dump.join('\n')}\nlog tail:\n${this.logs.slice(-10).join('\n')}\nstderr:\n${this.stderr.slice(-2000)}`,
          ),
        );
      }, timeoutMs);
      const waiter: Waiter = {
        check,
        resolve: () => {
          clearTimeout(timer);
          resolvePromise(value as T);
        },
      };
      this.waiters.push(waiter);
    });
  }

  published(path: string): Diagnostic[] | undefined {
    return this.diagnostics.get(uriOf(path))?.diagnostics;
  }

  /** Waits until the last list published for a file satisfies `ok`. */
  waitForDiagnostics(path: string, description: string, ok: (ds: Diagnostic[]) => boolean, timeoutMs?: number): Promise<Diagnostic[]> {
    return this.waitFor(`${description} (${path})`, () => {
      const ds = this.published(path);
      return ds && ok(ds) ? ds : undefined;
    }, timeoutMs);
  }

  open(path: string, text = readFileSync(path, 'utf8')): void {
    const uri = uriOf(path);
    const doc = TextDocument.create(uri, 'yaml', 1, text);
    this.docs.set(uri, doc);
    void this.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  }

  /** Replaces the whole text (full-document change event). */
  change(path: string, text: string): void {
    const uri = uriOf(path);
    const doc = this.docs.get(uri);
    if (!doc) throw new Error(`not open: ${path}`);
    TextDocument.update(doc, [{ text }], doc.version + 1);
    void this.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: doc.version }, contentChanges: [{ text }] });
  }

  /** An incremental change event. */
  edit(path: string, range: Range, text: string): void {
    const uri = uriOf(path);
    const doc = this.docs.get(uri);
    if (!doc) throw new Error(`not open: ${path}`);
    TextDocument.update(doc, [{ range, text }], doc.version + 1);
    void this.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: doc.version }, contentChanges: [{ range, text }] });
  }

  close(path: string): void {
    const uri = uriOf(path);
    this.docs.delete(uri);
    void this.conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  text(path: string): string {
    return this.docs.get(uriOf(path))?.getText() ?? readFileSync(path, 'utf8');
  }

  fileEvents(...events: [path: string, type: FileChangeType][]): void {
    void this.conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: events.map(([p, type]) => ({ uri: uriOf(p), type })) });
  }

  setSettings(settings: StartOptions['settings']): void {
    this.settings = settings;
    void this.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
  }

  codeActions(path: string, range: Range, only?: string[], diagnostics?: Diagnostic[]): Promise<(CodeAction | Command)[] | null> {
    return this.conn.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: uriOf(path) },
      range,
      context: { diagnostics: diagnostics ?? (this.published(path) ?? []).filter((d) => rangesOverlap(d.range, range)), only },
    });
  }

  /**
   * Applies a WorkspaceEdit the way an editor does: open documents get a
   * didChange (after checking the version the edit was made for), closed files
   * are written to disk and announced with a watcher event.
   */
  applyEdit(edit: WorkspaceEdit): void {
    const perUri = new Map<string, { version: number | null | undefined; edits: TextEdit[] }>();
    for (const dc of edit.documentChanges ?? []) {
      if (!('textDocument' in dc)) throw new Error('unexpected resource operation');
      perUri.set(dc.textDocument.uri, { version: dc.textDocument.version, edits: dc.edits as TextEdit[] });
    }
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) perUri.set(uri, { version: undefined, edits });
    for (const [uri, { version, edits }] of perUri) {
      const key = URI.parse(uri).toString();
      const path = URI.parse(uri).fsPath;
      const doc = this.docs.get(key);
      if (doc) {
        if (version !== undefined && version !== null && version !== doc.version) throw new Error(`edit for version ${version} of ${uri}, document is at ${doc.version}`);
        this.change(path, applyEdits(doc.getText(), edits));
      } else {
        if (version !== undefined && version !== null) throw new Error(`closed file ${uri} edited with version ${version}`);
        writeFileSync(path, applyEdits(readFileSync(path, 'utf8'), edits));
        this.fileEvents([path, FileChangeType.Changed]);
      }
    }
  }

  async shutdown(): Promise<void> {
    if (this.exited) return;
    try {
      await Promise.race([this.conn.sendRequest(ShutdownRequest.type), new Promise((r) => setTimeout(r, 2000))]);
      await this.conn.sendNotification(ExitNotification.type);
    } catch {
      // already gone
    }
    await new Promise<void>((r) => {
      if (this.exited) return r();
      const t = setTimeout(() => {
        this.proc.kill();
        r();
      }, 2000);
      this.proc.on('exit', () => {
        clearTimeout(t);
        r();
      });
    });
    this.conn.dispose();
  }
}

export function rangesOverlap(a: Range, b: Range): boolean {
  const le = (p: Range['start'], q: Range['start']) => p.line < q.line || (p.line === q.line && p.character <= q.character);
  return le(a.start, b.end) && le(b.start, a.end);
}

export function rm(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function ofRule(ds: Diagnostic[] | undefined, rule: string): Diagnostic[] {
  return (ds ?? []).filter((d) => d.code === rule);
}

export { FileChangeType };
