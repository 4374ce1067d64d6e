// The values of a plain YAML document without building a `yaml` Document.
//
// Building `yaml` Documents (nodes with ranges, comments, source tokens) was most
// of the time and memory of opening a large file, yet the rules only need the
// values, and ranges only for the few resources they report on. So a chunk is
// read by blockLoad.ts when it is plain block YAML (most are), else by js-yaml
// (several times faster than `yaml`, plain objects only), and its `yaml`
// Document is built on first use (Chunk.docs).
//
// The two parsers must agree exactly, so js-yaml only gets text where they do:
// - scalars resolve with `yaml`'s own YAML 1.1 tag tests and resolvers (the
//   schema kubectl's parser uses), so `yes`, `0x50`, `010`, `1_000` and
//   `190:20:30` mean the same thing on both paths;
// - text with anything where the two libraries differ or that needs the full
//   parser goes the slow way: anchors, aliases and merge keys (alias bombs,
//   `<<`), tags, directives, `...`, tabs, lone CRs, complex or null keys, very
//   long lines (an implicit key may not exceed 1024 characters), quoted
//   scalars over several lines, byte order marks after the start, timestamps,
//   an empty sequence entry followed by more entries;
// - any js-yaml error goes the slow way too, where `yaml` reports it with its
//   own message and range.
// KUBE_EXPOSE_VERIFY_PARSE=1 (set by the test runner) parses every fast chunk
// both ways and throws on any difference.
import { isDeepStrictEqual } from 'node:util';
import jsyaml from 'js-yaml';
import { parseAllDocuments } from 'yaml';
import { blockLoad, blockLoadWithPositions } from './blockLoad';
import { PositionRecorder, type PosNode } from './positions';
import { firstMatch, PLAIN_TAGS, resolveAs } from './scalars';

/** Marks text that the fast path must leave to `yaml` (see above). */
const NEEDS_FULL_PARSER = new RegExp(
  [
    String.raw`(?:^|[\s\[{,:])[&*!?]`, // anchor, alias, tag or explicit key "?" (or a plain scalar starting with one) at a token start (a JSON-like key's colon needs no space after it)
    String.raw`<<`, // merge key
    String.raw`^%`, // directive
    String.raw`^\.\.\.`, // document end (and text that starts like one)
    String.raw`^---(?!\s|$)`, // "-------" is a plain scalar, js-yaml reads a marker in it
    String.raw`^---[ \t]+[^#\s]`, // content on the marker line (yaml refuses a block map there, js-yaml does not)
    String.raw`["'[\]{}:,]#`, // a comment glued to a token (yaml refuses it, js-yaml reads a comment)
    String.raw`\t`,
    String.raw`\r(?!\n)`,
    String.raw`[\]}][ \t]*:(?:\s|$)`, // flow collection as a key
    String.raw`(?:^|[\s\[{,])(?:"(?:[^"\\\n]|\\.)*\\?|'(?:[^'\n]|'')*)$`, // a quoted scalar continued on the next line (js-yaml is lax about its indentation)
    String.raw`[^]\uFEFF`, // a byte order mark after the start (yaml skips it, js-yaml reads it as text)
    String.raw`:[ \t]*\r?\n(?:[ \t]*\r?\n)+[ \t]*#`, // a key without a value, blank lines, then a comment: yaml may take the value for a key
    String.raw`(?:^|[ \t])-[ \t]*(?:#[^\n]*)?\r?\n(?:[ \t]*(?:#[^\n]*)?\r?\n)*[ \t]*-(?:[ \t]|\r?$)`, // an empty sequence entry, then "-" lines: js-yaml takes a "-" further left into the same sequence
  ].join('|'),
  'm',
);

/**
 * Two more tests of NEEDS_FULL_PARSER, written out: as regular expressions they
 * were tried at every space and every line start, most of its time.
 */
