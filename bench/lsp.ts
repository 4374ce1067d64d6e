// The benchmark's client: any server over stdio (kube-expose's or
// yaml-language-server), on the tests' client core (test/helpers/lspClient.ts),
// plus what the benchmark measures: each publish's arrival time, and the server
// process's CPU time and memory.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  CodeActionRequest,
  CompletionRequest,
  DidChangeConfigurationNotification,
  HoverRequest,
  type ClientCapabilities,
  type ConfigurationItem,
  type Diagnostic,
  type Position,
  type Range,
} from 'vscode-languageserver-protocol/node';
import { LspClient, sleep, uriOf, WORKSPACE_CAPABILITIES, type Publish } from '../test/helpers/lspClient';

export { sleep, uriOf, type Publish };

export interface ServerSpec {
  name: string;
  command: string[];
  /** answers to workspace/configuration, by section */
  settings: (section: string | undefined) => unknown;
  /** pushed once with didChangeConfiguration after `initialized` */
  pushSettings?: unknown;
  /** extra environment variables of the server process */
  env?: Record<string, string>;
}

export const CAPABILITIES: ClientCapabilities = {
  workspace: WORKSPACE_CAPABILITIES,
  window: { workDoneProgress: true },
  textDocument: {
    synchronization: { dynamicRegistration: false, didSave: true },
    publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, tagSupport: { valueSet: [1, 2] } },
    hover: { contentFormat: ['markdown', 'plaintext'] },
    completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
    codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'source'] } }, isPreferredSupport: true },
  },
};

/** A wait that ran out of time (a result of the benchmark, unlike an error). */
export class TimeoutError extends Error {}

export class BenchClient extends LspClient {
  private constructor(
    readonly spec: ServerSpec,
    cwd: string,
    readonly startedAt: number,
  ) {
    // timings must not include the test suite's double-parse check (KUBE_EXPOSE_VERIFY_PARSE)
    super({ command: spec.command, cwd, env: { ...process.env, KUBE_EXPOSE_VERIFY_PARSE: '0', ...spec.env }, maxStderr: 100_000 });
    this.conn.onRequest('workspace/workspaceFolders', () => null);
    // yaml-language-server asks its client for schemas it cannot fetch itself
    this.conn.onRequest('custom/schema/request', () => '');
  }

  /** Spawns the server and runs initialize/initialized with the given workspace folders. */
  static async start(spec: ServerSpec, folders: string[], cwd: string): Promise<BenchClient> {
    const client = new BenchClient(spec, cwd, performance.now());
    await client.initialize(folders, CAPABILITIES);
    if (spec.pushSettings !== undefined) await client.conn.sendNotification(DidChangeConfigurationNotification.type, { settings: spec.pushSettings });
    return client;
  }

  protected override configuration(item: ConfigurationItem): unknown {
    return this.spec.settings(item.section) ?? null;
  }

  protected override timeoutError(what: string, ms: number): Error {
    return new TimeoutError(`timeout >${Math.round(ms / 1000)}s waiting for ${what}`);
  }

  protected override exitedError(what: string): Error {
    return new Error(`${this.spec.name} exited while waiting for ${what}: ${this.stderr.slice(-500)}`);
  }

  /** Resolves once the server has pulled its settings (or after timeoutMs), plus a moment to apply them. */
  async configured(timeoutMs = 5000): Promise<void> {
    await this.waitFor('workspace/configuration', () => this.configurationRequests > 0, timeoutMs).catch(() => undefined);
    await sleep(100);
  }

  /** Like LspClient.quiet, but a server still busy at the deadline only delays the benchmark. */
  override quiet(ms: number, max: number): Promise<void> {
    return super.quiet(ms, max).catch(() => undefined);
  }

  /** The first publish for `uri` after this call whose diagnostics pass `ok`. */
  nextPublish(uri: string, timeoutMs: number, what: string, ok: (ds: Diagnostic[]) => boolean = () => true): Promise<Publish> {
    const before = this.diagnostics.get(uri);
    return this.waitFor(what, () => {
      const p = this.diagnostics.get(uri);
      return p !== before && p && ok(p.diagnostics) ? p : undefined;
    }, timeoutMs);
  }

  get lastPublishAt(): number {
    return this.publishes.at(-1)?.at ?? 0;
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

  open(path: string, text = readFileSync(path, 'utf8')): string {
    return this.didOpen(uriOf(path), text).uri;
  }

  isOpen(path: string): boolean {
    return this.docs.has(uriOf(path));
  }

  text(path: string): string {
    return this.docs.get(uriOf(path))?.getText() ?? readFileSync(path, 'utf8');
  }

  /** Replaces `from` with `to` on a 0-based line (an incremental change); returns the new version. */
  editLine(path: string, line: number, from: string, to: string): number {
    const uri = uriOf(path);
    const doc = this.docs.get(uri);
    if (!doc) throw new Error(`not open: ${path}`);
    const text = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\n$/, '');
    const col = text.indexOf(from);
    if (col < 0) throw new Error(`"${from}" not on line ${line + 1} of ${path}: ${text}`);
    return this.didChange(uri, [{ range: { start: { line, character: col }, end: { line, character: col + from.length } }, text: to }]).version;
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
}
