// Small helpers shared by rule modules: naming things in messages and
// suggesting the closest candidate.
import { distance } from 'fastest-levenshtein';
import type { Path } from '../engine/model';
import type { Resource } from '../engine/parse';
import type { Related, RuleContext } from '../engine/rule';

/** Compares names as `localeCompare` does, without building a collator per call. */
export const compareNames = new Intl.Collator().compare;

/** A candidate and its edit distance to the value asked about (case-insensitive). */
export interface Scored {
  name: string;
  distance: number;
}

/** Each candidate with its edit distance to `value`: one distance per candidate, for the rankings below. */
export function scoreCandidates(value: string, candidates: Iterable<string>): Scored[] {
  const v = value.toLowerCase();
  return [...candidates].map((name) => ({ name, distance: distance(v, name.toLowerCase()) }));
}

/** Scored candidates, closest first (ties by name), as names. Sorts `scored` in place. */
export function rankScored(scored: Scored[]): string[] {
  return scored.sort((a, b) => a.distance - b.distance || compareNames(a.name, b.name)).map((x) => x.name);
}

/** The scored candidate closest to `value` (ties: the first in code-unit order), if it is plausibly a typo of it. */
export function closestScored(value: string, scored: readonly Scored[]): string | undefined {
  let best: Scored | undefined;
  for (const x of scored) if (!best || x.distance < best.distance || (x.distance === best.distance && x.name < best.name)) best = x;
  return best && best.distance <= typoLimit(value, best.name) ? best.name : undefined;
}

/** Candidates ordered by edit distance to `value` (case-insensitive; ties by name), without duplicates. */
export function byCloseness(value: string, candidates: Iterable<string>): string[] {
  return rankScored(scoreCandidates(value, new Set(candidates)));
}

/**
 * Candidates ordered by closeness to `wanted` (best first: `closest`'s pick),
 * and those that are plausible typos of it, with one edit distance per
 * candidate (a namespace may hold hundreds of Services).
 */
export function rankCandidates(wanted: string, candidates: readonly string[]): { ranked: string[]; best: string | undefined; plausible: string[] } {
  const scored = scoreCandidates(wanted, candidates);
  const best = closestScored(wanted, scored);
  const d = new Map(scored.map((x) => [x.name, x.distance]));
  const byCloseness = rankScored(scored);
  const ranked = best ? [best, ...byCloseness.filter((c) => c !== best)] : byCloseness;
  return { ranked, best, plausible: ranked.filter((c) => d.get(c)! <= typoLimit(wanted, c)) };
}

/** The candidate closest to `value` by edit distance, if it is plausibly a typo of it. */
export function closest(value: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates];
  return list.includes(value) ? value : closestScored(value, scoreCandidates(value, list));
}

/**
 * Whether a fix may put `candidate` in place of `value` without anyone reviewing
 * it (fix-all on save, `check --fix`): a stricter test than `typoLimit`, which
 * only decides what to suggest. Case aside, one edit per four characters (at
 * least one; two neighbours swapped count as one), and never names that differ
 * only in digits: `web-1` and `web-2` are siblings, not typos of each other.
 */
export function confidentTypo(value: string, candidate: string): boolean {
  const a = value.toLowerCase();
  const b = candidate.toLowerCase();
  if (a === b) return true;
  if (a.replace(/[0-9]/g, '') === b.replace(/[0-9]/g, '')) return false;
  if (PROTOCOL_NAMES.has(a) && PROTOCOL_NAMES.has(b)) return false;
  return distance(a, b) <= Math.max(1, Math.floor(Math.max(a.length, b.length) / 4)) || isNeighbourSwap(a, b);
}

/**
 * Port and protocol names that are near each other but mean different things
 * (`http` and `https`, `grpc` and `grpcs`, `h2` and `h2c`): a port named one
 * is not a misspelling of a port named the other, so no fix swaps them unreviewed.
 */
const PROTOCOL_NAMES = new Set(
  ['http', 'grpc', 'ws', 'ftp', 'smtp', 'imap', 'pop3', 'ldap', 'amqp', 'mqtt', 'nats', 'sip'].flatMap((p) => [p, `${p}s`]).concat(['h2', 'h2c', 'http2']),
);

/** `b` is `a` with two neighbouring characters swapped. */
function isNeighbourSwap(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i + 1 < a.length && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
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
