// Text helpers of the refactors: chunk-relative edits the engine's edit helpers
// do not offer (removing several keys of one map at once, inserting a key as a
// map's first entry), rendering new documents in a file's own style, and
// placing them after a document or at the end of a file.
import { isScalar, stringify, type Node, type Pair, type YAMLMap } from 'yaml';
import { columnOf, contentEnd, editAt, findPair, indentUnit, lineOf, mapAt, renderScalar, setKey, startsLine } from '../engine/edits';

export { findPair };
import type { Path } from '../engine/model';
import type { Chunk, Resource } from '../engine/parse';
import type { Edit } from '../engine/rule';
import { detectEol, LineIndex, shiftRange, type Range } from '../engine/text';
import type { FileState } from '../engine/workspace';

/** An edit in file coordinates (what an editor applies). */
export interface AbsoluteEdit {
  uri: string;
  range: Range;
  newText: string;
}

/** A chunk-relative edit moved to file coordinates. */
export function absolute(e: Edit): AbsoluteEdit {
  return { uri: e.loc.chunk.uri, range: shiftRange(e.loc.range, e.loc.chunk.startLine), newText: e.newText };
}






function keyOf(p: Pair): string | undefined {
  return isScalar(p.key) ? String(p.key.value) : undefined;
}


function pairEndNode(p: Pair): Node {
  const v = p.value as Node | null;
  return v?.range ? v : (p.key as Node);
}

/**
 * Deletes some keys of a map. Block maps lose whole lines (a run of adjacent
 * removed keys is one edit, so the edits never overlap); a key that follows
 * `- ` pulls the next kept key up into its place; flow maps are rewritten from
 * the source text of the kept pairs.
 */
export function removeKeys(chunk: Chunk, map: YAMLMap, keys: readonly string[]): Edit[] {
  const items = map.items as Pair[];
  const drop = items.map((p) => {
    const k = keyOf(p);
    return k !== undefined && keys.includes(k);
  });
  if (!drop.some(Boolean)) return [];
  if (!items.every((p) => (p.key as Node | null)?.range)) return [];
  if (map.flow) {
    const kept = items.filter((_, i) => !drop[i]).map((p) => chunk.text.slice((p.key as Node).range![0], contentEnd(chunk, pairEndNode(p))));
    const spaced = chunk.text[map.range![0] + 1] === ' ';
    const body = spaced ? ` ${kept.join(', ')} ` : kept.join(', ');
    return [editAt(chunk, map.range![0], contentEnd(chunk, map), kept.length ? `{${body}}` : '{}')];
  }
  const edits: Edit[] = [];
  for (let i = 0; i < items.length; i++) {
    if (!drop[i]) continue;
    let j = i;
    while (j + 1 < items.length && drop[j + 1]) j++;
    const keyStart = (items[i].key as Node).range![0];
    const lineStart = chunk.lines.lineStarts[lineOf(chunk, keyStart)];
    const end = chunk.lines.lineEnd(lineOf(chunk, contentEnd(chunk, pairEndNode(items[j]))));
    if (startsLine(chunk, keyStart)) {
      let stop = end;
      if (chunk.text[stop] === '\r') stop++;
      if (chunk.text[stop] === '\n') stop++;
      edits.push(editAt(chunk, lineStart, stop, ''));
    } else if (j + 1 < items.length) {
      edits.push(editAt(chunk, keyStart, (items[j + 1].key as Node).range![0], ''));
    } else {
      edits.push(editAt(chunk, keyStart, end, '{}'));
    }
    i = j;
  }
  return edits;
}

/**
 * Inserts `key: value` as the first entry of the block map at `mapPath`, on the
 * line right below its parent key; appends (setKey) when the layout is unusual.
 */
export function insertFirstKey(r: Resource, mapPath: Path, key: string, value: string): Edit | undefined {
  const chunk = r.chunk;
  const map = mapAt(r, mapPath);
  if (!map) return undefined;
  if (map.flow || map.items.length === 0 || mapPath.length === 0) return setKey(chunk, map, key, value);
  const parent = mapAt(r, mapPath.slice(0, -1));
  const parentPair = parent && findPair(parent, String(mapPath[mapPath.length - 1]));
  const first = map.items[0].key as Node | null;
  const parentKey = parentPair?.key as Node | undefined;
  if (!parentKey?.range || !first?.range || !startsLine(chunk, first.range[0])) return setKey(chunk, map, key, value);
  const keyLine = lineOf(chunk, parentKey.range[0]);
  if (keyLine >= lineOf(chunk, first.range[0])) return setKey(chunk, map, key, value);
  const at = chunk.lines.lineEnd(keyLine);
  const pad = ' '.repeat(columnOf(chunk, first.range[0]));
  return editAt(chunk, at, at, `${detectEol(chunk.text)}${pad}${stringify(key).trimEnd()}: ${renderScalar(value)}`);
}

