// The language-server client under the protocol tests (test/lsp), the
// robustness and fuzz tests (test/robustness/lsp.ts) and the benchmark
// (bench/lsp.ts): spawns a server over stdio, answers what a server asks its
// client, records what the server sends, and waits for a state with a timeout.
// Each of those files adds the API its callers want on top.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type CancellationTokenSource, type MessageConnection } from 'vscode-jsonrpc/node';
import {
  ConfigurationRequest,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShowMessageNotification,
  ShutdownRequest,
  WorkDoneProgressCreateRequest,
  type ClientCapabilities,
  type ConfigurationItem,
  type FileEvent,
  type InitializeResult,
  type PublishDiagnosticsParams,
  type Registration,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';

export const ROOT = resolve(__dirname, '../..');
/** kube-expose's server as the installed command starts it (bin/kube-expose.js runs dist/cli.js); node arguments go before it. */
export const KUBE_EXPOSE_LSP = [join(ROOT, 'bin', 'kube-expose.js'), 'lsp', '--stdio'];

export const uriOf = (path: string) => URI.file(path).toString();
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** What every client here declares of the workspace; the rest of the capabilities differs on purpose. */
export const WORKSPACE_CAPABILITIES: ClientCapabilities['workspace'] = {
  configuration: true,
  workspaceFolders: true,
  didChangeConfiguration: { dynamicRegistration: true },
  didChangeWatchedFiles: { dynamicRegistration: true },
  workspaceEdit: { documentChanges: true },
};

export interface ServerProcess {
  /** the executable and its arguments */
  command: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** stderr stops being collected at this length (a benchmarked server may write without end) */
  maxStderr?: number;
}

/** A publishDiagnostics, with its arrival time (performance.now()). */
export interface Publish extends PublishDiagnosticsParams {
  at: number;
}

export class LspClient {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly conn: MessageConnection;
  /** the last publish per uri (normalized) */
  readonly diagnostics = new Map<string, Publish>();
  /** every publishDiagnostics, in order */
  readonly publishes: Publish[] = [];
  readonly logs: string[] = [];
  readonly messages: { type: number; message: string }[] = [];
  readonly progress: { token: string | number; value: any }[] = [];
  readonly registrations: Registration[] = [];
  /** notifications with no dedicated handler (e.g. kubeExpose/indexing) */
  readonly notifications: { method: string; params: any; at: number }[] = [];
  /** the open documents, by uri */
  readonly docs = new Map<string, TextDocument>();
  /** kubeExpose settings answered to workspace/configuration (a function gets the scopeUri) */
  settings: Record<string, unknown> | ((scopeUri: string | undefined) => unknown) | undefined;
  configurationRequests = 0;
  stderr = '';
  exited = false;
  /** shutdown() was called: later messages are dropped (a case still running after its test ended) */
  closing = false;
  result!: InitializeResult;
  /** waitFor's timeout when the caller gives none */
  protected waitTimeoutMs = 10_000;
  /** pending waitFor checks; each returns true once it has settled its promise */
  private waiters = new Set<() => boolean>();

  constructor(server: ServerProcess) {
    const [command, ...args] = server.command;
    this.proc = spawn(command, args, { cwd: server.cwd, stdio: 'pipe', env: server.env ?? process.env });
    this.conn = createMessageConnection(new StreamMessageReader(this.proc.stdout), new StreamMessageWriter(this.proc.stdin));
    const maxStderr = server.maxStderr ?? Infinity;
    this.proc.stderr.on('data', (d) => {
      if (this.stderr.length < maxStderr) this.stderr += String(d);
    });
    this.proc.on('exit', () => {
      this.exited = true;
      this.poke();
    });
    this.proc.stdin.on('error', () => undefined); // EPIPE after exit
    this.conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      const pub: Publish = Object.assign(p, { at: performance.now() });
      this.diagnostics.set(URI.parse(p.uri).toString(), pub);
      this.publishes.push(pub);
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
      this.notifications.push({ method, params, at: performance.now() });
      this.poke();
    });
    this.conn.onUnhandledProgress((p) => {
      this.progress.push(p);
      this.poke();
    });
    this.conn.onRequest(ConfigurationRequest.type, (p) => {
      this.configurationRequests++;
      this.poke();
      return p.items.map((item) => this.configuration(item));
    });
    this.conn.onRequest(RegistrationRequest.type, (p) => {
      this.registrations.push(...p.registrations);
      this.poke();
      return null;
    });
    this.conn.onRequest('client/unregisterCapability', () => null);
    this.conn.onRequest(WorkDoneProgressCreateRequest.type, () => null);
    this.conn.onRequest('window/showMessageRequest', () => null);
    this.conn.onRequest('workspace/applyEdit', () => ({ applied: false }));
    this.conn.listen();
  }

  /** The answer to one item of workspace/configuration. */
  protected configuration(item: ConfigurationItem): unknown {
    if (item.section !== 'kubeExpose') return null;
    return typeof this.settings === 'function' ? this.settings(item.scopeUri) : (this.settings ?? {});
  }

  /** Sends initialize (the folders as workspace folders) and then initialized. */
  async initialize(folders: string[], capabilities: ClientCapabilities, opts: { initializationOptions?: unknown; timeoutMs?: number } = {}): Promise<void> {
    const answer = this.conn.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: folders[0] ? uriOf(folders[0]) : null,
      workspaceFolders: folders.length ? folders.map((f, i) => ({ uri: uriOf(f), name: `folder${i}` })) : null,
      capabilities,
      initializationOptions: opts.initializationOptions,
    });
    this.result = await (opts.timeoutMs ? this.withTimeout('initialize', answer, opts.timeoutMs) : answer);
    await this.conn.sendNotification(InitializedNotification.type, {});
  }

  private poke(): void {
    for (const settle of [...this.waiters]) {
      try {
        settle();
      } catch {
        // not there yet: the check may read state the server has not completed
      }
    }
  }

  /**
   * Resolves with fn's value once it is neither undefined nor false; re-evaluated
   * on every message from the server. Rejects when the server exits meanwhile.
   */
  waitFor<T>(what: string, fn: () => T | undefined | false, timeoutMs = this.waitTimeoutMs): Promise<T> {
    return new Promise<T>((resolvePromise, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(settle);
        reject(this.timeoutError(what, timeoutMs));
      }, timeoutMs);
      const done = (finish: () => void) => {
        clearTimeout(timer);
        this.waiters.delete(settle);
        finish();
        return true;
      };
      const settle = (): boolean => {
        if (this.exited) return done(() => reject(this.exitedError(what)));
        const value = fn();
        return value !== undefined && value !== false && done(() => resolvePromise(value));
      };
      try {
        if (!settle()) this.waiters.add(settle);
      } catch (e) {
        done(() => reject(e));
      }
    });
  }

  /** The tail of what the server said, for error messages. */
  protected report(): string {
    return `log tail:\n${this.logs.slice(-10).join('\n')}\nstderr:\n${this.stderr.slice(-2000)}`;
  }

  protected timeoutError(what: string, ms: number): Error {
    return new Error(`timed out after ${ms} ms waiting for ${what}\n${this.report()}`);
  }

  protected exitedError(what: string): Error {
    return new Error(`server exited while waiting for ${what}\n${this.report()}`);
  }

  /** Resolves after `ms` without a publish or log message from the server; rejects after `max`. */
  async quiet(ms: number, max = 20_000): Promise<void> {
    const until = Date.now() + max;
    for (;;) {
      const n = this.publishes.length + this.logs.length;
      await sleep(ms);
      if (this.publishes.length + this.logs.length === n) return;
      if (Date.now() > until) throw new Error(`server still busy after ${max} ms`);
    }
  }

  async withTimeout<T>(what: string, p: Promise<T>, ms: number): Promise<T> {
    const answer = await within(p.then((value) => ({ value })), ms);
    if (!answer) throw new Error(`no answer to ${what} within ${ms} ms${this.exited ? ' (server exited)' : ''}\nstderr:\n${this.stderr.slice(-2000)}`);
    return answer.value;
  }

  request<T>(method: string, params: unknown, ms = 10_000, token?: CancellationTokenSource): Promise<T> {
    if (this.closing || this.exited) return Promise.reject(new Error(`${method} after shutdown`));
    const sent = token ? this.conn.sendRequest(method, params, token.token) : this.conn.sendRequest(method, params);
    return this.withTimeout(method, sent as Promise<T>, ms);
  }

  private notify(method: string, params: unknown): void {
    if (this.closing || this.exited) return;
    this.conn.sendNotification(method, params).catch(() => undefined);
  }

  didOpen(uri: string, text: string, languageId = 'yaml'): TextDocument {
    const doc = TextDocument.create(uri, languageId, 1, text);
    this.docs.set(uri, doc);
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return doc;
  }

  /** Sends changes (applied in order, like an editor) as the document's next version. */
  didChange(uri: string, changes: TextDocumentContentChangeEvent[]): TextDocument {
    const doc = this.docs.get(uri);
    if (!doc) throw new Error(`not open: ${uri}`);
    TextDocument.update(doc, changes, doc.version + 1);
    this.notify('textDocument/didChange', { textDocument: { uri, version: doc.version }, contentChanges: changes });
    return doc;
  }

  didClose(uri: string): void {
    this.docs.delete(uri);
    this.notify('textDocument/didClose', { textDocument: { uri } });
  }

  didChangeWatchedFiles(changes: FileEvent[]): void {
    this.notify('workspace/didChangeWatchedFiles', { changes });
  }

  /** shutdown and exit; a server that has not exited 3 s after each is killed. */
  async shutdown(): Promise<void> {
    this.closing = true;
    if (!this.exited) {
      await within(this.conn.sendRequest(ShutdownRequest.type), 3000).catch(() => undefined); // already gone
      await this.conn.sendNotification(ExitNotification.type).catch(() => undefined);
      await within(new Promise<void>((r) => (this.exited ? r() : this.proc.once('exit', () => r()))), 3000);
      if (!this.exited) this.proc.kill('SIGKILL');
    }
    this.conn.dispose();
  }
}

/** p, or undefined after ms; the timer is cleared either way so that it keeps no test process alive. */
async function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
