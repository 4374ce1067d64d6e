// The incremental engine: files in, findings out. It keeps every document's
// parse, an index of resources by category and namespace/conflict scope, and
// for each resource the findings of its last check plus the index keys that
// check read. An edit re-parses only changed documents and re-checks only the
// resources that changed or that read a key a changed resource provides.
import { isMap, isPair, isScalar, isSeq, type Node, type Pair } from 'yaml';
import { DEFAULT_CONFIG, type EngineConfig, type Severity } from './config';
import { categoryOf, CLUSTER_SCOPED, kindKey, podTemplate, type Path } from './model';
import { Chunk, splitDocuments, type Resource } from './parse';
import { childAt, type PosNode } from './positions';
import type { Finding, Fix, Fixes, Loc, Report, Rule, RuleContext } from './rule';
import { shiftRange, type Range } from './text';

export type SkipReason = 'size' | 'binary' | 'encoding';

export interface FileState {
  uri: string;
  text: string;
  chunks: Chunk[];
  /** a Helm/Go template: not checked at all */
  template: boolean;
  skipped?: { reason: SkipReason; detail: string };
}

interface CheckResult {
  findings: Finding[];
  deps: string[];
  /** other files some of these findings are located in */
  elsewhere: string[];
}

/**
 * What a caller sees: absolute ranges, resolved files. `fixes` is computed on
 * first read (an enumerable getter, so JSON.stringify and spreads see an
 * array): publishing diagnostics never builds the documents fixes need.
 */
export interface Diagnostic {
  uri: string;
  rule: string;
  severity: Severity;
  message: string;
  range: Range;
  resource?: { kind: string; namespace: string; name: string; apiVersion: string };
  related: { uri: string; range: Range; message: string }[];
  readonly fixes: { title: string; isPreferred: boolean; edits: { uri: string; range: Range; newText: string }[] }[];
  tags: ('deprecated' | 'unnecessary')[];
}

export interface WorkspaceOptions {
  rules: readonly Rule[];
  config?: EngineConfig;
  /** rules for file-level problems (not tied to a resource) */
  syntaxRule?: { id: string; severity: Severity };
  skippedRule?: { id: string; severity: Severity };
}

export class Workspace {
  private readonly files = new Map<string, FileState>();
  private readonly index = new Map<string, Set<Resource>>();
  /** index entries in file order (see inFileOrder), built on demand, dropped when the entry changes */
  private readonly ordered = new Map<string, Resource[]>();
  private readonly results = new Map<Resource, CheckResult>();
  private readonly readers = new Map<string, Set<Resource>>();
  private readonly dirty = new Set<Resource>();
  private readonly dirtyFiles = new Set<string>();
  /** file -> resources of other files with findings located in it */
  private readonly foreign = new Map<string, Set<Resource>>();
  private readonly rulesByKind = new Map<string, Rule[]>();
  private readonly rulesForAll: Rule[] = [];
  readonly rules: readonly Rule[];
  private _config: EngineConfig;

  constructor(private readonly options: WorkspaceOptions) {
    this.rules = options.rules;
    this._config = options.config ?? DEFAULT_CONFIG;
    for (const rule of options.rules) {
      if (rule.kinds === '*') this.rulesForAll.push(rule);
      else for (const k of rule.kinds) this.rulesByKind.set(k, [...(this.rulesByKind.get(k) ?? []), rule]);
    }
  }

  get config(): EngineConfig {
    return this._config;
  }

  /** Changing the configuration re-indexes (scopes and namespaces may move) and re-checks everything. */
  setConfig(config: EngineConfig): void {
    const all = [...this.allResources()];
    for (const r of all) this.unregister(r);
    this._config = config;
    for (const r of all) this.register(r);
    for (const uri of this.files.keys()) this.dirtyFiles.add(uri);
  }

  hasFile(uri: string): boolean {
    return this.files.has(uri);
  }

  file(uri: string): FileState | undefined {
    return this.files.get(uri);
  }

  uris(): IterableIterator<string> {
    return this.files.keys();
  }