/** Inserts `key: value` on the line after a pair of a block map (setKey otherwise). */
export function insertAfterPair(chunk: Chunk, map: YAMLMap, pair: Pair, key: string, value: string): Edit {
  const keyNode = pair.key as Node | null;
  if (map.flow || !keyNode?.range || !startsLine(chunk, keyNode.range[0])) return setKey(chunk, map, key, value);
  const at = chunk.lines.lineEnd(lineOf(chunk, contentEnd(chunk, pairEndNode(pair))));
  const pad = ' '.repeat(columnOf(chunk, keyNode.range[0]));
  return editAt(chunk, at, at, `${detectEol(chunk.text)}${pad}${stringify(key).trimEnd()}: ${renderScalar(value)}`);
}

// ---------------------------------------------------------------------------
// New documents

export interface DocStyle {
  unit: number;
  /** `key:\n  - item` (true) or `key:\n- item` (false) */
  indentSeq: boolean;
  eol: string;
}

/** The indentation unit and sequence style of a document, and its file's line ending. */
export function styleOf(chunk: Chunk, fileText: string): DocStyle {
  return { unit: indentUnit(chunk), indentSeq: sequencesIndented(chunk), eol: detectEol(fileText) };
}

/** Whether block sequences sit deeper than their key (the common Kubernetes style); true when unknown. */
function sequencesIndented(chunk: Chunk): boolean {
  const n = chunk.lines.lineCount;
  for (let i = 0; i < n; i++) {
    const m = /^( *)[^\s#-][^#]*:\s*(#.*)?$/.exec(chunk.lines.lineText(i));
    if (!m) continue;
    let j = i + 1;
    while (j < n && /^\s*(#.*)?$/.test(chunk.lines.lineText(j))) j++;
    if (j >= n) break;
    const d = /^( *)- /.exec(chunk.lines.lineText(j)) ?? /^( *)-$/.exec(chunk.lines.lineText(j));
    if (d) return d[1].length > m[1].length;
  }
  return true;
}

/** Block YAML of a plain object in the given style, lines joined with the file's line ending, ending with one. */
export function renderDocument(value: Record<string, unknown>, style: DocStyle): string {
  return emitMap(value, 0, style).join(style.eol) + style.eol;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nonEmpty(v: unknown): boolean {
  return Array.isArray(v) ? v.length > 0 : isObject(v) && Object.keys(v).length > 0;
}

function emitMap(map: Record<string, unknown>, col: number, style: DocStyle): string[] {
  const pad = ' '.repeat(col);
  const out: string[] = [];
  for (const [k, v] of Object.entries(map)) {
    const key = stringify(k).trimEnd();
    if (Array.isArray(v) && v.length) out.push(`${pad}${key}:`, ...emitSeq(v, col + (style.indentSeq ? style.unit : 0), style));
    else if (isObject(v) && nonEmpty(v)) out.push(`${pad}${key}:`, ...emitMap(v, col + style.unit, style));
    else out.push(`${pad}${key}: ${renderScalar(v)}`);
  }
  return out;
}

/** Items at `col` (`- `), their content two columns deeper. */
function emitSeq(items: unknown[], col: number, style: DocStyle): string[] {
  const out: string[] = [];
  const dash = `${' '.repeat(col)}- `;
  for (const item of items) {
    if (!nonEmpty(item)) {
      out.push(`${dash}${renderScalar(item)}`);
      continue;
    }
    const lines = isObject(item) ? emitMap(item, col + 2, style) : emitSeq(item as unknown[], col + 2, style);
    out.push(dash + lines[0].slice(col + 2), ...lines.slice(1));
  }
  return out;
}

export interface Insertion {
  uri: string;
  range: Range;
  /** the text before the new document (`---` and line breaks) */
  prefix: string;
}

/** Where a new document goes right after `chunk` (before the next document of the file, or at its end). */
export function afterDocument(file: FileState, chunk: Chunk): Insertion {
  const i = file.chunks.indexOf(chunk);
  const next = i >= 0 ? file.chunks[i + 1] : undefined;
  const eol = detectEol(file.text);
  if (next) {
    const at = { line: next.startLine, character: 0 };
    return { uri: file.uri, range: { start: at, end: at }, prefix: `---${eol}` };
  }
  return atEnd(file);
}

/** Where a new document goes at the end of a file: after a line break (added when missing) and `---`. */
export function atEnd(file: FileState): Insertion {
  const eol = detectEol(file.text);
  const at = new LineIndex(file.text).positionAt(file.text.length);
  // a lone CR at the end ends the line for the editor but not for YAML: complete it to CRLF
  const lineBreak = file.text.length === 0 || file.text.endsWith('\n') ? '' : file.text.endsWith('\r') ? '\n' : eol;
  return { uri: file.uri, range: { start: at, end: at }, prefix: `${lineBreak}---${eol}` };
}

/** Escapes text for a snippet (`$`, `}` and `\` are special there). */
export function escapeSnippet(text: string): string {
  return text.replace(/[\\$}]/g, (c) => `\\${c}`);
}
