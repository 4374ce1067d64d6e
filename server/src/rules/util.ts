// Small helpers shared by rule modules: naming things in messages and
// suggesting the closest candidate.
import { distance } from 'fastest-levenshtein';
import type { Path } from '../engine/model';
import type { Resource } from '../engine/parse';
import type { Related, RuleContext } from '../engine/rule';

/** Compares names as `localeCompare` does, without building a collator per call. */
export const compareNames = new Intl.Collator().compare;

/** Candidates ordered by edit distance to `value` (case-insensitive; ties by name), without duplicates. */
export function byCloseness(value: string, candidates: Iterable<string>): string[] {
  const v = value.toLowerCase();
  return [...new Set(candidates)]
    .map((c) => ({ c, d: distance(v, c.toLowerCase()) }))
    .sort((a, b) => a.d - b.d || compareNames(a.c, b.c))
    .map((x) => x.c);
}

/** The candidate closest to `value` by edit distance, if it is plausibly a typo of it. */
export function closest(value: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    if (c === value) return c;
    const d = distance(value.toLowerCase(), c.toLowerCase());
    if (d < bestDistance || (d === bestDistance && best !== undefined && c < best)) {
      best = c;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  return bestDistance <= typoLimit(value, best) ? best : undefined;
}

/** The largest edit distance at which `candidate` is still taken for a typo of `value`. */
export function typoLimit(value: string, candidate: string): number {
  return Math.max(2, Math.floor(Math.max(value.length, candidate.length) / 2));
}

/** `app=web, tier=frontend` */
export function formatLabels(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(', ') : '(no labels)';
}

/** `Deployment web` or `Deployment web (namespace shop)` when namespaces matter. */
export function describe(r: Resource): string {
  return `${r.kind} ${r.name ?? '<unnamed>'}`;
}

export function related(ctx: RuleContext, r: Resource, at: Path, message: string, part: 'key' | 'value' | 'pair' = 'value'): Related {
  return { loc: ctx.loc(r, at, part), message };
}

/** "did you mean" suffix, or ''. */
export function didYouMean(value: string, candidates: Iterable<string>): string {
  const c = closest(value, candidates);
  return c !== undefined && c !== value ? ` Did you mean "${c}"?` : '';
}

/** Labels that controllers add on their own and a selector should never copy. */
export const GENERATED_LABELS = new Set(['pod-template-hash', 'controller-revision-hash', 'statefulset.kubernetes.io/pod-name', 'batch.kubernetes.io/controller-uid', 'controller-uid', 'batch.kubernetes.io/job-name', 'job-name']);

export function stableLabels(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).filter(([k]) => !GENERATED_LABELS.has(k)));
}

export function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${n} ${n === 1 ? word : pluralWord}`;
}
