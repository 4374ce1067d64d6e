// Helpers shared by the ingress rules: the API server's name/host/path formats
// (k8s-rules.md F-02..F-06, ING-03..ING-10), how to name a backend in a message,
// candidate ranking, and the few text edits the generic helpers do not offer.
import { isMap, isScalar, type Node, type Pair, type YAMLMap } from 'yaml';
import { columnOf, contentEnd, editAt, findPair, indentUnit, lineOf, mapAt, renderScalar, setKey, startsLine } from '../../engine/edits';

export { columnOf, findPair, startsLine };
import type { IngressBackendView, Path } from '../../engine/model';
import type { Chunk, Resource } from '../../engine/parse';
import type { Edit } from '../../engine/rule';
import { detectEol } from '../../engine/text';

export const INGRESS_V1 = 'networking.k8s.io/v1';
/** Ingress API versions removed in Kubernetes 1.22 (V-01). */
export const LEGACY_INGRESS_APIS = new Set(['extensions/v1beta1', 'networking.k8s.io/v1beta1']);
export const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
export const PATH_TYPES = ['Prefix', 'Exact', 'ImplementationSpecific'] as const;

// ---------------------------------------------------------------------------
// Formats

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const SUBDOMAIN = new RegExp(`^${LABEL}(\\.${LABEL})*$`);
const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** F-02: lowercase RFC 1123 subdomain, at most 253 characters. */
export function isDns1123Subdomain(s: string): boolean {
  return s.length <= 253 && SUBDOMAIN.test(s);
}

/** The host a user most likely meant: no scheme, path, port, trailing dot or uppercase. */
function cleanedHost(s: string): string {
  return s
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
    .replace(/\/.*$/, '')
    .replace(/:\d*$/, '')
    .replace(/\.+$/, '')
    .toLowerCase()
    .replace(/_/g, '-');
}

export interface FormatProblem {
  /** a predicate: "has uppercase letters and includes a port" */
  reason: string;
  /** the value the user most likely meant, when it is valid */
  suggestion?: string;
}

/** Why `s` is not a DNS-1123 subdomain (undefined when it is one), in plain words. */
export function subdomainProblem(s: string): FormatProblem | undefined {
  if (isDns1123Subdomain(s)) return undefined;
  if (s === '') return { reason: 'is empty' };
  const reasons: string[] = [];
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) reasons.push('includes a URL scheme');
  else if (s.includes('/')) reasons.push('includes a path');
  if (/:\d*$/.test(s)) reasons.push('includes a port');
  if (/[A-Z]/.test(s)) reasons.push('has uppercase letters');
  if (s.endsWith('.')) reasons.push('ends with a dot');
  if (s.includes('_')) reasons.push('contains "_"');
  if (s.length > 253) reasons.push(`is ${s.length} characters long (at most 253)`);
  if (!reasons.length) reasons.push('is not a lowercase DNS name (letters, digits, "-" and ".", each label starting and ending with a letter or digit)');
  const fixed = cleanedHost(s);
  return { reason: joinReasons(reasons), suggestion: fixed !== s && isDns1123Subdomain(fixed) ? fixed : undefined };
}

function isWildcardHost(s: string): boolean {
  const rest = s.slice(2);
  return s.startsWith('*.') && !rest.includes('*') && isDns1123Subdomain(rest) && s.length <= 253;
}

/** Why `s` is not a valid wildcard host `*.<subdomain>` (F-04). */
export function wildcardProblem(s: string): FormatProblem | undefined {
  const rest = s.slice(2);
  if (isWildcardHost(s)) return undefined;
  if (s === '*') return { reason: 'is a lone "*" (leave the host out to match every host)' };
  if (!s.startsWith('*.') || rest.includes('*')) {
    // only a malformed leading wildcard ("*bar.com", "*.*.bar.com") has an obvious repair
    const fixed = s.startsWith('*') ? `*.${s.replace(/^[*.]+/, '')}` : '';
    // (checked without recursing: "*.a*b" repairs to itself)
    return { reason: 'has a "*" that is not the whole first label (as in "*.example.com")', suggestion: isWildcardHost(fixed) ? fixed : undefined };
  }
  const inner = subdomainProblem(rest)!;
  return { reason: inner.reason, suggestion: inner.suggestion ? `*.${inner.suggestion}` : undefined };
}

