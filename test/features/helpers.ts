// Shared helpers for the language-feature tests: a workspace built from
// fixture texts, positions found by searching the text, and edit application.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MarkupContent, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { applyEdits, createWorkspace, DEFAULT_CONFIG, type EngineConfig, type Workspace } from '../../server/src/index';
import type { Position } from '../../server/src/engine/text';

export type Files = Record<string, string>;

export function workspace(files: Files, config: Partial<EngineConfig> = {}): Workspace {
  const ws = createWorkspace({ ...DEFAULT_CONFIG, ...config });
  for (const [uri, text] of Object.entries(files)) ws.setFile(uri, text);
  ws.flush();
  return ws;
}

/**
 * Position of a marker in a text. `|` inside the marker sets the cursor
 * (`'targetPort: ht|tp'`); without one, the cursor is at the marker's start.
 * `nth` picks a later occurrence (0-based).
 */
export function at(text: string, marker: string, nth = 0): Position {
  const cursor = marker.indexOf('|');
  const needle = cursor === -1 ? marker : marker.slice(0, cursor) + marker.slice(cursor + 1);
  let offset = -1;
  for (let i = 0; i <= nth; i++) {
    offset = text.indexOf(needle, offset + 1);
    assert.ok(offset !== -1, `marker ${JSON.stringify(marker)} (#${i}) not found`);
  }
  offset += cursor === -1 ? 0 : cursor;
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** Text with the `|` cursor removed, and the position of the cursor. */
export function cursor(textWithBar: string): { text: string; pos: Position } {
  const i = textWithBar.indexOf('|');
  assert.ok(i !== -1, 'no | in the text');
  const text = textWithBar.slice(0, i) + textWithBar.slice(i + 1);
  const before = text.slice(0, i);
  const line = before.split('\n').length - 1;
  return { text, pos: { line, character: i - (before.lastIndexOf('\n') + 1) } };
}

export function markdown(h: { contents: unknown } | null): string {
  assert.ok(h, 'expected a hover');
  const c = h.contents as MarkupContent;
  assert.equal(c.kind, 'markdown');
  return c.value;
}

/** Applies a WorkspaceEdit's changes to the files. */
export function applyWorkspaceEdit(files: Files, edit: WorkspaceEdit): Files {
  const out = { ...files };
  for (const [uri, edits] of Object.entries(edit.changes ?? {})) {
    assert.ok(uri in out, `edit of unknown file ${uri}`);
    out[uri] = applyEdits(out[uri], edits as TextEdit[]);
  }
  return out;
}

/** Every diagnostic of every file, as `file:line rule message` strings. */
export function findings(files: Files, config: Partial<EngineConfig> = {}): string[] {
  const ws = workspace(files, config);
  return Object.keys(files).flatMap((uri) => ws.diagnostics(uri).map((d) => `${uri}:${d.range.start.line + 1} ${d.rule} ${d.message}`));
}

/** The fixture files of test/features/fixtures, keyed `file:///ws/k8s/<name>`. */
export function fixtureFiles(): Files {
  const dir = join(__dirname, 'fixtures');
  const out: Files = {};
  for (const name of readdirSync(dir).sort()) out[uriOf(name)] = readFileSync(join(dir, name), 'utf8');
  return out;
}

export function uriOf(name: string): string {
  return `file:///ws/k8s/${name}`;
}

/** Markdown without links, bold and code ticks: `**[`web`](x)**` -> `web`. */
export function plainText(md: string): string {
  return md
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`/g, '')
    .replace(/\*\*/g, '');
}
