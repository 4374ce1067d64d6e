// Applies text edits to a document text: the same semantics as LSP
// TextDocumentEdit (all ranges refer to the original text).
import { comparePositions, LineIndex, type Range } from './text';

export interface TextEdit {
  range: Range;
  newText: string;
}

export class OverlappingEditsError extends Error {}

/** Applies non-overlapping edits; throws OverlappingEditsError otherwise. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  const sorted = [...edits].sort((a, b) => comparePositions(a.range.start, b.range.start) || comparePositions(a.range.end, b.range.end));
  let out = '';
  let cursor = 0;
  for (const e of sorted) {
    const start = lines.offsetAt(e.range.start);
    const end = lines.offsetAt(e.range.end);
    if (start < cursor) throw new OverlappingEditsError(`overlapping edits at line ${e.range.start.line + 1}`);
    out += text.slice(cursor, start) + e.newText;
    cursor = Math.max(end, start);
  }
  return out + text.slice(cursor);
}

/** True when two edit lists touch overlapping ranges (insertions at one point count as overlapping). */
export function editsOverlap(a: readonly TextEdit[], b: readonly TextEdit[]): boolean {
  for (const x of a) {
    for (const y of b) {
      if (comparePositions(x.range.start, y.range.end) <= 0 && comparePositions(y.range.start, x.range.end) <= 0) return true;
    }
  }
  return false;
}

/**
 * True when two edits of one file change the same text, or (unless
 * `insertsInOrder`) both insert at one place. LSP applies inserts at one place
 * in array order; a list made of independently computed edits must not rely on
 * that, one built as a sequence (a refactor) may.
 */
export function hasOverlappingEdits(edits: readonly { uri: string; range: Range }[], insertsInOrder = false): boolean {
  const before = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character < b.character);
  const sorted = [...edits].sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : before(a.range.start, b.range.start) ? -1 : before(b.range.start, a.range.start) ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    const [a, b] = [sorted[i - 1], sorted[i]];
    if (a.uri !== b.uri) continue;
    const bothInsertAtOnePlace = !insertsInOrder && !before(a.range.start, a.range.end) && !before(b.range.start, b.range.end) && !before(a.range.start, b.range.start);
    if (before(b.range.start, a.range.end) || bothInsertAtOnePlace) return true;
  }
  return false;
}
