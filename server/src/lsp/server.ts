// The kube-expose language server. One engine (Workspace) per workspace folder,
// configured by the folder's settings and its .kube-expose.yaml, plus one for
// open documents outside every folder. Files are keyed by normalized URI
// everywhere: open documents, watcher events and indexed files.
//
// Flow: edits mark files dirty; a debounced pass (immediate on open) syncs the
// dirty files into their engines, flushes them, and queues every file whose
// findings may have changed; a publisher drains that queue in slices and sends
// only lists that differ from what the client already has.
import { lstatSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, relative, sep } from 'node:path';
import {
  CodeActionKind,
  createConnection,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  MessageType,
  ShowMessageNotification,
  ProposedFeatures,
  TextDocumentSyncKind,
  ErrorCodes,
  ResponseError,
  type CancellationToken,
  type CodeLens,
  type DocumentSymbol,
  type Location,
  type PrepareRenameParams,
  type Range,
  type ReferenceParams,
  type RenameParams,
  type SymbolInformation,
  type TextDocumentPositionParams,
  type WorkspaceSymbolParams,
  type ClientCapabilities,
  type CodeAction,
  type CodeActionParams,
  type CompletionList,
  type Connection,
  type Hover,
  type Diagnostic as LspDiagnostic,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import pkg from '../../../package.json';
import { ALL_RULES, createWorkspace } from '../index';
import { DEFAULT_CONFIG, mergeConfig, type ConfigFile, type EngineConfig } from '../engine/config';
import type { Diagnostic, Workspace } from '../engine/workspace';
import { CONFIG_FILE_NAMES, collectFiles, decodeManifest, findConfigFile, isManifestPath, makeExcluder, readManifest, staysInside, type Excluder } from '../node/files';
import { codeLenses, commentFitsAbove, complete, definition, documentSymbols, hover, prepareRename, references, rename, RenameError, workspaceSymbols } from '../features';
import { refactorsAt } from '../refactors';
import { CODE_ACTION_KINDS, FIX_ALL_KIND, fixAll, kindRequested, quickFixes, refactorActions, toWorkspaceEdit, type EditTarget } from './codeActions';
import { parseConfigText } from './configFile';
import { diagnosticSupport, SOURCE, toLspDiagnostic, type DiagnosticSupport } from './convert';
import { startProgress } from './progress';
import { flushFor } from './slices';
import { readSettings, sectionOf, type DiagnosticsScope, type LspSettings } from './settings';

/** Quiet time after the last edit before checking. */
export const DEBOUNCE_MS = 150;
/** delay for a change that follows a quiet spell: just enough to coalesce a multi-edit change */
const QUICK_MS = 5;
/** Longest stretch of synchronous work before yielding to the event loop. */
const SLICE_MS = 15;
const ALWAYS_EXCLUDED_DIRS = new Set(['node_modules', '.git']);
/** Indexing state for the VS Code status bar: { folder, done, total } (the generic form is $/progress). */
export const INDEXING_NOTIFICATION = 'kubeExpose/indexing';

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

interface OpenDocument {
  doc: TextDocument;
  /** the URI exactly as the client sent it */
  raw: string;
  /** version of the text last given to the engine */
  syncedVersion?: number;
}

interface Project {
  /** normalized folder URI without trailing slash; '' for files outside every folder */
  key: string;
  name: string;
  /** folder path on disk (undefined: open documents only) */
  root?: string;
  ws: Workspace;
  settings: LspSettings;
  /** the diagnostics scope currently published */
  publishedScope: DiagnosticsScope;
  configPath?: string;
  fileConfig?: ConfigFile;
  excluder: Excluder;
  /** what the file set depends on: re-index when it changes */
  indexSignature?: string;
  /** settings applied at least once */
  ready: boolean;
  indexing: boolean;
  indexGen: number;
  /** a sliced flush is running: findings are partial until it ends */
  flushing: boolean;
  /** files queued for publishing while the project was indexing */
  deferred: Set<string>;
}

function normalizeUri(uri: string): string {
  try {
    return URI.parse(uri).toString();
  } catch {
    return uri;
  }
}

function fsPathOf(key: string): string | undefined {
  try {
    const u = URI.parse(key);
    return u.scheme === 'file' ? u.fsPath : undefined;
  } catch {
    return undefined;
  }
}

/** No lone surrogates (they would not survive a round trip through UTF-8). */
function wellFormed(text: string): boolean {
  return (text as { isWellFormed?: () => boolean }).isWellFormed?.() ?? !/\p{Surrogate}/u.test(text);
}

function isConfigName(path: string): boolean {
  return CONFIG_FILE_NAMES.includes(basename(path));
}

function errorText(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

export class KubeExposeServer {
  private caps: ClientCapabilities = {};
  private support: DiagnosticSupport = { related: false, codeDescription: false, tags: new Set() };
  private readonly knownRules = new Set(ALL_RULES.map((r) => r.id));
  private readonly docs = new Map<string, OpenDocument>();
  private readonly projects = new Map<string, Project>();
  private loose!: Project;
  private initialSettings: unknown;
  /** the client runs `kubeExpose.insertSnippet` (the VS Code extension opts in) */
  private snippetCommand = false;
  private lastChangeAt = 0;
  private pushedSettings: unknown;
  private settingsSeq = 0;

  private readonly dirty = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private timerImmediate = false;
  private validating = false;
  private validateAgain = false;

  private readonly pending = new Set<string>();
  /** checked ahead of time for a request; published by the next scheduled pass */
  private readonly held = new Set<string>();
  private draining = false;
  private readonly published = new Map<string, string>();
  private readonly configDiagnostics = new Map<string, LspDiagnostic[]>();
  private readonly shownMessages = new Set<string>();
  /** config file path -> the message shown for its current error */
  private readonly configMessages = new Map<string, string>();
  private readonly loggedTemplates = new Set<string>();
  private disposed = false;

  constructor(private readonly connection: Connection) {
    this.loose = this.newProject('', 'files outside the workspace folders');
    this.listen();
  }

  // ------------------------------------------------------------------ wiring

  private log(message: string): void {
    try {
      this.connection.console.log(message);
    } catch {
      // the connection is gone: nothing to tell
    }
  }

  private logError(where: string, e: unknown): void {
    try {
      this.connection.console.error(`kube-expose: ${where} failed: ${errorText(e)}`);
    } catch {
      // ignore
    }
  }

  /** Wraps a handler so that no request or notification can take the server down. */
  private guard<A extends unknown[], R>(name: string, fallback: R, fn: (...args: A) => R | Promise<R>): (...args: A) => Promise<R> {
    return async (...args: A) => {
      try {
        return await fn(...args);
      } catch (e) {
        this.logError(name, e);
        return fallback;
      }
    };
  }

  private guardSync<A extends unknown[]>(name: string, fn: (...args: A) => void): (...args: A) => void {
    return (...args: A) => {
      try {
        fn(...args);
      } catch (e) {
        this.logError(name, e);
      }
    };
  }

  private listen(): void {
    const c = this.connection;
    c.onInitialize((params) => this.initialize(params));
    c.onInitialized(this.guard('initialized', undefined, () => this.initialized()));
    c.onShutdown(() => this.dispose());
    c.onDidOpenTextDocument(
      this.guardSync('didOpen', (p) => {
        const key = normalizeUri(p.textDocument.uri);
        const d = p.textDocument;
        this.docs.set(key, { doc: TextDocument.create(d.uri, d.languageId, d.version, d.text), raw: d.uri });
        this.published.delete(key); // an opened document always gets its list (with its version)
        this.markDirty(key, 0);
      }),
    );
    c.onDidChangeTextDocument(
      this.guardSync('didChange', (p) => {
        const key = normalizeUri(p.textDocument.uri);
        const open = this.docs.get(key);
        if (!open) return this.log(`kube-expose: didChange for a document that is not open: ${p.textDocument.uri}`);
        TextDocument.update(open.doc, p.contentChanges, p.textDocument.version ?? open.doc.version + 1);
        // The first change after a quiet spell is checked almost at once; only a
        // burst of changes (typing, a replace-all) waits for the debounce.
        const now = Date.now();
        const quiet = now - this.lastChangeAt > DEBOUNCE_MS;
        this.lastChangeAt = now;
        this.markDirty(key, quiet ? QUICK_MS : DEBOUNCE_MS);
      }),
    );
    c.onDidCloseTextDocument(
      this.guardSync('didClose', (p) => {
        const key = normalizeUri(p.textDocument.uri);
        if (!this.docs.delete(key)) return;
        this.markDirty(key, 0); // back to the file on disk (or gone, outside the folders)
      }),
    );
    c.onDidChangeWatchedFiles(this.guardSync('didChangeWatchedFiles', (p) => this.watchedFilesChanged(p.changes)));
    c.onDidChangeConfiguration(
      this.guard('didChangeConfiguration', undefined, async (p) => {
        const section = sectionOf(p.settings);
        if (section !== undefined && section !== null) this.pushedSettings = section;
        await this.refreshSettings();
      }),
    );
    c.onCodeAction(this.guard('codeAction', [] as CodeAction[], (p, token) => (token.isCancellationRequested ? [] : this.codeActions(p))));
    c.onHover(
      this.guard('hover', null as Hover | null, (p, token) => {
        const ws = token.isCancellationRequested ? undefined : this.workspaceFor(normalizeUri(p.textDocument.uri));
        return ws ? hover(ws, normalizeUri(p.textDocument.uri), p.position) : null;
      }),
    );
    c.onCompletion(
      this.guard('completion', null as CompletionList | null, (p, token) => {
        const ws = token.isCancellationRequested ? undefined : this.workspaceFor(normalizeUri(p.textDocument.uri));
        return ws ? complete(ws, normalizeUri(p.textDocument.uri), p.position) : null;
      }),
    );
    // Navigation: every answer comes from the same transport-free modules (server/src/features).
    const onDocument = <P extends { textDocument: { uri: string } }, R>(name: string, fallback: R, fn: (ws: Workspace, key: string, p: P) => R) =>
      this.guard(name, fallback, (p: P, token: CancellationToken) => {
        const key = normalizeUri(p.textDocument.uri);
        const ws = token.isCancellationRequested ? undefined : this.workspaceFor(key);
        return ws ? fn(ws, key, p) : fallback;
      });
    c.onDefinition(onDocument('definition', null as Location[] | null, (ws, key, p: TextDocumentPositionParams) => definition(ws, key, p.position)));
    c.onReferences(onDocument('references', null as Location[] | null, (ws, key, p: ReferenceParams) => references(ws, key, p.position, p.context.includeDeclaration)));
    c.onCodeLens(onDocument('codeLens', [] as CodeLens[], (ws, key) => codeLenses(ws, key)));
    c.onDocumentSymbol(onDocument('documentSymbol', [] as DocumentSymbol[], (ws, key) => documentSymbols(ws, key)));
    c.onWorkspaceSymbol(
      this.guard('workspaceSymbol', [] as SymbolInformation[], (p: WorkspaceSymbolParams) => {
        const out: SymbolInformation[] = [];
        for (const project of this.projects.values()) if (project.ready) out.push(...workspaceSymbols(project.ws, p.query, 500 - out.length));
        return out;
      }),
    );
    c.onPrepareRename(
      onDocument('prepareRename', null as { range: Range; placeholder: string } | null, (ws, key, p: PrepareRenameParams) => prepareRename(ws, key, p.position)),
    );
    c.onRenameRequest(async (p: RenameParams, token) => {
      const key = normalizeUri(p.textDocument.uri);
      try {
        const ws = token.isCancellationRequested ? undefined : this.workspaceFor(key);
        const edit = ws ? rename(ws, key, p.position, p.newName) : null;
        if (!edit?.changes) return edit;
        // send it like a fix: versions of open documents, the client's own URIs
        const edits = Object.entries(edit.changes).flatMap(([uri, list]) => list.map((e) => ({ uri, range: e.range, newText: e.newText })));
        return toWorkspaceEdit(edits, this.editTarget());
      } catch (e) {
        if (e instanceof RenameError) return new ResponseError(ErrorCodes.InvalidParams, e.message);
        this.logError('rename', e);
        return null;
      }
    });
  }

  private editTarget(): EditTarget {
    return {
      uriOf: (k) => this.uriFor(k),
      versionOf: (k) => this.docs.get(k)?.doc.version ?? null,
      documentChanges: !!this.caps.workspace?.workspaceEdit?.documentChanges,
    };
  }

  private initialize(params: InitializeParams): InitializeResult {
    try {
      this.caps = params.capabilities ?? {};
      this.support = diagnosticSupport(this.caps);
      const opts = params.initializationOptions as Record<string, unknown> | undefined;
      this.initialSettings = sectionOf(opts && typeof opts === 'object' && 'settings' in opts ? opts.settings : opts);
      this.snippetCommand = opts?.insertSnippetCommand === true || (this.caps.experimental as Record<string, unknown> | undefined)?.kubeExposeInsertSnippet === true;
      const folders: WorkspaceFolder[] = params.workspaceFolders
        ? params.workspaceFolders
        : params.rootUri
          ? [{ uri: params.rootUri, name: basename(fsPathOf(params.rootUri) ?? params.rootUri) }]
          : params.rootPath
            ? [{ uri: URI.file(params.rootPath).toString(), name: basename(params.rootPath) }]
            : [];
      for (const f of folders) this.addFolder(f);
    } catch (e) {
      this.logError('initialize', e);
    }
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: CODE_ACTION_KINDS, resolveProvider: false },
        hoverProvider: true,
        completionProvider: { triggerCharacters: [':', ' '], resolveProvider: false },
        definitionProvider: true,
        referencesProvider: true,
        codeLensProvider: { resolveProvider: false },
        documentSymbolProvider: { label: 'Kubernetes' },
        workspaceSymbolProvider: true,
        renameProvider: { prepareProvider: true },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'kube-expose', version: pkg.version },
    };
  }

  private async initialized(): Promise<void> {
    const ws = this.caps.workspace;
    this.log(`kube-expose ${pkg.version} language server (node ${process.versions.node}), ${this.projects.size} workspace folder(s)`);
    if (ws?.didChangeWatchedFiles?.dynamicRegistration) {
      this.connection.client
        .register(DidChangeWatchedFilesNotification.type, {
          watchers: [{ globPattern: '**/*.{yaml,yml}' }, { globPattern: '**/Kustomization' }, { globPattern: '**/.kube-expose.{yaml,yml}' }],
        })
        .catch((e) => this.logError('registering the file watcher', e));
    }
    if (ws?.didChangeConfiguration?.dynamicRegistration) {
      this.connection.client.register(DidChangeConfigurationNotification.type, { section: 'kubeExpose' }).catch((e) => this.logError('registering for settings', e));
    }
    if (ws?.workspaceFolders) {
      try {
        this.connection.workspace.onDidChangeWorkspaceFolders(this.guardSync('didChangeWorkspaceFolders', (e) => this.foldersChanged(e.added, e.removed)));
      } catch (e) {
        this.logError('listening for workspace folder changes', e);
      }
    }
    await this.refreshSettings();
  }

  private dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const p of this.allProjects()) p.indexGen++;
  }

  // ---------------------------------------------------------------- projects

  private newProject(key: string, name: string, root?: string): Project {
    return {
      key,
      name,
      root,
      ws: createWorkspace(DEFAULT_CONFIG),
      settings: readSettings(undefined, this.knownRules),
      publishedScope: 'workspace',
      excluder: () => false,
      ready: false,
      indexing: false,
      indexGen: 0,
      flushing: false,
      deferred: new Set(),
    };
  }

  private addFolder(f: WorkspaceFolder): Project {
    const key = normalizeUri(f.uri).replace(/\/+$/, '');
    const existing = this.projects.get(key);
    if (existing) return existing;
    const p = this.newProject(key, f.name || basename(fsPathOf(key) ?? key), fsPathOf(key));
    this.projects.set(key, p);
    return p;
  }

  private *allProjects(): IterableIterator<Project> {
    yield* this.projects.values();
    yield this.loose;
  }

  /** The innermost workspace folder holding a file, else the loose project. */
  private projectOf(key: string): Project {
    let best: Project | undefined;
    for (const p of this.projects.values()) {
      if (key.startsWith(`${p.key}/`) && (!best || p.key.length > best.key.length)) best = p;
    }
    return best ?? this.loose;
  }

  private foldersChanged(added: readonly WorkspaceFolder[], removed: readonly WorkspaceFolder[]): void {
    const orphans = new Set<string>();
    for (const f of removed) {
      const key = normalizeUri(f.uri).replace(/\/+$/, '');
      const p = this.projects.get(key);
      if (!p) continue;
      p.indexGen++; // abandons an indexing run
      this.projects.delete(key);
      for (const k of p.ws.uris()) orphans.add(k);
      for (const k of p.deferred) orphans.add(k);
      if (p.configPath) this.setConfigDiagnostic(URI.file(p.configPath).toString(), undefined);
      this.log(`kube-expose: workspace folder removed: ${p.name}`);
    }
    for (const f of added) {
      this.addFolder(f);
      this.log(`kube-expose: workspace folder added: ${f.name}`);
    }
    // Files now routed elsewhere (a folder added inside another, or around loose files) leave their old engine.
    for (const p of this.allProjects()) {
      let moved = false;
      for (const k of [...p.ws.uris()]) {
        if (this.projectOf(k) !== p) {
          p.ws.removeFile(k);
          orphans.add(k);
          moved = true;
        }
      }
      if (moved) this.flushProject(p);
    }
    for (const k of orphans) {
      if (this.docs.has(k)) this.markDirty(k, 0);
      else this.pending.add(k); // publishes the empty list that clears it
    }
    for (const k of this.published.keys()) if (!this.projectOf(k).ws.hasFile(k)) this.pending.add(k);
    this.drain();
    void this.refreshSettings();
  }

  // ---------------------------------------------------------------- settings

  private async refreshSettings(): Promise<void> {
    const seq = ++this.settingsSeq;
    const projects = [...this.allProjects()];
    let raws: unknown[] = projects.map(() => undefined);
    if (this.caps.workspace?.configuration) {
      try {
        raws = await this.connection.workspace.getConfiguration(
          projects.map((p) => (p.key ? { scopeUri: p.key, section: 'kubeExpose' } : { section: 'kubeExpose' })),
        );
      } catch (e) {
        this.logError('workspace/configuration', e);
      }
      if (seq !== this.settingsSeq || this.disposed) return; // a newer refresh is under way
    }
    projects.forEach((p, i) => {
      if (p !== this.loose && !this.projects.has(p.key)) return; // removed meanwhile
      const raw = raws?.[i] ?? this.pushedSettings ?? this.initialSettings;
      const settings = readSettings(raw, this.knownRules);
      for (const problem of settings.problems) this.showOnce(problem, DiagnosticSeverity.Warning);
      p.settings = settings;
      if (p.root) this.loadConfigFile(p);
      this.reconfigure(p);
    });
  }

  /** Finds and reads the folder's config file (the open editor's text wins), recording any error on the file. */
  private loadConfigFile(p: Project): void {
    const oldPath = p.configPath;
    let path: string | undefined;
    try {
      path = findConfigFile(p.root!);
    } catch (e) {
      this.logError(`looking for a config file above ${p.root}`, e);
    }
    p.configPath = path;
    p.fileConfig = undefined;
    if (oldPath && oldPath !== path) this.setConfigDiagnostic(URI.file(oldPath).toString(), undefined);
    if (!path) return;
    const key = URI.file(path).toString();
    let text: string;
    try {
      text = this.docs.get(key)?.doc.getText() ?? readFileSync(path, 'utf8');
    } catch (e) {
      const message = `${basename(path)}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
      this.showOnce(`kube-expose: ${message}. Using the editor settings only.`, DiagnosticSeverity.Error);
      return;
    }
    const result = parseConfigText(text, this.knownRules, basename(path));
    if ('config' in result) {
      p.fileConfig = result.config;
      this.setConfigDiagnostic(key, undefined);
      // fixed: the next breakage is worth a message again
      const shown = this.configMessages.get(path);
      if (shown) this.shownMessages.delete(shown);
      this.configMessages.delete(path);
      return;
    }
    this.setConfigDiagnostic(key, {
      range: result.range,
      severity: DiagnosticSeverity.Error,
      source: SOURCE,
      code: 'config',
      message: `${result.error}. This file is ignored until it is fixed; the editor settings are used.`,
    });
    // While the file is being edited the diagnostic says it all; a message per keystroke would not help.
    if (this.docs.has(key)) return;
    const message = `kube-expose: ${result.error}. Using the editor settings only until the file is fixed.`;
    this.configMessages.set(path, message);
    this.showOnce(message, DiagnosticSeverity.Error);
  }

  private setConfigDiagnostic(key: string, d: LspDiagnostic | undefined): void {
    const before = JSON.stringify(this.configDiagnostics.get(key) ?? []);
    if (d) this.configDiagnostics.set(key, [d]);
    else this.configDiagnostics.delete(key);
    if (before !== JSON.stringify(d ? [d] : [])) {
      this.pending.add(key);
      this.drain();
    }
  }

  private showOnce(message: string, severity: DiagnosticSeverity): void {
    if (this.shownMessages.has(message)) return;
    this.shownMessages.add(message);
    this.log(message);
    // a notification, not window/showMessageRequest: nothing to answer, never modal
    this.connection
      .sendNotification(ShowMessageNotification.type, { type: severity === DiagnosticSeverity.Error ? MessageType.Error : MessageType.Warning, message })
      .catch(() => undefined);
  }

  /** Applies a project's settings and config file: re-checks when the config changed, re-indexes when the file set may have. */
  private reconfigure(p: Project): void {
    let config: EngineConfig;
    try {
      config = mergeConfig(DEFAULT_CONFIG, p.settings.layer, p.fileConfig);
    } catch (e) {
      this.logError('merging the configuration', e);
      config = DEFAULT_CONFIG;
    }
    const configChanged = JSON.stringify(config) !== JSON.stringify(p.ws.config);
    if (configChanged) p.ws.setConfig(config);
    if (p.root) {
      const settingsExcluder = makeExcluder(p.settings.layer.exclude ?? [], p.root);
      const fileExcluder = p.configPath ? makeExcluder(p.fileConfig?.exclude ?? [], dirname(p.configPath)) : () => false;
      p.excluder = (abs) => settingsExcluder(abs) || fileExcluder(abs);
    }
    const signature = JSON.stringify([p.settings.layer.exclude ?? [], p.fileConfig?.exclude ?? [], p.configPath, config.maxFileSize]);
    const first = !p.ready;
    p.ready = true;
    if (first || signature !== p.indexSignature) {
      p.indexSignature = signature;
      void this.index(p);
    } else if (configChanged) {
      this.flushProject(p);
    }
    if (p.publishedScope !== p.settings.scope) {
      p.publishedScope = p.settings.scope;
      for (const k of p.ws.uris()) this.pending.add(k);
      this.drain();
    }
  }

  // ---------------------------------------------------------------- indexing

  /** (Re)reads a project's files from disk in slices, then checks and publishes them all. */
  private async index(p: Project): Promise<void> {
    const gen = ++p.indexGen;
    p.indexing = true;
    const started = Date.now();
    let files: string[] = [];
    if (p.root) {
      try {
        files = collectFiles([p.root], p.excluder).filter((abs) => !isConfigName(abs));
      } catch (e) {
        this.logError(`listing the files of ${p.root}`, e);
      }
    }
    const keys = files.map((abs) => URI.file(abs).toString()).filter((k) => this.projectOf(k) === p);
    const progress = p.root
      ? await startProgress(this.connection, !!this.caps.window?.workDoneProgress, `kube-expose: indexing ${p.name}`, `${keys.length} files`)
      : undefined;
    const announce = (done: number) => {
      if (p.root) this.connection.sendNotification(INDEXING_NOTIFICATION, { folder: p.key, done, total: keys.length }).catch(() => undefined);
    };
    try {
      announce(0);
      const listed = new Set<string>();
      let slice = Date.now();
      for (let i = 0; i < keys.length; i++) {
        if (gen !== p.indexGen || this.disposed) return;
        listed.add(keys[i]);
        this.safeSync(p, keys[i]);
        if (Date.now() - slice > SLICE_MS) {
          progress?.report(i + 1, keys.length);
          announce(i + 1);
          await yieldToLoop();
          slice = Date.now();
        }
      }
      if (gen !== p.indexGen || this.disposed) return;
      // What the listing did not have: deleted or now excluded files, open documents, files created meanwhile.
      for (const k of [...p.ws.uris()]) if (!listed.has(k)) this.safeSync(p, k);
      for (const k of this.docs.keys()) if (!listed.has(k) && this.projectOf(k) === p) this.safeSync(p, k);
      p.indexing = false;
      for (const k of p.deferred) this.pending.add(k);
      p.deferred.clear();
      if (p.root) {
        const skipped = [...p.ws.uris()].filter((k) => p.ws.file(k)?.skipped).length;
        this.log(`kube-expose: indexed ${p.name}: ${keys.length} files (${this.templatesIn(p)} templates, ${skipped} skipped) in ${Date.now() - started} ms`);
      }
      this.flushProject(p);
      announce(keys.length);
    } finally {
      progress?.done();
      if (gen === p.indexGen) p.indexing = false;
    }
  }

  private templatesIn(p: Project): number {
    let n = 0;
    for (const k of p.ws.uris()) if (p.ws.file(k)?.template) n++;
    return n;
  }

  /** Should the engine hold this file, and from which source? */
  private wanted(p: Project, key: string, open: boolean): boolean {
    if (!p.root) return open; // outside the folders: only what the editor shows
    const path = fsPathOf(key);
    if (!path) return open;
    if (p.excluder(path)) return false;
    if (open) return true;
    if (!isManifestPath(path)) return false;
    const rel = relative(p.root, path).split(sep);
    // a watcher event may name a link out of the folder, or a path through a symlinked folder
    return !rel.slice(0, -1).some((seg) => ALWAYS_EXCLUDED_DIRS.has(seg)) && staysInside(path, p.root);
  }

  /** syncFile for bulk work: one bad file is logged and skipped. */
  private safeSync(p: Project, key: string): void {
    try {
      this.syncFile(p, key);
    } catch (e) {
      this.logError(`reading ${fsPathOf(key) ?? key}`, e);
    }
  }

  /** Brings one file of the engine up to date with the editor (open) or the disk (closed). */
  private syncFile(p: Project, key: string): void {
    const path = fsPathOf(key);
    if (path && isConfigName(path)) return; // config files are read as configuration, never as manifests
    const open = this.docs.get(key);
    if (!this.wanted(p, key, !!open)) {
      if (p.ws.hasFile(key)) p.ws.removeFile(key);
      this.noteTemplate(p, key);
      return;
    }
    const max = p.ws.config.maxFileSize;
    if (open) {
      const text = open.doc.getText();
      // cheap path for the common case (what decodeManifest would give back unchanged); the byte-level checks otherwise
      if (!text.includes('\0') && (text.length * 3 <= max || (Buffer.byteLength(text, 'utf8') <= max && text.charCodeAt(0) !== 0xfeff && wellFormed(text)))) {
        p.ws.setFile(key, text);
      } else {
        const read = decodeManifest(Buffer.from(text, 'utf8'), max);
        if ('skipped' in read) p.ws.setSkipped(key, read.skipped, read.detail);
        else p.ws.setFile(key, read.text);
      }
      open.syncedVersion = open.doc.version;
    } else {
      try {
        const read = readManifest(path!, max);
        if ('skipped' in read) {
          const old = p.ws.file(key);
          if (!old?.skipped || old.skipped.detail !== read.detail) p.ws.setSkipped(key, read.skipped, read.detail);
        } else p.ws.setFile(key, read.text);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' && code !== 'ENOTDIR') this.log(`kube-expose: cannot read ${path}: ${code ?? (e as Error).message}`);
        if (p.ws.hasFile(key)) p.ws.removeFile(key);
      }
    }
    this.noteTemplate(p, key);
  }

  private noteTemplate(p: Project, key: string): void {
    const template = !!p.ws.file(key)?.template;
    if (template && !this.loggedTemplates.has(key)) {
      this.loggedTemplates.add(key);
      this.log(`kube-expose: skipping Helm/Go template (not checked): ${fsPathOf(key) ?? key}`);
    } else if (!template) this.loggedTemplates.delete(key);
  }

  // -------------------------------------------------------------- validation

  /** `postpone`: a newer edit supersedes the pending pass (debounce); otherwise a pending pass, however soon, takes this too. */
  private markDirty(key: string, delay: number, postpone = true): void {
    this.dirty.add(key);
    if (this.disposed) return;
    if (this.timer && (this.timerImmediate || !postpone)) return; // a pass is coming and will take this too
    if (this.timer) clearTimeout(this.timer); // debounce: a newer edit supersedes the pending pass
    this.timerImmediate = delay === 0;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.validate();
    }, delay);
  }

  private async validate(): Promise<void> {
    if (this.validating) {
      this.validateAgain = true;
      return;
    }
    this.validating = true;
    try {
      do {
        this.validateAgain = false;
        const keys = [...this.dirty];
        this.dirty.clear();
        const touched = new Set<Project>();
        let configTouched = false;
        let slice = Date.now();
        for (const key of keys) {
          try {
            const path = fsPathOf(key);
            if (path && isConfigName(path)) {
              configTouched = true;
              this.pending.add(key);
              continue;
            }
            const p = this.projectOf(key);
            this.syncFile(p, key);
            this.pending.add(key);
            touched.add(p);
          } catch (e) {
            this.logError(`checking ${key}`, e);
          }
          if (Date.now() - slice > SLICE_MS) {
            await yieldToLoop();
            slice = Date.now();
          }
        }
        if (configTouched) {
          for (const p of this.projects.values()) {
            if (!p.ready) continue;
            this.loadConfigFile(p);
            this.reconfigure(p);
          }
        }
        for (const p of touched) this.flushProject(p);
        for (const k of this.held) this.pending.add(k);
        this.held.clear();
        this.drain();
      } while (this.validateAgain && !this.disposed);
    } catch (e) {
      this.logError('validation', e);
    } finally {
      this.validating = false;
    }
  }

  /** Runs the project's pending checks (in slices when there are many) and queues what changed for publishing. */
  private flushProject(p: Project, hold = false): void {
    if (!p.ready || p.indexing || p.flushing) return; // indexing ends with a flush; a running flush takes new checks too
    let first;
    try {
      first = flushFor(p.ws, SLICE_MS);
    } catch (e) {
      this.logError(`checking ${p.name}`, e);
      return;
    }
    if (first.done) {
      for (const k of first.touched) (hold ? this.held : this.pending).add(k);
      if (!hold) this.drain();
      return;
    }
    p.flushing = true;
    void this.continueFlush(p, first.touched);
  }

  private async continueFlush(p: Project, touched: Set<string>): Promise<void> {
    const started = Date.now();
    try {
      for (;;) {
        await yieldToLoop();
        if (this.disposed) return;
        // edits and re-indexing may change the engine between slices: their checks join this run
        const r = flushFor(p.ws, SLICE_MS);
        for (const k of r.touched) touched.add(k);
        if (r.done) break;
      }
      for (const k of touched) this.pending.add(k);
      if (Date.now() - started > 1000) this.log(`kube-expose: checked ${p.name} (${touched.size} files) in ${Date.now() - started} ms`);
    } catch (e) {
      this.logError(`checking ${p.name}`, e);
    } finally {
      p.flushing = false;
      for (const k of p.deferred) this.pending.add(k);
      p.deferred.clear();
      this.drain();
    }
  }

  /** The engine holding a file, brought up to date for a request about it (hover, completion). */
  private workspaceFor(key: string): Workspace | undefined {
    this.syncNow(key);
    const p = this.projectOf(key);
    return p.ready && p.ws.hasFile(key) ? p.ws : undefined;
  }

  /**
   * Brings one document up to date now, before answering a request about it.
   * What changed is still published on the debounced schedule: requests come
   * with every keystroke (completion, the light bulb) and must not turn the
   * debounce off.
   */
  private syncNow(key: string): void {
    const open = this.docs.get(key);
    if (!this.dirty.has(key) && (!open || open.syncedVersion === open.doc.version)) return;
    const p = this.projectOf(key);
    this.syncFile(p, key);
    this.flushProject(p, true);
    // the scheduled pass publishes it: a request must not push that pass out (the
    // first edit after a quiet spell stays quick), nor bring it forward while typing
    this.markDirty(key, DEBOUNCE_MS, false);
  }

  // -------------------------------------------------------------- publishing

  private drain(): void {
    if (this.draining || this.disposed) return;
    this.draining = true;
    setImmediate(() => this.drainSlice());
  }

  private drainSlice(): void {
    try {
      const start = Date.now();
      // open documents first: that is where the user is looking
      for (const key of this.docs.keys()) {
        if (this.pending.delete(key)) this.publish(key);
      }
      for (const key of this.pending) {
        this.pending.delete(key);
        this.publish(key);
        if (Date.now() - start > SLICE_MS) break;
      }
    } catch (e) {
      this.logError('publishing diagnostics', e);
    }
    if (this.pending.size && !this.disposed) setImmediate(() => this.drainSlice());
    else this.draining = false;
  }

  private uriFor(key: string): string {
    return this.docs.get(key)?.raw ?? key;
  }

  private engineDiagnostics(p: Project, key: string): Diagnostic[] {
    // a finding placed in another file would show at a wrong position here
    return p.ws.diagnostics(key).filter((d) => d.uri === key);
  }

  private toLsp = (d: Diagnostic): LspDiagnostic => toLspDiagnostic(d, this.support, (k) => this.uriFor(k));

  /**
   * An engine diagnostic's LSP form and its JSON, kept while the diagnostic is
   * the same object (the engine reuses those that did not change) and the URIs
   * it names map the same: a publish of a big file converts only what changed.
   */
  private readonly lspForms = new WeakMap<Diagnostic, { uris: string[]; lsp: LspDiagnostic; json: string }>();

  private lspForm(d: Diagnostic): { lsp: LspDiagnostic; json: string } {
    const cached = this.lspForms.get(d);
    if (cached && cached.uris.every((u, i) => u === this.uriFor(d.related[i].uri))) return cached;
    const lsp = this.toLsp(d);
    const form = { uris: d.related.map((r) => this.uriFor(r.uri)), lsp, json: JSON.stringify(lsp) };
    this.lspForms.set(d, form);
    return form;
  }

  private publish(key: string): void {
    const open = this.docs.get(key);
    let diagnostics: LspDiagnostic[];
    let fingerprint: string | undefined;
    const config = this.configDiagnostics.get(key);
    if (config) diagnostics = config;
    else {
      const p = this.projectOf(key);
      if (!p.ready || p.indexing || p.flushing) {
        p.deferred.add(key); // partial results would flicker: wait for the index or the checks
        return;
      }
      if (p.settings.scope === 'openFiles' && !open) diagnostics = [];
      else {
        const forms = this.engineDiagnostics(p, key).map((d) => this.lspForm(d));
        diagnostics = forms.map((f) => f.lsp);
        fingerprint = `[${forms.map((f) => f.json).join(',')}]`; // = JSON.stringify(diagnostics)
      }
    }
    fingerprint ??= JSON.stringify(diagnostics);
    const last = this.published.get(key);
    if (last === fingerprint) return;
    if (last === undefined && diagnostics.length === 0 && !open) return; // nothing shown, nothing to clear
    if (diagnostics.length === 0 && !open) this.published.delete(key);
    else this.published.set(key, fingerprint);
    this.connection.sendDiagnostics({ uri: this.uriFor(key), version: open?.syncedVersion, diagnostics }).catch((e) => this.logError('sending diagnostics', e));
  }

  // ------------------------------------------------------------ file events

  private watchedFilesChanged(changes: readonly { uri: string; type: FileChangeType }[]): void {
    for (const change of changes) {
      const key = normalizeUri(change.uri);
      const path = fsPathOf(key);
      if (!path) continue;
      if (isConfigName(path)) {
        if (!this.docs.has(key)) this.markDirty(key, DEBOUNCE_MS);
        continue;
      }
      if (this.docs.has(key)) continue; // the editor's text wins over the disk
      if (isManifestPath(path)) {
        this.markDirty(key, DEBOUNCE_MS);
        continue;
      }
      // a folder: deleted (its files go) or created (e.g. a checkout: its files come)
      if (change.type === FileChangeType.Deleted) {
        for (const p of this.allProjects()) for (const k of p.ws.uris()) if (k.startsWith(`${key}/`) && !this.docs.has(k)) this.markDirty(k, DEBOUNCE_MS);
      } else {
        try {
          if (!statSync(path).isDirectory()) continue;
          const p = this.projectOf(key);
          if (!p.root || !staysInside(path, p.root) || lstatSync(path).isSymbolicLink()) continue; // symlinked folders are not followed
          for (const abs of collectFiles([path], p.excluder)) this.markDirty(URI.file(abs).toString(), DEBOUNCE_MS);
        } catch {
          // gone again: nothing to do
        }
      }
    }
  }

  // ------------------------------------------------------------ code actions

  private codeActions(params: CodeActionParams): CodeAction[] {
    const key = normalizeUri(params.textDocument.uri);
    const only = params.context.only;
    const wantQuick = kindRequested(only, CodeActionKind.QuickFix);
    const wantAll = !!only && kindRequested(only, FIX_ALL_KIND);
    const wantRefactors = [CodeActionKind.RefactorRewrite, CodeActionKind.RefactorExtract].some((k) => kindRequested(only, k));
    if (!wantQuick && !wantAll && !wantRefactors) return [];
    this.syncNow(key);
    const p = this.projectOf(key);
    if (!p.ready || p.indexing || p.flushing || !p.ws.hasFile(key)) return [];
    const diagnostics = this.engineDiagnostics(p, key);
    const target = this.editTarget();
    const out: CodeAction[] = [];
    if (wantQuick) {
      const file = p.ws.file(key);
      out.push(...quickFixes(key, file?.text, diagnostics, params, this.toLsp, target, (line) => !file || commentFitsAbove(file, line)));
    }
    if (wantRefactors) {
      try {
        const includeDisabled = this.caps.textDocument?.codeAction?.disabledSupport === true;
        out.push(...refactorActions(refactorsAt(p.ws, key, params.range, { includeDisabled }), only, target, this.snippetCommand));
      } catch (e) {
        this.logError('computing refactors', e);
      }
    }
    if (wantAll) {
      const all = fixAll(key, p.ws.file(key)?.text, diagnostics, target);
      if (all) out.push(all);
    }
    return out;
  }
}

const TRANSPORTS = ['--stdio', '--node-ipc', '--socket', '--pipe'];
const isTransport = (a: string) => TRANSPORTS.some((t) => a === t || a.startsWith(`${t}=`));

/**
 * Starts the server. `argv` names the transport (`--stdio`, `--node-ipc`,
 * `--socket=N`, `--pipe=NAME`); without one, stdio is used.
 */
export function startServer(argv: string[]): Connection {
  // createConnection reads the transport from process.argv (and, for stdio,
  // routes console output to the client instead of corrupting the stream).
  if (!process.argv.slice(2).some(isTransport)) process.argv.push(...(argv.some(isTransport) ? argv : ['--stdio']));
  const connection = createConnection(ProposedFeatures.all);
  process.on('uncaughtException', (e) => {
    try {
      connection.console.error(`kube-expose: unexpected error: ${errorText(e)}`);
    } catch {
      // ignore
    }
  });
  process.on('unhandledRejection', (e) => {
    try {
      connection.console.error(`kube-expose: unexpected error: ${errorText(e)}`);
    } catch {
      // ignore
    }
  });
  new KubeExposeServer(connection);
  connection.listen();
  return connection;
}
