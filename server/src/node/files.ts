// The Node.js side of the engine's input set: finding manifest files, reading
// them safely (size, binary, encoding) and finding the configuration file. The
// CLI and the language server share it; the engine itself does no I/O.
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import picomatch from 'picomatch';
import { ConfigError, parseConfigFile, type ConfigFile } from '../engine/config';
import type { SkipReason } from '../engine/workspace';

export const CONFIG_FILE_NAMES = ['.kube-expose.yaml', '.kube-expose.yml'];
const ALWAYS_EXCLUDED_DIRS = new Set(['node_modules', '.git']);

/** A YAML file by its name: *.yaml, *.yml, or `Kustomization` (kustomize's third name, without an extension). */
export function isManifestPath(p: string): boolean {
  return /\.ya?ml$/i.test(p) || /(^|[\\/])Kustomization$/.test(p);
}

export type Excluder = (absolutePath: string) => boolean;

/** Glob excludes, relative to `base` (the config file's folder or the workspace root). */
export function makeExcluder(patterns: readonly string[], base: string): Excluder {
  if (!patterns.length) return () => false;
  const matchers = patterns.map((p) => picomatch(p, { dot: true, basename: !p.includes('/') }));
  return (abs) => {
    const rel = relative(base, abs).split(sep).join('/');
    if (rel.startsWith('..')) return false;
    return matchers.some((m) => m(rel) || m(`${rel}/`));
  };
}

/**
 * Every *.yaml / *.yml under the given paths (files given directly are kept
 * whatever their extension), minus node_modules, .git and excluded paths.
 * Symlinked folders are not followed and symlinked files must resolve inside
 * their root, so indexing never walks out of the workspace.
 */
export function collectFiles(paths: readonly string[], exclude: Excluder = () => false): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const p of paths) {
    const abs = resolve(p);
    const st = statSync(abs); // throws for a missing path: the caller reports it
    if (st.isFile()) {
      if (!seen.has(abs)) out.push(abs), seen.add(abs);
      continue;
    }
    const root = realpathSync(abs);
    const walk = (dir: string) => {
      let entries: string[];
      try {
        entries = readdirSync(dir).sort();
      } catch {
        return;
      }
      for (const name of entries) {
        const full = join(dir, name);
        if (exclude(full)) continue;
        let lst;
        try {
          lst = lstatSync(full);
        } catch {
          continue;
        }
        if (lst.isDirectory()) {
          if (!ALWAYS_EXCLUDED_DIRS.has(name)) walk(full);
        } else if (isManifestPath(name) && (lst.isFile() || (lst.isSymbolicLink() && symlinkInside(full, root)))) {
          if (!seen.has(full)) out.push(full), seen.add(full);
        }
      }
    };
    walk(abs);
  }
  return out;
}

/**
 * True when reading `path` (a file or folder somewhere under `root`) stays in
 * `root`, by the rules of collectFiles: no symlinked folder on the way, and a
 * symlinked file must be a regular file inside. For paths that come from
 * elsewhere than a walk (file watcher events), which may name links.
 */
export function staysInside(path: string, root: string): boolean {
  try {
    const rel = relative(resolve(root), resolve(path));
    if (rel === '') return true;
    if (rel.startsWith('..') || isAbsolute(rel)) return false;
    const realRoot = realpathSync(root);
    const parent = dirname(rel);
    if (realpathSync(join(root, parent)) !== (parent === '.' ? realRoot : join(realRoot, parent))) return false;
    if (!lstatSync(path).isSymbolicLink()) return true;
    const target = realpathSync(path);
    return (target === realRoot || target.startsWith(realRoot + sep)) && statSync(target).isFile();
  } catch {
    return false;
  }
}

function symlinkInside(path: string, root: string): boolean {
  try {
    const target = realpathSync(path);
    return (target === root || target.startsWith(root + sep)) && statSync(target).isFile();
  } catch {
    return false;
  }
}

export type ReadResult = { text: string } | { skipped: SkipReason; detail: string };

function tooLarge(size: number, maxFileSize: number): ReadResult {
  return {
    skipped: 'size',
    detail: `kube-expose skipped this file: it is ${formatBytes(size)}, over the ${formatBytes(maxFileSize)} limit (setting maxFileSize).`,
  };
}

/** Decodes a manifest's bytes, or says why it is not checked. */
export function decodeManifest(bytes: Uint8Array, maxFileSize: number): ReadResult {
  if (bytes.length > maxFileSize) return tooLarge(bytes.length, maxFileSize);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return { skipped: 'encoding', detail: 'kube-expose skipped this file: it is UTF-16 encoded; Kubernetes manifests must be UTF-8.' };
  }
  if (bytes.includes(0)) {
    return { skipped: 'binary', detail: 'kube-expose skipped this file: it contains NUL bytes (binary content), so it is not a YAML manifest.' };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return { skipped: 'encoding', detail: 'kube-expose skipped this file: it is not valid UTF-8.' };
  }
  return { text };
}

export function readManifest(path: string, maxFileSize: number): ReadResult {
  const st = statSync(path);
  // a FIFO would block the reader forever, a device (a link to /dev/zero) never ends
  if (!st.isFile()) throw Object.assign(new Error(`${path} is not a regular file`), { code: 'ENOTREG', path });
  const size = st.size;
  // never read (or allocate) what is over the limit: a file may be gigabytes, or sparse
  if (size > maxFileSize) return tooLarge(size, maxFileSize);
  return decodeManifest(readFileSync(path), maxFileSize);
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

/** The nearest config file at or above `start` (a file or folder). */
export function findConfigFile(start: string): string | undefined {
  let dir = resolve(start);
  try {
    if (statSync(dir).isFile()) dir = dirname(dir);
  } catch {
    dir = dirname(dir);
  }
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const p = join(dir, name);
      if (existsSync(p)) return p;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function loadConfigFile(path: string, knownRules: Iterable<string>): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read config file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseConfigFile(text, knownRules, path);
}
