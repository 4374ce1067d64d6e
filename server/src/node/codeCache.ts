// Loads a bundle (dist/cli.js, dist/server-main.js) through V8's code cache.
//
// A fresh process compiles every function the first check calls before it
// runs it: on a 1,000-resource file that is a good part of the first check.
// The bytecode V8 compiled in an earlier run is kept in the user's cache
// folder and handed back to V8, which checks it against the source, its
// version and its flags, and recompiles whatever it rejects. (Node 22 has
// module.enableCompileCache; Node 20, which VS Code 1.100 runs, does not.)
//
// The cache holds code, so it lives only in a folder of the user's own (never
// a shared temp folder), and a file is named by a hash of the exact source, the
// Node.js version and the flags: a bundle never meets bytecode of another.
// Nothing here may stop the bundle from loading: every failure falls back to a
// plain require.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire, wrap } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** What happened to the cache on load: for tests and `--verbose` logs. */
export type CacheState = 'off' | 'absent' | 'accepted' | 'rejected' | 'unreadable';

export interface LoadedBundle<T> {
  exports: T;
  cache: CacheState;
  /** The cache file (undefined when off). */
  cacheFile?: string;
  /** Writes the cache now if it would be new or hold more code than the one read; true if written. */
  save(): boolean;
}

/** Cache files of a bundle not used for this long are removed when a new one is written. */
const STALE_MS = 30 * 24 * 3600 * 1000;

/**
 * The folder for cache files: `KUBE_EXPOSE_CODE_CACHE` (a folder, or `0` for
 * none), else the platform's per-user cache folder.
 */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const set = env.KUBE_EXPOSE_CODE_CACHE;
  if (set === '0' || set === 'off') return undefined;
  if (set) return set;
  if (process.platform === 'win32') return env.LOCALAPPDATA ? join(env.LOCALAPPDATA, 'kube-expose', 'code-cache') : undefined;
  const home = homedir();
  if (process.platform === 'darwin') return join(home, 'Library', 'Caches', 'kube-expose');
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'kube-expose');
}

/**
 * Loads the CommonJS bundle `file` as `require(file)` would, with V8's code
 * cache from `dir` (none when undefined), and saves the cache when the process
 * exits (see `save`).
 */
export function loadBundle<T>(file: string, dir: string | undefined): LoadedBundle<T> {
  let source: string;
  let script: Script;
  let cache: CacheState = 'off';
  let cacheFile: string | undefined;
  let cachedSize = 0;
  try {
    source = readFileSync(file, 'utf8');
    let cachedData: Buffer | undefined;
    if (dir) {
      const key = createHash('sha256').update(source).update(`\0${process.version}\0${process.arch}\0${process.execArgv.join(' ')}`).digest('hex').slice(0, 24);
      cacheFile = join(dir, `${basename(file, '.js')}-${key}.bin`);
      try {
        cachedData = readFileSync(cacheFile);
      } catch (e) {
        cache = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'absent' : 'unreadable';
      }
    }
    script = new Script(wrap(source), { filename: file, cachedData });
    if (cachedData) {
      cache = script.cachedDataRejected ? 'rejected' : 'accepted';
      if (cache === 'accepted') cachedSize = cachedData.length;
    }
  } catch {
    // compiling the bundle failed before it ran: the plain way
    return { exports: require(file) as T, cache: 'off', save: () => false };
  }
  const mod = { exports: {} as T, id: file, filename: file, loaded: false, children: [], paths: [] };
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  run.call(mod.exports, mod.exports, createRequire(file), mod, file, dirname(file));
  mod.loaded = true;
  const save = (): boolean => {
    if (!dir || !cacheFile || cache === 'unreadable') return false;
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    try {
      // a long run that compiled more than the cache holds (after a first run that
      // only printed --version, say) improves it; a short one keeps it
      if (cache === 'accepted' && process.uptime() < 1) return false;
      const data = script.createCachedData();
      if (cache === 'accepted' && data.length <= cachedSize * 1.1) return false;
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      writeFileSync(tmp, data, { mode: 0o600 });
      renameSync(tmp, cacheFile); // atomic: a concurrent reader sees the old file or the new one
      cachedSize = data.length;
      cache = 'accepted';
      removeStale(dir, basename(file, '.js'), cacheFile);
      return true;
    } catch {
      try {
        unlinkSync(tmp); // written but not renamed
      } catch {
        // never written
      }
      return false;
    }
  };
  process.once('exit', () => void save());
  return { exports: mod.exports, cache, cacheFile, save };
}

/** Other versions' cache files of the same bundle, unused for a month. */
function removeStale(dir: string, bundle: string, keep: string): void {
  const now = Date.now();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(dir, name);
    if (path === keep || !name.startsWith(`${bundle}-`) || !name.endsWith('.bin')) continue;
    try {
      if (now - statSync(path).atimeMs > STALE_MS) unlinkSync(path);
    } catch {
      // gone already, or not ours to remove
    }
  }
}
