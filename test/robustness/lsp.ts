// The robustness and fuzz tests' client: the bundled server (`node [--require
// preload] bin/kube-expose.js lsp --stdio`) over the shared core
// (test/helpers/lspClient.ts), with documents addressed by uri.
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import type { Diagnostic as LspDiagnostic, FileEvent, Range, TextEdit } from 'vscode-languageserver-protocol';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { ensureBuilt } from '../helpers/build';
import { KUBE_EXPOSE_LSP, LspClient, ROOT, uriOf, WORKSPACE_CAPABILITIES } from '../helpers/lspClient';

export { ensureBuilt, ROOT, uriOf };

export interface StartOptions {
  folders: string[];
  settings?: Record<string, unknown>;
  /** extra node arguments before the script (e.g. --require a preload) */
  nodeArgs?: string[];
  env?: NodeJS.ProcessEnv;
}

export class Client extends LspClient {
  static async start(opts: StartOptions): Promise<Client> {
    ensureBuilt();
    const client = new Client({ command: [process.execPath, ...(opts.nodeArgs ?? []), ...KUBE_EXPOSE_LSP], cwd: ROOT, env: opts.env });
    client.settings = opts.settings ?? {};
    await client.initialize(
      opts.folders,
      {
        workspace: WORKSPACE_CAPABILITIES,
        window: { workDoneProgress: true },
        textDocument: {
          publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true, tagSupport: { valueSet: [1, 2] } },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['', 'quickfix', 'refactor', 'source', 'source.fixAll'] } }, isPreferredSupport: true },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          completion: { completionItem: { snippetSupport: true } },
        },
      },
      { timeoutMs: 20_000 },
    );
    return client;
  }

  published(uri: string): LspDiagnostic[] | undefined {
    return this.diagnostics.get(URI.parse(uri).toString())?.diagnostics;
  }

  open(uri: string, text: string, languageId = 'yaml'): TextDocument {
    return this.didOpen(uri, text, languageId);
  }

  /** Sends incremental changes (applied in order, like an editor). */
  edit(uri: string, changes: { range: Range; text: string }[]): void {
    this.didChange(uri, changes);
  }

  replace(uri: string, text: string): void {
    this.didChange(uri, [{ text }]);
  }

  close(uri: string): void {
    this.didClose(uri);
  }

  fileEvents(changes: FileEvent[]): void {
    this.didChangeWatchedFiles(changes);
  }
}

export type { LspDiagnostic, TextEdit, Range };
export { CancellationTokenSource };
