// Where the cursor is while the user types, read from the lines rather than
// from the YAML tree: a half-typed document (`targetPort: |`, `    sel|`, a key
// without its colon, a broken indentation further down) often parses into a
// tree that no longer says what the user is writing. Indentation gives the
// parent keys, `- ` items give list indices, and a flow collection on the
// cursor's line (`selector: {app: |}`) is scanned bracket by bracket.
import type { Path } from '../engine/model';
import type { Chunk } from '../engine/parse';

export interface TypingContext {
  /** 'key': a key of the map at `path` is being typed; 'value': the value at `path` */
  mode: 'key' | 'value';
  /** from the document root */
  path: Path;
  /** what is typed of the word so far (without an opening quote) */
  prefix: string;
  /** chunk offsets of the word to replace: start <= the cursor <= end, on the cursor's line */
  start: number;
  end: number;
  /** the value is inside quotes of this kind */
  quote?: '"' | "'";
  /** inside a flow collection (`{...}` or `[...]`) */
  flow: boolean;
  /** key mode on a `- ` line with no colon yet: it may be a scalar list item instead */
  maybeItem: boolean;
}

interface LineInfo {
  indent: number;
  dashes: number[];
  keyCol: number;
  /** unquoted key, when the line holds `key:` */
  key?: string;
  /** column just after the key's colon */
  colon?: number;
  content: string;
  blank: boolean;
}

