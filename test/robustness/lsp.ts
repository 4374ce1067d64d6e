// A small LSP client for the robustness tests: spawns the bundled server
// (`node [--require preload] bin/kube-expose.js lsp --stdio`), answers what a
// server asks its client, records what it publishes, and waits with timeouts.
// Independent of test/lsp/helpers.ts so the server's own tests can change freely.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join, resolve } from 'node:path';
import { CancellationTokenSource, createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic as LspDiagnostic, InitializeResult, PublishDiagnosticsParams, Range, TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { ensureBuilt } from '../helpers/build';

export const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'bin', 'kube-expose.js');

export { ensureBuilt };

export const uriOf = (path: string) => URI.file(path).toString();

export interface StartOptions {
  folders: string[];
  settings?: Record<string, unknown>;
  /** extra node arguments before the script (e.g. --require a preload) */
  nodeArgs?: string[];
  env?: NodeJS.ProcessEnv;
}

interface Waiter {
  check: () => boolean;
  done: () => void;
}

export class Client {
  readonly conn: MessageConnection;
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  readonly publishes: PublishDiagnosticsParams[] = [];
  readonly logs: string[] = [];
  readonly messages: { type: number; message: string }[] = [];
  readonly docs = new Map<string, TextDocument>();
  stderr = '';
  exited = false;
  /** shutdown() was called: later messages are dropped (a case still running after its test ended) */
  closing = false;
  exitCode: number | null = null;
  result!: InitializeResult;
  private waiters: Waiter[] = [];

