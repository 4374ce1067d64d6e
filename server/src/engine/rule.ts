// The contract between the engine and a rule module. A rule sees one resource
// at a time and reads the rest of the input set only through RuleContext
// queries; the engine records which queries each rule's check made, so after an
// edit it re-runs exactly the rules whose inputs changed.
import type { Node } from 'yaml';
import type { EngineConfig, Severity } from './config';
import type { Path } from './model';
import type { Chunk, Resource } from './parse';
import type { Range } from './text';

/** A place in a chunk; chunk-relative so it stays valid when earlier documents move. */
export interface Loc {
  chunk: Chunk;
  range: Range;
}

export interface Edit {
  loc: Loc;
  newText: string;
}

export interface Fix {
  title: string;
  isPreferred?: boolean;
  edits: Edit[];
}

/**
 * A finding's quick fixes: an array, or a function the engine calls only when
 * someone asks for them (a code action, `--fix`, JSON output). Fixes need the
 * `yaml` Document of the chunks they edit, which is slow to build; checking
 * never does, so a rule computes its fixes in a closure. The closure may only
 * do node and edit work (`mapAt`, `setKey`, ...) on values it captured: the
 * RuleContext is closed once the check returns, and its queries then throw.
 */
export type Fixes = Fix[] | (() => Fix[]);

export interface Related {
  loc: Loc;
  message: string;
}

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  loc: Loc;
  resource?: Resource;
  related: Related[];
  /** computed on first read when the rule gave a function, then kept; [] when computing them throws */
  readonly fixes: Fix[];
  tags?: ('deprecated' | 'unnecessary')[];
}

export interface Report {
  message: string;
  /** where: a path under the resource (key or value), or a node */
  at: Path | Node | Loc;
  /** for a path: underline the key ('key'), the value ('value', default) or both ('pair') */
  part?: 'key' | 'value' | 'pair';
  related?: Related[];
  /** prefer a function (see Fixes): it runs only when the fixes are asked for */
  fixes?: Fixes;
  tags?: ('deprecated' | 'unnecessary')[];
  /** overrides the rule's default severity (e.g. error within a pod, warning across pods) */
  severity?: Severity;
}

/**
 * The part of other resources a check reads, for checks that care about a
 * projection only (the node ports of the Services in a scope, the host ports of
 * the pod templates). A query given a facet returns only the resources with a
 * key (undefined: nothing of the facet, left out), and the check is re-run only
 * when a resource comes or goes, or its key changes: an edit elsewhere in a
 * resource that keeps its key does not re-run it.
 *
 * The key must hold everything the check reads of the other resources: values,
 * names, namespaces, whatever ends in a message or changes a decision. Their
 * locations need not be in it (findings pointing into a re-parsed document are
 * re-run by the engine). It must be a pure function of the resource.
 */
export interface Facet {
  readonly id: string;
  key(r: Resource): string | undefined;
}

export function defineFacet(id: string, key: (r: Resource) => string | undefined): Facet {
  return { id, key };
}

/**
 * Queries (inNamespace, inScope, all, selectTemplates, report) are valid only
 * while the check runs: they record what the check read. Made later, from a
 * fix closure, they throw.
 *
 * Query results are shared and frozen: the same array for as long as the index
 * entry does not change, so a rule may cache what it derives from one by its
 * identity (see nodePortPlan).
 */
export interface RuleContext {
  readonly config: EngineConfig;
  /** effective namespace of a resource ('' for cluster-scoped kinds) */
  namespaceOf(r: Resource): string;
  /** the resource is in a file a kustomization names as a patch: a partial object, merged into one of its base (kustomize.ts) */
  isPatch(r: Resource): boolean;
  /** resources of a category ('template', 'Service', 'Ingress', ...) in a namespace; with a facet, only those it keys (see Facet) */
  inNamespace(category: string, namespace: string, facet?: Facet): readonly Resource[];
  /** resources of a category in the same conflict scope as `r` (all namespaces); with a facet, only those it keys */
  inScope(category: string, r: Resource, facet?: Facet): readonly Resource[];
  /** every resource of a category in the input set; with a facet, only those it keys */
  all(category: string, facet?: Facet): readonly Resource[];
  /**
   * Resources of a category in a namespace with this metadata.name (the variants
   * of one object). Indexed, and the check depends only on resources of that
   * name: prefer it to filtering inNamespace by name.
   */
  named(category: string, namespace: string, name: string, facet?: Facet): readonly Resource[];
  /**
   * Pod templates (Pods and workloads) in a namespace whose labels hold every
   * key=value of a non-empty selector. Indexed, and the check depends only on
   * templates carrying those labels: prefer it to scanning inNamespace('template').
   */
  selectTemplates(namespace: string, selector: Record<string, string>): readonly Resource[];
  /** same identity (group, kind, namespace, name): a variant of one object, never a conflict */
  sameIdentity(a: Resource, b: Resource): boolean;
  /** a location under a resource */
  loc(r: Resource, at: Path | Node, part?: 'key' | 'value' | 'pair'): Loc;
  report(report: Report): void;
}

export interface RuleMeta {
  id: string;
  severity: Severity;
  description: string;
  fixable: boolean;
}

export interface Rule extends RuleMeta {
  /** kinds this rule checks ('*' for all resources) */
  kinds: readonly string[] | '*';
  /** also run on the resources of kustomize patch files (which no other object sees); the rule must allow them to be partial */
  checksPatches?: boolean;
  check(r: Resource, ctx: RuleContext): void;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}

export const DOCS_BASE = 'https://github.com/kube-expose/kube-expose/blob/main/docs/rules/';

export function docsUrl(id: string): string {
  return `${DOCS_BASE}${id}.md`;
}