  /** Adds or replaces a file. Only documents whose text changed are parsed again. */
  setFile(uri: string, text: string): void {
    const old = this.files.get(uri);
    if (old && old.text === text && !old.skipped) return;
    this.dirtyFiles.add(uri);
    const template = isTemplateText(text);
    const reuse = new Map<string, Chunk[]>();
    if (old) for (const c of old.chunks) reuse.set(c.text, [...(reuse.get(c.text) ?? []), c]);
    const chunks: Chunk[] = [];
    if (!template) {
      for (const piece of splitDocuments(text)) {
        const isFirst = chunks.length === 0;
        let chunk = reuse.get(piece.text)?.shift();
        if (!chunk || chunk.isFirst !== isFirst) chunk = new Chunk(uri, piece.text, isFirst);
        chunk.startLine = piece.startLine;
        chunk.startOffset = piece.startOffset;
        chunks.push(chunk);
      }
    }
    const kept = new Set(chunks);
    if (old) for (const c of old.chunks) if (!kept.has(c)) c.resources.forEach((r) => this.unregister(r));
    const oldSet = new Set(old?.chunks ?? []);
    for (const c of chunks) if (!oldSet.has(c)) c.resources.forEach((r) => this.register(r));
    this.files.set(uri, { uri, text, chunks, template });
  }

  /** Records a file that is not checked (too big, binary, bad encoding), so it can say why. */
  setSkipped(uri: string, reason: SkipReason, detail: string): void {
    this.removeFile(uri);
    this.files.set(uri, { uri, text: '', chunks: [], template: false, skipped: { reason, detail } });
    this.dirtyFiles.add(uri);
  }

  removeFile(uri: string): void {
    const old = this.files.get(uri);
    if (!old) return;
    for (const c of old.chunks) c.resources.forEach((r) => this.unregister(r));
    this.files.delete(uri);
    this.dirtyFiles.add(uri);
  }

  *allResources(): IterableIterator<Resource> {
    for (const f of this.files.values()) for (const c of f.chunks) yield* c.resources;
  }

  resourcesOf(uri: string): Resource[] {
    return this.files.get(uri)?.chunks.flatMap((c) => c.resources) ?? [];
  }

  namespaceOf(r: Resource): string {
    if (CLUSTER_SCOPED.has(r.kind)) return '';
    return r.explicitNamespace ?? this._config.defaultNamespace;
  }

  scopeKey(uri: string): string {
    switch (this._config.conflictScope) {
      case 'file':
        return uri;
      case 'workspace':
        return '*';
      default:
        return uri.slice(0, uri.lastIndexOf('/') + 1);
    }
  }

  identity(r: Resource): string {
    return `${r.group}|${r.kind}|${this.namespaceOf(r)}|${r.name ?? ''}`;
  }

  private providedKeys(r: Resource): string[] {
    const cat = categoryOf(r);
    const ns = this.namespaceOf(r);
    const keys = [`${cat}|${ns}`, `${cat}@${this.scopeKey(r.uri)}`, `${cat}*`];
    // pod templates are also indexed by each label, so a selector finds its
    // templates without a scan and depends only on the labels it names
    if (cat === 'template') for (const [k, v] of Object.entries(podTemplate(r)?.labels ?? {})) keys.push(labelKey(ns, k, v));
    return keys;
  }

  private register(r: Resource): void {
    for (const key of this.providedKeys(r)) {
      let set = this.index.get(key);
      if (!set) this.index.set(key, (set = new Set()));
      set.add(r);
      this.ordered.delete(key);
      this.invalidateReaders(key);
    }
    this.dirty.add(r);
  }

  private unregister(r: Resource): void {
    for (const key of this.providedKeys(r)) {
      this.index.get(key)?.delete(r);
      this.ordered.delete(key);
      this.invalidateReaders(key);
    }
    const prev = this.results.get(r);
    if (prev) this.forget(r, prev);
    this.results.delete(r);
    this.dirty.delete(r);
    this.dirtyFiles.add(r.uri);
  }

  /** Drops the bookkeeping of a resource's last check. */
  private forget(r: Resource, prev: CheckResult): void {
    for (const key of prev.deps) this.readers.get(key)?.delete(r);
    for (const uri of prev.elsewhere) {
      this.foreign.get(uri)?.delete(r);
      this.dirtyFiles.add(uri);
    }
  }

