// What a plain scalar means, exactly as `yaml`'s YAML 1.1 schema (the one
// kubectl's parser follows) resolves it: `yes`, `0x50`, `010`, `1_000` and
// `190:20:30` are not strings. The fast readers (fastLoad.ts, blockLoad.ts)
// use `yaml`'s own tag tests and resolvers, so all paths agree.
import { Scalar, Schema, type ScalarTag } from 'yaml';

/** A scalar the fast readers leave to `yaml`: a timestamp (a Date key prints differently), or one `yaml` would report. */
export class Unresolvable extends Error {}

/** The YAML 1.1 tags that apply to plain scalars, in the order `yaml` tries them. */
export const PLAIN_TAGS = new Schema({ schema: 'yaml-1.1', merge: false }).tags.filter(
  (t): t is ScalarTag & { test: RegExp } => t.default === true && t.test instanceof RegExp,
);

/**
 * The index of the first tag whose test matches a plain scalar, -1 for a string.
 * A manifest repeats the same keys and values thousands of times (and js-yaml
 * asks every implicit type in turn about the same scalar), so the answer is
 * kept: for the scalar just asked about, and for short scalars seen before.
 */
const matchCache = new Map<string, number>();
let lastScalar: string | undefined;
let lastMatch = -1;
export function firstMatch(data: string): number {
  if (cannotMatch(data)) return -1;
  if (data === lastScalar) return lastMatch;
  let m = matchCache.get(data);
  if (m === undefined) {
    m = PLAIN_TAGS.findIndex((t) => t.test.test(data));
    if (data.length <= 64) {
      if (matchCache.size >= 20_000) matchCache.clear();
      matchCache.set(data, m);
    }
  }
  lastScalar = data;
  lastMatch = m;
  return m;
}

/**
 * The characters a match can start with, from the tests of PLAIN_TAGS: `~`, the
 * words of null and bool (1: at most 5 letters long), numbers (`e5` is a float).
 */
const MATCH_FIRST = new Uint8Array(128);
for (const ch of '~+-.0123456789eE') MATCH_FIRST[ch.charCodeAt(0)] = 2;
for (const ch of 'NnYyTtOoFf') MATCH_FIRST[ch.charCodeAt(0)] = 1;

/** A quick no for most scalars (names, keys): they match no tag. */
function cannotMatch(data: string): boolean {
  if (!data.length) return false;
  const c = data.charCodeAt(0);
  return c >= 128 || MATCH_FIRST[c] === 0 || (MATCH_FIRST[c] === 1 && data.length > 5);
}

/** The value of a plain scalar that tag `i` matched; throws Unresolvable where the fast readers must not go on. */
export function resolveAs(i: number, data: string): unknown {
  const tag = PLAIN_TAGS[i];
  if (tag.tag.endsWith(':timestamp')) throw new Unresolvable();
  const v = tag.resolve(data, () => {
    throw new Unresolvable();
  }, { intAsBigInt: false } as never);
  const value = v instanceof Scalar ? v.value : v;
  return typeof value === 'bigint' ? Number(value) : value;
}

/** The value of a plain scalar (the text itself when it is a string). */
export function resolvePlain(data: string): unknown {
  const i = firstMatch(data);
  return i === -1 ? data : resolveAs(i, data);
}
