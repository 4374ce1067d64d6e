// The values of the commonest kind of YAML document, read in one pass.
//
// Most manifests are block maps and block sequences of one-line scalars: no
// anchors, tags, block scalars or multi-line values. This reader accepts that
// subset only, and gives up (undefined) at the first thing outside it, leaving
// the text to js-yaml or `yaml` (fastLoad.ts). Being strict is what keeps it
// small and makes it agree with `yaml`: anything it is unsure of, it refuses.
// It exists for speed: js-yaml on a cold process spent most of opening a large
// file (its general state machine runs interpreted for the first thousand
// documents); this loop is small enough to be optimised almost at once.
//
// Accepted: a root block map at column 0, after an optional `---` line; block
// maps with plain keys of [A-Za-z0-9._/-] that resolve to strings, or one-line
// quoted keys; block sequences (also "compact" ones at their key's indent);
// one-line plain, single- and double-quoted scalars; `[]`, `{}` and one-line
// flow sequences of scalars; comments after a space. Plain scalars resolve with
// `yaml`'s YAML 1.1 tags (scalars.ts), as on the other paths.
// KUBE_EXPOSE_VERIFY_PARSE=1 checks every result against `yaml` (fastLoad.ts).
import type { PosNode } from './positions';
import { resolvePlain, Unresolvable } from './scalars';

/** Thrown to give up; caught once, in blockLoad. */
const REFUSE = Symbol('refuse');

/**
 * Characters that send the whole text elsewhere: tabs, CRs, control characters,
 * the Unicode line separators (line breaks in YAML 1.1), BOMs, surrogates, noncharacters.
 */
const UNSUPPORTED = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]/;

// character classes, by code unit (ASCII only)
const KEY_FIRST_CHAR = '[A-Za-z0-9_./]';
const KEY_REST_CHAR = '[A-Za-z0-9_./-]';
const KEY_FIRST = 1;
const KEY_REST = 2;
const FLOW_PLAIN = 4;
const CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (new RegExp(KEY_FIRST_CHAR).test(ch)) CLASS[c] |= KEY_FIRST;
  if (new RegExp(KEY_REST_CHAR).test(ch)) CLASS[c] |= KEY_REST;
  if (/[A-Za-z0-9_./=+@-]/.test(ch)) CLASS[c] |= FLOW_PLAIN;
}
const isClass = (c: number, k: number) => c < 128 && (CLASS[c] & k) !== 0;

/**
 * A key at the cursor, plain or quoted on one line, then its colon and a space
 * or the end of the line. (A quoted key it passes may still be refused by key():
 * an escape it does not read.)
 */
const KEY_AHEAD = new RegExp(`(?:${KEY_FIRST_CHAR}${KEY_REST_CHAR}*|"(?:[^"\\\\\\n]|\\\\.)*"|'(?:[^'\\n]|'')*'):(?: |\\n|$)`, 'y');

const SPACE = 0x20;
const LF = 0x0a;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;

/**
 * The deepest nesting accepted: real manifests stay far below it, and `yaml`,
 * which reports deeper documents as too deep, must have the last word on them.
 */
const MAX_DEPTH = 100;

/** The longest key accepted (an implicit key may not exceed 1024 characters). */
const MAX_KEY = 1000;

/**
 * The value of `text`, one YAML document whose root is a block map, as `yaml`
 * (version 1.1, toJS) reads it; undefined when the text is outside the subset.
 */
export function blockLoad(text: string): Record<string, unknown> | undefined {
  return read(text, false)?.value;
}

/**
 * blockLoad, and where each value is (positions.ts conventions, the ranges of
 * `yaml`'s nodes); no index (undefined) where comment lines follow a block
 * collection: `yaml` counts them into some ranges and not others.
 */
export function blockLoadWithPositions(text: string): { value: Record<string, unknown>; root: PosNode | undefined } | undefined {
  return read(text, true);
}

function read(text: string, track: boolean): { value: Record<string, unknown>; root: PosNode | undefined } | undefined {
  if (UNSUPPORTED.test(text)) return undefined;
  const reader = new BlockReader(text, track);
  try {
    const value = reader.document();
    return { value, root: track && !reader.broken ? reader.node : undefined };
  } catch (e) {
    // (RangeError: nesting too deep for the stack; `yaml` says so precisely)
    if (e === REFUSE || e instanceof Unresolvable || e instanceof RangeError) return undefined;
    throw e;
  }
}

class BlockReader {
  /** the cursor */
  private pos = 0;
  /** the start of the cursor's line */
  private lineStart = 0;
  /** the indent of the line the cursor is on (after `nextLine`); -1 at the end */
  private indent = -1;
  /** collections open around the cursor */
  private depth = 0;
  /** tracking positions: the node of the value read last */
  node: PosNode | undefined;
  /** tracking positions: a collection whose range is not known (see blockLoadWithPositions) */
  broken = false;