  /** Resources waiting to be checked. */
  get pendingChecks(): number {
    return this.dirty.size;
  }

  private invalidateReaders(key: string): void {
    const readers = this.readers.get(key);
    if (readers) for (const reader of readers) this.dirty.add(reader);
  }

  /**
   * Runs the checks an edit made necessary. Returns the files whose findings may
   * have changed (the edited files and those holding re-checked resources).
   */
  flush(budgetMs = Infinity): Set<string> {
    const started = budgetMs === Infinity ? 0 : Date.now();
    let checked = 0;
    const touched = new Set<string>();
    for (const r of this.dirty) {
      // a bounded flush checks the clock every few resources, so a big backlog
      // (start-up, a configuration change) never blocks the caller for long
      if (budgetMs !== Infinity && ++checked % 16 === 0 && Date.now() - started >= budgetMs) break;
      this.dirty.delete(r);
      const prev = this.results.get(r);
      if (prev) this.forget(r, prev);
      const result = this.checkResource(r);
      this.results.set(r, result);
      for (const key of result.deps) {
        let set = this.readers.get(key);
        if (!set) this.readers.set(key, (set = new Set()));
        set.add(r);
      }
      for (const uri of result.elsewhere) {
        let set = this.foreign.get(uri);
        if (!set) this.foreign.set(uri, (set = new Set()));
        set.add(r);
        touched.add(uri);
      }
      touched.add(r.uri);
    }
    for (const uri of this.dirtyFiles) touched.add(uri);
    this.dirtyFiles.clear();
    return touched;
  }

  private checkResource(r: Resource): CheckResult {
    const deps = new Set<string>();
    const findings: Finding[] = [];
    const ws = this;
    let current: Rule;
    // open while the rules run: a query made later (from a fix function) would
    // read the index without being recorded, and its answer could go stale
    let open = true;
    const ensureOpen = (what: string) => {
      if (!open) {
        throw new Error(
          `RuleContext.${what}() called after the check of ${r.label()} returned (from a fix function?): ` +
            'make RuleContext queries during the check and capture their results; a fix function may only build edits',
        );
      }
    };
    const query = (what: string, key: string): readonly Resource[] => {
      ensureOpen(what);
      deps.add(key);
      let list = ws.ordered.get(key);
      if (!list) ws.ordered.set(key, (list = inFileOrder(ws.index.get(key))));
      return list.slice(); // rules may sort or splice their copy
    };
    const ctx: RuleContext = {
      config: this._config,
      namespaceOf: (x) => ws.namespaceOf(x),
      inNamespace: (category, namespace) => query('inNamespace', `${category}|${namespace}`),
      inScope: (category, x) => query('inScope', `${category}@${ws.scopeKey(x.uri)}`),
      all: (category) => query('all', `${category}*`),
      selectTemplates: (namespace, selector) => {
        ensureOpen('selectTemplates');
        const pairs = Object.entries(selector);
        if (!pairs.length) return [];
        let smallest: Set<Resource> | undefined;
        for (const [k, v] of pairs) {
          const key = labelKey(namespace, k, v);
          deps.add(key);
          const set = ws.index.get(key);
          if (!set || !set.size) return [];
          if (!smallest || set.size < smallest.size) smallest = set;
        }
        const matched = [...smallest!].filter((t) => pairs.every(([k, v]) => ws.index.get(labelKey(namespace, k, v))!.has(t)));
        return matched.length > 1 ? inFileOrder(new Set(matched)) : matched;
      },
      sameIdentity: (a, b) => ws.identity(a) === ws.identity(b),
      loc: (x, at, part) => locate(x, at, part),
      report(rep: Report) {
        ensureOpen('report');
        const finding = {
          rule: current.id,
          severity: rep.severity ?? current.severity,
          message: rep.message,
          loc: isLoc(rep.at) ? rep.at : locate(r, rep.at, rep.part),
          resource: r,
          related: rep.related ?? [],
          fixes: [] as Fix[],
          tags: rep.tags,
        };
        const fixes = rep.fixes;
        if (typeof fixes === 'function') lazyFixes(finding, () => runFixes(fixes));
        else if (fixes) finding.fixes = fixes;
        findings.push(finding);
      },
    };
    const rules = [...(this.rulesByKind.get(kindKey(r)) ?? []), ...this.rulesForAll];
    for (const rule of rules) {
      if (this._config.rules[rule.id] === 'off') continue;
      current = rule;
      try {
        rule.check(r, ctx);
      } catch (e) {
        // A rule bug must never take the whole check down; say where it happened.
        findings.push({
          rule: rule.id,
          severity: 'information',
          message: `kube-expose internal error in rule ${rule.id}: ${(e as Error).message}`,
          loc: locate(r, [], 'key'),
          resource: r,
          related: [],
          fixes: [],
        });
      }
    }
    open = false;
    const elsewhere = new Set<string>();
    for (const f of findings) if (f.loc.chunk.uri !== r.uri) elsewhere.add(f.loc.chunk.uri);
    return { findings, deps: [...deps], elsewhere: [...elsewhere] };
  }

