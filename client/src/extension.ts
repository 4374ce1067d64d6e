// The VS Code side: starts the kube-expose language server and adds the few
// things only an editor can do (commands with pickers, a status bar item).
// Everything about Kubernetes lives in the server.
import * as vscode from 'vscode';
// Types only: the library itself is loaded after activation (loadLanguageClient).
import type { LanguageClient, LanguageClientOptions, ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;
let pendingStart: NodeJS.Immediate | undefined;
let status: vscode.StatusBarItem;
let output: vscode.OutputChannel;
let crashTold = false;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('Kube Expose');
  status = vscode.window.createStatusBarItem('kubeExpose.status', vscode.StatusBarAlignment.Left, 0);
  status.name = 'Kube Expose';
  status.command = 'kubeExpose.showOutput';
  context.subscriptions.push(output, status);

  context.subscriptions.push(
    vscode.commands.registerCommand('kubeExpose.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('kubeExpose.restartServer', async () => {
      crashTold = false;
      cancelPendingStart();
      if (client) await client.restart();
      else await startClient(context);
    }),
    vscode.commands.registerCommand('kubeExpose.exposeWorkload', () => pickRefactor(/^Expose with a Service/, 'No workload or Pod under the cursor to expose.')),
    vscode.commands.registerCommand('kubeExpose.convertServiceType', () => pickRefactor(/^Convert (to|Service)/, 'No Service under the cursor to convert.')),
    vscode.commands.registerCommand('kubeExpose.insertSnippet', insertSnippet),
  );

  // Activation ends here, with the commands and the status bar item registered. Loading
  // vscode-languageclient (most of the client's load time) and starting the server
  // wait for the next turn of the event loop, and activate() does not await them.
  pendingStart = setImmediate(() => {
    pendingStart = undefined;
    startClient(context).catch((e) => showFailure(`Kube Expose could not start: ${(e as Error).message}`));
  });
  context.subscriptions.push({ dispose: cancelPendingStart });
}

function cancelPendingStart(): void {
  if (pendingStart) clearImmediate(pendingStart);
  pendingStart = undefined;
}

/** vscode-languageclient, from its own bundle beside this one (dist/languageclient.js). */
function loadLanguageClient(): typeof import('./languageclient') {
  // scripts/bundles.mjs keeps this require external, so the bundle is evaluated only now.
  return require('./languageclient.js');
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const { LanguageClient, RevealOutputChannelOn, State, TransportKind } = loadLanguageClient();
  const serverModule = context.asAbsolutePath('dist/server.js');
  // the server's V8 code cache (server/src/node/codeCache.ts) in the extension's own storage, removed with it
  const env = { ...process.env, KUBE_EXPOSE_CODE_CACHE: vscode.Uri.joinPath(context.globalStorageUri, 'code-cache').fsPath };
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { env } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { env, execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
      { scheme: 'vscode-remote', language: 'yaml' },
    ],
    synchronize: {
      configurationSection: 'kubeExpose',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/{*.yaml,*.yml,.kube-expose.yaml,.kube-expose.yml}'),
    },
    // refactors with placeholders (an Ingress host) come back as a command that inserts a snippet
    initializationOptions: { insertSnippetCommand: true },
    outputChannel: output,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    middleware: {
      // Lens commands arrive with plain JSON arguments; showReferences needs real objects.
      provideCodeLenses: async (document, token, next) => (await next(document, token))?.map(toShowReferences),
    },
    initializationFailedHandler: (error) => {
      showFailure(`Kube Expose could not start its language server: ${error.message}`);
      return false;
    },
  };
  client = new LanguageClient('kubeExpose', 'Kube Expose', serverOptions, clientOptions);
  client.onDidChangeState((e) => {
    if (e.newState === State.Starting) setStatus('$(sync~spin) Kube Expose', 'Starting the language server');
    else if (e.newState === State.Running) setStatus('$(check) Kube Expose', 'Kube Expose is checking your manifests');
    else if (e.newState === State.Stopped) {
      setStatus('$(error) Kube Expose', 'The language server stopped. Click for the output.', true);
      // vscode-languageclient restarts a crashed server a few times by itself; tell the user once.
      if (!crashTold) {
        crashTold = true;
        void vscode.window.showWarningMessage('The Kube Expose language server stopped.', 'Show Output', 'Restart').then((choice) => {
          if (choice === 'Show Output') output.show(true);
          if (choice === 'Restart') void vscode.commands.executeCommand('kubeExpose.restartServer');
        });
      }
    }
  });
  await client.start();
  // Indexing progress arrives as $/progress (the window shows it); the status bar says when it is done.
  client.onNotification('kubeExpose/indexing', (p: { done: number; total: number }) => {
    if (p.done < p.total) setStatus(`$(sync~spin) Kube Expose ${Math.round((100 * p.done) / Math.max(1, p.total))}%`, `Indexing manifests: ${p.done}/${p.total} files`);
    else setStatus('$(check) Kube Expose', `Indexed ${p.total} files`);
  });
  context.subscriptions.push(client);
}

type Plain = { line: number; character: number };
type PlainLocation = { uri: string; range: { start: Plain; end: Plain } };

function toShowReferences(lens: vscode.CodeLens): vscode.CodeLens {
  const cmd = lens.command;
  if (cmd?.command !== 'editor.action.showReferences' || !cmd.arguments || cmd.arguments.length < 3) return lens;
  const [uri, pos, locations] = cmd.arguments as [string, Plain, PlainLocation[]];
  const position = (p: Plain) => new vscode.Position(p.line, p.character);
  lens.command = {
    ...cmd,
    arguments: [
      vscode.Uri.parse(uri),
      position(pos),
      locations.map((l) => new vscode.Location(vscode.Uri.parse(l.uri), new vscode.Range(position(l.range.start), position(l.range.end)))),
    ],
  };
  return lens;
}

function setStatus(text: string, tooltip: string, error = false): void {
  status.text = text;
  status.tooltip = tooltip;
  status.backgroundColor = error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  status.show();
}

function showFailure(message: string): void {
  setStatus('$(error) Kube Expose', message, true);
  void vscode.window.showErrorMessage(message, 'Show Output').then((c) => c && output.show(true));
}

/** Offers the server's refactors at the cursor in a QuickPick, then applies the chosen one. */
async function pickRefactor(title: RegExp, none: string): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('Open a Kubernetes manifest first.');
    return;
  }
  const actions =
    (await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      editor.document.uri,
      editor.selection,
      vscode.CodeActionKind.Refactor.value,
    )) ?? [];
  const matching = actions.filter((a) => title.test(a.title));
  if (!matching.length) {
    void vscode.window.showInformationMessage(none);
    return;
  }
  const picked = await vscode.window.showQuickPick(
    matching.map((a) => ({ label: a.title, action: a })),
    { placeHolder: 'Kube Expose: choose how to expose it' },
  );
  if (!picked) return;
  if (picked.action.edit) await vscode.workspace.applyEdit(picked.action.edit);
  if (picked.action.command) await vscode.commands.executeCommand(picked.action.command.command, ...(picked.action.command.arguments ?? []));
}

/** Server-requested snippet insertion (tab stops for placeholders such as an Ingress host). */
async function insertSnippet(uri: string, range: { start: { line: number; character: number }; end: { line: number; character: number } }, text: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  const editor = await vscode.window.showTextDocument(doc);
  const r = new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
  await editor.insertSnippet(new vscode.SnippetString(text), r);
}

export async function deactivate(): Promise<void> {
  cancelPendingStart();
  await client?.stop();
}
