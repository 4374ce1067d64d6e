// Positions <-> engine objects for the language features: which document
// (chunk) and resource a file position falls in, the YAML path and node under
// it, and absolute (file) ranges of nodes and paths. Chunk ranges are
// chunk-relative; everything returned from here to callers is absolute.
//
// Engine change we would prefer: a `Workspace.resourceAt(uri, position)` and an
// `absoluteLoc(loc)` accessor; these helpers re-derive both from FileState.
import { isMap, isScalar, isSeq, visit, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Location, Range } from 'vscode-languageserver-types';
import type { Path } from '../engine/model';
import type { Chunk, Resource } from '../engine/parse';
import { shiftRange, type Position } from '../engine/text';
import { locate, trimmedRange, type FileState, type Workspace } from '../engine/workspace';

/**
 * True when a comment line can go right above file line `line`: the line does
 * not start inside a scalar written over several lines (quoted, plain or block),
 * where the comment would become part of the text or break the quotes.
 */
export function commentFitsAbove(file: FileState, line: number): boolean {
  const chunk = chunkAt(file, line);
  if (!chunk) return true;
  const local = line - chunk.startLine;
  if (local <= 0 || local >= chunk.lines.lineCount) return true;
  const offset = chunk.lines.lineStarts[local];
  let inside = false;
  for (const doc of chunk.docs) {
    visit(doc, {
      Scalar(_, node) {
        if (!node.range || node.range[0] >= offset || node.range[1] <= offset) return undefined;
        inside = true;
        return visit.BREAK;
      },
    });
    if (inside) return false;
  }
  return true;
}

/** The chunk holding a file line: the last chunk starting at or before it. */
export function chunkAt(file: FileState, line: number): Chunk | undefined {
  const chunks = file.chunks;
  let lo = 0;
  let hi = chunks.length - 1;
  if (hi < 0) return undefined;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (chunks[mid].startLine <= line) lo = mid;
    else hi = mid - 1;
  }
  return chunks[lo].startLine <= line ? chunks[lo] : chunks[0];
}

/** Chunk-relative offset of a file position. */
export function chunkOffset(chunk: Chunk, pos: Position): number {
  return chunk.lines.offsetAt({ line: pos.line - chunk.startLine, character: pos.character });
}

/** Absolute range of a chunk-relative range. */
export function abs(chunk: Chunk, range: Range): Range {
  return shiftRange(range, chunk.startLine);
}

/** Absolute range of a node (trailing whitespace trimmed). */
export function nodeRange(chunk: Chunk, node: Node | null | undefined): Range | undefined {
  const r = trimmedRange(chunk, node?.range);
  return r && abs(chunk, r);
}

/** Absolute range of offsets in a chunk. */
export function offsetRange(chunk: Chunk, start: number, end: number): Range {
  return abs(chunk, chunk.rangeOf(start, end));
}

/** Location of a path under a resource (the engine's `locate`, made absolute). */
export function pathLocation(r: Resource, path: Path, part: 'key' | 'value' | 'pair' = 'value'): Location {
  const loc = locate(r, path, part);
  return { uri: r.uri, range: abs(loc.chunk, loc.range) };
}

/** Location of a node of a resource. */
export function nodeLocation(r: Resource, node: Node): Location {
  return { uri: r.uri, range: nodeRange(r.chunk, node) ?? pathLocation(r, []).range };
}

/** The resource's name node (metadata.name value), else its kind value. */
export function nameNode(r: Resource): Node | undefined {
  return r.nodeAt(['metadata', 'name']) ?? (r.node.get('kind', true) as Node | undefined);
}

/** Absolute range spanned by a resource (its map node). */
export function resourceRange(r: Resource): Range {
  const range = r.node.range;
  if (!range) return pathLocation(r, []).range;
  return abs(r.chunk, trimmedRange(r.chunk, [range[0], range[2] ?? range[1]]) ?? r.chunk.rangeOf(range[0], range[1]));
}

/** The resource of a chunk whose node contains a chunk offset (List items by their range). */
export function resourceIn(chunk: Chunk, offset: number): Resource | undefined {
  const rs = chunk.resources;
  if (rs.length === 0) return undefined;
  if (rs.length === 1 && rs[0].doc.contents === rs[0].node && chunk.docs.length === 1) return rs[0];
  let best: Resource | undefined;
  for (const r of rs) {
    const range = r.node.range;
    if (r.doc.contents === r.node) {
      const dr = r.doc.range;
      if (dr && dr[0] <= offset && offset <= dr[2]) best ??= r;
      continue;
    }
    if (range && range[0] <= offset && offset <= range[2]) best = r; // a List item wins over its List
  }
  return best;
}