  /** Findings of one file, with severities from the configuration and suppressions applied. */
  diagnostics(uri: string): Diagnostic[] {
    const file = this.files.get(uri);
    if (!file) return [];
    const out: Diagnostic[] = [];
    if (file.skipped && this.options.skippedRule) {
      const sev = this.severityOf(this.options.skippedRule.id, this.options.skippedRule.severity);
      if (sev) {
        out.push({
          uri,
          rule: this.options.skippedRule.id,
          severity: sev,
          message: file.skipped.detail,
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          related: [],
          fixes: [],
          tags: [],
        });
      }
      return out;
    }
    const isKube = file.chunks.some((c) => c.resources.length > 0 || c.looksLikeKubernetes);
    const fileSuppressed = file.chunks[0]?.suppress.file ?? new Set<string>();
    for (const chunk of file.chunks) {
      if (this.options.syntaxRule && isKube) {
        const sev = this.severityOf(this.options.syntaxRule.id, this.options.syntaxRule.severity);
        if (sev) {
          for (const p of chunk.problems) {
            if (suppressed(chunk, this.options.syntaxRule.id, p.range.start.line, fileSuppressed)) continue;
            out.push({
              uri,
              rule: this.options.syntaxRule.id,
              severity: sev,
              message: p.message,
              range: shiftRange(p.range, chunk.startLine),
              related: [],
              fixes: [],
              tags: [],
            });
          }
        }
      }
      // A document with syntax errors reports only those: its recovered tree still
      // links to other files (no flicker elsewhere while typing), but findings on a
      // half-parsed document would mislead.
      if (chunk.problems.length) continue;
      for (const r of chunk.resources) this.collect(r, uri, fileSuppressed, out);
    }
    // findings other files' resources place in this file (e.g. on a port they reference)
    for (const r of this.foreign.get(uri) ?? []) this.collect(r, uri, fileSuppressed, out);
    return out;
  }

  /** Adds r's findings located in `uri` to `out`. */
  private collect(r: Resource, uri: string, fileSuppressed: Set<string>, out: Diagnostic[]): void {
    const result = this.results.get(r);
    if (!result) return;
    for (const f of result.findings) {
      if (f.loc.chunk.uri !== uri) continue;
      if (f.loc.chunk !== r.chunk && f.loc.chunk.problems.length) continue;
      const sev = this.severityOf(f.rule, f.severity);
      if (!sev) continue;
      if (r.ignored.has(f.rule) || r.ignored.has('*')) continue;
      if (suppressed(f.loc.chunk, f.rule, f.loc.range.start.line, fileSuppressed)) continue;
      out.push(this.toDiagnostic(f, sev));
    }
  }

  private severityOf(rule: string, dflt: Severity): Severity | undefined {
    const s = this._config.rules[rule];
    if (s === 'off') return undefined;
    return s ?? dflt;
  }

