// Splits a file into YAML documents ("chunks") and parses each on its own, so an
// edit re-parses only the document it touches. A chunk's ranges are relative to
// the chunk; `startLine` places it in the file and is updated when earlier
// chunks grow or shrink, so unchanged chunks (and everything computed from them)
// are reused as they are.
import { isMap, isScalar, isSeq, parseAllDocuments, type Document, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import { fastLoad } from './fastLoad';
import type { PosNode } from './positions';
import { LineIndex, type Range } from './text';

export interface SyntaxProblem {
  range: Range;
  message: string;
}

export interface Suppressions {
  /** rule ids (or '*') disabled for the whole chunk */
  document: Set<string>;
  /** chunk-relative line -> rule ids (or '*') disabled on that line */
  lines: Map<number, Set<string>>;
  /** rule ids disabled for the whole file (only set on a file's first chunk) */
  file: Set<string>;
}

/** One YAML document of a file (occasionally several, after a bare `...`). */
export class Chunk {
  uri: string;
  startLine = 0;
  startOffset = 0;
  private lineIndex: LineIndex | undefined;
  readonly problems: SyntaxProblem[] = [];
  readonly resources: Resource[] = [];
  readonly suppress: Suppressions;
  /** text mentions apiVersion/kind: syntax errors here are worth reporting */
  readonly looksLikeKubernetes: boolean;
  /** the `yaml` Documents, built on first use when the values came from the fast path */
  private parsed: Document.Parsed[] | undefined;
  /**
   * The values came from the fast path (fastLoad.ts): the text has no anchors,
   * aliases, merge keys, tags or complex keys, so every value has a node where it is.
   */
  readonly readFast: boolean;
  private located: readonly (PosNode | undefined)[] | undefined;

  constructor(uri: string, readonly text: string, readonly isFirst: boolean) {
    this.uri = uri;
    this.suppress = text.includes('kube-expose-disable') ? parseSuppressions(this.lines, isFirst) : NO_SUPPRESSIONS;
    this.looksLikeKubernetes = /^[ \t-]*(apiVersion|kind)[ \t]*:/m.test(text);
    const fast = fastLoad(text);
    this.readFast = !!fast;
    if (fast) {
      fast.values.forEach((value, i) => extractResources(this, i, value));
      return;
    }
    const docs = this.parse((e) => this.problems.push({ range: this.rangeOf(0, text.length), message: `YAML could not be parsed: ${e.message}` }));
    docs.forEach((doc, i) => {
      for (const err of doc.errors) {
        const [start, end] = err.pos;
        // the parser gives up on very deep nesting with a stack overflow: say what that means
        const message = err.code === 'RESOURCE_EXHAUSTION' ? `YAML nested too deeply to be read (${cleanYamlMessage(err.message)})` : cleanYamlMessage(err.message);
        const from = startOfCharacter(text, start);
        this.problems.push({ range: this.rangeOf(from, wholeCharacter(text, Math.max(end, from + 1))), message });
      }
      if (doc.errors.length === 0 || doc.contents) {
        const value = valueOf(this, doc);
        if (value !== undefined) extractResources(this, i, value, doc);
      }
    });
  }

  /**
   * Where the fast path's values are, per document (positions.ts); undefined
   * for chunks read by `yaml`. Read again on first use rather than kept from
   * the first read: only chunks with findings need it, and it would cost as
   * much memory as the values.
   */
  get positions(): readonly (PosNode | undefined)[] | undefined {
    if (!this.readFast) return undefined;
    this.located ??= fastLoad(this.text, true)?.positions ?? [];
    return this.located;
  }

  /** True once the `yaml` Documents exist (read-only; for tests and measurements of what builds them). */
  get hasDocuments(): boolean {
    return this.parsed !== undefined;
  }

  /** The `yaml` Documents of this chunk (nodes with exact ranges, for locating findings and editing). */
  get docs(): Document.Parsed[] {
    return this.parsed ?? this.parse(() => undefined);
  }

  private parse(onCrash: (e: Error) => void): Document.Parsed[] {
    let docs: Document.Parsed[] = [];
    try {
      docs = parseAllDocuments(this.text, { prettyErrors: false, version: '1.1', merge: true }) as Document.Parsed[];
      if (!Array.isArray(docs)) docs = []; // an empty stream yields an EmptyStream object
    } catch (e) {
      onCrash(e as Error);
    }
    this.parsed = docs;
    return docs;
  }

  /** Line starts, built on first use (only located findings and edits need them). */
  get lines(): LineIndex {
    this.lineIndex ??= new LineIndex(this.text);
    return this.lineIndex;
  }

  rangeOf(start: number, end: number): Range {
    return { start: this.lines.positionAt(start), end: this.lines.positionAt(end) };
  }
}

/** Moves an end offset past the low half of a surrogate pair, so a range never splits a character such as an emoji. */
function wholeCharacter(text: string, end: number): number {
  const before = text.charCodeAt(end - 1);
  const at = text.charCodeAt(end);
  return before >= 0xd800 && before <= 0xdbff && at >= 0xdc00 && at <= 0xdfff ? end + 1 : end;
}

/** Moves a start offset back from the low half of a surrogate pair to its high half (the parser may point between them). */
function startOfCharacter(text: string, start: number): number {
  const at = text.charCodeAt(start);
  const before = text.charCodeAt(start - 1);
  return at >= 0xdc00 && at <= 0xdfff && before >= 0xd800 && before <= 0xdbff ? start - 1 : start;
}

function cleanYamlMessage(message: string): string {
  // yaml appends " at line N, column M" and a code frame; our ranges already say where.
  return message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').trim();
}

const KUBE_COMMENT = /^\s*#\s*kube-expose-disable(-next-line)?(?:\s+(.*))?$/;

/** Shared by every chunk without suppression comments (most of them); never modified. */
const NO_SUPPRESSIONS: Suppressions = Object.freeze({ document: new Set<string>(), lines: new Map<number, Set<string>>(), file: new Set<string>() });

function parseSuppressions(lines: LineIndex, isFirst: boolean): Suppressions {
  const s: Suppressions = { document: new Set(), lines: new Map(), file: new Set() };
  let seenContent = false;
  let seenMarker = false;
  for (let i = 0; i < lines.lineCount; i++) {
    const text = lines.lineText(i);
    const m = KUBE_COMMENT.exec(text);
    if (m) {
      const ids = parseIds(m[2]);
      if (m[1]) {
        const j = suppressionLine(lines, i + 1);
        const set = s.lines.get(j) ?? new Set<string>();
        ids.forEach((id) => set.add(id));
        s.lines.set(j, set);
      } else if (!seenContent) {
        const target = isFirst && !seenMarker ? s.file : s.document;
        ids.forEach((id) => target.add(id));
        ids.forEach((id) => s.document.add(id));
      }
      continue;
    }
    if (/^---(\s|$)/.test(text)) {
      seenMarker = true;
      continue;
    }
    if (/^\s*(#.*)?$/.test(text) || /^%/.test(text)) continue;
    seenContent = true;
  }
  return s;
}

/**
 * The line a `kube-expose-disable-next-line` comment above `line` covers: the
 * first at or after it that is not blank or a comment. Findings are matched
 * through it too, so one that starts on a line that looks blank (the end of a
 * line cut by a lone CR) is covered by the comment the quick fix writes above it.
 */
export function suppressionLine(lines: LineIndex, line: number): number {
  while (line < lines.lineCount && /^\s*(#.*)?$/.test(lines.lineText(line))) line++;
  return line;
}

function parseIds(list: string | undefined): string[] {
  const ids = (list ?? '')
    .replace(/\s--\s.*$/, '') // allow "-- reason" after the ids
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean);
  return ids.length ? ids : ['*'];
}

const DOC_START = /^---(?:[ \t]|$)/;

function loneCarriageReturns(lineText: string): number {
  let n = 0;
  for (let i = lineText.indexOf('\r'); i !== -1; i = lineText.indexOf('\r', i + 1)) if (i < lineText.length - 1) n++;
  return n;
}

/** Splits file text into document texts at `---` lines (a leading one stays with its document). */
export function splitDocuments(text: string): { text: string; startLine: number; startOffset: number }[] {
  const out: { text: string; startLine: number; startOffset: number }[] = [];
  let chunkStart = 0;
  let chunkLine = 0;
  let onlyTrivia = true; // current chunk has no content yet
  let pos = 0;
  let line = 0;
  const hasCarriageReturn = text.includes('\r');
  // (a large file has tens of thousands of lines: only those starting like a
  // marker, and lines of a document with no content yet, are looked at closely)
  while (pos <= text.length) {
    let eol = text.indexOf('\n', pos);
    if (eol === -1) eol = text.length;
    const marker = text.startsWith('---', pos) && DOC_START.test(text.slice(pos, eol));
    if (marker && !onlyTrivia) {
      out.push({ text: text.slice(chunkStart, pos), startLine: chunkLine, startOffset: chunkStart });
      chunkStart = pos;
      chunkLine = line;
      onlyTrivia = false; // the marker itself opens this document
    } else if (marker) {
      onlyTrivia = false;
    } else if (onlyTrivia) {
      const lineText = text.slice(pos, eol);
      if (!/^\s*(#.*)?\r?$/.test(lineText) && !lineText.startsWith('%')) onlyTrivia = false;
    }
    if (eol >= text.length) break;
    // a lone \r is a line break too (LineIndex counts it): chunk start lines must agree
    line += 1 + (hasCarriageReturn ? loneCarriageReturns(text.slice(pos, eol)) : 0);
    pos = eol + 1;
  }
  out.push({ text: text.slice(chunkStart), startLine: chunkLine, startOffset: chunkStart });
  return out;
}

// ---------------------------------------------------------------------------
// Resources

let nextResourceId = 1;

/** Shared by every resource without the ignore annotation; never modified. */
const NOTHING_IGNORED: ReadonlySet<string> = new Set<string>();

/** A Kubernetes object found in a document (a List item counts as one). */
export class Resource {
  readonly id = nextResourceId++;
  readonly apiVersion: string;
  readonly kind: string;
  readonly group: string;
  readonly name: string | undefined;
  /** explicit metadata.namespace, if any; the effective one depends on configuration */
  readonly explicitNamespace: string | undefined;
  readonly value: any;
  /** ids from the kube-expose.io/ignore annotation */
  readonly ignored: ReadonlySet<string>;

  private yamlNode: YAMLMap | undefined;

  constructor(
    readonly chunk: Chunk,
    /** which document of the chunk, and which `items` entry of a List (-1: the document itself) */
    readonly docIndex: number,
    readonly itemIndex: number,
    value: any,
  ) {
    this.value = value;
    this.apiVersion = value.apiVersion;
    this.kind = value.kind;
    const slash = this.apiVersion.lastIndexOf('/');
    this.group = slash === -1 ? '' : this.apiVersion.slice(0, slash);
    const meta = isPlainObject(value.metadata) ? value.metadata : {};
    this.name = typeof meta.name === 'string' ? meta.name : undefined;
    this.explicitNamespace = typeof meta.namespace === 'string' && meta.namespace ? meta.namespace : undefined;
    const ignore = isPlainObject(meta.annotations) ? meta.annotations['kube-expose.io/ignore'] : undefined;
    this.ignored =
      typeof ignore === 'string'
        ? new Set(
            ignore
              .split(',')
              .map((x) => x.trim())
              .filter(Boolean),
          )
        : NOTHING_IGNORED;
  }

  get uri(): string {
    return this.chunk.uri;
  }

  get doc(): Document.Parsed {
    return this.chunk.docs[this.docIndex];
  }

  /** Where the resource's values are, when the chunk was read by the fast path (no Document needed). */
  get positions(): PosNode | undefined {
    const root = this.chunk.positions?.[this.docIndex];
    if (!root || this.itemIndex < 0) return root;
    const items = root.pairs?.find((p) => p.key.value === 'items')?.value;
    return items?.items?.[this.itemIndex];
  }

  /** The resource's YAML map (builds the chunk's Document on first use). */
  get node(): YAMLMap {
    if (!this.yamlNode) {
      const root = this.doc.contents as YAMLMap;
      this.yamlNode = this.itemIndex < 0 ? root : ((root.get('items', true) as unknown as YAMLSeq).items[this.itemIndex] as YAMLMap);
    }
    return this.yamlNode;
  }

  /** `nodeAt(path) !== undefined`, from the value when it surely agrees (see nodeKindAt). */
  hasNode(path: readonly (string | number)[]): boolean {
    return this.nodeKindAt(path) !== undefined;
  }

  /** `isMap(nodeAt(path))`, from the value when it surely agrees (see nodeKindAt). */
  hasMapAt(path: readonly (string | number)[]): boolean {
    return this.nodeKindAt(path) === 'map';
  }

  /** `isScalar(nodeAt(path))`, from the value when it surely agrees (see nodeKindAt). */
  hasScalarAt(path: readonly (string | number)[]): boolean {
    return this.nodeKindAt(path) === 'scalar';
  }

  /**
   * What node is at a path (`nodeAt`, or the resource's map for []), told by
   * the value where it surely agrees, so the Document is not built: on a chunk
   * read by the fast path (no anchors, aliases, merge keys, tags or complex
   * keys) every value is a node of the same shape at the same place. The nodes
   * answer on a slow-path chunk (its Document exists anyway), for a null
   * (`key:` has a node, a bare `{key}` has none) and for a key YAML reads as no
   * string (the value's keys are all strings).
   */
  nodeKindAt(path: readonly (string | number)[]): 'map' | 'seq' | 'scalar' | 'alias' | undefined {
    const v = this.valueWhereNode(path);
    if (v !== UNKNOWN) return v === undefined ? undefined : Array.isArray(v) ? 'seq' : typeof v === 'object' ? 'map' : 'scalar';
    const n = path.length ? this.nodeAt(path) : this.node;
    return n === undefined ? undefined : isMap(n) ? 'map' : isSeq(n) ? 'seq' : isScalar(n) ? 'scalar' : 'alias';
  }

  private valueWhereNode(path: readonly (string | number)[]): unknown {
    if (!this.chunk.readFast) return UNKNOWN;
    let v: unknown = this.value;
    for (const seg of path) {
      if (v === null || typeof v !== 'object') return undefined;
      if (Array.isArray(v) ? typeof seg !== 'number' : typeof seg !== 'string' || !isPlainKey(seg)) return UNKNOWN;
      if (!Object.prototype.hasOwnProperty.call(v, seg)) return undefined;
      v = (v as any)[seg];
    }
    return v === null ? UNKNOWN : v;
  }

  /** The YAML node at a path below this resource, if present. */
  nodeAt(path: readonly (string | number)[]): Node | undefined {
    let node: unknown = this.node;
    for (const seg of path) {
      if (isMap(node)) node = node.get(seg, true);
      else if (isSeq(node) && typeof seg === 'number') node = node.items[seg];
      else return undefined;
      if (node === undefined || node === null) return undefined;
    }
    return node as Node;
  }

  label(): string {
    return `${this.kind} ${this.name ?? '<unnamed>'}`;
  }
}

const UNKNOWN = Symbol('unknown');
/** a map key YAML surely reads as this string (not a number, boolean or null) */
const PLAIN_KEY = /^[A-Za-z_/][-\w./]*$/;
const NOT_STRING = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL)$/;

/** A map key YAML surely reads as this very string (so the value's key and the node's key are equal). */
export function isPlainKey(key: string): boolean {
  return PLAIN_KEY.test(key) && !NOT_STRING.test(key);
}

export function isPlainObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The JS value of a parsed document, or undefined (with a problem) when it cannot be read, e.g. an alias bomb. */
function valueOf(chunk: Chunk, doc: Document.Parsed): unknown {
  const root = doc.contents;
  if (!isMap(root)) return undefined;
  try {
    return root.toJS(doc, { maxAliasCount: 100 });
  } catch (e) {
    chunk.problems.push({
      range: chunk.rangeOf(root.range?.[0] ?? 0, root.range?.[1] ?? 1),
      message: `YAML could not be read: ${(e as Error).message}`,
    });
    return undefined;
  }
}

/** `doc` is given on the slow path, where a List item may be an alias rather than a map of its own. */
function extractResources(chunk: Chunk, docIndex: number, value: any, doc?: Document.Parsed): void {
  if (!isResourceValue(value)) return;
  if (/List$/.test(value.kind) && Array.isArray(value.items)) {
    const nodes = doc && (doc.contents as YAMLMap).get('items', true);
    if (doc && !isSeq(nodes)) return;
    value.items.forEach((v: unknown, i: number) => {
      if (isResourceValue(v) && (!doc || isMap((nodes as unknown as YAMLSeq).items[i]))) chunk.resources.push(new Resource(chunk, docIndex, i, v));
    });
    return;
  }
  chunk.resources.push(new Resource(chunk, docIndex, -1, value));
}

function isResourceValue(v: any): boolean {
  return isPlainObject(v) && typeof v.apiVersion === 'string' && v.apiVersion !== '' && typeof v.kind === 'string' && v.kind !== '';
}

/** Range of a node's value in chunk coordinates. */
export function nodeRange(chunk: Chunk, node: Node | undefined | null): Range | undefined {
  if (!node || !node.range) return undefined;
  const [start, valueEnd] = node.range;
  return chunk.rangeOf(start, Math.max(valueEnd, start));
}

export { isMap, isSeq, isScalar };
