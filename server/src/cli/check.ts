// `kube-expose check`: the engine over files on disk (or stdin), with --fix.
import { writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { ALL_RULES, createWorkspace } from '../index';
import { applyEdits, type TextEdit } from '../engine/apply';
import { combineFixes } from '../engine/combine';
import { ConfigError, DEFAULT_CONFIG, mergeConfig, type ConfigFile, type EngineConfig } from '../engine/config';
import type { Diagnostic, Workspace } from '../engine/workspace';
import { collectFiles, findConfigFile, loadConfigFile, makeExcluder, readManifest, decodeManifest } from '../node/files';
import { summarize, type Report } from './format';

export interface CheckOptions {
  paths: string[];
  /** text to check instead of files ('-' in paths) */
  stdin?: Uint8Array;
  configFile?: string;
  overrides: ConfigFile;
  fix: boolean;
  progress?: (done: number, total: number) => void;
}

export class UsageError extends Error {}

export const STDIN_KEY = '<stdin>';

export interface CheckRun {
  report: Report;
  config: EngineConfig;
  fixedFiles: string[];
  appliedFixes: number;
}

function toKey(abs: string): string {
  return abs.split(sep).join('/');
}

export function runCheck(opts: CheckOptions): CheckRun {
  const known = ALL_RULES.map((r) => r.id);
  const paths = opts.paths.length ? opts.paths : ['.'];
  const filePaths = paths.filter((p) => p !== '-');
  const configPath = opts.configFile ? resolve(opts.configFile) : findConfigFile(filePaths[0] ?? '.');
  let fileConfig: ConfigFile | undefined;
  if (configPath) fileConfig = loadConfigFile(configPath, known);
  else if (opts.configFile) throw new ConfigError(`config file not found: ${opts.configFile}`);
  const config = mergeConfig(DEFAULT_CONFIG, fileConfig, opts.overrides);
  for (const id of Object.keys(opts.overrides.rules ?? {})) if (!known.includes(id)) throw new ConfigError(`unknown rule id: ${id}`);

  const excluder = makeExcluder(config.exclude, configPath ? dirname(configPath) : process.cwd());
  let files: string[];
  try {
    files = collectFiles(filePaths, excluder);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new UsageError(`cannot read ${err.path ?? ''}: ${err.code === 'ENOENT' ? 'no such file or directory' : err.message}`);
  }

  const ws = createWorkspace(config);
  const texts = new Map<string, string>();
  const displays = new Map<string, string>();
  let total = files.length;
  files.forEach((abs, i) => {
    const key = toKey(abs);
    displays.set(key, toKey(relative(process.cwd(), abs)) || '.');
    let read;
    try {
      read = readManifest(abs, config.maxFileSize);
    } catch (e) {
      throw new UsageError(`cannot read ${abs}: ${(e as Error).message}`);
    }
    if ('skipped' in read) ws.setSkipped(key, read.skipped, read.detail);
    else {
      texts.set(key, read.text);
      ws.setFile(key, read.text);
    }
    opts.progress?.(i + 1, total);
  });
  if (paths.includes('-')) {
    const read = decodeManifest(opts.stdin ?? new Uint8Array(), config.maxFileSize);
    displays.set(STDIN_KEY, STDIN_KEY);
    total++;
    if ('skipped' in read) ws.setSkipped(STDIN_KEY, read.skipped, read.detail);
    else {
      texts.set(STDIN_KEY, read.text);
      ws.setFile(STDIN_KEY, read.text);
    }
  }
  ws.flush();

  const fixedFiles = new Set<string>();
  let appliedFixes = 0;
  if (opts.fix) {
    // Apply preferred fixes in passes: the fixes that go together (combineFixes),
    // then re-check (a fix can make or unmake other findings) until stable.
    for (let pass = 0; pass < 10; pass++) {
      // the preferred fix only, as fix-all in the editor: the others are choices for a person to make
      const candidates = allDiagnostics(ws).flatMap((d) => d.fixes.find((f) => f.isPreferred) ?? []);
      const chosen = combineFixes(candidates, (uri) => (uri === STDIN_KEY ? undefined : texts.get(uri)));
      const accepted = new Map<string, TextEdit[]>();
      for (const e of chosen.flatMap((f) => f.edits)) {
        if (!accepted.has(e.uri)) accepted.set(e.uri, []);
        accepted.get(e.uri)!.push(e);
      }
      const n = chosen.length;
      if (!n) break;
      for (const [uri, edits] of accepted) {
        const next = applyEdits(texts.get(uri)!, edits);
        texts.set(uri, next);
        ws.setFile(uri, next);
        fixedFiles.add(uri);
      }
      appliedFixes += n;
      ws.flush();
    }
    for (const uri of fixedFiles) writeFileSync(uri, texts.get(uri)!);
  }

  const diagnostics = allDiagnostics(ws);
  const fileStates = [...ws.uris()].map((u) => ws.file(u)!);
  const summary = summarize(diagnostics, {
    files: fileStates.filter((f) => !f.template && !f.skipped).length,
    resources: [...ws.allResources()].length,
    templates: fileStates.filter((f) => f.template).length,
    skipped: fileStates.filter((f) => f.skipped).length,
  });
  return {
    report: {
      summary,
      diagnostics,
      display: (uri) => displays.get(uri) ?? uri,
      textOf: (uri) => texts.get(uri),
    },
    config,
    fixedFiles: [...fixedFiles].map((u) => displays.get(u) ?? u),
    appliedFixes,
  };
}

function allDiagnostics(ws: Workspace): Diagnostic[] {
  return [...ws.uris()].sort().flatMap((u) => ws.diagnostics(u));
}