function needsFullParser(text: string): boolean {
  return NEEDS_FULL_PARSER.test(text) || hasEmptyKey(text) || hasLongLine(text);
}

/** A line too long for an implicit key: 1,025 characters or more before its "\n". */
function hasLongLine(text: string): boolean {
  for (let start = 0; ; ) {
    const end = text.indexOf('\n', start);
    if ((end === -1 ? text.length : end) - start > 1024) return true;
    if (end === -1) return false;
    start = end + 1;
  }
}

const KEY_START = /[\s{[,-]/; // what may stand before an empty key's colon
const AFTER_INDICATOR = /[\s{[\]},]/; // what makes a colon a mapping indicator
const NULL_WORDS = ['~', 'null', 'Null', 'NULL'];

/**
 * A null or empty key: a colon that is a mapping indicator (followed by white
 * space, a flow indicator or the end) with nothing before it on its line but
 * white space, `{`, `[`, `,` or `-`, possibly then a null word (`~: x`).
 */
function hasEmptyKey(text: string): boolean {
  for (let p = text.indexOf(':'); p !== -1; p = text.indexOf(':', p + 1)) {
    if (p + 1 < text.length && !AFTER_INDICATOR.test(text[p + 1])) continue;
    if (p === 0 || KEY_START.test(text[p - 1])) return true;
    for (const w of NULL_WORDS) {
      const at = p - w.length;
      if (at >= 0 && text.startsWith(w, at) && (at === 0 || KEY_START.test(text[at - 1]))) return true;
    }
  }
  return false;
}

/** js-yaml types that resolve plain scalars exactly as `yaml`'s YAML 1.1 schema does, in its order. */
const implicit = PLAIN_TAGS.map(
  (tag, i) =>
    new jsyaml.Type(`tag:kube-expose,fast:${i}`, {
      kind: 'scalar',
      resolve: (data: string | null) => (data === null ? tag.tag.endsWith(':null') : firstMatch(data) === i),
      construct: (data: string | null) => resolveAs(i, data ?? ''),
    }),
);

const schema = jsyaml.FAILSAFE_SCHEMA.extend({ implicit });

export interface FastDocuments {
  /** each document's value */
  values: unknown[];
  /** each document's position index, when asked for (undefined where the events could not be mapped: use the Document) */
  positions: (PosNode | undefined)[];
}

/**
 * The JS values of the documents of `text`, as `yaml` with `{ version: '1.1' }`
 * and toJS would give them, and where they are; undefined when the text needs
 * the full parser.
 */
export function fastLoad(text: string, withPositions = false): FastDocuments | undefined {
  if (!withPositions) {
    const value = blockLoad(text);
    if (value !== undefined) {
      if (VERIFY) verify(text, [value]);
      return { values: [value], positions: [undefined] };
    }
  } else {
    const read = blockLoadWithPositions(text);
    if (read) return { values: [read.value], positions: [read.root] };
  }
  // (positions come from js-yaml's events: only for text it reads as `yaml` does,
  // which blockLoad may have accepted without these scans)
  if (needsFullParser(text) || flowNeedsYaml(text)) return undefined;
  let values: unknown[];
  const recorder = withPositions ? new PositionRecorder(text) : undefined;
  try {
    values = jsyaml.loadAll(text, undefined, recorder ? { schema, listener: recorder.listener as never } : { schema });
  } catch {
    return undefined; // a syntax error (or an unexpected case): `yaml` reports it precisely
  }
  if (values.length > 1) return undefined;
  if (VERIFY) verify(text, values);
  const positions = recorder && values.length === recorder.roots.length ? recorder.roots : values.map(() => undefined);
  return { values, positions };
}

/**
 * Flow collections (`{...}`, `[...]`) the two libraries read differently:
 * - one inside a block collection that goes on over several lines: yaml requires
 *   its lines to be indented past the block, js-yaml does not (a document that
 *   is one flow collection, like JSON, has no such rule);
 * - a collection used as a key of a flow map (`{{a: 1}: x}`): js-yaml names it
 *   "[object Object]";
 * - a comment inside a flow collection (yaml refuses some that js-yaml skips);
 * - a null written as a flow map entry without a colon (see NULL_ENTRY).
 * Brackets inside quotes and comments are skipped; a bracket in a plain scalar
 * may make this say true, which only costs speed.
 */
/** A flow map entry that is a null without a colon (`{a: 1, ~}`): yaml names its key "", js-yaml "null". */
const NULL_ENTRY = /\s*(?:~|null|Null|NULL)\s*(?:[,}]|#|$)/y;

function flowNeedsYaml(text: string): boolean {
  if (!/[[{]/.test(text)) return false;
  const open: number[] = []; // the enclosing flow collections' brackets
  let quote = 0;
  let content = false; // seen the document's first content character
  let json = false; // the document is one flow collection
  let prev = 0x0a; // the previous character
  let sig = 0; // the previous character that is not white space (outside comments)
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote) {
      if (c === 0x5c /* \ */ && quote === 0x22) i++;
      else if (c === quote) {
        quote = 0;
        sig = c;
      } else if (c === 0x0a) return true; // a quoted scalar over lines: excluded elsewhere anyway
      prev = c;
      continue;
    }
    if (c === 0x23 /* # */ && (prev === 0x20 || prev === 0x0a || prev === 0x09)) {
      if (open.length) return true; // a comment inside a flow collection: yaml is stricter about where
      const eol = text.indexOf('\n', i);
      if (eol === -1) break;
      i = eol - 1;
      prev = 0x20;
      continue;
    }
    if (c === 0x0a) {
      if (open.length && !json) return true;
    } else if ((c === 0x22 || c === 0x27) && (open.length || prev === 0x20 || prev === 0x0a)) {
      quote = c; // a quoted scalar starts here (an apostrophe inside a plain word does not)
    } else if (c === 0x7b || c === 0x5b) {
      if (!content && !open.length) json = true;
      else if (open[open.length - 1] === 0x7b && (sig === 0x7b || sig === 0x2c)) return true;
      open.push(c);
    } else if ((c === 0x7d || c === 0x5d) && open.length) {
      open.pop();
    }
    if ((c === 0x7b || c === 0x2c) && open[open.length - 1] === 0x7b) {
      NULL_ENTRY.lastIndex = i + 1;
      if (NULL_ENTRY.test(text)) return true;
    }
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0xfeff && c !== 0x09) {
      if (c !== 0x2d /* - of --- */) content = true;
      sig = c;
    }
    prev = c;
  }
  return false;
}

const VERIFY = process.env.KUBE_EXPOSE_VERIFY_PARSE === '1';

function verify(text: string, fast: unknown[]): void {
  const full = parseAllDocuments(text, { prettyErrors: false, version: '1.1', merge: true });
  const docs = Array.isArray(full) ? full : [];
  const errors = docs.flatMap((d) => d.errors.map((e) => e.message));
  const values = docs.map((d) => (d.contents ? d.toJS({ maxAliasCount: 100 }) : null));
  // (an empty or comment-only text is no document for yaml, one null document for js-yaml: neither holds resources)
  const present = (list: unknown[]) => list.filter((v) => v !== null && v !== undefined).map(normalise);
  const same = errors.length === 0 && isDeepStrictEqual(present(values), present(fast));
  if (!same) {
    throw new Error(
      `fast YAML load differs from yaml:\n--- text:\n${text}\n--- yaml: ${JSON.stringify({ errors, values })}\n--- fast: ${JSON.stringify(fast)}`,
    );
  }
}

/** null-prototype and ordinary objects compare alike; -0 is 0 in YAML output anyway. */
function normalise(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalise);
  if (v && typeof v === 'object' && !(v instanceof Date)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalise(x)]));
  return v;
}
