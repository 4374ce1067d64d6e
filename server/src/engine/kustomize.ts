// Kustomize patches. A file a kustomization lists under `patches`,
// `patchesStrategicMerge` or `patchesJson6902` is never applied on its own:
// kustomize merges it into a resource of the base. It is usually partial (a
// Service patch with only `type:`, a Deployment patch without `selector`) and
// repeats a base object's identity, so read as a whole object it would look
// like a Service without backends, a second nodePort claim, a template no
// selector matches. Such files are checked as patches: field types and values
// only, never against other objects, and other objects never see them.
import { parse } from 'yaml';
import { isPlainObject } from './parse';

const NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

/** True for a file kustomize reads as a kustomization (or a component), by its name. */
export function isKustomizationKey(key: string): boolean {
  return NAMES.has(key.slice(key.lastIndexOf('/') + 1));
}

/**
 * The keys of the patch files a kustomization names, resolved against its own
 * key (a file URI or a '/'-separated path, as the caller keys files). Inline
 * patches and paths that leave the root are skipped; unreadable text gives none.
 */
export function patchFilesOf(key: string, text: string): string[] {
  let value: unknown;
  try {
    value = parse(text, { version: '1.1', prettyErrors: false, uniqueKeys: false });
  } catch {
    return [];
  }
  if (!isPlainObject(value)) return [];
  const paths: string[] = [];
  const smp = value.patchesStrategicMerge;
  // an entry is a path, or an inline patch (YAML text: it has a line break or a colon and a space)
  if (Array.isArray(smp)) for (const p of smp) if (typeof p === 'string' && !/\n|: /.test(p)) paths.push(p);
  for (const field of ['patches', 'patchesJson6902']) {
    const list = value[field];
    if (Array.isArray(list)) for (const p of list) if (isPlainObject(p) && typeof p.path === 'string') paths.push(p.path);
  }
  const out = new Set<string>();
  for (const p of paths) {
    const resolved = resolveKey(key, p.trim());
    if (resolved) out.add(resolved);
  }
  return [...out];
}

/** `rel` (a relative path with '/' separators) against the folder of `key`; undefined when it is absolute, a URL or climbs above the root. */
export function resolveKey(key: string, rel: string): string | undefined {
  if (!rel || rel.startsWith('/') || /^[a-z][a-z0-9+.-]*:/i.test(rel)) return undefined;
  const isUri = /^[a-z][a-z0-9+.-]*:\/\//i.test(key);
  const schemeEnd = isUri ? key.indexOf('//') + 2 : 0;
  const dir = key.slice(0, key.lastIndexOf('/'));
  const head = dir.slice(0, schemeEnd);
  const parts = dir.slice(schemeEnd).split('/');
  const fixed = isUri ? 1 : 0; // the authority of a URI (file:///x: the empty one) is not a folder to climb out of
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length <= fixed + 1) return undefined;
      parts.pop();
    } else parts.push(isUri ? encodeSegment(seg) : seg);
  }
  return head + parts.join('/');
}

/** A path segment as vscode-uri writes it in a file URI (unreserved characters kept, everything else percent-encoded). */
function encodeSegment(seg: string): string {
  return encodeURIComponent(seg).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