  private constructor(
    readonly proc: ChildProcessWithoutNullStreams,
    public settings: Record<string, unknown>,
  ) {
    this.conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
    proc.stderr.on('data', (d) => (this.stderr += String(d)));
    proc.on('exit', (code) => {
      this.exited = true;
      this.exitCode = code;
      this.poke();
    });
    proc.stdin.on('error', () => undefined); // EPIPE after exit
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.set(URI.parse(p.uri).toString(), p);
      this.publishes.push(p);
      this.poke();
    });
    this.conn.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
      this.poke();
    });
    this.conn.onNotification('window/showMessage', (p: { type: number; message: string }) => {
      this.messages.push(p);
      this.poke();
    });
    this.conn.onNotification(() => this.poke());
    this.conn.onUnhandledProgress(() => undefined);
    this.conn.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map((i) => (i.section === 'kubeExpose' ? this.settings : null)));
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('client/unregisterCapability', () => null);
    this.conn.onRequest('window/workDoneProgress/create', () => null);
    this.conn.onRequest('window/showMessageRequest', () => null);
    this.conn.onRequest('workspace/applyEdit', () => ({ applied: false }));
    this.conn.onError(() => undefined);
    this.conn.onClose(() => this.poke());
    this.conn.listen();
  }

  static async start(opts: StartOptions): Promise<Client> {
    ensureBuilt();
    const proc = spawn(process.execPath, [...(opts.nodeArgs ?? []), BIN, 'lsp', '--stdio'], { cwd: ROOT, stdio: 'pipe', env: opts.env ?? process.env });
    const client = new Client(proc, opts.settings ?? {});
    client.result = await client.withTimeout(
      'initialize',
      client.conn.sendRequest('initialize', {
        processId: process.pid,
        rootUri: opts.folders[0] ? uriOf(opts.folders[0]) : null,
        workspaceFolders: opts.folders.map((f, i) => ({ uri: uriOf(f), name: `folder${i}` })),
        capabilities: {
          workspace: {
            configuration: true,
            workspaceFolders: true,
            didChangeConfiguration: { dynamicRegistration: true },
            didChangeWatchedFiles: { dynamicRegistration: true },
            workspaceEdit: { documentChanges: true },
          },
          window: { workDoneProgress: true },
          textDocument: {
            publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, tagSupport: { valueSet: [1, 2] } },
            codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'source', 'source.fixAll'] } }, isPreferredSupport: true },
            hover: { contentFormat: ['markdown', 'plaintext'] },
            completion: { completionItem: { snippetSupport: true } },
          },
        },
      }) as Promise<InitializeResult>,
      20_000,
    );
    await client.conn.sendNotification('initialized', {});
    return client;
  }

  private poke(): void {
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      let ok = false;
      try {
        ok = w.check();
      } catch {
        ok = false;
      }
      if (ok) w.done();
      else still.push(w);
    }
    this.waiters = still;
  }

  async withTimeout<T>(what: string, p: Promise<T>, ms: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        p,
        new Promise<T>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer to ${what} within ${ms} ms${this.exited ? ' (server exited)' : ''}\nstderr:\n${this.stderr.slice(-2000)}`)), ms);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Resolves with fn's value once it is not undefined (re-evaluated on every message from the server). */
  waitFor<T>(what: string, fn: () => T | undefined, ms = 10_000): Promise<T> {
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
        reject(new Error(`timed out after ${ms} ms waiting for ${what}${this.exited ? ' (server exited)' : ''}\nlog tail:\n${this.logs.slice(-10).join('\n')}\nstderr:\n${this.stderr.slice(-2000)}`));
      }, ms);
      const waiter: Waiter = {
        check,
        done: () => {
          clearTimeout(timer);
          resolvePromise(value as T);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Resolves after `ms` without any message from the server. */
  async quiet(ms: number, max = 20_000): Promise<void> {
    const until = Date.now() + max;
    for (;;) {
      const n = this.publishes.length + this.logs.length;
      await new Promise((r) => setTimeout(r, ms));
      if (this.publishes.length + this.logs.length === n) return;
      if (Date.now() > until) throw new Error(`server still busy after ${max} ms`);
    }
  }

  published(uri: string): LspDiagnostic[] | undefined {
    return this.diagnostics.get(URI.parse(uri).toString())?.diagnostics;
  }

  private notify(method: string, params: unknown): void {
    if (this.closing || this.exited) return;
    this.conn.sendNotification(method, params).catch(() => undefined);
  }

  open(uri: string, text: string, languageId = 'yaml'): TextDocument {
    const doc = TextDocument.create(uri, languageId, 1, text);
    this.docs.set(uri, doc);
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return doc;
  }

  /** Sends incremental changes (applied in order, like an editor). */
  edit(uri: string, changes: { range: Range; text: string }[]): void {
    const doc = this.docs.get(uri);
    if (!doc) throw new Error(`not open: ${uri}`);
    TextDocument.update(doc, changes, doc.version + 1);
    this.notify('textDocument/didChange', { textDocument: { uri, version: doc.version }, contentChanges: changes });
  }

  replace(uri: string, text: string): void {
    const doc = this.docs.get(uri);
    if (!doc) throw new Error(`not open: ${uri}`);
    TextDocument.update(doc, [{ text }], doc.version + 1);
    this.notify('textDocument/didChange', { textDocument: { uri, version: doc.version }, contentChanges: [{ text }] });
  }

  close(uri: string): void {
    this.docs.delete(uri);
    this.notify('textDocument/didClose', { textDocument: { uri } });
  }

  fileEvents(changes: { uri: string; type: 1 | 2 | 3 }[]): void {
    this.notify('workspace/didChangeWatchedFiles', { changes });
  }

  request<T>(method: string, params: unknown, ms = 10_000, token?: CancellationTokenSource): Promise<T> {
    if (this.closing || this.exited) return Promise.reject(new Error(`${method} after shutdown`));
    const sent = token ? this.conn.sendRequest(method, params, token.token) : this.conn.sendRequest(method, params);
    return this.withTimeout(method, sent as Promise<T>, ms);
  }

  async shutdown(): Promise<void> {
    this.closing = true;
    if (!this.exited) {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => (timer = setTimeout(r, 3000)))]);
        await this.conn.sendNotification('exit');
      } catch {
        // already gone
      } finally {
        clearTimeout(timer);
      }
      await new Promise<void>((r) => {
        if (this.exited) return r();
        const t = setTimeout(() => {
          this.proc.kill();
          r();
        }, 3000);
        this.proc.on('exit', () => {
          clearTimeout(t);
          r();
        });
      });
    }
    this.conn.dispose();
  }
}

export type { LspDiagnostic, TextEdit, Range };
export { CancellationTokenSource };
