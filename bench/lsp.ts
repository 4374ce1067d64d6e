// A small LSP client for the benchmark: spawns a server over stdio, answers what
// a server asks its client (workspace/configuration, registrations, progress),
// records every publishDiagnostics with its arrival time, and lets the
// benchmark wait for a specific publish.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import {
  CodeActionRequest,
  CompletionRequest,
  ConfigurationRequest,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  RegistrationRequest,
  ShutdownRequest,
  WorkDoneProgressCreateRequest,
  type ClientCapabilities,
  type Diagnostic,
  type InitializeResult,
  type Position,
  type Range,
} from 'vscode-languageserver-protocol/node';
import { URI } from 'vscode-uri';

export interface ServerSpec {
  name: string;
  command: string[];
  /** answers to workspace/configuration, by section */
  settings: (section: string | undefined) => unknown;
  /** pushed once with didChangeConfiguration after `initialized` */
  pushSettings?: unknown;
}

export const CAPABILITIES: ClientCapabilities = {
  workspace: {
    configuration: true,
    workspaceFolders: true,
    didChangeConfiguration: { dynamicRegistration: true },
    didChangeWatchedFiles: { dynamicRegistration: true },
    workspaceEdit: { documentChanges: true },
  },
  window: { workDoneProgress: true },
  textDocument: {
    synchronization: { dynamicRegistration: false, didSave: true },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, tagSupport: { valueSet: [1, 2] } },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'source'] } }, isPreferredSupport: true },
  },
};

export interface Publish {
  at: number;
  uri: string;
  version?: number;
  diagnostics: Diagnostic[];
}

interface Waiter {
  check: (p: Publish | undefined) => boolean;
  resolve: (p: Publish | undefined) => void;
}

export const uriOf = (path: string) => URI.file(path).toString();

export class BenchClient {
  readonly conn: MessageConnection;
  /** last publish per normalized uri */
  readonly last = new Map<string, Publish>();
  publishCount = 0;
  lastPublishAt = 0;
  readonly notifications: { method: string; params: any; at: number }[] = [];
  stderr = '';
  exited = false;
  configurationRequests = 0;
  result!: InitializeResult;
  private waiters: Waiter[] = [];
  private versions = new Map<string, number>();
  private texts = new Map<string, string>();

  private constructor(
    readonly proc: ChildProcessWithoutNullStreams,
    readonly spec: ServerSpec,
    readonly startedAt: number,
  ) {
    this.conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
    proc.stderr.on('data', (d) => {
      if (this.stderr.length < 100_000) this.stderr += String(d);
    });
    proc.on('exit', () => {
      this.exited = true;
      this.poke(undefined);
    });
    this.conn.onNotification(PublishDiagnosticsNotification.type, (p) => {
      const pub: Publish = { at: performance.now(), uri: URI.parse(p.uri).toString(), version: p.version, diagnostics: p.diagnostics };
      this.last.set(pub.uri, pub);
      this.publishCount++;
      this.lastPublishAt = pub.at;
      this.poke(pub);
    });
    this.conn.onNotification((method: string, params: unknown) => {
      this.notifications.push({ method, params, at: performance.now() });
      this.poke(undefined);
    });
    this.conn.onRequest(ConfigurationRequest.type, (p) => {
      this.configurationRequests++;
      setImmediate(() => this.poke(undefined));
      return p.items.map((item) => spec.settings(item.section) ?? null);
    });
    this.conn.onRequest(RegistrationRequest.type, () => null);
    this.conn.onRequest('client/unregisterCapability', () => null);
    this.conn.onRequest(WorkDoneProgressCreateRequest.type, () => null);
    this.conn.onRequest('window/showMessageRequest', () => null);
    this.conn.onRequest('workspace/applyEdit', () => ({ applied: false }));
    this.conn.onRequest('workspace/workspaceFolders', () => null);
    // yaml-language-server asks its client for schemas it cannot fetch itself
    this.conn.onRequest('custom/schema/request', () => '');
    this.conn.onUnhandledProgress(() => undefined);
    this.conn.listen();
  }

