// Quick fixes and "fix all" from the engine's fixes.
import {
  CodeActionKind,
  TextDocumentEdit,
  TextEdit,
  type CodeAction,
  type CodeActionParams,
  type Diagnostic as LspDiagnostic,
  type WorkspaceEdit,
} from 'vscode-languageserver';
import { combineFixes } from '../engine/combine';
import { detectEol, LineIndex } from '../engine/text';
import type { Diagnostic } from '../engine/workspace';
import { rangesTouch, sameRange, SOURCE } from './convert';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.kube-expose`;
export const CODE_ACTION_KINDS = [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite, CodeActionKind.RefactorExtract, FIX_ALL_KIND];
/** The VS Code extension's command that inserts a snippet (tab stops) at a range. */
export const INSERT_SNIPPET_COMMAND = 'kubeExpose.insertSnippet';

type EngineEdit = Diagnostic['fixes'][number]['edits'][number];

export interface EditTarget {
  /** URI to send for an engine key (the open document's own URI when open) */
  uriOf(key: string): string;
  /** version of the open document, or null when the file is closed */
  versionOf(key: string): number | null;
  documentChanges: boolean;
}

/**
 * Does an action of `kind` satisfy the client's `only` filter? (`source` covers
 * `source.fixAll.x`.) Without a filter: quick fixes and refactors, not source actions.
 */
export function kindRequested(only: readonly string[] | undefined, kind: string): boolean {
  if (!only || only.length === 0) return !kind.startsWith(CodeActionKind.Source);
  return only.some((k) => k === '' || kind === k || kind.startsWith(`${k}.`));
}

export interface RefactorLike {
  title: string;
  kind: string;
  isPreferred?: boolean;
  edits: readonly EngineEdit[];
  snippet?: { uri: string; range: EngineEdit['range']; newText: string };
  disabled?: string;
}

/** Refactors as code actions (a disabled one shows greyed out, with its reason); with `snippets`, one that has a snippet is inserted by the editor's snippet command. */
export function refactorActions(refactors: readonly RefactorLike[], only: readonly string[] | undefined, target: EditTarget, snippets: boolean): CodeAction[] {
  const out: CodeAction[] = [];
  for (const r of refactors) {
    if (!kindRequested(only, r.kind)) continue;
    if (r.disabled !== undefined) {
      out.push({ title: r.title, kind: r.kind, disabled: { reason: r.disabled } });
      continue;
    }
    if (!r.edits.length) continue;
    const action: CodeAction = { title: r.title, kind: r.kind };
    if (r.isPreferred) action.isPreferred = true;
    if (snippets && r.snippet && r.edits.length === 1 && r.edits[0].uri === r.snippet.uri) {
      action.command = { title: r.title, command: INSERT_SNIPPET_COMMAND, arguments: [target.uriOf(r.snippet.uri), r.snippet.range, r.snippet.newText] };
    } else action.edit = toWorkspaceEdit(r.edits, target);
    out.push(action);
  }
  return out;
}

export function toWorkspaceEdit(edits: readonly EngineEdit[], target: EditTarget): WorkspaceEdit {
  const byKey = new Map<string, TextEdit[]>();
  for (const e of edits) {
    let list = byKey.get(e.uri);
    if (!list) byKey.set(e.uri, (list = []));
    list.push(TextEdit.replace(e.range, e.newText));
  }
  if (target.documentChanges) {
    return {
      documentChanges: [...byKey].map(([key, list]) => TextDocumentEdit.create({ uri: target.uriOf(key), version: target.versionOf(key) }, list)),
    };
  }
  const changes: Record<string, TextEdit[]> = {};
  for (const [key, list] of byKey) changes[target.uriOf(key)] = list;
  return { changes };
}

function matches(lsp: LspDiagnostic, d: Diagnostic): boolean {
  return lsp.source === SOURCE && lsp.code === d.rule && lsp.message === d.message && sameRange(lsp.range, d.range);
}

/** Rules whose findings cannot be silenced with a comment. */
const NOT_SUPPRESSIBLE = new Set(['file-skipped', 'config']);
/**
 * Rules not silenced line by line: a comment line inserted into YAML that does
 * not parse may land inside the broken construct (or after the last line, for
 * an error at the end) and silence nothing. The file-wide comment works.
 */
const NO_LINE_DISABLE = new Set(['yaml-syntax']);

export function quickFixes(
  key: string,
  text: string | undefined,
  diagnostics: readonly Diagnostic[],
  params: CodeActionParams,
  toLsp: (d: Diagnostic) => LspDiagnostic,
  target: EditTarget,
  /** a disable comment can go above this line (it does not start inside a scalar over several lines) */
  commentFits: (line: number) => boolean = () => true,
): CodeAction[] {
  const fixes: CodeAction[] = [];
  const disables: CodeAction[] = [];
  const seenDisable = new Set<string>();
  for (const d of diagnostics) {
    const fromClient = params.context.diagnostics.find((c) => matches(c, d));
    if (!fromClient && !rangesTouch(d.range, params.range)) continue;
    const lsp = fromClient ?? toLsp(d);
    for (const fix of d.fixes) {
      if (!fix.edits.length) continue;
      fixes.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        isPreferred: fix.isPreferred,
        diagnostics: [lsp],
        edit: toWorkspaceEdit(fix.edits, target),
      });
    }
    if (text !== undefined && !NOT_SUPPRESSIBLE.has(d.rule)) {
      const line = d.range.start.line;
      if (!NO_LINE_DISABLE.has(d.rule) && !seenDisable.has(`${d.rule}@${line}`) && commentFits(line)) {
        seenDisable.add(`${d.rule}@${line}`);
        disables.push(disableForLine(key, text, line, d.rule, lsp, target));
      }
      if (!seenDisable.has(`${d.rule}@file`)) {
        seenDisable.add(`${d.rule}@file`);
        disables.push(disableForFile(key, text, d.rule, lsp, target));
      }
    }
  }
  return [...fixes, ...disables];
}

function disableForLine(key: string, text: string, line: number, rule: string, lsp: LspDiagnostic, target: EditTarget): CodeAction {
  const lines = new LineIndex(text);
  const indent = /^[ \t]*/.exec(lines.lineText(line))![0];
  const eol = detectEol(text);
  return {
    title: `Disable ${rule} for this line`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [lsp],
    edit: toWorkspaceEdit(
      [{ uri: key, range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${indent}# kube-expose-disable-next-line ${rule}${eol}` }],
      target,
    ),
  };
}