  constructor(
    private readonly t: string,
    private readonly track: boolean,
  ) {}

  private refuse(): never {
    throw REFUSE;
  }

  document(): Record<string, unknown> {
    const t = this.t;
    this.nextLine();
    if (this.indent === -1) this.refuse(); // no content: `yaml` and js-yaml differ on what that is
    if (this.indent === 0 && t.startsWith('---', this.pos)) {
      this.pos += 3;
      this.endOfLine(true);
      this.nextLine();
    }
    if (this.indent !== 0) this.refuse();
    const root = this.map(0);
    if ((this.indent as number) !== -1) this.refuse(); // anything after the root (a second document, `...`, stray text)
    return root;
  }

  /**
   * Moves the cursor from a line start to the first content of the next line
   * with any, skipping blank and comment lines; sets `indent`. Returns whether
   * a comment line followed a blank line on the way (see `emptyValue`).
   */
  private nextLine(): boolean {
    const t = this.t;
    let i = this.pos;
    let blank = false;
    let commentAfterBlank = false;
    for (;;) {
      const start = i;
      while (t.charCodeAt(i) === SPACE) i++;
      if (i >= t.length) {
        this.pos = i;
        this.indent = -1;
        return commentAfterBlank;
      }
      const c = t.charCodeAt(i);
      if (c === LF) {
        blank = true;
        i++;
      } else if (c === HASH) {
        if (blank) commentAfterBlank = true;
        const eol = t.indexOf('\n', i);
        i = eol === -1 ? t.length : eol + 1;
      } else {
        this.lineStart = start;
        this.pos = i;
        this.indent = i - start;
        return commentAfterBlank;
      }
    }
  }

  /**
   * After a value: spaces, an optional comment (after a space), then the end of
   * the line; the cursor moves to the next line's start.
   */
  private endOfLine(spaceBefore: boolean): void {
    const t = this.t;
    let i = this.pos;
    while (t.charCodeAt(i) === SPACE) i++;
    if (i < t.length && t.charCodeAt(i) !== LF) {
      if (t.charCodeAt(i) !== HASH || (i === this.pos && !spaceBefore)) this.refuse();
      const eol = t.indexOf('\n', i);
      i = eol === -1 ? t.length : eol;
    }
    this.pos = i < t.length ? i + 1 : i;
  }

  /**
   * Where a block collection ends, given where its last value ends: after a
   * comment on that line (as in `yaml`). Comment lines between it and the next
   * content: the range is not known (`broken`).
   */
  private endAfter(lastEnd: number): number {
    const t = this.t;
    let end = lastEnd;
    let i = lastEnd;
    while (t.charCodeAt(i) === SPACE) i++;
    if (t.charCodeAt(i) === HASH) {
      const eol = t.indexOf('\n', i);
      end = eol === -1 ? t.length : eol;
    }
    const next = this.indent === -1 ? t.length : this.lineStart; // (only blank and comment lines before it)
    for (let j = end; j < next; j++) {
      if (t.charCodeAt(j) === HASH) {
        this.broken = true;
        break;
      }
    }
    return end;
  }

  /** `- ` or `-` at the end of its line: a sequence entry. */
  private atEntry(): boolean {
    const t = this.t;
    if (t.charCodeAt(this.pos) !== DASH) return false;
    const next = t.charCodeAt(this.pos + 1);
    return next === SPACE || next === LF || this.pos + 1 >= t.length;
  }

  /** A block map whose first key is at the cursor, at column `n`. */
  private map(n: number): Record<string, unknown> {
    const t = this.t;
    const out: Record<string, unknown> = {};
    if (++this.depth > MAX_DEPTH) this.refuse();
    const start = this.pos;
    const pairs: { key: PosNode; value: PosNode }[] | undefined = this.track ? [] : undefined;
    for (;;) {
      // a marker at column 0 ends the document: this reader handles one
      if (this.indent === 0 && (t.startsWith('---', this.pos) || t.startsWith('...', this.pos))) this.refuse();
      const keyStart = this.pos;
      const key = this.key();
      if (Object.hasOwn(out, key) || key === '__proto__') this.refuse(); // `yaml` reports duplicates
      const keyEnd = this.pos - 1; // at the colon
      out[key] = this.valueAfterColon(n);
      pairs?.push({ key: { kind: 'scalar', start: keyStart, end: keyEnd, value: key }, value: this.node! });
      if (this.indent < n) {
        this.depth--;
        if (pairs) this.node = { kind: 'map', start, end: this.endAfter(pairs[pairs.length - 1].value.end), pairs, value: out };
        return out; // (the end: -1)
      }
      if (this.indent > n) this.refuse(); // a continuation line, or an error
    }
  }