/** Host check of a rule host or TLS host: wildcard form when it has a "*". */
export function hostProblem(s: string): FormatProblem | undefined {
  return s.includes('*') ? wildcardProblem(s) : subdomainProblem(s);
}

/** ParseIPSloppy: dotted IPv4 (leading zeros allowed) or an IPv6 literal. */
export function isIPAddress(s: string): boolean {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(s);
  if (m) return m.slice(1).every((x) => Number(x) <= 255);
  if (!s.includes(':') || !/^[0-9a-fA-F:.]+$/.test(s)) return false;
  try {
    new URL(`http://[${s}]/`);
    return true;
  } catch {
    return false;
  }
}

/** Why a backend service.name is not a DNS-1035 label (F-03, ING-14). */
export function dns1035Problem(s: string): FormatProblem | undefined {
  if (s.length <= 63 && DNS1035.test(s)) return undefined;
  const reasons: string[] = [];
  if (s.includes('.')) reasons.push('contains "."');
  if (/[A-Z]/.test(s)) reasons.push('has uppercase letters');
  if (/^[0-9]/.test(s)) reasons.push('starts with a digit');
  if (s.includes('_')) reasons.push('contains "_"');
  if (s.length > 63) reasons.push(`is ${s.length} characters long (at most 63)`);
  if (!reasons.length) reasons.push('is not a valid Service name');
  const fixed = s.toLowerCase().replace(/_/g, '-');
  return { reason: joinReasons(reasons), suggestion: fixed !== s && DNS1035.test(fixed) && fixed.length <= 63 ? fixed : undefined };
}

/** Why `s` is not an IANA service name (F-06, for port.name), every failing check. */
export function portNameProblems(s: string): string[] {
  const out: string[] = [];
  if (s.length > 15) out.push(`is ${s.length} characters long (at most 15)`);
  if (!/^[-a-z0-9]+$/.test(s)) out.push('may contain only lowercase letters, digits and "-"');
  if (!/[a-z]/.test(s)) out.push('needs at least one letter');
  if (s.includes('--')) out.push('has "--"');
  if (s.startsWith('-') || s.endsWith('-')) out.push('starts or ends with "-"');
  return out;
}

export function isIanaPortName(s: string): boolean {
  return portNameProblems(s).length === 0;
}

const INVALID_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_SUFFIXES = ['/..', '/.'];

/** What the API server rejects in a path of the given type (ING-07..ING-10). */
export function pathProblems(pathType: string, path: string): string[] {
  const out: string[] = [];
  if (pathType === 'Exact' || pathType === 'Prefix') {
    if (!path.startsWith('/')) out.push(path === '' ? 'is empty but must start with "/"' : 'must start with "/"');
    if (path.length) {
      for (const seq of INVALID_SEQUENCES) if (path.includes(seq)) out.push(`contains "${seq}"`);
      for (const suf of INVALID_SUFFIXES) if (path.endsWith(suf)) out.push(`ends with "${suf}"`);
    }
  } else if (pathType === 'ImplementationSpecific') {
    if (path.length && !path.startsWith('/')) out.push('must start with "/"');
  }
  return out;
}

/** Characters that make a path a regular expression for controllers such as ingress-nginx. */
export function looksLikeRegex(path: string): boolean {
  return /[\^$()[\]{}*+?|\\]/.test(path);
}

export function joinReasons(reasons: string[]): string {
  if (reasons.length <= 1) return reasons[0] ?? '';
  return `${reasons.slice(0, -1).join(', ')} and ${reasons[reasons.length - 1]}`;
}

