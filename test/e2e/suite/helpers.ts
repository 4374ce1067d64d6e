// Shared helpers for the real-editor suite. Everything goes through the public
// `vscode` API, and nothing assumes a host: in desktop VS Code the workspace URIs
// are file:, in code-server the extension host is a remote one (vscode-remote:
// URIs in the workbench, env.remoteName set). So: URIs are built with
// Uri.joinPath from the workspace folder, and compared as strings of the same
// origin; the extension's own files (dist/, bin/) are read from extensionPath,
// which is always a local path of the machine the extension host runs on.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'kube-expose.kube-expose';
export const SOURCE = 'kube-expose';

/** The first workspace folder: the scratch copy of test/e2e/fixtures/workspace. */
export function folder(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  if (!f) throw new Error('no workspace folder is open: the runner must open a copy of test/e2e/fixtures/workspace');
  return f.uri;
}

export function fileUri(rel: string): vscode.Uri {
  return vscode.Uri.joinPath(folder(), ...rel.split('/'));
}

export function extensionPath(): string {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  return ext.extensionPath;
}

export async function activate(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`extension ${EXTENSION_ID} is not loaded (is extensionDevelopmentPath the project root?)`);
  if (!ext.isActive) await ext.activate();
  return ext;
}

export async function open(rel: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(fileUri(rel));
  return vscode.window.showTextDocument(doc, { preview: false });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `probe` until it returns something truthy; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

/** The rule id of a diagnostic: `code` is a string, or { value, target } when the server sends codeDescription. */
export function ruleOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  if (typeof c === 'object') return String(c.value);
  return String(c);
}

export function kubeDiagnostics(uri: vscode.Uri, rule?: string): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE && (rule === undefined || ruleOf(d) === rule));
}