  /** Spawns the server and runs initialize/initialized with the given workspace folders. */
  static async start(spec: ServerSpec, folders: string[], cwd: string): Promise<BenchClient> {
    const startedAt = performance.now();
    // timings must not include the test suite's double-parse check (KUBE_EXPOSE_VERIFY_PARSE)
    const proc = spawn(spec.command[0], spec.command.slice(1), { cwd, stdio: 'pipe', env: { ...process.env, KUBE_EXPOSE_VERIFY_PARSE: '0' } });
    const client = new BenchClient(proc, spec, startedAt);
    client.result = await client.conn.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: folders[0] ? uriOf(folders[0]) : null,
      workspaceFolders: folders.length ? folders.map((f, i) => ({ uri: uriOf(f), name: `folder${i}` })) : null,
      capabilities: CAPABILITIES,
    });
    await client.conn.sendNotification(InitializedNotification.type, {});
    if (spec.pushSettings !== undefined) await client.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: spec.pushSettings });
    return client;
  }

  /** Resolves once the server has pulled its settings (or after timeoutMs), plus a moment to apply them. */
  async configured(timeoutMs = 5000): Promise<void> {
    await this.waitFor(() => this.configurationRequests > 0, timeoutMs, 'workspace/configuration').catch(() => undefined);
    await sleep(100);
  }

  get pid(): number {
    return this.proc.pid!;
  }

  get hasHover(): boolean {
    return !!this.result.capabilities.hoverProvider;
  }
  get hasCompletion(): boolean {
    return !!this.result.capabilities.completionProvider;
  }

  private poke(p: Publish | undefined): void {
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      let done = false;
      try {
        done = this.exited || w.check(p);
      } catch {
        done = false;
      }
      if (done) w.resolve(p);
      else still.push(w);
    }
    this.waiters = still;
  }

  /**
   * Resolves with the first publish (or notification poke, p undefined) for which
   * `check` holds; rejects after timeoutMs. `check` is also tried at once with undefined.
   */
  waitFor(check: (p: Publish | undefined) => boolean, timeoutMs: number, what: string): Promise<Publish | undefined> {
    return new Promise((resolve, reject) => {
      if (check(undefined)) return resolve(undefined);
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new TimeoutError(`timeout >${Math.round(timeoutMs / 1000)}s waiting for ${what}`));
      }, timeoutMs);
      const waiter: Waiter = {
        check,
        resolve: (p) => {
          clearTimeout(timer);
          if (this.exited) reject(new Error(`${this.spec.name} exited while waiting for ${what}: ${this.stderr.slice(-500)}`));
          else resolve(p);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Waits until no publish arrived for `quietMs` (or the deadline passes). */
  async quiet(quietMs: number, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const since = performance.now() - Math.max(this.lastPublishAt, 0);
      if (since >= quietMs || performance.now() > deadline) return;
      await sleep(Math.min(quietMs - since + 5, 200));
    }
  }

  open(path: string, text = readFileSync(path, 'utf8')): string {
    const uri = uriOf(path);
    this.versions.set(uri, 1);
    this.texts.set(uri, text);
    void this.conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    return uri;
  }

  isOpen(path: string): boolean {
    return this.texts.has(uriOf(path));
  }

  text(path: string): string {
    return this.texts.get(uriOf(path)) ?? readFileSync(path, 'utf8');
  }

  /** Replaces `from` with `to` on a 0-based line (an incremental change); returns the new version. */
  editLine(path: string, line: number, from: string, to: string): number {
    const uri = uriOf(path);
    const text = this.texts.get(uri);
    if (text === undefined) throw new Error(`not open: ${path}`);
    const lines = text.split('\n');
    const col = lines[line]?.indexOf(from) ?? -1;
    if (col < 0) throw new Error(`"${from}" not on line ${line + 1} of ${path}: ${lines[line]}`);
    lines[line] = lines[line].slice(0, col) + to + lines[line].slice(col + from.length);
    this.texts.set(uri, lines.join('\n'));
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    const range: Range = { start: { line, character: col }, end: { line, character: col + from.length } };
    void this.conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ range, text: to }] });
    return version;
  }

  codeAction(path: string, line: number): Promise<unknown> {
    const range: Range = { start: { line, character: 0 }, end: { line, character: 0 } };
    return this.conn.sendRequest(CodeActionRequest.type, { textDocument: { uri: uriOf(path) }, range, context: { diagnostics: [], only: ['quickfix'] } });
  }

  hover(path: string, position: Position): Promise<unknown> {
    return this.conn.sendRequest(HoverRequest.type, { textDocument: { uri: uriOf(path) }, position });
  }

  completion(path: string, position: Position): Promise<unknown> {
    return this.conn.sendRequest(CompletionRequest.type, { textDocument: { uri: uriOf(path) }, position });
  }

  /**
   * CPU time of the server's main thread (where its JavaScript runs), in ms, from
   * /proc/<pid>/schedstat (nanoseconds): what a request cost the server whatever
   * else the machine was doing meanwhile.
   */
  cpuMs(): number {
    try {
      return Number(readFileSync(`/proc/${this.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
    } catch {
      return NaN;
    }
  }

  /** Peak and current resident set size of the server process, in MiB (Linux /proc). */
  memory(): { peakMiB: number; rssMiB: number } | undefined {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
      return { peakMiB: kb('VmHWM') / 1024, rssMiB: kb('VmRSS') / 1024 };
    } catch {
      return undefined;
    }
  }

  async stop(): Promise<void> {
    if (!this.exited) {
      try {
        await Promise.race([this.conn.sendRequest(ShutdownRequest.type), sleep(3000)]);
        await this.conn.sendNotification(ExitNotification.type);
      } catch {
        // already gone
      }
      await Promise.race([new Promise<void>((r) => (this.exited ? r() : this.proc.once('exit', () => r()))), sleep(3000)]);
      if (!this.exited) this.proc.kill('SIGKILL');
    }
    this.conn.dispose();
  }
}

export class TimeoutError extends Error {}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
