// Minimal text edits on YAML documents. Fixes never re-serialise a document:
// they replace a scalar, insert a key after the last one of a map at the map's
// own indentation, or delete a key's lines, so comments, quoting, key order and
// indentation of everything else stay byte-for-byte.
import { isMap, isNode, isPair, isScalar, isSeq, Scalar, stringify, visit, type CreateNodeOptions, type Node, type Pair, type ToStringOptions, type YAMLMap } from 'yaml';
import type { Path } from './model';
import type { Chunk, Resource } from './parse';
import type { Edit } from './rule';
import { detectEol } from './text';

/** Indentation unit of a document (the smallest indentation it uses), default 2. */
export function indentUnit(chunk: Chunk): number {
  let unit = 0;
  for (let i = 0; i < chunk.lines.lineCount; i++) {
    const m = /^( +)\S/.exec(chunk.lines.lineText(i));
    if (m && !/^\s*#/.test(chunk.lines.lineText(i)) && (unit === 0 || m[1].length < unit)) unit = m[1].length;
  }
  return unit || 2;
}

/** An edit replacing chunk offsets [start, end). */
export function editAt(chunk: Chunk, start: number, end: number, newText: string): Edit {
  return { loc: { chunk, range: chunk.rangeOf(start, end) }, newText };
}

export function columnOf(chunk: Chunk, offset: number): number {
  return chunk.lines.positionAt(offset).character;
}

/**
 * End offset of a node's content, without trailing whitespace. A CR not
 * followed by LF stays: to `yaml` that is part of a plain scalar's value
 * (`Local\r`), and a replacement must take it too.
 */
export function contentEnd(chunk: Chunk, node: Node): number {
  const [start, end] = node.range!;
  const text = chunk.text;
  let e = Math.max(end, start);
  while (e > start && /\s/.test(text[e - 1]) && !(text[e - 1] === '\r' && text[e] !== '\n')) e--;
  return e;
}

/** Offset of the end of the line holding `offset` (before its line break). */
function lineEndAt(chunk: Chunk, offset: number): number {
  return chunk.lines.lineEnd(chunk.lines.positionAt(offset).line);
}

export function lineOf(chunk: Chunk, offset: number): number {
  return chunk.lines.positionAt(offset).line;
}

/** True when only whitespace precedes `offset` on its line (a key that starts a block line). */
export function startsLine(chunk: Chunk, offset: number): boolean {
  return /^\s*$/.test(chunk.text.slice(chunk.lines.lineStarts[lineOf(chunk, offset)], offset));
}

function lineStartAt(chunk: Chunk, offset: number): number {
  return chunk.lines.lineStarts[chunk.lines.positionAt(offset).line];
}

/**
 * YAML text of a value that kubectl (YAML 1.1) and this engine (YAML 1.2) read
 * alike: strings such as yes, on, n or 0o7 are quoted, so a fix never writes
 * a label value that kubectl would read as a boolean or a number.
 */
export function toYaml(value: unknown, options: CreateNodeOptions & ToStringOptions = {}): string {
  if (typeof value === 'string') {
    const v12 = stringify(value, options);
    return /^["']/.test(v12) ? v12 : stringify(value, { ...options, version: '1.1' });
  }
  return stringify(value, { ...options, version: '1.1' });
}

/** Renders a scalar for inline use, keeping the quote style of `like` when it had one. */
export function renderScalar(value: unknown, like?: Node): string {
  if (typeof value === 'string' && isScalar(like)) {
    if (like.type === Scalar.QUOTE_DOUBLE) return JSON.stringify(value);
    if (like.type === Scalar.QUOTE_SINGLE) return `'${value.replace(/'/g, "''")}'`;
  }
  return toYaml(value, { lineWidth: 0 }).trimEnd();
}

/** Renders `key: value` lines at an indentation (block style for maps and lists). */
export function renderPair(key: string, value: unknown, indent: number, unit: number, eol: string): string {
  const pad = ' '.repeat(indent);
  if (value !== null && typeof value === 'object' && Object.keys(value).length > 0) {
    const body = toYaml(value, { indent: unit, lineWidth: 0 })
      .trimEnd()
      .split('\n')
      .map((l) => ' '.repeat(indent + unit) + l)
      .join(eol);
    return `${pad}${renderKey(key)}:${eol}${body}`;
  }
  return `${pad}${renderKey(key)}: ${renderScalar(value)}`;
}

function renderKey(key: string): string {
  return toYaml(key).trimEnd();
}

export function findPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => isScalar(p.key) && p.key.value === key) as Pair | undefined;
}

/** Replaces a scalar node's text (quote style kept). */
export function replaceScalar(chunk: Chunk, node: Node, value: unknown): Edit {
  const [start] = node.range!;
  return editAt(chunk, start, contentEnd(chunk, node), renderScalar(value, node));
}

/**
 * Sets `key` in a map: replaces the value when the key exists, else inserts
 * the pair after the map's last entry at the map's indentation.
 */