function disableForFile(key: string, text: string, rule: string, lsp: LspDiagnostic, target: EditTarget): CodeAction {
  const eol = detectEol(text);
  return {
    title: `Disable ${rule} for this file`,
    kind: CodeActionKind.QuickFix,
    diagnostics: [lsp],
    edit: toWorkspaceEdit([{ uri: key, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: `# kube-expose-disable ${rule}${eol}` }], target),
  };
}

/**
 * The preferred fix of every finding in the file that can go in one edit
 * (see combineFixes), skipping fixes that edit other files. One pass: what a
 * fix uncovers is fixed by the next request (e.g. the next save).
 */
export function fixAll(key: string, text: string | undefined, diagnostics: readonly Diagnostic[], target: EditTarget): CodeAction | undefined {
  const preferred = diagnostics.flatMap((d) => d.fixes.find((f) => f.isPreferred) ?? []);
  const chosen = combineFixes(preferred, (uri) => (uri === key ? text : undefined));
  if (!chosen.length) return undefined;
  return {
    title: chosen.length === 1 ? 'Fix the kube-expose problem' : `Fix all ${chosen.length} kube-expose problems`,
    kind: FIX_ALL_KIND,
    edit: toWorkspaceEdit(
      chosen.flatMap((f) => f.edits),
      target,
    ),
  };
}