const KEY_RE = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{}[\],][^#]*?)[ \t]*:(?=[ \t]|$)/;

function unquote(k: string): string {
  if (k.startsWith('"')) {
    try {
      return JSON.parse(k);
    } catch {
      return k.slice(1, -1);
    }
  }
  if (k.startsWith("'")) return k.slice(1, -1).replace(/''/g, "'");
  return k.trim();
}

export function lineInfo(text: string): LineInfo {
  let i = 0;
  while (text[i] === ' ') i++;
  const indent = i;
  const dashes: number[] = [];
  while (text[i] === '-' && (i + 1 >= text.length || text[i + 1] === ' ' || text[i + 1] === '\t')) {
    dashes.push(i);
    i++;
    while (text[i] === ' ' || text[i] === '\t') i++;
  }
  const content = text.slice(i);
  const m = KEY_RE.exec(content);
  const blank = dashes.length === 0 && (content.trim() === '' || content.trimStart().startsWith('#'));
  return {
    indent,
    dashes,
    keyCol: i,
    key: m ? unquote(m[1]) : undefined,
    colon: m ? i + m[0].length : undefined,
    content,
    blank,
  };
}

/** Parent path (from the document root) of an entry at column `col` on line `line`; `itemDash` when the entry starts a list item. */
export function ancestors(chunk: Chunk, line: number, col: number, itemDash?: number): Path {
  const segs: (string | number)[] = [];
  let mode: 'map' | 'seq' = itemDash === undefined ? 'map' : 'seq';
  let c = col;
  let d = itemDash ?? 0;
  let idx = 0;
  const enterItem = (L: LineInfo) => {
    mode = 'seq';
    d = L.dashes[L.dashes.length - 1];
    idx = 0;
  };
  for (let i = line - 1; i >= 0; i--) {
    const text = chunk.lines.lineText(i);
    if (/^(---|\.\.\.)(\s|$)/.test(text)) break;
    const L = lineInfo(text);
    if (L.blank) continue;
    if (mode === 'map') {
      if (L.keyCol > c) continue;
      if (L.keyCol === c) {
        if (L.dashes.length && L.dashes[L.dashes.length - 1] < c) enterItem(L);
        continue;
      }
      if (L.key === undefined) {
        if (L.dashes.length && L.content.trim() === '') {
          enterItem(L);
          continue;
        }
        break;
      }
      segs.push(L.key);
      c = L.keyCol;
      if (L.dashes.length) enterItem(L);
    } else {
      if (L.indent > d) continue;
      if (L.indent === d && L.dashes[0] === d) {
        idx++;
        continue;
      }
      segs.push(idx);
      if (L.key === undefined) break;
      segs.push(L.key);
      c = L.keyCol;
      mode = 'map';
      if (L.dashes.length) enterItem(L);
    }
  }
  if (mode === 'seq') segs.push(idx);
  return segs.reverse();
}

/** Is a line at this indentation inside a block scalar (`key: |` above it, less indented)? */
function inBlockScalar(chunk: Chunk, line: number, indent: number): boolean {
  for (let i = line - 1; i >= 0; i--) {
    const text = chunk.lines.lineText(i);
    if (text.trim() === '') continue;
    const ind = /^ */.exec(text)![0].length;
    if (ind >= indent) continue;
    return /:[ \t]*[|>][-+0-9]*[ \t]*(#.*)?$/.test(text) || /^[ \t]*-[ \t]+[|>][-+0-9]*[ \t]*$/.test(text);
  }
  return false;
}

const VALUE_STOP = /[\s,{}[\]#"']/;
const KEY_STOP = /[\s,{}[\]#:"']/;

function wordEnd(text: string, from: number, stop: RegExp): number {
  let e = from;
  while (e < text.length && !stop.test(text[e])) e++;
  return e;
}

/** The typing context at a chunk offset, or undefined inside comments and block scalars we cannot read. */
export function typingContext(chunk: Chunk, offset: number): TypingContext | undefined {
  const pos = chunk.lines.positionAt(offset);
  const lineStart = chunk.lines.lineStarts[pos.line];
  const text = chunk.lines.lineText(pos.line);
  const cur = pos.character;
  const L = lineInfo(text);
  const abs = (col: number) => lineStart + col;
  if (/^(---|\.\.\.)(\s|$)/.test(text)) return undefined;

  // a blank line: a new key at the cursor's column
  if (L.content.trim() === '' && L.dashes.length === 0) {
    return { mode: 'key', path: ancestors(chunk, pos.line, cur), prefix: '', start: offset, end: offset, flow: false, maybeItem: false };
  }
  if (cur < L.keyCol) {
    if (L.dashes.length && cur > L.dashes[L.dashes.length - 1]) {
      // between "-" and the content
    } else return undefined;
  }
  const hashAt = text.search(/(^|\s)#/);
  if (hashAt !== -1 && hashAt < cur && !/["']/.test(text.slice(0, hashAt))) return undefined;

  if (inBlockScalar(chunk, pos.line, L.content.trim() === '' && !L.dashes.length ? cur : L.indent)) return undefined;
  const itemDash = L.dashes.length ? L.dashes[L.dashes.length - 1] : undefined;
  const entryPath = () => ancestors(chunk, pos.line, L.keyCol, itemDash);

  // `key: value` with the cursor in the value
  if (L.key !== undefined && L.colon !== undefined && cur >= L.colon) {
    let vStart = L.colon;
    while (vStart < text.length && (text[vStart] === ' ' || text[vStart] === '\t')) vStart++;
    const base = [...entryPath(), L.key];
    if (cur < vStart) return { mode: 'value', path: base, prefix: '', start: offset, end: offset, flow: false, maybeItem: false };
    if (text[vStart] === '{' || text[vStart] === '[') return scanFlow(text, vStart, cur, base, lineStart);
    if (text[vStart] === '|' || text[vStart] === '>') return undefined;
    let quote: '"' | "'" | undefined;
    let wStart = vStart;
    if (text[vStart] === '"' || text[vStart] === "'") {
      const q = text[vStart] as '"' | "'";
      if (cur === vStart) {
        // on the opening quote, outside the quotes: the whole quoted scalar is the word (its text starts after the
        // cursor, so a word starting there would end before it starts)
        const close = wordEnd(text, vStart + 1, new RegExp(`[${q}]`));
        return { mode: 'value', path: base, prefix: '', start: abs(vStart), end: abs(Math.min(close + 1, text.length)), flow: false, maybeItem: false };
      }
      quote = q;
      wStart = vStart + 1;
    }
    const stop = quote ? new RegExp(`[${quote}]`) : VALUE_STOP;
    const e = wordEnd(text, cur, stop);
    const prefix = text.slice(wStart, cur);
    if (!quote && /\s/.test(prefix)) return undefined;
    return { mode: 'value', path: base, prefix, start: abs(wStart), end: abs(e), quote, flow: false, maybeItem: false };
  }

  // a flow collection as a list item or a whole entry: `- {port: 80, |}`
  if (L.content.startsWith('{') || L.content.startsWith('[')) {
    return scanFlow(text, L.keyCol, cur, ancestors(chunk, pos.line, L.keyCol, itemDash), lineStart);
  }

  // typing a key (or a scalar list item) at the start of the content; with the cursor before the content
  // (between "-" and it) the word starts at the cursor, not at the content: a range must never end before it starts
  const wStart = Math.min(cur, L.keyCol);
  const e = wordEnd(text, cur, KEY_STOP);
  const prefix = text.slice(wStart, cur);
  if (/[\s:]/.test(prefix)) return undefined;
  return {
    mode: 'key',
    path: entryPath(),
    prefix,
    start: abs(wStart),
    end: abs(e),
    flow: false,
    maybeItem: itemDash !== undefined && L.key === undefined,
  };
}

interface Frame {
  kind: 'map' | 'seq';
  key?: string;
  afterColon: boolean;
  index: number;
  tokenStart: number;
}

/** Scans a flow collection from `open` up to the cursor column. */
function scanFlow(text: string, open: number, cur: number, base: Path, lineStart: number): TypingContext | undefined {
  const stack: Frame[] = [];
  let i = open;
  let quote: '"' | "'" | undefined;
  let quoteStart = 0;
  while (i < cur) {
    const ch = text[i];
    const top = stack[stack.length - 1];
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== ch) j += text[j] === '\\' && ch === '"' ? 2 : 1;
      if (j >= cur) {
        quote = ch;
        quoteStart = i + 1;
        break;
      }
      i = j + 1;
      continue;
    }
    if (ch === '{' || ch === '[') stack.push({ kind: ch === '{' ? 'map' : 'seq', afterColon: false, index: 0, tokenStart: i + 1 });
    else if (ch === '}' || ch === ']') {
      stack.pop();
      if (stack.length === 0) return undefined;
    } else if (ch === ',' && top) {
      if (top.kind === 'map') {
        top.afterColon = false;
        top.key = undefined;
      } else top.index++;
      top.tokenStart = i + 1;
    } else if (ch === ':' && top?.kind === 'map' && !top.afterColon && (i + 1 >= text.length || /[\s,}\]]/.test(text[i + 1]))) {
      top.key = unquote(text.slice(top.tokenStart, i).trim());
      top.afterColon = true;
      top.tokenStart = i + 1;
    }
    i++;
  }
  if (stack.length === 0) return undefined;
  const path: Path = [...base];
  for (let k = 0; k < stack.length - 1; k++) {
    const f = stack[k];
    if (f.kind === 'seq') path.push(f.index);
    else if (f.key !== undefined) path.push(f.key);
    else return undefined;
  }
  const top = stack[stack.length - 1];
  let wStart = quote ? quoteStart : top.tokenStart;
  while (!quote && wStart < cur && /\s/.test(text[wStart])) wStart++;
  const stop = quote ? new RegExp(`[${quote}]`) : top.kind === 'map' && !top.afterColon ? KEY_STOP : VALUE_STOP;
  let end = wordEnd(text, cur, stop);
  if (!quote && wStart === cur && (text[cur] === '"' || text[cur] === "'")) {
    // on the opening quote, outside the quotes: the whole quoted scalar is the word, as in block style
    const close = wordEnd(text, cur + 1, new RegExp(`[${text[cur]}]`));
    end = Math.min(close + 1, text.length);
  }
  const prefix = text.slice(wStart, cur);
  if (top.kind === 'map' && !top.afterColon) {
    return { mode: 'key', path, prefix, start: lineStart + wStart, end: lineStart + end, flow: true, maybeItem: false, quote };
  }
  if (top.kind === 'map') path.push(top.key!);
  else path.push(top.index);
  return { mode: 'value', path, prefix, start: lineStart + wStart, end: lineStart + end, flow: true, maybeItem: false, quote };
}
