// The incremental engine: files in, findings out. It keeps every document's
// parse, an index of resources by category and namespace/conflict scope, and
// for each resource and rule the findings of its last run plus the index keys
// (and facets) that run read. An edit re-parses only changed documents, checks
// the resources that changed with every rule, and re-runs only the rules of
// other resources that read a key whose content changed.
import { isMap, isPair, isScalar, isSeq, type Node, type Pair } from 'yaml';
import { hasOverlappingEdits } from './apply';
import { DEFAULT_CONFIG, type EngineConfig, type Severity } from './config';
import { isKustomizationKey, patchFilesOf } from './kustomize';
import { categoryOf, CLUSTER_SCOPED, CUSTOM_CATEGORY, isCustomResource, kindKey, podTemplate, type Path } from './model';
import { Chunk, splitDocuments, suppressionLine, type Resource } from './parse';
import { childAt, type PosNode } from './positions';
import type { Facet, Finding, Fix, Fixes, Loc, Report, Rule, RuleContext } from './rule';
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

/** One rule's last run on one resource. */
interface RuleRun {
  readonly resource: Resource;
  /** position of the rule in the resource's rule list */
  readonly index: number;
  findings: Finding[];
  /** the reader sets this run is registered in (index keys, facets, chunks it points into) */
  readonly sets: Set<RuleRun>[];
}

interface CheckResult {
  /** by position in the resource's rule list */
  runs: RuleRun[];
  /** other files some of these findings are located in */
  elsewhere: Set<string>;
  /** all findings in rule order, built on demand */
  flat?: Finding[];
}

/** Stands for every run without findings and without reads of other resources (it is never marked or re-run alone). */
const QUIET_RUN: RuleRun = Object.freeze({ resource: undefined as unknown as Resource, index: -1, findings: Object.freeze([]) as unknown as Finding[], sets: Object.freeze([]) as unknown as Set<RuleRun>[] });

