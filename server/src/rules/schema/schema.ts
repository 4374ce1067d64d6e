// The `schema` rule: validates each modelled resource against the JSON Schemas
// in schemas/ (what the API server's decoding and per-field validation would
// refuse: wrong types, unknown fields, enum values, port ranges, name formats
// F-01..F-13, required fields) and reports one clear finding per YAML node.
import type { ErrorObject } from 'ajv';
import { isMap, isScalar, type Node, type Pair } from 'yaml';
import { replaceScalar } from '../../engine/edits';
import { get, type Path } from '../../engine/model';
import { isPlainKey, isPlainObject, type Resource } from '../../engine/parse';
import { defineRule, type Fix, type Fixes, type RuleContext } from '../../engine/rule';
import { FORMATS } from './formats';
import { apiValue, CHECKED_KINDS, isYaml11Bool, validatorFor } from './validator';

interface Problem {
  path: Path;
  part: 'key' | 'value';
  /** where to underline when not at `path` (an item's first key) */
  at?: Path | Node;
  rank: number;
  /** required / anyOf / not: several at one place merge into one finding */
  structural: boolean;
  label: string;
  detail: string;
  /** a function: the edits need the Document, built only when fixes are read */
  fixes: Fixes;
}

const RANK = { misplaced: 0, unknown: 1, type: 2, value: 3, structural: 4 } as const;

// ---------------------------------------------------------------------------
// Naming things

/** `spec.ports[0].targetPort`, `metadata.labels["app.kubernetes.io/name"]` */
export function pathLabel(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${shown(seg)}]`;
  }
  return out;
}

/** A value quoted for a message: long ones are cut, so a 100 KB value never makes a 100 KB message. */
export function shown(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length <= 80 ? text : `${text.slice(0, 60)}…" (${typeof v === 'string' ? `${v.length} characters` : 'long'})`;
}

function article(noun: string): string {
  return /^[aeiouAEIOU]/.test(noun) && !/^(use|uni|one)/i.test(noun) ? 'an' : 'a';
}

function listWords(values: readonly unknown[]): string {
  const words = values.map(String);
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** Optimal string alignment distance (a transposition counts as one edit). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The one candidate `value` is plausibly a typo of (case-insensitive), or undefined when none or several are. */
export function suggest(value: string, candidates: readonly string[]): string | undefined {
  const lower = value.toLowerCase();
  const exact = candidates.filter((c) => c.toLowerCase() === lower);
  if (exact.length === 1) return exact[0];
  if (exact.length > 1) return undefined;
  const limit = lower.length <= 4 ? 1 : lower.length <= 10 ? 2 : 3;
  let best: string | undefined;
  let bestD = Infinity;
  let tie = false;
  for (const c of candidates) {
    // the distance is at least the length difference: skip hopeless candidates
    // (a 10,000-character key must not cost a 10,000-row table per candidate)
    if (Math.abs(c.length - lower.length) > limit) continue;
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestD) {
      best = c;
      bestD = d;
      tie = false;
    } else if (d === bestD) tie = true;
  }
  return best !== undefined && bestD <= limit && !tie ? best : undefined;
}

// ---------------------------------------------------------------------------
// Paths and nodes

function toPath(instancePath: string, root: unknown): Path {
  if (!instancePath) return [];
  const out: Path = [];
  let cur: any = root;
  for (const raw of instancePath.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(cur)) {
      out.push(Number(seg));
      cur = cur[Number(seg)];
    } else {
      out.push(seg);
      cur = cur && typeof cur === 'object' ? cur[seg] : undefined;
    }
  }
  return out;
}

function pairIn(r: Resource, path: Path, key: string): Pair | undefined {
  const map = path.length ? r.nodeAt(path) : r.node;
  if (!isMap(map)) return undefined;
  return map.items.find((p) => isScalar(p.key) && String(p.key.value) === key) as Pair | undefined;
}

/** Renames the key `key` of the map at `path` (when it is a plain scalar key). */
function renameFix(r: Resource, path: Path, key: string, to: string, preferred: boolean): Fix[] {
  const pair = pairIn(r, path, key);
  return isScalar(pair?.key) ? [{ title: `Rename "${key}" to "${to}"`, isPreferred: preferred, edits: [replaceScalar(r.chunk, pair.key as Node, to)] }] : [];
}