export interface NodeAt {
  uri: string;
  chunk: Chunk;
  /** chunk-relative offset of the position */
  offset: number;
  r: Resource;
  /** YAML path under the resource */
  path: Path;
  /** on a key (the last path segment is that key) or on a value */
  part: 'key' | 'value';
  /** the scalar under the position (key or value), or the collection holding it */
  node?: Node;
  /** the pair whose key or value holds the position, if any */
  pair?: Pair;
}

/** The resource, YAML path and node at a file position (undefined outside every resource). */
export function nodeAt(ws: Workspace, uri: string, pos: Position): NodeAt | undefined {
  const file = ws.file(uri);
  if (!file || file.chunks.length === 0) return undefined;
  const chunk = chunkAt(file, pos.line);
  if (!chunk) return undefined;
  const offset = chunkOffset(chunk, pos);
  const r = resourceIn(chunk, offset);
  if (!r) return undefined;
  return { uri, chunk, offset, r, ...walk(r.node, offset) };
}

/** start <= offset <= end: a scalar's or key's text, the cursor right after it included */
function contains(range: readonly number[] | null | undefined, offset: number): boolean {
  return !!range && range[0] <= offset && offset <= range[1];
}



function keyValue(pair: Pair): string | number | undefined {
  if (!isScalar(pair.key)) return undefined;
  const v = pair.key.value;
  return typeof v === 'string' || typeof v === 'number' ? (typeof v === 'number' ? String(v) : v) : v === null ? '' : String(v);
}

/** Walks from a map down to the innermost node containing `offset`. */
export function walk(root: YAMLMap, offset: number): { path: Path; part: 'key' | 'value'; node?: Node; pair?: Pair } {
  const path: Path = [];
  let node: unknown = root;
  let lastPair: Pair | undefined;
  for (let depth = 0; depth < 64; depth++) {
    if (isMap(node)) {
      const pairs = node.items as Pair[];
      for (const pair of pairs) {
        const k = keyValue(pair);
        if (k !== undefined && contains((pair.key as Node).range, offset)) return { path: [...path, k], part: 'key', node: pair.key as Node, pair };
      }
      // keys first (a block value's range runs up to the next key); then the last value holding the offset
      let hit: Pair | undefined;
      for (const pair of pairs) {
        const v = pair.value as Node | null;
        if (keyValue(pair) !== undefined && v && contains(v.range, offset)) hit = pair;
      }
      if (!hit) return { path, part: 'value', node: node as Node, pair: lastPair };
      path.push(keyValue(hit)!);
      lastPair = hit;
      node = hit.value;
    } else if (isSeq(node)) {
      let i = -1;
      node.items.forEach((it, j) => {
        if (contains((it as Node | null)?.range, offset)) i = j;
      });
      if (i === -1) return { path, part: 'value', node: node as Node, pair: lastPair };
      path.push(i);
      lastPair = undefined;
      node = node.items[i];
    } else if (isScalar(node)) {
      return { path, part: 'value', node, pair: lastPair };
    } else {
      return { path, part: 'value', pair: lastPair };
    }
  }
  return { path, part: 'value' };
}

/** `web.yaml` from a uri or path. */
export function baseName(uri: string): string {
  const clean = uri.replace(/[?#].*$/, '');
  const name = clean.slice(clean.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** Markdown link to a place: `[web.yaml:12](uri#L12)`. */
export function mdLink(loc: Location, text?: string): string {
  const line = loc.range.start.line + 1;
  return `[${text ?? `${baseName(loc.uri)}:${line}`}](${loc.uri}#L${line})`;
}

/** Markdown link to a path under a resource. */
export function linkTo(r: Resource, path: Path = [], text?: string): string {
  return mdLink(pathLocation(r, path.length ? path : ['metadata', 'name'], 'value'), text);
}

/** Scalar node at a path, if it is one. */
export function scalarAt(r: Resource, path: Path): Node | undefined {
  const n = r.nodeAt(path);
  return isScalar(n) ? n : undefined;
}
