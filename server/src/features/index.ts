// Language features of kube-expose, pure and transport-free (modelled on
// vscode-json-languageservice: one module per feature, plain LSP-shaped data
// out). Every function reads a flushed `Workspace` (server/src/engine) and
// takes the file key the Workspace uses (the normalized URI) plus an LSP
// position (0-based line, UTF-16 character); ranges returned are file
// coordinates of that same key. Nothing here does I/O. The only state kept
// between calls is a cache: per Workspace (WeakMap), the resources grouped by
// category and namespace / conflict scope, brought up to date at the start of
// each call by diffing changed files chunk by chunk (lookup.ts). Call after
// `ws.setFile(...)`; `flush()` is not needed (features read parses, not findings).
//
//   hover(ws, uri, position): Hover | null
//       What the key or enum value under the cursor does (default, trade-off,
//       docs link), plus what the workspace resolves it to: selected workloads,
//       where a targetPort lands, node port state, who uses a Service port, the
//       full Ingress path host/path → Service:port → targetPort → container.
//   complete(ws, uri, position): CompletionList | null
//       Works mid-word, on empty values, in flow style, in any document of a
//       multi-document file and in documents with YAML errors. Items carry a
//       textEdit replacing the word being typed: a range on the cursor's line
//       that holds the cursor (empty at the cursor when it is in no word).
//   definition(ws, uri, position): Location[] | null
//   references(ws, uri, position, includeDeclaration = true): Location[] | null
//   codeLenses(ws, uri): CodeLens[]
//       Commands are `editor.action.showReferences` with plain-data arguments
//       [uri, position, locations] (the client converts them); informational
//       lenses have command ''.
//   documentSymbols(ws, uri): DocumentSymbol[]
//   workspaceSymbols(ws, query, limit = 500): SymbolInformation[]
//   prepareRename(ws, uri, position): { range, placeholder } | null  (null: not renameable here)
//   rename(ws, uri, position, newName): WorkspaceEdit | null
//       Throws RenameError (message for the user) when newName is invalid or taken.
export { hover } from './hover';
export { commentFitsAbove } from './locate';
export { complete } from './completion';
export { definition, references } from './navigation';
export { codeLenses, SHOW_REFERENCES } from './lenses';
export { documentSymbols, workspaceSymbols } from './symbols';
export { prepareRename, rename, RenameError } from './rename';
