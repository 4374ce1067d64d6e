// Engine configuration: the same keys in `.kube-expose.yaml`, the CLI flags and
// the editor settings. Parsing a config text is pure; finding the file is the
// caller's job.
import Ajv from 'ajv';
import { parse } from 'yaml';
import configSchema from '../../../schemas/config.schema.json';

export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type SeveritySetting = Severity | 'off';
export type ConflictScope = 'file' | 'directory' | 'workspace';

export interface EngineConfig {
  nodePortRange: { min: number; max: number };
  defaultNamespace: string;
  conflictScope: ConflictScope;
  rules: Record<string, SeveritySetting>;
  exclude: string[];
  ingress: { keepClassAnnotation: boolean };
  /** files larger than this many bytes are skipped with a note */
  maxFileSize: number;
}

export const DEFAULT_CONFIG: EngineConfig = {
  nodePortRange: { min: 30000, max: 32767 },
  defaultNamespace: 'default',
  conflictScope: 'directory',
  rules: {},
  exclude: [],
  ingress: { keepClassAnnotation: false },
  maxFileSize: 5 * 1024 * 1024,
};

/** The config file keys, as users write them. */
export interface ConfigFile {
  nodePortRange?: string;
  defaultNamespace?: string;
  conflictScope?: ConflictScope;
  rules?: Record<string, SeveritySetting>;
  exclude?: string[];
  ingress?: { keepClassAnnotation?: boolean };
  maxFileSize?: number;
}

export class ConfigError extends Error {}

let validateConfigFile: ReturnType<Ajv['compile']> | undefined;

export function parseNodePortRange(text: string): { min: number; max: number } {
  const m = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(String(text));
  if (!m) throw new ConfigError(`nodePortRange: expected "MIN-MAX" such as "30000-32767", got ${JSON.stringify(text)}`);
  const min = Number(m[1]);
  const max = Number(m[2]);
  if (min < 1 || max > 65535 || min > max) {
    throw new ConfigError(`nodePortRange: "${text}" must be two ports 1-65535 with MIN <= MAX`);
  }
  return { min, max };
}

/**
 * Parses and validates a `.kube-expose.yaml` text. Throws ConfigError naming the
 * offending key. `knownRules` lets it reject misspelled rule ids.
 */
export function parseConfigFile(text: string, knownRules: Iterable<string>, source = '.kube-expose.yaml'): ConfigFile {
  let data: unknown;
  try {
    data = parse(text, { prettyErrors: false }) ?? {};
  } catch (e) {
    throw new ConfigError(`${source}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  validateConfigFile ??= new Ajv({ allErrors: true }).compile(configSchema);
  if (!validateConfigFile(data)) {
    const err = validateConfigFile.errors![0];
    const key = err.instancePath.replace(/^\//, '').replace(/\//g, '.') || (err.params as any).additionalProperty || '(root)';
    const extra = (err.params as any).additionalProperty ? `unknown key "${(err.params as any).additionalProperty}"` : err.message;
    const allowed = (err.params as any).allowedValues ? ` (one of ${(err.params as any).allowedValues.join(', ')})` : '';
    throw new ConfigError(`${source}: ${key}: ${extra}${allowed}`);
  }
  const cfg = data as ConfigFile;
  const known = new Set(knownRules);
  for (const id of Object.keys(cfg.rules ?? {})) {
    if (!known.has(id)) throw new ConfigError(`${source}: rules.${id}: unknown rule id`);
  }
  if (cfg.nodePortRange !== undefined) parseNodePortRange(cfg.nodePortRange);
  return cfg;
}

/** Later layers win; `rules` merge per id. */
export function mergeConfig(base: EngineConfig, ...layers: (ConfigFile | undefined)[]): EngineConfig {
  let out: EngineConfig = { ...base, rules: { ...base.rules }, ingress: { ...base.ingress }, exclude: [...base.exclude] };
  for (const layer of layers) {
    if (!layer) continue;
    out = {
      ...out,
      nodePortRange: layer.nodePortRange !== undefined ? parseNodePortRange(layer.nodePortRange) : out.nodePortRange,
      defaultNamespace: layer.defaultNamespace ?? out.defaultNamespace,
      conflictScope: layer.conflictScope ?? out.conflictScope,
      rules: { ...out.rules, ...(layer.rules ?? {}) },
      exclude: [...out.exclude, ...(layer.exclude ?? [])],
      ingress: { keepClassAnnotation: layer.ingress?.keepClassAnnotation ?? out.ingress.keepClassAnnotation },
      maxFileSize: layer.maxFileSize ?? out.maxFileSize,
    };
  }
  return out;
}
