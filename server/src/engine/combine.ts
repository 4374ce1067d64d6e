// Choosing which quick fixes to apply together: "fix all" in the editor and
// `kube-expose check --fix`. Each fix is sound on its own; two fixes can still
// clash without their edits overlapping. One renames a misspelled key to
// `pathType` while another adds the missing `pathType` to the same path, and
// together they write a duplicate key. So a fix joins the set only if the YAML
// documents it edits, with everything accepted so far, parse no worse than
// before. A lone fix is checked too: `--fix` writes to disk, and a slip in one
// fix should cost that fix, not the user's file. (One parse per fixed document.)
import { parseAllDocuments } from 'yaml';
import { editsOverlap } from './apply';
import { splitDocuments } from './parse';
import { lastAtOrBefore, LineIndex, type Range } from './text';

export interface CombinableEdit {
  uri: string;
  range: Range;
  newText: string;
}

interface PlacedEdit {
  start: number;
  end: number;
  newText: string;
  firstDoc: number;
  lastDoc: number;
}

interface FileState {
  text: string;
  lines: LineIndex;
  docStarts: number[];
  accepted: PlacedEdit[];
  /** The accepted edits in LSP form, for the overlap test. */
  acceptedEdits: CombinableEdit[];
  baseErrors: Map<string, number>;
}

/**
 * The fixes, in order of preference, that can be applied in one pass: no two
 * with overlapping edits, none editing a file `textOf` does not know, and none
 * that makes a document it edits parse worse (alone or with an accepted fix).
 */
export function combineFixes<F extends { edits: readonly CombinableEdit[] }>(fixes: Iterable<F>, textOf: (uri: string) => string | undefined): F[] {
  const files = new Map<string, FileState | undefined>();
  const stateOf = (uri: string): FileState | undefined => {
    if (!files.has(uri)) {
      const text = textOf(uri);
      files.set(uri, text === undefined ? undefined : newFileState(text));
    }
    return files.get(uri);
  };
  const out: F[] = [];
  for (const fix of fixes) {
    if (!fix.edits.length) continue;
    const byUri = new Map<string, CombinableEdit[]>();
    for (const e of fix.edits) {
      if (!byUri.has(e.uri)) byUri.set(e.uri, []);
      byUri.get(e.uri)!.push(e);
    }
    let ok = true;
    const placed = new Map<string, PlacedEdit[]>();
    for (const [uri, edits] of byUri) {
      const file = stateOf(uri);
      if (!file || editsOverlap(file.acceptedEdits, edits)) {
        ok = false;
        break;
      }
      const mine = edits.map((e) => place(file, e));
      placed.set(uri, mine);
      if (!parsesNoWorse(file, mine)) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    for (const [uri, mine] of placed) {
      const file = files.get(uri)!;
      file.accepted.push(...mine);
      file.acceptedEdits.push(...byUri.get(uri)!);
    }
    out.push(fix);
  }
  return out;
}

/**
 * True when the YAML documents the edits touch parse no worse after them, file
 * by file: for edits built by hand for an unusual layout (refactors), where a
 * slip would leave the user's file broken.
 */
export function editsKeepParsing(edits: readonly CombinableEdit[], textOf: (uri: string) => string | undefined): boolean {
  const byUri = new Map<string, CombinableEdit[]>();
  for (const e of edits) {
    if (!byUri.has(e.uri)) byUri.set(e.uri, []);
    byUri.get(e.uri)!.push(e);
  }
  for (const [uri, list] of byUri) {
    const text = textOf(uri);
    if (text === undefined) return false;
    const file = newFileState(text);
    if (!parsesNoWorse(file, list.map((e) => place(file, e)))) return false;
  }
  return true;
}

function newFileState(text: string): FileState {
  return { text, lines: new LineIndex(text), docStarts: splitDocuments(text).map((d) => d.startOffset), accepted: [], acceptedEdits: [], baseErrors: new Map() };
}

function place(file: FileState, e: CombinableEdit): PlacedEdit {
  const start = file.lines.offsetAt(e.range.start);
  const end = Math.max(start, file.lines.offsetAt(e.range.end));
  // an insertion right at a document start may belong to the document before
  return { start, end, newText: e.newText, firstDoc: lastAtOrBefore(file.docStarts, Math.max(0, start - 1)), lastDoc: lastAtOrBefore(file.docStarts, end) };
}

/**
 * True when the documents `mine` touches, edited by `mine` and the accepted
 * edits there, have no more YAML errors than the original text of those
 * documents. The region grows to whole accepted edits that straddle its ends.
 */
function parsesNoWorse(file: FileState, mine: readonly PlacedEdit[]): boolean {
  let first = Math.min(...mine.map((e) => e.firstDoc));
  let last = Math.max(...mine.map((e) => e.lastDoc));
  for (let grown = true; grown; ) {
    grown = false;
    for (const a of file.accepted) {
      if (a.lastDoc < first || a.firstDoc > last) continue;
      if (a.firstDoc < first) (first = a.firstDoc), (grown = true);
      if (a.lastDoc > last) (last = a.lastDoc), (grown = true);
    }
  }
  const others = file.accepted.filter((a) => a.firstDoc >= first && a.lastDoc <= last);
  const from = file.docStarts[first];
  const to = file.docStarts[last + 1] ?? file.text.length;
  const key = `${first}:${last}`;
  let base = file.baseErrors.get(key);
  if (base === undefined) file.baseErrors.set(key, (base = yamlErrorCount(file.text.slice(from, to))));
  let after = '';
  let cursor = from;
  for (const e of [...others, ...mine].sort((a, b) => a.start - b.start || a.end - b.end)) {
    after += file.text.slice(cursor, e.start) + e.newText;
    cursor = e.end;
  }
  after += file.text.slice(cursor, to);
  return yamlErrorCount(after) <= base;
}

/** YAML errors in a text read the way the engine reads it, duplicate keys and unresolved aliases included. */
function yamlErrorCount(text: string): number {
  let n = 0;
  for (const doc of parseAllDocuments(text, { prettyErrors: false, version: '1.1', merge: true })) {
    n += doc.errors.length;
    if (doc.errors.length) continue;
    try {
      doc.toJS({ maxAliasCount: 100 });
    } catch {
      n++;
    }
  }
  return n;
}
