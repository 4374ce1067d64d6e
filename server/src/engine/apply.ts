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