  private toDiagnostic(f: Finding, severity: Severity): Diagnostic {
    const abs = (loc: Loc) => ({ uri: loc.chunk.uri, range: shiftRange(loc.range, loc.chunk.startLine) });
    const r = f.resource;
    const d = {
      uri: f.loc.chunk.uri,
      rule: f.rule,
      severity,
      message: f.message,
      range: abs(f.loc).range,
      resource: r && {
        kind: r.kind,
        namespace: this.namespaceOf(r),
        name: r.name ?? '',
        apiVersion: r.apiVersion,
      },
      related: f.related.map((rel) => ({ ...abs(rel.loc), message: rel.message })),
      fixes: [] as Diagnostic['fixes'], // (a placeholder keeping the key order: replaced by the getter below)
      tags: f.tags ?? [],
    };
    // not read while publishing: computing fixes builds the documents they edit
    return lazyFixes(d, () =>
      f.fixes.map((fix: Fix) => ({
        title: fix.title,
        isPreferred: !!fix.isPreferred,
        edits: fix.edits.map((e) => ({ ...abs(e.loc), newText: e.newText })),
      })),
    );
  }

  /** Every resource's findings, for callers that need the internal form (hover, code lenses). */
  findingsOf(r: Resource): readonly Finding[] {
    return this.results.get(r)?.findings ?? [];
  }
}

/**
 * A fix function that throws gives no fixes: the finding stays, and a rule bug
 * never breaks diagnostics (nor code actions, nor `--fix`). The test runner
 * sets KUBE_EXPOSE_STRICT_FIXES=1, so there the error surfaces where the fixes
 * are read and the rule's test fails.
 */
function runFixes(fixes: Exclude<Fixes, Fix[]>): Fix[] {
  try {
    const out = fixes();
    return Array.isArray(out) ? out : [];
  } catch (e) {
    if (typeof process !== 'undefined' && process.env?.KUBE_EXPOSE_STRICT_FIXES === '1') throw e;
    return [];
  }
}

/** Makes `obj.fixes` an enumerable getter that computes them on first read and keeps them. */
function lazyFixes<T extends object, F>(obj: T, compute: () => F[]): T & { readonly fixes: F[] } {
  let value: F[] | undefined;
  return Object.defineProperty(obj, 'fixes', {
    enumerable: true,
    configurable: true,
    get: () => (value ??= compute()),
  }) as T & { readonly fixes: F[] };
}

/**
 * Resources by file and position, not by when they were registered: rules that
 * take the first of equals (the closest candidate, who claims a port first)
 * must answer the same after any sequence of edits as a cold check does.
 */
function inFileOrder(set: Set<Resource> | undefined): Resource[] {
  if (!set) return [];
  return [...set].sort(
    (a, b) =>
      (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0) || a.chunk.startOffset - b.chunk.startOffset || a.docIndex - b.docIndex || a.itemIndex - b.itemIndex || a.id - b.id,
  );
}

function suppressed(chunk: Chunk, rule: string, line: number, fileWide: Set<string>): boolean {
  const s = chunk.suppress;
  if (fileWide.has('*') || fileWide.has(rule)) return true;
  if (s.document.has('*') || s.document.has(rule)) return true;
  const l = s.lines.get(line);
  return !!l && (l.has('*') || l.has(rule));
}

function labelKey(namespace: string, key: string, value: string): string {
  return `template-label\u0000${namespace}\u0000${key}\u0000${value}`;
}