  /** A key and its colon (followed by a space or the end of the line); refuses anything else. */
  private key(): string {
    const t = this.t;
    const start = this.pos;
    const c = t.charCodeAt(start);
    let key: string;
    if (c === DQUOTE || c === SQUOTE) {
      key = c === DQUOTE ? this.doubleQuoted() : this.singleQuoted();
    } else {
      if (!isClass(c, KEY_FIRST)) this.refuse();
      let i = start + 1;
      while (isClass(t.charCodeAt(i), KEY_REST)) i++;
      key = t.slice(start, i);
      this.pos = i;
      // a key that is a number, a boolean or null: `yaml` keys the map by its string form
      if (resolvePlain(key) !== key) this.refuse();
    }
    if (this.pos - start > MAX_KEY || t.charCodeAt(this.pos) !== COLON) this.refuse();
    const after = t.charCodeAt(this.pos + 1);
    if (after !== SPACE && after !== LF && this.pos + 1 < t.length) this.refuse();
    this.pos++;
    return key;
  }

  /** The value of the pair whose colon is just behind the cursor, in a map at column `n`. */
  private valueAfterColon(n: number): unknown {
    const empty = this.emptyRest();
    if (empty !== -1) {
      const value = this.nested(n, true);
      // an empty value: a zero-width range after the colon and any spaces
      if (this.track && value === null) this.node = { kind: 'null', start: empty, end: empty };
      return value;
    }
    const value = this.inlineValue();
    this.endOfLine(false);
    this.nextLine();
    return value;
  }

  /**
   * Skips the spaces at the cursor. When only a comment (or nothing) is left on
   * the line, moves to the next line and returns where the empty value is;
   * else -1, with the cursor on the content.
   */
  private emptyRest(): number {
    const t = this.t;
    let i = this.pos;
    while (t.charCodeAt(i) === SPACE) i++;
    this.pos = i;
    const c = t.charCodeAt(i);
    if (i < t.length && c !== LF && c !== HASH) return -1;
    this.endOfLine(true);
    return i;
  }

  /**
   * The block node on the lines after an empty value, owned by a map key at
   * column `n` (`compactAllowed`: a sequence may start at `n` itself) or a
   * sequence entry at column `n`. No node there: null.
   */
  private nested(n: number, compactAllowed: boolean): unknown {
    // `yaml` may attach such a comment to the empty value and read on differently
    if (this.nextLine()) this.refuse();
    if (this.indent === -1) return null;
    if (this.indent > n) return this.atEntry() ? this.sequence(this.indent) : this.map(this.indent);
    if (this.indent === n && compactAllowed && this.atEntry()) return this.sequence(n);
    return null;
  }

  /** A block sequence whose first `-` is at the cursor, at column `m`. */
  private sequence(m: number): unknown[] {
    const out: unknown[] = [];
    if (++this.depth > MAX_DEPTH) this.refuse();
    const start = this.pos;
    const items: PosNode[] | undefined = this.track ? [] : undefined;
    for (;;) {
      this.pos++; // past "-"
      if (this.emptyRest() !== -1) {
        // an empty entry: `yaml` and js-yaml differ on some that follow it
        const value = this.nested(m, false);
        if (value === null) this.refuse();
        out.push(value);
      } else {
        if (this.atEntry()) this.refuse(); // `- - x`
        if (this.looksLikeKey()) {
          out.push(this.map(this.pos - this.lineStart));
        } else {
          out.push(this.inlineValue());
          this.endOfLine(false);
          this.nextLine();
        }
      }
      items?.push(this.node!);
      if (this.indent > m) this.refuse(); // a continuation line, or an error
      // a compact sequence ends at its map's next key (anywhere else, its owner refuses that line)
      if (this.indent < m || !this.atEntry()) {
        this.depth--;
        if (items) this.node = { kind: 'seq', start, end: this.endAfter(items[items.length - 1].end), items, value: out };
        return out;
      }
    }
  }

  /** Whether the cursor's line goes on as `key: ` from the cursor (quoted keys included). */
  private looksLikeKey(): boolean {
    KEY_AHEAD.lastIndex = this.pos;
    return KEY_AHEAD.test(this.t);
  }

  /** A scalar or flow sequence starting at the cursor and ending on its line. */
  private inlineValue(): unknown {
    const t = this.t;
    const start = this.pos;
    const c = t.charCodeAt(start);
    switch (c) {
      case DQUOTE:
      case SQUOTE: {
        const value = c === DQUOTE ? this.doubleQuoted() : this.singleQuoted();
        if (this.track) this.node = { kind: 'scalar', start, end: this.pos, value };
        return value;
      }
      case 0x5b /* [ */:
        return this.flowSequence();
      case 0x7b /* { */: {
        let i = start + 1;
        while (t.charCodeAt(i) === SPACE) i++;
        if (t.charCodeAt(i) !== 0x7d /* } */) this.refuse();
        this.pos = i + 1;
        const value = {};
        if (this.track) this.node = { kind: 'map', start, end: this.pos, pairs: [], value };
        return value;
      }
      default:
        return this.plain();
    }
  }