/** A replaced resource and its successor at the same place: only facets whose key changed invalidate. */
interface Replacement {
  old: Resource;
  next: Resource;
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
  private readonly ordered = new Map<string, Map<Facet | null, Resource[]>>();
  private readonly results = new Map<Resource, CheckResult>();
  /** index key -> facet (null: the whole resource) -> rule runs that read it */
  private readonly readers = new Map<string, Map<Facet | null, Set<RuleRun>>>();
  /** chunk -> rule runs of other resources whose findings point into it */
  private readonly chunkReaders = new Map<Chunk, Set<RuleRun>>();
  /** resources to check: null for every rule, else the positions of the rules to re-run */
  private readonly dirty = new Map<Resource, Set<number> | null>();
  private readonly facetKeys = new Map<Facet, WeakMap<Resource, string | null>>();
  private readonly rulesOfKind = new Map<string, Rule[]>();
  private readonly dirtyFiles = new Set<string>();
  /** file -> resources of other files with findings located in it */
  private readonly foreign = new Map<string, Set<Resource>>();
  /** file -> its documents with syntax problems (diagnostics() visits only those and the documents of resources with findings) */
  private readonly withProblems = new Map<string, Set<Chunk>>();
  /** file -> its resources that have findings */
  private readonly withFindings = new Map<string, Set<Resource>>();
  /** a finding's diagnostic, reused while its documents stay where they were */
  private readonly converted = new WeakMap<Finding, { config: EngineConfig; severity: Severity; lines: number[]; diagnostic: Diagnostic }>();
  private readonly rulesByKind = new Map<string, Rule[]>();
  /** kustomization file → the patch files it names (kustomize.ts) */
  private readonly patchesOf = new Map<string, readonly string[]>();
  /** patch file → the kustomizations naming it: its resources are checked as patches */
  private readonly patchOwners = new Map<string, Set<string>>();
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
    this.rulesOfKind.clear();
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
    // a big file: find the documents the edit left alone first (that also tells an unchanged text)
    const ends = old && !old.skipped && !old.template ? unchangedEnds(old.chunks, text) : undefined;
    if (ends ? ends.i === old!.chunks.length && ends.delta === 0 : old && old.text === text && !old.skipped) return;
    this.dirtyFiles.add(uri);
    const template = ends ? templateAfterEdit(old!.chunks, text, ends) : isTemplateText(text);
    const before = old?.chunks ?? [];
    const split: { pieces: Piece[]; from: number; to: number } = template ? { pieces: [], from: 0, to: before.length } : ((ends && resplit(before, text, ends)) ?? { pieces: splitDocuments(text), from: 0, to: before.length });
    // old chunks outside [from, to) come back as they are (same text, moved): only that window can change
    const { pieces, from, to } = split;
    const reuse = new Map<string, Chunk[]>();
    for (let k = from; k < to; k++) reuse.set(before[k].text, [...(reuse.get(before[k].text) ?? []), before[k]]);
    const chunks: Chunk[] = [];
    for (const piece of pieces) {
      const isFirst = chunks.length === 0;
      let chunk = piece.same ?? reuse.get(piece.text)?.shift();
      if (!chunk || chunk.isFirst !== isFirst) chunk = new Chunk(uri, piece.text, isFirst);
      else if (chunk.startLine !== piece.startLine) {
        // findings of other files pointing in here (related locations, fix edits) move with it
        for (const run of this.chunkReaders.get(chunk) ?? []) this.dirtyFiles.add(run.resource.uri);
      }
      chunk.startLine = piece.startLine;
      chunk.startOffset = piece.startOffset;
      chunks.push(chunk);
    }
    const oldWindow = before.slice(from, to);
    const newWindow = chunks.slice(from, chunks.length - (before.length - to));
    const kept = new Set(newWindow);
    const oldSet = new Set(oldWindow);
    const dropped = oldWindow.filter((c) => !kept.has(c));
    // The usual edit changes documents in place: each new document takes the
    // place of a replaced one with as many resources. Then each resource is
    // replaced by its successor, and readers of a facet whose key stays the same
    // keep their results. Anything else (documents added, removed or moved)
    // re-registers.
    const inPlace =
      !!old &&
      oldWindow.length === newWindow.length &&
      newWindow.every((c, k) => c === oldWindow[k] || (!oldSet.has(c) && !kept.has(oldWindow[k]) && c.resources.length === oldWindow[k].resources.length));
    if (inPlace) {
      newWindow.forEach((c, k) => {
        const was = oldWindow[k];
        if (c !== was) c.resources.forEach((r, m) => this.replace(was.resources[m], r));
      });
    } else {
      // documents kept but moved past each other change the order of the index lists: register them again
      const keptOld = oldWindow.filter((c) => kept.has(c));
      const keptNew = newWindow.filter((c) => oldSet.has(c));
      const moved = keptOld.some((c, k) => c !== keptNew[k]) ? keptOld : [];
      for (const c of [...dropped, ...moved]) c.resources.forEach((r) => this.unregister(r));
      for (const c of newWindow) if (!oldSet.has(c) || moved.includes(c)) c.resources.forEach((r) => this.register(r));
    }
    for (const c of dropped) this.dropChunk(c);
    let problems = this.withProblems.get(uri);
    for (const c of dropped) problems?.delete(c);
    for (const c of newWindow) {
      if (!c.problems.length || oldSet.has(c)) continue;
      if (!problems) this.withProblems.set(uri, (problems = new Set()));
      problems.add(c);
    }
    this.files.set(uri, { uri, text, chunks, template });
    if (isKustomizationKey(uri)) this.setPatches(uri, template ? [] : patchFilesOf(uri, text));
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
    for (const c of old.chunks) this.dropChunk(c);
    this.withProblems.delete(uri);
    this.files.delete(uri);
    this.dirtyFiles.add(uri);
    if (this.patchesOf.has(uri)) this.setPatches(uri, []);
  }

  /** True when a kustomization in the input names the file of `r` as a patch. */
  isPatch(r: Resource): boolean {
    return this.patchOwners.has(r.uri);
  }

  /**
   * Records the patch files a kustomization names. A file that becomes a patch
   * (or stops being one) leaves the index as what it was and comes back as
   * what it is, so everything that read it is checked again.
   */
  private setPatches(kustomization: string, patches: readonly string[]): void {
    const before = this.patchesOf.get(kustomization) ?? [];
    if (before.length === patches.length && before.every((k, i) => k === patches[i])) return;
    const next = new Set(patches);
    const changed = new Set([...before.filter((k) => !next.has(k)), ...patches.filter((k) => !before.includes(k))]);
    // a file becomes a patch with its first owner and stops being one with its last
    const flips = [...changed].filter((k) => (this.patchOwners.get(k)?.size ?? 0) === (next.has(k) ? 0 : 1));
    const flipped = flips.flatMap((k) => this.resourcesOf(k));
    for (const r of flipped) this.unregister(r);
    for (const k of changed) {
      let owners = this.patchOwners.get(k);
      if (next.has(k)) {
        if (!owners) this.patchOwners.set(k, (owners = new Set()));
        owners.add(kustomization);
      } else if (owners) {
        owners.delete(kustomization);
        if (!owners.size) this.patchOwners.delete(k);
      }
    }
    if (patches.length) this.patchesOf.set(kustomization, [...patches]);
    else this.patchesOf.delete(kustomization);
    for (const r of flipped) this.register(r);
    for (const k of flips) if (this.files.has(k)) this.dirtyFiles.add(k);
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
    // a patch is merged into an object of its base by kustomize: no other object sees it
    if (this.isPatch(r)) return [];
    const cat = categoryOf(r);
    const ns = this.namespaceOf(r);
    const keys = [`${cat}|${ns}`, `${cat}@${this.scopeKey(r.uri)}`, `${cat}*`];
    // pod templates are also indexed by each label, so a selector finds its
    // templates without a scan and depends only on the labels it names
    if (cat === 'template') for (const [k, v] of Object.entries(podTemplate(r)?.labels ?? {})) keys.push(labelKey(ns, k, v));
    // and every named resource by its name, so a reference depends only on the objects of that name
    if (r.name !== undefined) keys.push(nameKey(cat, ns, r.name));
    // custom resources of a namespace together: whatever their kind, an operator may make pods of them
    if (isCustomResource(r)) keys.push(`${CUSTOM_CATEGORY}|${ns}`);
    return keys;
  }

  private addToIndex(r: Resource, keys: Iterable<string>): void {
    for (const key of keys) {
      let set = this.index.get(key);
      if (!set) this.index.set(key, (set = new Set()));
      set.add(r);
      this.ordered.delete(key);
    }
  }

  private removeFromIndex(r: Resource, keys: Iterable<string>): void {
    for (const key of keys) {
      this.index.get(key)?.delete(r);
      this.ordered.delete(key);
    }
  }

  private register(r: Resource): void {
    const keys = this.providedKeys(r);
    this.addToIndex(r, keys);
    for (const key of keys) this.invalidateReaders(key);
    this.dirty.set(r, null);
  }

  private unregister(r: Resource): void {
    const keys = this.providedKeys(r);
    this.removeFromIndex(r, keys);
    for (const key of keys) this.invalidateReaders(key);
    this.dropResult(r);
  }

  /**
   * `next` takes the place of `old` (the same document position, re-parsed):
   * readers of a key both provide re-run unless they read it through a facet
   * that keys both alike.
   */
  private replace(old: Resource, next: Resource): void {
    const before = this.providedKeys(old);
    const after = this.providedKeys(next);
    const had = new Set(before);
    const has = new Set(after);
    this.removeFromIndex(old, before);
    this.addToIndex(next, after);
    for (const key of before) this.invalidateReaders(key, has.has(key) ? { old, next } : undefined);
    for (const key of after) if (!had.has(key)) this.invalidateReaders(key);
    this.dropResult(old);
    this.dirty.set(next, null);
  }

  /** Drops the bookkeeping of a resource that left the input set. */
  private dropResult(r: Resource): void {
    const prev = this.results.get(r);
    if (prev) {
      for (const run of prev.runs) if (run) this.forgetRun(run);
      this.moveElsewhere(r, prev.elsewhere, new Set());
    }
    this.results.delete(r);
    this.withFindings.get(r.uri)?.delete(r);
    this.dirty.delete(r);
    this.dirtyFiles.add(r.uri);
  }

  private noteFindings(r: Resource, runs: readonly RuleRun[]): void {
    let set = this.withFindings.get(r.uri);
    if (runs.some((run) => run.findings.length)) {
      if (!set) this.withFindings.set(r.uri, (set = new Set()));
      set.add(r);
    } else set?.delete(r);
  }

  private forgetRun(run: RuleRun): void {
    if (run === QUIET_RUN) return;
    for (const set of run.sets) set.delete(run);
    run.sets.length = 0;
  }

  /** A document was re-parsed or removed: findings of other resources that point into it are re-run. */
  private dropChunk(c: Chunk): void {
    const runs = this.chunkReaders.get(c);
    if (!runs) return;
    this.chunkReaders.delete(c);
    for (const run of runs) this.markRun(run);
  }

  /** Updates the files other than its own that hold findings of `r`. */
  private moveElsewhere(r: Resource, before: Set<string>, after: Set<string>, touched?: Set<string>): void {
    for (const uri of before) {
      if (after.has(uri)) continue;
      this.foreign.get(uri)?.delete(r);
      this.dirtyFiles.add(uri);
    }
    for (const uri of after) {
      if (before.has(uri)) continue;
      let set = this.foreign.get(uri);
      if (!set) this.foreign.set(uri, (set = new Set()));
      set.add(r);
      touched?.add(uri);
    }
  }

  /** Resources waiting to be checked. */
  get pendingChecks(): number {
    return this.dirty.size;
  }

  private markRun(run: RuleRun): void {
    const which = this.dirty.get(run.resource);
    if (which === null) return;
    if (which) which.add(run.index);
    else this.dirty.set(run.resource, new Set([run.index]));
  }

  /** Marks the readers of a key; for a replacement, only those whose facet keys the two differently. */
  private invalidateReaders(key: string, change?: Replacement): void {
    const byFacet = this.readers.get(key);
    if (!byFacet) return;
    for (const [facet, runs] of byFacet) {
      if (!runs.size) continue;
      if (facet && change && this.facetKey(change.old, facet) === this.facetKey(change.next, facet)) continue;
      for (const run of runs) this.markRun(run);
    }
  }

  /** A resource's key under a facet (null: none), computed once per resource. */
  private facetKey(r: Resource, facet: Facet): string | null {
    let keys = this.facetKeys.get(facet);
    if (!keys) this.facetKeys.set(facet, (keys = new WeakMap()));
    let k = keys.get(r);
    if (k === undefined) {
      try {
        k = facet.key(r) ?? null;
      } catch {
        k = `\u0000unkeyable ${r.id}`; // never equal to another resource's key: readers always re-run
      }
      keys.set(r, k);
    }
    return k;
  }

  private readersOf(key: string, facet: Facet | null): Set<RuleRun> {
    let byFacet = this.readers.get(key);
    if (!byFacet) this.readers.set(key, (byFacet = new Map()));
    let runs = byFacet.get(facet);
    if (!runs) byFacet.set(facet, (runs = new Set()));
    return runs;
  }

  /** The rules that check a resource, in order (rules turned off in the configuration left out). */
  private rulesFor(r: Resource): Rule[] {
    const patch = this.isPatch(r);
    const kind = kindKey(r);
    const cacheKey = patch ? `${kind}\0patch` : kind;
    let rules = this.rulesOfKind.get(cacheKey);
    if (!rules) {
      rules = [...(this.rulesByKind.get(kind) ?? []), ...this.rulesForAll].filter((rule) => this._config.rules[rule.id] !== 'off' && (!patch || rule.checksPatches));
      this.rulesOfKind.set(cacheKey, rules);
    }
    return rules;
  }

  /**
   * Runs the checks an edit made necessary. Returns the files whose findings may
   * have changed (the edited files and those holding re-checked resources).
   */
  flush(budgetMs = Infinity): Set<string> {
    const started = budgetMs === Infinity ? 0 : Date.now();
    let checked = 0;
    const touched = new Set<string>();
    for (const [r, which] of this.dirty) {
      // a bounded flush checks the clock every few resources, so a big backlog
      // (start-up, a configuration change) never blocks the caller for long
      if (budgetMs !== Infinity && ++checked % 16 === 0 && Date.now() - started >= budgetMs) break;
      this.dirty.delete(r);
      this.check(r, which, touched);
    }
    for (const uri of this.dirtyFiles) touched.add(uri);
    this.dirtyFiles.clear();
    return touched;
  }

  /** Runs every rule on `r` (which = null) or the listed ones; adds the files whose findings changed to `touched`. */
  private check(r: Resource, which: Set<number> | null, touched: Set<string>): void {
    const rules = this.rulesFor(r);
    const prev = this.results.get(r);
    if (!prev || which === null) {
      if (prev) for (const run of prev.runs) this.forgetRun(run);
      const runs = rules.map((rule, i) => this.runRule(r, rule, i));
      const elsewhere = elsewhereOf(r, runs);
      this.moveElsewhere(r, prev?.elsewhere ?? new Set(), elsewhere, touched);
      this.results.set(r, { runs, elsewhere });
      this.noteFindings(r, runs);
      touched.add(r.uri);
      for (const uri of elsewhere) touched.add(uri);
      return;
    }
    let changed = false;
    for (const i of which) {
      const before = prev.runs[i];
      this.forgetRun(before);
      const after = this.runRule(r, rules[i], i);
      prev.runs[i] = after;
      // an unchanged result leaves its files alone: nothing to publish there
      if (sameFindings(before.findings, after.findings)) continue;
      changed = true;
      touched.add(r.uri);
      for (const f of before.findings) touched.add(f.loc.chunk.uri);
      for (const f of after.findings) touched.add(f.loc.chunk.uri);
    }
    if (!changed) return;
    prev.flat = undefined;
    this.noteFindings(r, prev.runs);
    const elsewhere = elsewhereOf(r, prev.runs);
    this.moveElsewhere(r, prev.elsewhere, elsewhere, touched);
    prev.elsewhere = elsewhere;
  }

  private runRule(r: Resource, rule: Rule, index: number): RuleRun {
    const run: RuleRun = { resource: r, index, findings: [], sets: [] };
    const ctx = new RunContext(this, run, rule);
    try {
      rule.check(r, ctx);
    } catch (e) {
      // A rule bug must never take the whole check down; say where it happened.
      run.findings.push({
        rule: rule.id,
        severity: 'information',
        message: `kube-expose internal error in rule ${rule.id}: ${(e as Error).message}`,
        loc: locate(r, [], 'key'),
        resource: r,
        related: [],
        fixes: [],
      });
    }
    ctx.open = false;
    const findings = run.findings;
    // most runs find nothing and read nothing else: nothing to keep (and never re-run alone)
    if (!findings.length && !run.sets.length) return QUIET_RUN;
    // findings that point into other documents are re-run when those are re-parsed
    // (lazy fixes are not computed here: they drop edits into documents replaced since, see liveFixes)
    for (const f of findings) {
      this.pointsInto(run, f.loc.chunk);
      for (const rel of f.related) this.pointsInto(run, rel.loc.chunk);
      if (!ctx.eagerFixes?.has(f)) continue;
      for (const fix of f.fixes) for (const e of fix.edits) this.pointsInto(run, e.loc.chunk);
    }
    return run;
  }

  /** @internal (RunContext) Registers `run` as a reader of an index key (through a facet, or all of it). */
  read(run: RuleRun, key: string, facet: Facet | null): void {
    const runs = this.readersOf(key, facet);
    if (runs.has(run)) return;
    runs.add(run);
    run.sets.push(runs);
  }

  /** @internal (RunContext) The resources under an index key (those a facet keys), in file order: one frozen list per index version. */
  answer(key: string, facet: Facet | undefined): readonly Resource[] {
    let byFacet = this.ordered.get(key);
    if (!byFacet) this.ordered.set(key, (byFacet = new Map()));
    let list = byFacet.get(facet ?? null);
    if (!list) {
      const set = this.index.get(key);
      // rules read it (and may cache what they derive from it by identity)
      list = Object.freeze(inFileOrder(facet && set ? new Set([...set].filter((x) => this.facetKey(x, facet) !== null)) : set)) as Resource[];
      byFacet.set(facet ?? null, list);
    }
    return list;
  }

  /** @internal (RunContext) Templates of a namespace carrying every label of a non-empty selector; reads are recorded for `run`. */
  selectTemplates(run: RuleRun, namespace: string, selector: Record<string, string>): readonly Resource[] {
    const pairs = Object.entries(selector);
    if (!pairs.length) return [];
    let smallest: Set<Resource> | undefined;
    for (const [k, v] of pairs) {
      const key = labelKey(namespace, k, v);
      this.read(run, key, null);
      const set = this.index.get(key);
      if (!set || !set.size) return [];
      if (!smallest || set.size < smallest.size) smallest = set;
    }
    const matched = [...smallest!].filter((t) => pairs.every(([k, v]) => this.index.get(labelKey(namespace, k, v))!.has(t)));
    return matched.length > 1 ? inFileOrder(new Set(matched)) : matched;
  }

  /**
   * A fix function runs after its check, maybe after a document it edits was
   * re-parsed without the check re-running (its reads did not change): such a
   * fix would edit text that is gone, so it is dropped until the next check.
   */
  /** @internal (RunContext) */
  liveFixes(fixes: Fix[]): Fix[] {
    return fixes.filter((fix) => fix.edits.every((e) => this.files.get(e.loc.chunk.uri)?.chunks.includes(e.loc.chunk)));
  }

  private pointsInto(run: RuleRun, chunk: Chunk): void {
    if (chunk === run.resource.chunk) return;
    let runs = this.chunkReaders.get(chunk);
    if (!runs) this.chunkReaders.set(chunk, (runs = new Set()));
    if (runs.has(run)) return;
    runs.add(run);
    run.sets.push(runs);
  }

  /**
   * Findings of one file, with severities from the configuration and suppressions applied.
   * A diagnostic that did not change since the last call is the same object: read them, never change them.
   */
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
    const syntax = this.options.syntaxRule && isKube ? this.severityOf(this.options.syntaxRule.id, this.options.syntaxRule.severity) : undefined;
    // only documents with syntax problems or with resources that have findings say anything
    const visit = new Set<Chunk>(this.withProblems.get(uri));
    for (const r of this.withFindings.get(uri) ?? []) visit.add(r.chunk);
    for (const chunk of [...visit].sort((a, b) => a.startOffset - b.startOffset)) {
      if (syntax) {
        for (const p of chunk.problems) {
          if (suppressed(chunk, this.options.syntaxRule!.id, p.range.start.line, fileSuppressed)) continue;
          out.push({
            uri,
            rule: this.options.syntaxRule!.id,
            severity: syntax,
            message: p.message,
            range: shiftRange(p.range, chunk.startLine),
            related: [],
            fixes: [],
            tags: [],
          });
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
    for (const f of flatFindings(result)) {
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

  /** The diagnostic of a finding; the same object as last time when nothing it shows moved. */
  private toDiagnostic(f: Finding, severity: Severity): Diagnostic {
    const lines = [f.loc.chunk.startLine];
    for (const rel of f.related) lines.push(rel.loc.chunk.startLine);
    // fixes not computed yet stay so (that builds Documents); once computed, where they edit is part of the key
    if (pendingFixes.has(f)) lines.push(-1);
    else for (const fix of f.fixes) for (const e of fix.edits) lines.push(e.loc.chunk.startLine);
    const cached = this.converted.get(f);
    if (cached && cached.config === this._config && cached.severity === severity && cached.lines.every((l, i) => l === lines[i])) return cached.diagnostic;
    const diagnostic = this.convert(f, severity);
    this.converted.set(f, { config: this._config, severity, lines, diagnostic });
    return diagnostic;
  }

  private convert(f: Finding, severity: Severity): Diagnostic {
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
      f.fixes
        .map((fix: Fix) => ({
          title: fix.title,
          isPreferred: !!fix.isPreferred,
          edits: fix.edits.map((e) => ({ ...abs(e.loc), newText: e.newText })),
        }))
        // a fix whose edits overlap cannot be applied as one change (a rule bug): better none
        .filter((fix) => !hasOverlappingEdits(fix.edits)),
    );
  }

  /** Every resource's findings, for callers that need the internal form (hover, code lenses). */
  findingsOf(r: Resource): readonly Finding[] {
    const result = this.results.get(r);
    return result ? flatFindings(result) : [];
  }
}

function flatFindings(result: CheckResult): Finding[] {
  return (result.flat ??= result.runs.length === 1 ? result.runs[0].findings : result.runs.flatMap((run) => run.findings));
}

function elsewhereOf(r: Resource, runs: readonly RuleRun[]): Set<string> {
  const out = new Set<string>();
  for (const run of runs) for (const f of run.findings) if (f.loc.chunk.uri !== r.uri) out.add(f.loc.chunk.uri);
  return out;
}

function sameLoc(a: Loc, b: Loc): boolean {
  const x = a.range;
  const y = b.range;
  return (
    a.chunk === b.chunk &&
    x.start.line === y.start.line &&
    x.start.character === y.start.character &&
    x.end.line === y.end.line &&
    x.end.character === y.end.character
  );
}

/** Two runs' findings say the same at the same places (so nothing needs publishing). */
export function sameFindings(a: readonly Finding[], b: readonly Finding[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x.rule !== y.rule || x.severity !== y.severity || x.message !== y.message || x.resource !== y.resource || !sameLoc(x.loc, y.loc)) return false;
    if ((x.tags ?? []).join() !== (y.tags ?? []).join()) return false;
    if (x.related.length !== y.related.length || x.fixes.length !== y.fixes.length) return false;
    for (let j = 0; j < x.related.length; j++) {
      if (x.related[j].message !== y.related[j].message || !sameLoc(x.related[j].loc, y.related[j].loc)) return false;
    }
    for (let j = 0; j < x.fixes.length; j++) {
      const f = x.fixes[j];
      const g = y.fixes[j];
      if (f.title !== g.title || !!f.isPreferred !== !!g.isPreferred || f.edits.length !== g.edits.length) return false;
      for (let k = 0; k < f.edits.length; k++) if (f.edits[k].newText !== g.edits[k].newText || !sameLoc(f.edits[k].loc, g.edits[k].loc)) return false;
    }
  }
  return true;
}

interface Piece {
  text: string;
  startLine: number;
  startOffset: number;
  /** an old chunk known to hold exactly this text */
  same?: Chunk;
}

/** Where an edit left a file's documents alone: old[0, i) in place, old[j, n) moved by delta. */
interface UnchangedEnds {
  i: number;
  j: number;
  delta: number;
}

/**
 * The documents before and after an edit, found by comparing the old
 * documents' texts with the new text in place (native string comparisons, no
 * scan of the text). Undefined for small files, where scanning is cheap.
 */
function unchangedEnds(old: readonly Chunk[], text: string): UnchangedEnds | undefined {
  const n = old.length;
  if (n < 3) return undefined;
  const delta = text.length - endOf(old);
  let i = 0;
  while (i < n && holds(text, old[i].startOffset, old[i].text)) i++;
  let j = n;
  while (j > i && old[j - 1].startOffset + delta >= (i > 0 ? old[i].startOffset : 0) && holds(text, old[j - 1].startOffset + delta, old[j - 1].text)) j--;
  return { i, j, delta };
}

function endOf(chunks: readonly Chunk[]): number {
  const last = chunks[chunks.length - 1];
  return last.startOffset + last.text.length;
}

/**
 * isTemplateText of an edited text whose old text was no template: a match
 * must overlap the changed stretch [p, q), so only the stretch and its
 * surroundings are searched. `{{…}}` holds no `}` inside: a match starting
 * before p starts in the tail of an unchanged document after its last `}`, and
 * one ending after q ends in the first unchanged document holding a `}` (both
 * found from per-document flags, without scanning the text).
 */
function templateAfterEdit(old: readonly Chunk[], text: string, { i, j, delta }: UnchangedEnds): boolean {
  const p = i < old.length ? old[i].startOffset : endOf(old);
  const q = (j < old.length ? old[j].startOffset : endOf(old)) + delta;
  let start = i > 0 ? old[i - 1].startOffset : 0;
  for (let k = i - 1; k >= 0; k--) {
    const f = braces(old[k]);
    if (f & OPEN_TAIL) start = old[k].startOffset;
    if (f & HAS_CLOSE) break;
  }
  let end = q;
  for (let k = j; k < old.length; k++) {
    if (braces(old[k]) & HAS_CLOSE) {
      end = old[k].startOffset + delta + old[k].text.length;
      break;
    }
  }
  return isTemplateText(text.slice(Math.min(start, Math.max(0, p - 4)), Math.min(text.length, Math.max(end, q + 4))));
}

const HAS_CLOSE = 1;
/** a `{{` after the last `}` */
const OPEN_TAIL = 2;
const braceFlags = new WeakMap<Chunk, number>();

function braces(c: Chunk): number {
  let f = braceFlags.get(c);
  if (f === undefined) {
    const close = c.text.lastIndexOf('}');
    f = (close >= 0 ? HAS_CLOSE : 0) | (c.text.indexOf('{{', close + 1) >= 0 ? OPEN_TAIL : 0);
    braceFlags.set(c, f);
  }
  return f;
}

/**
 * Splits an edited file without scanning all of it: only the stretch between
 * the unchanged documents is split again, from the start of the document before
 * the edit to the start of a document after it. The split is a line scan that
 * starts afresh at every document start, so that stretch splits exactly as it
 * would within the whole text; the stretch must end in a document start, as it
 * did before, or the whole text is split (undefined). Returns every piece (the
 * unchanged documents as they are, moved) and the window [from, to) of old
 * documents that was split again. Ranges of the old chunks are read as they
 * were (the caller moves them afterwards).
 */
function resplit(old: readonly Chunk[], text: string, { i, j, delta }: UnchangedEnds): { pieces: Piece[]; from: number; to: number } | undefined {
  const n = old.length;
  const s = Math.max(0, i - 1); // the document before the edit: its start line is unchanged
  const t = j + 1; // a document start whose line and line break lie in the unchanged end
  const from = old[s].startOffset;
  let middle: Piece[];
  let last: Piece | undefined;
  if (t >= n) middle = splitDocuments(text.slice(from));
  else {
    const anchor = old[t].startOffset + delta;
    let lineEnd = text.indexOf('\n', anchor);
    if (lineEnd < 0) lineEnd = text.length;
    middle = splitDocuments(text.slice(from, lineEnd));
    last = middle.pop()!;
    if (last.startOffset !== anchor - from) return undefined; // the edit joined the stretch with what follows
  }
  const pieces: Piece[] = [];
  for (let k = 0; k < s; k++) pieces.push({ text: old[k].text, startLine: old[k].startLine, startOffset: old[k].startOffset, same: old[k] });
  for (const p of middle) pieces.push({ text: p.text, startLine: p.startLine + old[s].startLine, startOffset: p.startOffset + from });
  if (!last) return { pieces, from: s, to: n };
  const lineDelta = last.startLine + old[s].startLine - old[t].startLine;
  for (let k = t; k < n; k++) pieces.push({ text: old[k].text, startLine: old[k].startLine + lineDelta, startOffset: old[k].startOffset + delta, same: old[k] });
  return { pieces, from: s, to: t };
}

/** `text` holds `part` at `at` (a slice compared as a whole: much faster than startsWith on long texts). */
function holds(text: string, at: number, part: string): boolean {
  return text.slice(at, at + part.length) === part;
}

/**
 * What a rule sees while it checks one resource. One per rule run, so its
 * methods live on the prototype: a large file makes tens of thousands of runs.
 */
class RunContext implements RuleContext {
  /** open while the rule runs: a query made later (from a fix function) would read the index without being recorded, and its answer could go stale */
  open = true;
  /** findings whose fixes were given as a list (their edits are followed like related locations) */
  eagerFixes: Set<Finding> | undefined;

  constructor(
    private readonly ws: Workspace,
    private readonly run: RuleRun,
    private readonly rule: Rule,
  ) {}

  get config(): EngineConfig {
    return this.ws.config;
  }

  namespaceOf(x: Resource): string {
    return this.ws.namespaceOf(x);
  }

  isPatch(x: Resource): boolean {
    return this.ws.isPatch(x);
  }

  inNamespace(category: string, namespace: string, facet?: Facet): readonly Resource[] {
    return this.query('inNamespace', `${category}|${namespace}`, facet);
  }

  inScope(category: string, x: Resource, facet?: Facet): readonly Resource[] {
    return this.query('inScope', `${category}@${this.ws.scopeKey(x.uri)}`, facet);
  }

  all(category: string, facet?: Facet): readonly Resource[] {
    return this.query('all', `${category}*`, facet);
  }

  named(category: string, namespace: string, name: string, facet?: Facet): readonly Resource[] {
    return this.query('named', nameKey(category, namespace, name), facet);
  }

  selectTemplates(namespace: string, selector: Record<string, string>): readonly Resource[] {
    this.ensureOpen('selectTemplates');
    return this.ws.selectTemplates(this.run, namespace, selector);
  }

  sameIdentity(a: Resource, b: Resource): boolean {
    return this.ws.identity(a) === this.ws.identity(b);
  }

  loc(x: Resource, at: Path | Node, part?: 'key' | 'value' | 'pair'): Loc {
    return locate(x, at, part);
  }

  report(rep: Report): void {
    this.ensureOpen('report');
    const r = this.run.resource;
    const finding = {
      rule: this.rule.id,
      severity: rep.severity ?? this.rule.severity,
      message: rep.message,
      loc: isLoc(rep.at) ? rep.at : locate(r, rep.at, rep.part),
      resource: r,
      related: rep.related ?? [],
      fixes: [] as Fix[],
      tags: rep.tags,
    };
    const fixes = rep.fixes;
    const ws = this.ws;
    if (typeof fixes === 'function') lazyFixes(finding, () => ws.liveFixes(runFixes(fixes)));
    else if (fixes) {
      finding.fixes = fixes;
      (this.eagerFixes ??= new Set()).add(finding);
    }
    this.run.findings.push(finding);
  }

  private query(what: string, key: string, facet: Facet | undefined): readonly Resource[] {
    this.ensureOpen(what);
    this.ws.read(this.run, key, facet ?? null);
    return this.ws.answer(key, facet);
  }

  private ensureOpen(what: string): void {
    if (this.open) return;
    throw new Error(
      `RuleContext.${what}() called after the check of ${this.run.resource.label()} returned (from a fix function?): ` +
        'make RuleContext queries during the check and capture their results; a fix function may only build edits',
    );
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

/** Objects whose lazy `fixes` have not been computed yet. */
const pendingFixes = new WeakSet<object>();

/** Makes `obj.fixes` an enumerable getter that computes them on first read and keeps them. */
function lazyFixes<T extends object, F>(obj: T, compute: () => F[]): T & { readonly fixes: F[] } {
  let value: F[] | undefined;
  pendingFixes.add(obj);
  return Object.defineProperty(obj, 'fixes', {
    enumerable: true,
    configurable: true,
    get: () => {
      if (value === undefined) {
        value = compute();
        pendingFixes.delete(obj);
      }
      return value;
    },
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
  if (!s.lines.size) return false;
  const l = s.lines.get(suppressionLine(chunk.lines, line));
  return !!l && (l.has('*') || l.has(rule));
}

function nameKey(category: string, namespace: string, name: string): string {
  return `named\u0000${category}\u0000${namespace}\u0000${name}`;
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
