// What every refactor module receives, and the questions they ask about the
// rest of the workspace (free nodePorts, taken names, ingress classes). The
// refactors run on demand, so they read the Workspace directly.
import { get, podTemplate, service } from '../engine/model';
import { isPlainObject, type Resource } from '../engine/parse';
import type { Range } from '../engine/text';
import type { FileState, Workspace } from '../engine/workspace';

export interface Refactor {
  title: string;
  kind: 'refactor.rewrite' | 'refactor.extract';
  isPreferred?: boolean;
  /** absolute ranges, like Diagnostic fixes */
  edits: { uri: string; range: Range; newText: string }[];
  /**
   * optional: text with snippet tab stops ($1, ${1:host}) an editor that supports snippets may insert
   * instead of the plain edit with the same uri and range (the other edits apply as they are)
   */
  snippet?: { uri: string; range: Range; newText: string };
  /**
   * Why the refactor fits here but cannot be done safely (set only with
   * `includeDisabled`, and then `edits` is empty): editors show it greyed out
   * with this reason instead of leaving the user to wonder where it went.
   */
  disabled?: string;
}

export interface RefactorContext {
  ws: Workspace;
  file: FileState;
  /** the resource under the range */
  r: Resource;
}

/** nodePorts and healthCheckNodePorts of the Services, and host ports of the pods, in the conflict scope of `uri`. */
export function usedNodePorts(ws: Workspace, uri: string, exclude?: Resource): Set<number> {
  const scope = ws.scopeKey(uri);
  const used = new Set<number>();
  for (const o of ws.allResources()) {
    if (o === exclude || ws.scopeKey(o.uri) !== scope) continue;
    const svc = service(o);
    if (svc) {
      for (const p of svc.ports) if (p.nodePort) used.add(p.nodePort);
      const hc = get(o.value, ['spec', 'healthCheckNodePort']);
      if (typeof hc === 'number') used.add(hc);
      continue;
    }
    // a hostPort inside the node port range collides with a nodePort on every node (ALLOC-09)
    const t = podTemplate(o);
    if (!t) continue;
    for (const c of t.containers) {
      for (const p of c.ports) {
        if (p.hostPort) used.add(p.hostPort);
        else if (t.hostNetwork && p.containerPort) used.add(p.containerPort);
      }
    }
  }
  return used;
}

/** The lowest free port of the node port range (the lower band is the one meant for static assignment, ALLOC-05). */
export function freeNodePort(ws: Workspace, used: Set<number>): number | undefined {
  const { min, max } = ws.config.nodePortRange;
  for (let p = min; p <= max; p++) if (!used.has(p)) return p;
  return undefined;
}

export function inNodePortRange(ws: Workspace, port: number): boolean {
  const { min, max } = ws.config.nodePortRange;
  return port >= min && port <= max;
}

export function rangeText(ws: Workspace): string {
  return `${ws.config.nodePortRange.min}-${ws.config.nodePortRange.max}`;
}

/** Names of the resources of a kind in a namespace. */
export function namesOf(ws: Workspace, kind: string, namespace: string): Set<string> {
  const out = new Set<string>();
  for (const o of ws.allResources()) if (o.kind === kind && o.name !== undefined && ws.namespaceOf(o) === namespace) out.add(o.name);
  return out;
}

/** `base`, else `base-<suffix>`, else `base-<suffix>-2`... (at most 63 characters). */
export function uniqueName(base: string, taken: Set<string>, suffix: string): string {
  if (!taken.has(base)) return base;
  const trim = (s: string, room: number) => s.slice(0, Math.max(1, 63 - room)).replace(/-+$/, '');
  const withSuffix = `${trim(base, suffix.length + 1)}-${suffix}`;
  if (!taken.has(withSuffix)) return withSuffix;
  for (let i = 2; ; i++) {
    const n = `${trim(base, suffix.length + String(i).length + 2)}-${suffix}-${i}`;
    if (!taken.has(n)) return n;
  }
}

/**
 * The IngressClass a new Ingress should name: the one annotated as the
 * cluster default, else the only one in the workspace; undefined otherwise.
 */
export function defaultIngressClass(ws: Workspace): string | undefined {
  const all = new Set<string>();
  const defaults = new Set<string>();
  for (const o of ws.allResources()) {
    if (o.kind !== 'IngressClass' || !o.name) continue;
    all.add(o.name);
    const ann = get(o.value, ['metadata', 'annotations']);
    if (isPlainObject(ann) && String(ann['ingressclass.kubernetes.io/is-default-class']) === 'true') defaults.add(o.name);
  }
  if (defaults.size === 1) return [...defaults][0];
  if (defaults.size === 0 && all.size === 1) return [...all][0];
  return undefined;
}

/** A Service name (DNS-1035 label, F-03) derived from another object's name. */
export function serviceNameFrom(name: string): string {
  let n = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+/, '');
  if (!/^[a-z]/.test(n)) n = `svc-${n}`;
  return n.slice(0, 63).replace(/-+$/, '') || 'svc';
}