export function describeDiagnostics(uri: vscode.Uri): string {
  const all = vscode.languages.getDiagnostics(uri);
  if (!all.length) return '(none)';
  return all.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} [${ruleOf(d)}] ${d.message}`).join('\n      ');
}

export async function waitForDiagnostic(uri: vscode.Uri, rule: string, timeoutMs = 30_000): Promise<vscode.Diagnostic> {
  try {
    return await waitFor(`a ${rule} diagnostic in ${path.posix.basename(uri.path)}`, () => kubeDiagnostics(uri, rule)[0], timeoutMs);
  } catch (e) {
    throw new Error(`${(e as Error).message}; diagnostics there: ${describeDiagnostics(uri)}`);
  }
}

export async function waitForNoDiagnostic(uri: vscode.Uri, rule?: string, timeoutMs = 15_000): Promise<void> {
  try {
    await waitFor(`${rule ?? 'every kube-expose diagnostic'} to leave ${path.posix.basename(uri.path)}`, () => kubeDiagnostics(uri, rule).length === 0, timeoutMs);
  } catch (e) {
    throw new Error(`${(e as Error).message}; still there: ${describeDiagnostics(uri)}`);
  }
}

/**
 * Asserts that `uri` stays without kube-expose diagnostics (of `rule`) for `quietMs`:
 * for "nothing appears", where waiting for absence alone would pass too early.
 */
export async function expectStaysClean(uri: vscode.Uri, rule: string | undefined, quietMs = 1500): Promise<void> {
  const end = Date.now() + quietMs;
  while (Date.now() < end) {
    const found = kubeDiagnostics(uri, rule);
    if (found.length) throw new Error(`expected no ${rule ?? 'kube-expose'} diagnostic in ${path.posix.basename(uri.path)}, got: ${describeDiagnostics(uri)}`);
    await sleep(100);
  }
}

/** Code actions as the light bulb asks for them (CodeAction objects only, no bare Commands). */
export async function codeActions(uri: vscode.Uri, range: vscode.Range | vscode.Selection, kind?: vscode.CodeActionKind): Promise<vscode.CodeAction[]> {
  const all = (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', uri, range, kind?.value)) ?? [];
  return all.filter((a): a is vscode.CodeAction => typeof (a as vscode.CodeAction).title === 'string' && typeof (a as vscode.Command).command !== 'string');
}

/** Applies a code action the way the workbench does: its edit, then its command. */
export async function applyAction(action: vscode.CodeAction): Promise<void> {
  if (action.edit) {
    const ok = await vscode.workspace.applyEdit(action.edit);
    if (!ok) throw new Error(`the edit of "${action.title}" was not applied`);
  }
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

/** Replaces the whole text of an open document (to put a fixture back as it was). */
export async function setText(uri: vscode.Uri, text: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(uri);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`could not reset ${uri.toString()}`);
}

/** Runs a Node script of the extension (dist/, bin/) with the extension host's own runtime. */
function runNode(args: string[], input?: string, timeoutMs = 20_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // In desktop VS Code process.execPath is Electron: ELECTRON_RUN_AS_NODE makes it plain Node.
    const child = spawn(process.execPath, args, { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} did not finish in ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout.on('data', (b) => (stdout += b));
    child.stderr.on('data', (b) => (stderr += b));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

let rulesCache: Promise<Set<string>> | undefined;

/** Rule ids `kube-expose rules` lists: a test of a rule not registered yet is skipped, and runs once it lands. */
export function registeredRules(): Promise<Set<string>> {
  rulesCache ??= runNode([path.join(extensionPath(), 'bin', 'kube-expose.js'), 'rules']).then(({ code, stdout, stderr }) => {
    if (code !== 0) throw new Error(`kube-expose rules exited ${code}: ${stderr}`);
    return new Set(stdout.split('\n').map((l) => l.split(/\s+/)[0]).filter(Boolean));
  });
  return rulesCache;
}

export interface ServerCapabilities {
  hoverProvider?: unknown;
  completionProvider?: unknown;
  codeActionProvider?: boolean | { codeActionKinds?: string[] };
  [k: string]: unknown;
}

let capsCache: Promise<ServerCapabilities> | undefined;

/**
 * What the language server says it can do, from its answer to `initialize`
 * (asked of a second instance over stdio): a test of a feature the server does
 * not advertise yet is skipped with the reason, and runs once it does.
 */
export function serverCapabilities(): Promise<ServerCapabilities> {
  capsCache ??= probeCapabilities();
  return capsCache;
}

async function probeCapabilities(): Promise<ServerCapabilities> {
  const server = path.join(extensionPath(), 'dist', 'server.js');
  const init = {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: null,
      capabilities: {
        textDocument: {
          hover: { contentFormat: ['markdown', 'plaintext'] },
          completion: { completionItem: { snippetSupport: true } },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'refactor.rewrite', 'refactor.extract', 'source', 'source.fixAll'] } } },
        },
      },
    },
  };
  const frame = (m: unknown) => {
    const body = Buffer.from(JSON.stringify(m), 'utf8');
    return `Content-Length: ${body.length}\r\n\r\n${body.toString('utf8')}`;
  };
  return new Promise<ServerCapabilities>((resolve, reject) => {
    const child = spawn(process.execPath, [server, '--stdio'], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['pipe', 'pipe', 'ignore'] });
    let buf = Buffer.alloc(0);
    const done = (err: Error | undefined, caps?: ServerCapabilities) => {
      clearTimeout(timer);
      child.stdout.removeAllListeners('data');
      try {
        child.stdin.write(frame({ jsonrpc: '2.0', id: 2, method: 'shutdown' }));
        child.stdin.write(frame({ jsonrpc: '2.0', method: 'exit' }));
        child.stdin.end();
      } catch {
        // already gone
      }
      setTimeout(() => child.kill('SIGKILL'), 1000).unref();
      if (err) reject(err);
      else resolve(caps!);
    };
    const timer = setTimeout(() => done(new Error('the language server did not answer initialize within 15 s')), 15_000);
    child.on('error', (e) => done(e));
    child.stdout.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const head = buf.indexOf('\r\n\r\n');
        if (head < 0) return;
        const m = /Content-Length: *(\d+)/i.exec(buf.subarray(0, head).toString('ascii'));
        if (!m) return done(new Error('bad LSP header from the server'));
        const len = Number(m[1]);
        if (buf.length < head + 4 + len) return;
        const msg = JSON.parse(buf.subarray(head + 4, head + 4 + len).toString('utf8'));
        buf = buf.subarray(head + 4 + len);
        if (msg.id === 1) return done(undefined, msg.result?.capabilities ?? {});
      }
    });
    child.stdin.write(frame(init));
  });
}

export function codeActionKinds(caps: ServerCapabilities): string[] {
  const p = caps.codeActionProvider;
  return typeof p === 'object' && p ? (p.codeActionKinds ?? []) : [];
}

/** Range of the first match of `re` in the document (the match, or its first group). */
export function rangeOf(doc: vscode.TextDocument, re: RegExp): vscode.Range {
  const m = re.exec(doc.getText());
  if (!m) throw new Error(`${re} not found in ${path.posix.basename(doc.uri.path)}`);
  const start = m.index + (m[1] !== undefined ? m[0].indexOf(m[1]) : 0);
  const len = m[1] !== undefined ? m[1].length : m[0].length;
  return new vscode.Range(doc.positionAt(start), doc.positionAt(start + len));
}