export function setKey(chunk: Chunk, map: YAMLMap, key: string, value: unknown): Edit {
  const eol = detectEol(chunk.text);
  const unit = indentUnit(chunk);
  const existing = findPair(map, key);
  if (existing) return setPairValue(chunk, existing, value);
  if (map.flow && map.items.length) {
    // after the last pair, touching nothing else (comments and line breaks in the map stay); in a map
    // written as JSON, as JSON
    const last = map.items[map.items.length - 1];
    const at = pairEnd(chunk, last);
    if (at === undefined) return editAt(chunk, map.range![0], contentEnd(chunk, map), toYaml({ ...(map.toJSON() as object), [key]: value }, { flow: true, lineWidth: 0 }).trimEnd());
    const json = isScalar(map.items[0].key) && map.items[0].key.type === 'QUOTE_DOUBLE';
    const rendered = json ? `${JSON.stringify(key)}: ${JSON.stringify(value)}` : `${renderKey(key)}: ${toYaml(value, { flow: true, lineWidth: 0 }).trimEnd()}`;
    const [start] = map.range!;
    // a single pair in a flow sequence (`[a: 1]`) is a map without braces: give it some
    if (chunk.text[start] !== '{') return editAt(chunk, start, at, `{${chunk.text.slice(start, at)}, ${rendered}}`);
    return editAt(chunk, at, at, `, ${rendered}`);
  }
  if (map.items.length === 0) {
    const flowValue = toYaml(value, { flow: true, lineWidth: 0 }).trimEnd();
    return editAt(chunk, map.range![0], contentEnd(chunk, map), `{${renderKey(key)}: ${flowValue}}`);
  }
  const first = map.items[0].key as Node;
  const indent = columnOf(chunk, first.range![0]);
  const last = map.items[map.items.length - 1];
  const lastNode = (last.value as Node | null) ?? (last.key as Node);
  const at = lineEndAt(chunk, contentEnd(chunk, lastNode?.range ? lastNode : (last.key as Node)));
  return editAt(chunk, at, at, eol + renderPair(key, value, indent, unit, eol));
}

/** Offset just after a flow map pair's text (its value, or its colon when the value is empty); undefined when unclear. */
function pairEnd(chunk: Chunk, pair: Pair): number | undefined {
  const key = pair.key as Node | null;
  const value = pair.value as Node | null;
  if (value?.range && value.range[1] > value.range[0]) return contentEnd(chunk, value);
  if (!key?.range) return undefined;
  const m = /^[ \t]*:/.exec(chunk.text.slice(contentEnd(chunk, key)));
  return contentEnd(chunk, key) + (m ? m[0].length : 0);
}

/** True when `offset` lies inside a flow collection (`{...}` or `[...]`), where block style cannot go. */
function inFlowCollection(chunk: Chunk, offset: number): boolean {
  let found = false;
  for (const doc of chunk.docs) {
    visit(doc, (_, node) => {
      if (!isMap(node) && !isSeq(node)) return undefined;
      const [start, end] = node.range ?? [0, 0];
      if (offset < start || offset >= end) return visit.SKIP;
      if (node.flow) {
        found = true;
        return visit.BREAK;
      }
      return undefined;
    });
    if (found) return true;
  }
  return false;
}

/** Replaces a pair's value; maps and lists are written in block style below the key (flow style inside a flow collection). */
export function setPairValue(chunk: Chunk, pair: Pair, value: unknown): Edit {
  const eol = detectEol(chunk.text);
  const unit = indentUnit(chunk);
  const key = pair.key as Node;
  const keyCol = columnOf(chunk, key.range![0]);
  const valueNode = pair.value as Node | null;
  const keyEnd = contentEnd(chunk, key);
  const colon = chunk.text.indexOf(':', keyEnd);
  const valueEnd = valueNode?.range ? Math.max(contentEnd(chunk, valueNode), colon + 1) : colon + 1;
  // the text from the colon on is replaced: keep the value's anchor, aliases elsewhere refer to it
  const anchor = valueNode?.anchor ? ` &${valueNode.anchor}` : '';
  if (value !== null && typeof value === 'object' && Object.keys(value).length > 0 && inFlowCollection(chunk, key.range![0])) {
    return editAt(chunk, colon + 1, valueEnd, anchor + ' ' + toYaml(value, { flow: true, lineWidth: 0 }).trimEnd());
  }
  if (value !== null && typeof value === 'object' && Object.keys(value).length > 0) {
    const body = toYaml(value, { indent: unit, lineWidth: 0 })
      .trimEnd()
      .split('\n')
      .map((l) => ' '.repeat(keyCol + unit) + l)
      .join(eol);
    // an empty value with a comment after the colon (`labels:  # why`): the body goes below the comment line;
    // replacing up to the comment would glue it to the body's last value
    const lineEnd = lineEndAt(chunk, colon);
    if (!anchor && (valueNode === null || (isScalar(valueNode) && valueNode.value === null)) && /^[ \t]+#/.test(chunk.text.slice(colon + 1, lineEnd))) {
      return editAt(chunk, lineEnd, lineEnd, eol + body);
    }
    return editAt(chunk, colon + 1, valueEnd, anchor + eol + body);
  }
  if (isScalar(valueNode) && valueNode.range && valueNode.range[1] > valueNode.range[0]) {
    return replaceScalar(chunk, valueNode, value);
  }
  return editAt(chunk, colon + 1, valueEnd, anchor + ' ' + renderScalar(value));
}