export function isTemplateText(text: string): boolean {
  return /\{\{-?\s/.test(text) || /\{\{[^}]*\}\}/.test(text);
}

function isLoc(x: unknown): x is Loc {
  return typeof x === 'object' && x !== null && 'chunk' in x && 'range' in x;
}

/**
 * Location of a path under a resource. When the path does not exist, the
 * nearest existing ancestor's key is used, so a missing field is reported on
 * the field that should hold it.
 */
export function locate(r: Resource, at: Path | Node, part: 'key' | 'value' | 'pair' = 'value'): Loc {
  const pos = Array.isArray(at) ? r.positions : undefined;
  if (pos) {
    const loc = locateByPositions(r, pos, at as Path, part);
    if (VERIFY_LOCATE) {
      const slow = locateInDocument(r, at, part);
      if (JSON.stringify(slow.range) !== JSON.stringify(loc.range)) {
        throw new Error(`position index and Document disagree on ${JSON.stringify(at)} (${part}) in:\n${r.chunk.text}\nindex: ${JSON.stringify(loc.range)}, Document: ${JSON.stringify(slow.range)}`);
      }
    }
    return loc;
  }
  return locateInDocument(r, at, part);
}

const VERIFY_LOCATE = process.env.KUBE_EXPOSE_VERIFY_PARSE === '1';

/** `locate` from the fast parser's position index: the same answers, no Document. */
function locateByPositions(r: Resource, root: PosNode, at: Path, part: 'key' | 'value' | 'pair'): Loc {
  const chunk = r.chunk;
  let node: PosNode | undefined = root;
  let keyNode: PosNode | undefined;
  let valueNode: PosNode | undefined;
  let complete = true;
  for (const seg of at) {
    const next: ReturnType<typeof childAt> = node ? childAt(node, seg) : undefined;
    if (!next) {
      complete = false;
      break;
    }
    if (next.pair) {
      keyNode = next.pair.key;
      valueNode = next.pair.value;
    } else {
      keyNode = undefined;
      valueNode = next.item;
    }
    node = valueNode;
  }
  const rangeOf = (n: PosNode | undefined) => (n ? trimmedRange(chunk, [n.start, n.end]) : undefined);
  const top = () => rangeOf(root.pairs?.find((p) => p.key.value === 'kind')?.value) ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  if (!complete) return { chunk, range: rangeOf(keyNode ?? valueNode) ?? top() };
  let range: Range | undefined;
  if (part === 'key') range = rangeOf(keyNode) ?? rangeOf(valueNode);
  else if (part === 'pair' && keyNode) range = { start: rangeOf(keyNode)!.start, end: (rangeOf(valueNode) ?? rangeOf(keyNode)!).end };
  else {
    range = rangeOf(valueNode);
    if (!range || (range.start.line === range.end.line && range.start.character === range.end.character)) range = rangeOf(keyNode) ?? range;
  }
  return { chunk, range: range ?? top() };
}

function locateInDocument(r: Resource, at: Path | Node, part: 'key' | 'value' | 'pair'): Loc {
  const chunk = r.chunk;
  if (!Array.isArray(at)) return { chunk, range: trimmedRange(chunk, (at as Node).range) ?? topRange(r) };
  let node: unknown = r.node;
  let lastPair: Pair | undefined;
  let lastItem: Node | undefined;
  let complete = true;
  for (const seg of at) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === seg) as Pair | undefined;
      if (!pair) {
        complete = false;
        break;
      }
      lastPair = pair;
      lastItem = undefined;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number' && node.items[seg] !== undefined) {
      node = node.items[seg];
      lastItem = node as Node;
      lastPair = undefined;
    } else {
      complete = false;
      break;
    }
  }
  const keyNode = lastPair?.key as Node | undefined;
  const valueNode = (lastPair ? lastPair.value : lastItem) as Node | undefined;
  if (!complete) {
    // point at the deepest existing key (or item), not at a value we did not find
    const target = keyNode ?? valueNode;
    return { chunk, range: trimmedRange(chunk, target?.range) ?? topRange(r) };
  }
  let range: Range | undefined;
  if (part === 'key') range = trimmedRange(chunk, keyNode?.range) ?? trimmedRange(chunk, valueNode?.range);
  else if (part === 'pair' && keyNode?.range) {
    const end = valueNode?.range ? trimmedRange(chunk, valueNode.range)!.end : trimmedRange(chunk, keyNode.range)!.end;
    range = { start: trimmedRange(chunk, keyNode.range)!.start, end };
  } else {
    range = trimmedRange(chunk, valueNode?.range);
    // an empty value (`selector:`) has a zero-width range: underline the key instead
    if (!range || (range.start.line === range.end.line && range.start.character === range.end.character)) {
      range = trimmedRange(chunk, keyNode?.range) ?? range;
    }
  }
  return { chunk, range: range ?? topRange(r) };
}

function topRange(r: Resource): Range {
  const kind = r.node.get('kind', true) as Node | undefined;
  return trimmedRange(r.chunk, kind?.range) ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}

/** A node's value range without the trailing whitespace and line breaks block nodes carry. */
export function trimmedRange(chunk: Chunk, range: readonly number[] | null | undefined): Range | undefined {
  if (!range) return undefined;
  const start = range[0];
  let end = Math.max(range[1], start);
  const text = chunk.text;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return chunk.rangeOf(start, end);
}

export { isPair };