// ---------------------------------------------------------------------------
// Messages

/** "the default backend" / "the backend for example.com/api" / "the backend for path /api". */
export function backendLabel(b: IngressBackendView): string {
  if (b.isDefault) return 'the default backend';
  if (b.host && b.httpPath !== undefined && b.httpPath !== '') return `the backend for ${b.host}${b.httpPath.startsWith('/') ? '' : ' '}${b.httpPath}`;
  if (b.host) return `the backend for host ${b.host}`;
  if (b.httpPath) return `the backend for path ${b.httpPath}`;
  return 'the backend for every host and path';
}

// ---------------------------------------------------------------------------
// Edits

const insertAt = (chunk: Chunk, offset: number, text: string): Edit => editAt(chunk, offset, offset, text);

export const replaceRange = editAt;

/**
 * Inserts `key: value` on the line after the pair `afterKey` of a block map (so
 * pathType lands next to path); appends to the map when that pair is absent.
 */
export function insertKeyAfter(r: Resource, map: YAMLMap, afterKey: string, key: string, value: string): Edit {
  const chunk = r.chunk;
  const pair = findPair(map, afterKey);
  const keyNode = pair?.key as Node | undefined;
  const valueNode = pair?.value as Node | null | undefined;
  if (map.flow && map.range && keyNode?.range && chunk.text[map.range[0]] === '{') {
    // flow map: `, key: value` right after the pair (setKey appends after the last pair, and gives braces
    // to a single pair in a flow sequence, whose last closing brace may be a nested map's)
    const at = valueNode?.range ? contentEnd(chunk, valueNode) : contentEnd(chunk, keyNode);
    if (at > map.range[0]) return insertAt(chunk, at, `, ${key}: ${renderScalar(value)}`);
  }
  if (!pair || map.flow || !keyNode?.range) return setKey(chunk, map, key, value);
  const endNode = valueNode?.range && valueNode.range[1] > valueNode.range[0] ? valueNode : keyNode;
  const end = contentEnd(chunk, endNode);
  const at = chunk.lines.lineEnd(lineOf(chunk, end));
  const indent = columnOf(chunk, keyNode.range[0]);
  return insertAt(chunk, at, `${detectEol(chunk.text)}${' '.repeat(indent)}${key}: ${renderScalar(value)}`);
}

/**
 * Inserts `key: value` as the first entry of the block map at `mapPath` (right
 * below its parent key); falls back to appending when the layout is unusual.
 */
export function prependKey(r: Resource, mapPath: Path, key: string, value: string): Edit | undefined {
  const chunk = r.chunk;
  const map = mapAt(r, mapPath);
  if (!map) return undefined;
  if (map.flow || map.items.length === 0 || mapPath.length === 0) return setKey(chunk, map, key, value);
  const parent = mapAt(r, mapPath.slice(0, -1));
  const parentPair = parent && findPair(parent, String(mapPath[mapPath.length - 1]));
  const first = map.items[0].key as Node;
  const parentKey = parentPair?.key as Node | undefined;
  if (!parentKey?.range || !first?.range || !startsLine(chunk, first.range[0])) return setKey(chunk, map, key, value);
  const keyLine = lineOf(chunk, parentKey.range[0]);
  if (keyLine >= lineOf(chunk, first.range[0])) return setKey(chunk, map, key, value);
  const at = chunk.lines.lineEnd(keyLine);
  return insertAt(chunk, at, `${detectEol(chunk.text)}${' '.repeat(columnOf(chunk, first.range[0]))}${key}: ${renderScalar(value)}`);
}

export { indentUnit, isMap };

/**
 * The AWS Load Balancer Controller's convention: a backend whose port is the
 * name "use-annotation" routes to the action in the annotation
 * `alb.ingress.kubernetes.io/actions.<service name>` (often written at run time
 * by Argo Rollouts), not to a Service port.
 */
export function isAnnotationAction(b: { portName?: string }): boolean {
  return b.portName === 'use-annotation';
}