/** Replaces the scalar at `path` (when it is one). */
function scalarFix(r: Resource, path: Path, title: string, value: unknown): Fix[] {
  const node = r.nodeAt(path);
  return isScalar(node) ? [{ title, isPreferred: true, edits: [replaceScalar(r.chunk, node, value)] }] : [];
}

/** Writes a quoted scalar's value plainly; nothing for a plain scalar (a string for another reason, e.g. a stray CR in it). */
function unquoteFix(node: Node | undefined, r: Resource, title: string, value: unknown): Fix[] {
  const quoted = isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE');
  return quoted ? [{ title, isPreferred: true, edits: [replaceScalar(r.chunk, node, value)] }] : [];
}

function sourceText(r: Resource, node: Node | undefined): string | undefined {
  if (!node?.range) return undefined;
  return r.chunk.text.slice(node.range[0], node.range[1]).trim();
}

/**
 * Where a missing field is reported: the parent's key, or an item's first key.
 * The first key is found by name where the value surely has the text's key
 * order (a fast-path chunk, plain keys only: JS puts index-like keys first),
 * else as a node.
 */
function parentAnchor(r: Resource, path: Path): { path: Path; at?: Path | Node } {
  const last = path[path.length - 1];
  if (typeof last === 'number') {
    const value = get(r.value, path);
    if (r.chunk.readFast && isPlainObject(value) && path.every((seg) => typeof seg === 'number' || isPlainKey(seg))) {
      const keys = Object.keys(value);
      if (keys.length === 0) return { path };
      if (keys.every(isPlainKey)) return { path, at: [...path, keys[0]] };
    }
    const item = r.nodeAt(path);
    if (isMap(item) && item.items.length && isScalar(item.items[0].key)) return { path, at: item.items[0].key as Node };
  }
  return { path };
}

