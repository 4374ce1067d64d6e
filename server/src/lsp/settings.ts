// Editor settings (`kubeExpose.*`) → a config layer. Settings come from
// workspace/configuration (per folder), from didChangeConfiguration's payload
// for clients without the pull model, or from initializationOptions. Values are
// validated one by one: a bad value is reported and ignored, never fatal.
import { parseNodePortRange, type ConfigFile, type ConflictScope, type SeveritySetting } from '../engine/config';

export type DiagnosticsScope = 'workspace' | 'openFiles';

export interface LspSettings {
  /** the engine config layer (applied before the folder's .kube-expose.yaml) */
  layer: ConfigFile;
  scope: DiagnosticsScope;
  /** human-readable problems with the raw settings (each shown once) */
  problems: string[];
}

const SEVERITIES = new Set<SeveritySetting>(['off', 'hint', 'information', 'warning', 'error']);
const SCOPES = new Set<ConflictScope>(['file', 'directory', 'workspace']);
const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `a.b` read from nested objects or from a flat dotted key (some clients send those). */
function pick(raw: Record<string, unknown>, path: string): unknown {
  if (path in raw) return raw[path];
  let v: unknown = raw;
  for (const seg of path.split('.')) {
    if (!isObject(v)) return undefined;
    v = v[seg];
  }
  return v;
}

/** Settings objects may arrive as the `kubeExpose` section or as the whole settings tree. */
export function sectionOf(settings: unknown): unknown {
  if (isObject(settings) && isObject(settings.kubeExpose)) return settings.kubeExpose;
  return settings;
}

export function readSettings(raw: unknown, knownRules: ReadonlySet<string>): LspSettings {
  const out: LspSettings = { layer: {}, scope: 'workspace', problems: [] };
  if (!isObject(raw)) return out;
  const bad = (key: string, why: string) => out.problems.push(`kubeExpose.${key}: ${why}; the setting is ignored.`);

  const range = pick(raw, 'nodePortRange');
  if (range !== undefined && range !== null && range !== '') {
    try {
      parseNodePortRange(String(range));
      out.layer.nodePortRange = String(range);
    } catch (e) {
      bad('nodePortRange', (e as Error).message.replace(/^nodePortRange: /, ''));
    }
  }

  const ns = pick(raw, 'defaultNamespace');
  if (ns !== undefined && ns !== null && ns !== '') {
    if (typeof ns === 'string' && NAMESPACE.test(ns) && ns.length <= 63) out.layer.defaultNamespace = ns;
    else bad('defaultNamespace', `${JSON.stringify(ns)} is not a valid namespace name`);
  }

  const scope = pick(raw, 'conflictScope');
  if (scope !== undefined && scope !== null) {
    if (SCOPES.has(scope as ConflictScope)) out.layer.conflictScope = scope as ConflictScope;
    else bad('conflictScope', `expected file, directory or workspace, got ${JSON.stringify(scope)}`);
  }

  const rules = pick(raw, 'rules');
  if (rules !== undefined && rules !== null) {
    if (!isObject(rules)) bad('rules', 'expected an object of rule id → severity');
    else {
      const layer: Record<string, SeveritySetting> = {};
      for (const [id, sev] of Object.entries(rules)) {
        if (!knownRules.has(id)) bad(`rules.${id}`, 'unknown rule id');
        else if (!SEVERITIES.has(sev as SeveritySetting)) bad(`rules.${id}`, `expected off, hint, information, warning or error, got ${JSON.stringify(sev)}`);
        else layer[id] = sev as SeveritySetting;
      }
      out.layer.rules = layer;
    }
  }

  const exclude = pick(raw, 'exclude');
  if (exclude !== undefined && exclude !== null) {
    if (Array.isArray(exclude) && exclude.every((x) => typeof x === 'string')) out.layer.exclude = exclude.filter((x) => x.trim() !== '');
    else bad('exclude', 'expected a list of glob patterns');
  }

  const keep = pick(raw, 'ingress.keepClassAnnotation');
  if (keep !== undefined && keep !== null) {
    if (typeof keep === 'boolean') out.layer.ingress = { keepClassAnnotation: keep };
    else bad('ingress.keepClassAnnotation', 'expected true or false');
  }

  const max = pick(raw, 'maxFileSize');
  if (max !== undefined && max !== null) {
    if (typeof max === 'number' && Number.isFinite(max) && max >= 1) out.layer.maxFileSize = Math.floor(max);
    else bad('maxFileSize', `expected a positive number of bytes, got ${JSON.stringify(max)}`);
  }

  const diagScope = pick(raw, 'diagnostics.scope');
  if (diagScope !== undefined && diagScope !== null) {
    if (diagScope === 'workspace' || diagScope === 'openFiles') out.scope = diagScope;
    else bad('diagnostics.scope', `expected workspace or openFiles, got ${JSON.stringify(diagScope)}`);
  }
  return out;
}
