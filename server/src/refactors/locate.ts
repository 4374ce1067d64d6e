// Which resources a range (a cursor or a selection, in file coordinates) touches.
import type { Chunk, Resource } from '../engine/parse';
import type { Position, Range } from '../engine/text';
import type { FileState } from '../engine/workspace';

/** Offset of a file position inside a chunk, clamped to the chunk. */
function chunkOffset(chunk: Chunk, p: Position): number {
  const line = p.line - chunk.startLine;
  if (line < 0) return 0;
  if (line >= chunk.lines.lineCount) return chunk.text.length;
  return chunk.lines.offsetAt({ line, character: p.character });
}

/** The last file line a chunk covers (its text usually ends with a line break that opens the next chunk's line). */
function lastLine(chunk: Chunk): number {
  const n = chunk.lines.lineCount - 1;
  const endsWithBreak = /[\r\n]$/.test(chunk.text);
  return chunk.startLine + Math.max(0, endsWithBreak ? n - 1 : n);
}

/** The span of a resource in its chunk: the whole chunk for a lone document, the item for a List item. */
function span(r: Resource): [number, number] {
  const chunk = r.chunk;
  const isRoot = r.doc.contents === r.node;
  if (isRoot && chunk.docs.length === 1) return [0, chunk.text.length];
  const range = isRoot ? r.doc.range : r.node.range;
  return range ? [range[0], range[1]] : [0, chunk.text.length];
}

/**
 * Resources whose span intersects the range, in file order. A selection of
 * whole lines ends at column 0 of the next line: that line is not part of it.
 */
export function resourcesInRange(file: FileState, range: Range): Resource[] {
  if (range.end.character === 0 && range.end.line > range.start.line) {
    range = { start: range.start, end: { line: range.end.line - 1, character: Number.MAX_SAFE_INTEGER } };
  }
  const out: Resource[] = [];
  for (const chunk of file.chunks) {
    if (lastLine(chunk) < range.start.line || chunk.startLine > range.end.line) continue;
    const s = chunkOffset(chunk, range.start);
    const e = chunkOffset(chunk, range.end);
    for (const r of chunk.resources) {
      const [a, b] = span(r);
      if (s <= b && e >= a) out.push(r);
    }
  }
  return out;
}