function isPlaceholder(v: unknown): boolean {
  return typeof v === 'string' && /\$\{|\$\(|\{\{/.test(v);
}

// ---------------------------------------------------------------------------
// Error -> problem

const EXPECTED: Record<string, string> = {
  integer: 'a whole number',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'a map of fields (key: value)',
  array: 'a list (items starting with "- ")',
  'integer,string': 'a port number or a port name',
  null: 'nothing',
};

/** (the node, for how a boolean or number is written, is read only for those) */
function describeValue(v: unknown, nodeOf: () => Node | undefined, r: Resource): string {
  if (typeof v === 'string') return `the string ${shown(v)}`;
  if (typeof v === 'boolean') {
    const node = nodeOf();
    return isYaml11Bool(node) ? `${sourceText(r, node)}, which kubectl's YAML parser reads as the boolean ${v}` : `the boolean ${v}`;
  }
  if (typeof v === 'number') {
    const src = sourceText(r, nodeOf());
    return `the number ${src && /^[-+.0-9eE_xXoObB]+$/.test(src) ? src : v}`;
  }
  if (Array.isArray(v)) return 'a list';
  if (v && typeof v === 'object') return 'a map';
  return 'null';
}

interface Ctx {
  r: Resource;
  ctx: RuleContext;
  root: unknown;
}

function typeProblem(c: Ctx, e: ErrorObject, path: Path): Problem {
  const { r, ctx } = c;
  const nodeOf = () => r.nodeAt(path);
  const scalar = r.hasScalarAt(path);
  const expectedKey = String(e.params.type);
  const expected = EXPECTED[expectedKey] ?? expectedKey;
  const v = e.data;
  let fixes: Fixes = [];
  let hint = '';
  const wantsInt = expectedKey === 'integer' || expectedKey === 'integer,string' || expectedKey === 'number';
  if (wantsInt && typeof v === 'string' && /^-?\d+$/.test(v.trim()) && scalar) {
    const n = Number(v.trim());
    hint = ` Quoted numbers are not converted: write ${n} without quotes.`;
    fixes = () => unquoteFix(nodeOf(), r, `Remove the quotes: ${n}`, n);
  } else if (expectedKey === 'boolean' && typeof v === 'string' && /^(true|false)$/i.test(v) && scalar) {
    const b = v.toLowerCase() === 'true';
    hint = ` Write ${b} without quotes.`;
    fixes = () => unquoteFix(nodeOf(), r, `Remove the quotes: ${b}`, b);
  } else if (expectedKey === 'string' && (typeof v === 'number' || typeof v === 'boolean') && scalar) {
    // (the message shows the value as written: this needs the node)
    const src = sourceText(r, nodeOf()) ?? String(v);
    const quoted = JSON.stringify(src);
    hint = ` Quote it (${quoted}): the API does not turn numbers or booleans into strings.`;
    fixes = () => [{ title: `Quote the value: ${quoted}`, isPreferred: true, edits: [{ loc: ctx.loc(r, nodeOf()!), newText: quoted }] }];
  } else if (expectedKey === 'array' && v && typeof v === 'object' && !Array.isArray(v)) {
    hint = ' Start each item with "- ".';
  }
  return {
    path,
    part: 'value',
    rank: RANK.type,
    structural: false,
    label: pathLabel(path),
    detail: `expected ${expected}, got ${describeValue(v, nodeOf, r)}.${hint}`,
    fixes,
  };
}

function enumProblem(c: Ctx, e: ErrorObject, path: Path): Problem {
  const { r } = c;
  const allowed = (e.params.allowedValues as unknown[]).map(String);
  const title: string = e.parentSchema?.title ?? 'allowed value';
  const v = e.data;
  let fixes: Fixes = [];
  let detail = `${shown(v)} is not ${article(title)} ${title}; use ${listWords(allowed)}.`;
  if (typeof v === 'string') {
    const s = suggest(v, allowed);
    if (s) {
      detail += s.toLowerCase() === v.toLowerCase() ? ` Values are case-sensitive: did you mean "${s}"?` : ` Did you mean "${s}"?`;
      fixes = () => scalarFix(r, path, `Change to "${s}"`, s);
    }
  }
  return { path, part: 'value', rank: RANK.value, structural: false, label: pathLabel(path), detail, fixes };
}

function formatProblem(c: Ctx, e: ErrorObject, path: Path, part: 'key' | 'value'): Problem | undefined {
  const { r } = c;
  const name = String(e.params.format).replace(/^optional-/, '');
  const def = FORMATS[name];
  const v = String(e.data);
  if (!def) return undefined;
  const title: string = (e as any).propertyName !== undefined ? (e.parentSchema?.title ?? 'key') : (e.parentSchema?.title ?? 'value');
  let fixes: Fixes = [];
  let detail: string;
  if (e.parentSchema?.['x-int-or-string'] && /^\d+$/.test(v)) {
    // IntOrString: a quoted number is a name (F-07)
    const n = Number(v);
    detail = `${JSON.stringify(v)} is quoted, so the API reads it as a port name, and a port name needs a letter. Write ${n} without quotes to mean the port number.`;
    if (n >= 1 && n <= 65535) fixes = () => scalarFix(r, path, `Remove the quotes: ${n}`, n);
  } else {
    if (name === 'cluster-ip' && v.toLowerCase() === 'none' && part === 'value') fixes = () => scalarFix(r, path, 'Change to "None"', 'None');
    const reasons = def.check(v);
    detail = `${shown(v)} is not a valid ${title}: ${reasons.length ? reasons.join('; ') : `it must be ${def.rule}`}.`;
  }
  return { path, part, rank: RANK.value, structural: false, label: pathLabel(part === 'key' ? path.slice(0, -1) : path), detail, fixes };
}

function rangeProblem(e: ErrorObject, path: Path): Problem {
  const s = e.parentSchema ?? {};
  const title: string = s.title ?? 'value';
  const range =
    s['x-range'] ??
    (s.minimum !== undefined && s.maximum !== undefined
      ? `${article(title)} ${title} must be between ${s.minimum} and ${s.maximum}`
      : s.minimum !== undefined
        ? `${article(title)} ${title} must be at least ${s.minimum}`
        : `${article(title)} ${title} must be at most ${s.maximum}`);
  return { path, part: 'value', rank: RANK.value, structural: false, label: pathLabel(path), detail: `${e.data} is out of range; ${range}.`, fixes: [] };
}

function requiredHint(field: string, hint: string | undefined): string {
  if (!hint) return `${field} is required`;
  return /^(\(|in |when |for )/.test(hint) ? `${field} is required ${hint}` : `${field} is required: ${hint}`;
}

// ---------------------------------------------------------------------------
// Findings that dedicated rules already report on the same node, with more
// context. The schemas still describe them (for hovers and other tools); this
// rule stays quiet so no node gets two findings for one mistake.

const INGRESS_GROUPS = new Set(['networking.k8s.io', 'extensions']);

function ownedElsewhere(r: Resource, e: ErrorObject, path: Path, root: unknown): boolean {
  const shape = path.map((x) => (typeof x === 'number' ? '#' : x)).join('/');
  const kw = e.keyword;
  if (r.kind === 'Service') {
    // service-externalname-invalid: SVC-14c/d
    return kw === 'format' && shape === 'spec/externalName';
  }
  if (r.kind !== 'Ingress' || !INGRESS_GROUPS.has(r.group)) return false;
  const missing = kw === 'required' ? String(e.params.missingProperty) : undefined;
  const isBackend = /(^spec\/defaultBackend|\/backend)$/.test(shape);
  // ingress-rule-invalid: host and TLS host formats (ING-03, ING-20a)
  if (kw === 'format' && (shape === 'spec/rules/#/host' || shape === 'spec/tls/#/hosts/#')) return true;
  // ingress-rule-invalid: http without paths (ING-04)
  if ((kw === 'minItems' && shape === 'spec/rules/#/http/paths') || missing === 'paths') return true;
  // ingress-pathtype-missing (ING-05); ingress-rule-invalid: a path without backend (ING-12)
  if (missing === 'pathType' || missing === 'backend') return true;
  // ingress-rule-invalid: both or neither of service and resource (ING-11/12), v1beta1 fields in v1
  if ((kw === 'anyOf' || kw === 'not') && isBackend) return true;
  if (kw === 'additionalProperties' || kw === 'x-misplaced') {
    const key = String(e.params.additionalProperty ?? e.params.key);
    const b = get(root, path) as Record<string, unknown> | undefined;
    if (isBackend && (key === 'serviceName' || key === 'servicePort') && b && b.service === undefined && b.resource === undefined) return true;
  }
  // ingress-rule-invalid: service.name missing or not DNS-1035, port missing / both / neither (ING-13..16)
  if (/\/backend\/service$|^spec\/defaultBackend\/service$/.test(shape) && (missing === 'name' || missing === 'port')) return true;
  if (kw === 'format' && /backend\/service\/name$/.test(shape)) return true;
  if ((kw === 'anyOf' || kw === 'not') && /backend\/service\/port$/.test(shape)) return true;
  // port.number 0 counts as unset: ingress-rule-invalid reports the missing port (ING-16)
  if (kw === 'minimum' && e.data === 0 && /backend\/service\/port\/number$/.test(shape)) return true;
  return false;
}

// ---------------------------------------------------------------------------

function collect(c: Ctx, errors: ErrorObject[]): Problem[] {
  const { r, root } = c;
  // branches of anyOf are summarised by the anyOf error itself
  const anyOfs = errors.filter((e) => e.keyword === 'anyOf');
  const inBranch = (e: ErrorObject) =>
    anyOfs.some((a) => a !== e && e.schemaPath.startsWith(`${a.schemaPath}/`) && e.instancePath.startsWith(a.instancePath));

  // unknown keys per object, with the field each could have meant
  const unknown = new Map<string, { key: string; rename?: string }[]>();
  const noteUnknown = (objPath: string, key: string, rename: string | undefined) => {
    const list = unknown.get(objPath) ?? [];
    const existing = list.find((u) => u.key === key);
    if (existing) existing.rename ??= rename;
    else list.push({ key, rename });
    unknown.set(objPath, list);
  };
  const renameOf = (e: ErrorObject, key: string, data: Record<string, unknown>): { to?: string; typo: boolean } => {
    const schema = e.parentSchema ?? {};
    const known = Object.keys(schema.properties ?? {}).filter((k) => !(k in data));
    const typo = suggest(key, known);
    if (typo) return { to: typo, typo: true };
    const alt = schema['x-rename']?.[key];
    return alt && !(alt in data) ? { to: alt, typo: false } : { typo: false };
  };
  for (const e of errors) {
    if (e.keyword === 'additionalProperties') {
      const key = String(e.params.additionalProperty);
      noteUnknown(e.instancePath, key, renameOf(e, key, e.data as Record<string, unknown>).to);
    } else if (e.keyword === 'x-misplaced') {
      noteUnknown(e.instancePath, String(e.params.key), e.params.rename);
    }
  }

  const out: Problem[] = [];
  for (const e of errors) {
    if (e.keyword === 'if' || e.keyword === 'propertyNames' || inBranch(e)) continue;
    const path = toPath(e.instancePath, root);
    if (ownedElsewhere(r, e, path, root)) continue;
    const label = pathLabel(path);
    const parentSchema: any = e.parentSchema ?? {};
    switch (e.keyword) {
      case 'x-misplaced': {
        const key = String(e.params.key);
        const keyPath = [...path, key];
        const alt: string | undefined = e.params.rename;
        const data = (e.data ?? get(root, path) ?? {}) as Record<string, unknown>;
        const fixes = () => (alt && !(alt in data) ? renameFix(r, path, key, alt, true) : []);
        out.push({ path: keyPath, part: 'key', rank: RANK.misplaced, structural: false, label, detail: `unknown field "${key}": ${e.params.hint}.`, fixes });
        break;
      }
      case 'additionalProperties': {
        const key = String(e.params.additionalProperty);
        if (parentSchema['x-misplaced']?.[key]) break; // reported by x-misplaced
        const data = e.data as Record<string, unknown>;
        const { to, typo } = renameOf(e, key, data);
        const title: string | undefined = parentSchema.title;
        const where = path.length === 0 ? ' at the top level' : title ? ` in ${article(title)} ${title}` : '';
        let detail = `unknown field "${key}"${where}; the API server rejects unknown fields.`;
        let fixes: Fixes = [];
        if (to) {
          detail += ` Did you mean "${to}"?`;
          fixes = () => renameFix(r, path, key, to, typo);
        } else {
          const known = Object.keys(parentSchema.properties ?? {});
          if (known.length && known.length <= 6) detail += ` Known fields: ${known.join(', ')}.`;
        }
        out.push({ path: [...path, key], part: 'key', rank: RANK.unknown, structural: false, label, detail, fixes });
        break;
      }
      case 'type': {
        if (isPlaceholder(e.data)) break;
        out.push(typeProblem(c, e, path));
        break;
      }
      case 'enum': {
        if (isPlaceholder(e.data)) break;
        out.push(enumProblem(c, e, path));
        break;
      }
      case 'format': {
        const propertyName = (e as any).propertyName as string | undefined;
        const v = propertyName ?? e.data;
        if (isPlaceholder(v)) break;
        const p =
          propertyName !== undefined
            ? formatProblem(c, { ...e, data: propertyName }, [...path, propertyName], 'key')
            : formatProblem(c, e, path, 'value');
        if (p) out.push(p);
        break;
      }
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
        out.push(rangeProblem(e, path));
        break;
      case 'minLength': {
        const why = parentSchema['x-empty'];
        out.push({ path, part: 'value', rank: RANK.value, structural: false, label, detail: `must not be empty${why ? `: ${why}` : ''}.`, fixes: [] });
        break;
      }
      case 'minItems':
      case 'maxItems': {
        const n = Number(e.params.limit);
        const detail = e.keyword === 'minItems' ? `needs at least ${n} item${n === 1 ? '' : 's'}.` : `has ${(e.data as unknown[]).length} items; at most ${n} are allowed.`;
        out.push({ path, part: 'key', rank: RANK.structural, structural: true, label, detail, fixes: [] });
        break;
      }
      case 'required': {
        const missing = String(e.params.missingProperty);
        // a misspelt or misplaced key that stands for the missing one says it better
        if ((unknown.get(e.instancePath) ?? []).some((u) => u.rename === missing)) break;
        const anchor = parentAnchor(r, path);
        out.push({
          path: anchor.path,
          at: anchor.at,
          part: 'key',
          rank: RANK.structural,
          structural: true,
          label,
          detail: `${requiredHint(missing, parentSchema['x-required']?.[missing])}.`,
          fixes: [],
        });
        break;
      }
      case 'anyOf':
      case 'not':
      case 'oneOf': {
        if ((unknown.get(e.instancePath) ?? []).length) break; // the unknown keys explain it
        const text: string | undefined = parentSchema['x-messages']?.[e.keyword];
        const anchor = parentAnchor(r, path);
        out.push({ path: anchor.path, at: anchor.at, part: 'key', rank: RANK.structural, structural: true, label, detail: `${text ?? e.message ?? 'invalid value'}.`, fixes: [] });
        break;
      }
      default:
        out.push({ path, part: 'value', rank: RANK.value, structural: false, label, detail: `${e.message ?? 'invalid value'}.`, fixes: [] });
    }
  }
  return out;
}

/** One problem per node: the most specific one, with structural ones merged. */
function collapse(problems: Problem[]): Problem[] {
  const groups = new Map<string, Problem[]>();
  for (const p of problems) {
    const key = JSON.stringify(p.path);
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const out: Problem[] = [];
  for (const group of groups.values()) {
    group.sort((a, b) => a.rank - b.rank);
    const best = group[0];
    if (best.structural) {
      const details = [...new Set(group.filter((p) => p.structural).map((p) => p.detail.replace(/\.$/, '')))];
      out.push({ ...best, detail: `${details.join('; ')}.` });
    } else out.push(best);
  }
  return out;
}

export default defineRule({
  id: 'schema',
  severity: 'error',
  description:
    'A value the API server would refuse on its own: a wrong type, an unknown field, a misspelt enum value, a port outside 1-65535, a malformed name or label, or a missing required field.',
  fixable: true,
  kinds: CHECKED_KINDS,
  checksPatches: true,
  check(r, ctx) {
    const validate = validatorFor(r.apiVersion, r.kind);
    if (!validate) return;
    // a kustomize patch file is partial by design, like a document with patch directives
    const info = { patch: ctx.isPatch(r) };
    const root = apiValue(r.value, info);
    if (validate(root)) return;
    let errors = validate.errors ?? [];
    // a strategic-merge patch is partial by design: only what it says is checked
    if (info.patch) errors = errors.filter((e) => !['required', 'anyOf', 'oneOf', 'minItems'].includes(e.keyword));
    const problems = collapse(collect({ r, ctx, root }, errors));
    const located = problems.map((p) => ({ p, loc: ctx.loc(r, p.at ?? p.path, p.part) }));
    located.sort(
      (a, b) => a.loc.range.start.line - b.loc.range.start.line || a.loc.range.start.character - b.loc.range.start.character,
    );
    // never two findings on one node: problems that land on the same range merge
    const byRange = new Map<string, { p: Problem; loc: (typeof located)[number]['loc']; extra: string[] }>();
    for (const { p, loc } of located) {
      const where = `${loc.range.start.line}:${loc.range.start.character}:${loc.range.end.line}:${loc.range.end.character}`;
      const prev = byRange.get(where);
      if (!prev) byRange.set(where, { p, loc, extra: [] });
      else if (p.rank < prev.p.rank) byRange.set(where, { p, loc, extra: [...prev.extra, `${prev.p.label ? `${prev.p.label}: ` : ''}${prev.p.detail}`] });
      else prev.extra.push(`${p.label ? `${p.label}: ` : ''}${p.detail}`);
    }
    for (const { p, loc, extra } of byRange.values()) {
      const prefix = p.label ? `${p.label}: ` : '';
      const also = extra.length ? ` Also, ${extra.join(' ')}` : '';
      ctx.report({ message: `${prefix}${p.detail}${also}`, at: loc, fixes: p.fixes });
    }
  },
});