  /** A plain scalar to the end of its line or a comment; refuses one holding a mapping indicator. */
  private plain(): unknown {
    const t = this.t;
    const start = this.pos;
    const c = t.charCodeAt(start);
    // indicators that may not start a plain scalar (`-` may, before a non-space: `-1`)
    if (c < 128 && '?:,[]{}#&*!|>\'"%@`'.includes(t[start])) this.refuse();
    if (this.atEntry()) this.refuse(); // `key: - a`
    let end = start;
    let i = start;
    for (; i < t.length; i++) {
      const d = t.charCodeAt(i);
      if (d === LF) break;
      if (d === SPACE) {
        if (t.charCodeAt(i + 1) === HASH) break;
        continue;
      }
      if (d === COLON) {
        const next = t.charCodeAt(i + 1);
        if (next === SPACE || next === LF || i + 1 >= t.length) this.refuse();
      }
      end = i + 1;
    }
    this.pos = end;
    const value = resolvePlain(t.slice(start, end));
    if (this.track) this.node = { kind: 'scalar', start, end, value };
    return value;
  }

  private doubleQuoted(): string {
    const t = this.t;
    const start = this.pos + 1;
    let i = start;
    let out = '';
    let from = start;
    for (;;) {
      const d = t.charCodeAt(i);
      if (i >= t.length || d === LF) this.refuse(); // over several lines: folding rules, left to the others
      if (d === DQUOTE) break;
      if (d === 0x5c /* \ */) {
        out += t.slice(from, i);
        const e = t[i + 1];
        const simple = ESCAPES[e];
        if (simple !== undefined) {
          out += simple;
          i += 2;
        } else if (e === 'x' || e === 'u') {
          const len = e === 'x' ? 2 : 4;
          const hex = t.slice(i + 2, i + 2 + len);
          if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== len) this.refuse();
          const code = parseInt(hex, 16);
          if (code >= 0xd800 && code <= 0xdfff) this.refuse(); // a surrogate half
          out += String.fromCharCode(code);
          i += 2 + len;
        } else {
          this.refuse();
        }
        from = i;
        continue;
      }
      i++;
    }
    this.pos = i + 1;
    return from === start ? t.slice(start, i) : out + t.slice(from, i);
  }

  private singleQuoted(): string {
    const t = this.t;
    let i = this.pos + 1;
    let out = '';
    let from = i;
    for (;;) {
      const d = t.charCodeAt(i);
      if (i >= t.length || d === LF) this.refuse();
      if (d === SQUOTE) {
        if (t.charCodeAt(i + 1) !== SQUOTE) break;
        out += t.slice(from, i + 1);
        i += 2;
        from = i;
        continue;
      }
      i++;
    }
    this.pos = i + 1;
    return out + t.slice(from, i);
  }

  /** `[a, "b", 3]` on one line: scalars only, no trailing comma. */
  private flowSequence(): unknown[] {
    const t = this.t;
    const out: unknown[] = [];
    const start = this.pos;
    const items: PosNode[] | undefined = this.track ? [] : undefined;
    const done = (end: number) => {
      this.pos = end;
      if (items) this.node = { kind: 'seq', start, end, items, value: out };
      return out;
    };
    let i = start + 1;
    while (t.charCodeAt(i) === SPACE) i++;
    if (t.charCodeAt(i) === 0x5d /* ] */) return done(i + 1);
    for (;;) {
      const c = t.charCodeAt(i);
      const from = i;
      let value: unknown;
      if (c === DQUOTE || c === SQUOTE) {
        this.pos = i;
        value = c === DQUOTE ? this.doubleQuoted() : this.singleQuoted();
        i = this.pos;
      } else {
        // a conservative plain scalar: no spaces, no indicators
        if (!isClass(c, FLOW_PLAIN) || c === DASH) this.refuse();
        while (isClass(t.charCodeAt(i), FLOW_PLAIN)) i++;
        value = resolvePlain(t.slice(from, i));
      }
      out.push(value);
      items?.push({ kind: 'scalar', start: from, end: i, value });
      while (t.charCodeAt(i) === SPACE) i++;
      const d = t.charCodeAt(i);
      if (d === 0x5d /* ] */) return done(i + 1);
      if (d !== 0x2c /* , */) this.refuse();
      i++;
      while (t.charCodeAt(i) === SPACE) i++;
      if (t.charCodeAt(i) === 0x5d) this.refuse(); // a trailing comma
    }
  }
}

/** Double-quoted escapes with one meaning (YAML 1.2 §5.7). */
const ESCAPES: Record<string, string | undefined> = Object.assign(Object.create(null), {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
});