/** True when an anchor set inside `nodes` is used by an alias of the chunk (removing them would break it). */
function anchorsInUse(chunk: Chunk, nodes: readonly unknown[]): boolean {
  const anchors = new Set<string>();
  for (const n of nodes) {
    if (!isNode(n)) continue;
    if (n.anchor) anchors.add(n.anchor);
    visit(n, (_, x) => {
      if (isNode(x) && x.anchor) anchors.add(x.anchor);
    });
  }
  if (!anchors.size) return false;
  let used = false;
  for (const doc of chunk.docs) {
    visit(doc, {
      Alias(_, a) {
        if (!anchors.has(a.source)) return undefined;
        used = true;
        return visit.BREAK;
      },
    });
  }
  return used;
}

/** Offset of the comma that follows `from` in a flow collection, past whitespace and comments; -1 when none. */
function trailingComma(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (c === ',') return i;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++;
    else if (c === '#' && i > from && /\s/.test(text[i - 1])) {
      while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
    } else return -1;
  }
  return -1;
}

/** Deletes a key and its value (whole lines in block maps); undefined when absent, or when an alias uses an anchor in it. */
export function removeKey(chunk: Chunk, map: YAMLMap, key: string): Edit | undefined {
  const index = map.items.findIndex((p) => isScalar(p.key) && p.key.value === key);
  if (index === -1) return undefined;
  const pair = map.items[index] as Pair;
  if (anchorsInUse(chunk, [pair.key, pair.value])) return undefined;
  const keyNode = pair.key as Node;
  const valueNode = pair.value as Node | null;
  const endNode = valueNode?.range ? valueNode : keyNode;
  if (map.flow) {
    const next = map.items[index + 1];
    if (next) return editAt(chunk, keyNode.range![0], (next.key as Node).range![0], '');
    const prev = map.items[index - 1];
    if (prev) return editAt(chunk, contentEnd(chunk, (prev.value as Node | null) ?? (prev.key as Node)), contentEnd(chunk, endNode), '');
    // the only pair: a trailing comma after it would be left alone (`{ , }`), so it goes too; comments between stay
    const end = contentEnd(chunk, endNode);
    const comma = trailingComma(chunk.text, end);
    if (comma === -1) return editAt(chunk, keyNode.range![0], end, '');
    return editAt(chunk, keyNode.range![0], comma + 1, chunk.text.slice(end, comma));
  }
  const keyStart = keyNode.range![0];
  const lineStart = lineStartAt(chunk, keyStart);
  const before = chunk.text.slice(lineStart, keyStart);
  const end = lineEndAt(chunk, contentEnd(chunk, endNode));
  if (/^\s*$/.test(before)) {
    // remove whole lines, including the line break after them
    let stop = end;
    if (chunk.text[stop] === '\r') stop++;
    if (chunk.text[stop] === '\n') stop++;
    return editAt(chunk, lineStart, stop, '');
  }
  // the key follows "- " on its line: pull the next key up into its place
  const next = map.items[index + 1];
  if (next) return editAt(chunk, keyStart, (next.key as Node).range![0], '');
  return editAt(chunk, keyStart, end, '{}');
}

/** The map node at a path under a resource (undefined when absent or not a map). */
export function mapAt(r: Resource, path: Path): YAMLMap | undefined {
  const n = path.length ? r.nodeAt(path) : r.node;
  return isMap(n) ? n : undefined;
}

/** The pair holding `key` in the map at `path`. */
export function pairAt(r: Resource, path: Path, key: string): Pair | undefined {
  const m = mapAt(r, path);
  return m ? findPair(m, key) : undefined;
}

/**
 * Ensures a nested path of maps exists and sets the final key: creates the
 * missing intermediate keys as one block inserted into the deepest existing map.
 */
export function setPath(r: Resource, path: Path, value: unknown): Edit | undefined {
  let node: Node = r.node;
  let i = 0;
  for (; i < path.length - 1; i++) {
    const seg = path[i];
    let next: unknown;
    if (isMap(node)) next = node.get(seg, true);
    else if (isSeq(node) && typeof seg === 'number') next = node.items[seg];
    if (!isMap(next) && !isSeq(next)) break;
    node = next as Node;
  }
  if (!isMap(node)) return undefined;
  const rest = path.slice(i).map(String);
  let nested: unknown = value;
  for (let k = rest.length - 1; k >= 1; k--) nested = { [rest[k]]: nested };
  const existing = findPair(node, rest[0]);
  if (existing && rest.length > 1 && !(isScalar(existing.value) && existing.value.value === null)) return undefined;
  return setKey(r.chunk, node, rest[0], nested);
}

export { isPair };
