// The protocol tests' client: the real bundled server (`node bin/kube-expose.js
// lsp --stdio`) over the shared core (test/helpers/lspClient.ts), with files
// addressed by path, editor-like edits, and fixtures.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  CodeActionRequest,
  DidChangeConfigurationNotification,
  FileChangeType,
  type ClientCapabilities,
  type CodeAction,
  type Command,
  type Diagnostic,
  type Range,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { URI } from 'vscode-uri';
import { applyEdits } from '../../server/src/engine/apply';
import { ensureBuilt } from '../helpers/build';
import { KUBE_EXPOSE_LSP, LspClient, ROOT, uriOf, WORKSPACE_CAPABILITIES } from '../helpers/lspClient';

export { ensureBuilt, ROOT, uriOf };

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
  settings?: LspClient['settings'];
  capabilities?: ClientCapabilities;
  initializationOptions?: unknown;
}

export const FULL_CAPABILITIES: ClientCapabilities = {
  workspace: WORKSPACE_CAPABILITIES,
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

export class TestClient extends LspClient {
  protected override waitTimeoutMs = 8000;

  private constructor(settings: StartOptions['settings']) {
    super({ command: [process.execPath, ...KUBE_EXPOSE_LSP], cwd: ROOT });
    this.settings = settings;
  }

  static async start(opts: StartOptions): Promise<TestClient> {
    ensureBuilt();
    const client = new TestClient(opts.settings);
    await client.initialize(opts.folders, opts.capabilities ?? FULL_CAPABILITIES, { initializationOptions: opts.initializationOptions });
    return client;
  }

  /** Timeouts show what each file has published. */
  protected override report(): string {
    const dump = [...this.diagnostics].map(([u, p]) => `  ${u}: ${p.diagnostics.map((d) => `${d.code} ${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`).join(' | ') || '(none)'}`);
    return `published:\n${dump.join('\n')}\n${super.report()}`;
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
    this.didOpen(uriOf(path), text);
  }

  /** Replaces the whole text (full-document change event). */
  change(path: string, text: string): void {
    this.didChange(uriOf(path), [{ text }]);
  }

  /** An incremental change event. */
  edit(path: string, range: Range, text: string): void {
    this.didChange(uriOf(path), [{ range, text }]);
  }

  close(path: string): void {
    this.didClose(uriOf(path));
  }

  text(path: string): string {
    return this.docs.get(uriOf(path))?.getText() ?? readFileSync(path, 'utf8');
  }

  fileEvents(...events: [path: string, type: FileChangeType][]): void {
    this.didChangeWatchedFiles(events.map(([p, type]) => ({ uri: uriOf(p), type })));
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
