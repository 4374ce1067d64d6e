// Refactors that give a workload's pods a Service: "Expose with a Service
// (ClusterIP|NodePort|LoadBalancer)", "Replace hostPort with a NodePort
// Service" and "Replace hostNetwork with a NodePort Service". The Service is a
// new document right after the workload's; it selects the pods by their stable
// labels and targets each container port by name, naming unnamed container
// ports in the workload on the way.
import { isScalar, type Node, type Pair } from 'yaml';
import { mapAt, renderScalar, setKey, setPath } from '../engine/edits';
import { get, podTemplate, servingContainers, type ContainerPortView, type ContainerView, type PodTemplateView } from '../engine/model';
import { isPlainObject, type Resource } from '../engine/parse';
import type { Edit } from '../engine/rule';
import { stableLabels } from '../rules/util';
import { inNodePortRange, namesOf, rangeText, serviceNameFrom, uniqueName, usedNodePorts, type Refactor, type RefactorContext } from './context';
import { isIanaPortName, portNameFor } from './names';
import { absolute, afterDocument, escapeSnippet, findPair, removeKeys, renderDocument, styleOf } from './yaml-text';

/** Kinds whose pods a Service may front. Jobs and CronJobs run to completion and are not offered. */
const EXPOSABLE = new Set(['Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'ReplicationController', 'Rollout']);

interface PortPlan {
  /** the container port behind it (none for a port guessed from probes) */
  port?: ContainerPortView;
  containerPort: number;
  protocol: string;
  /** the Service port's name */
  name: string;
  targetPort: string | number;
  /** a name to give the (unnamed) container port */
  rename?: string;
  nodePort?: number;
}

interface Plan {
  ports: PortPlan[];
  /** edits in the workload (container port names, a label for an unlabelled Pod) */
  edits: Edit[];
  selector: Record<string, string>;
}

type PortFilter = (c: ContainerView, p: ContainerPortView) => boolean;

/**
 * One Service port per serving container port (deduplicated by number and
 * protocol). A port is targeted by its name when FindPort resolves that name to
 * it; an unnamed port gets a name (`rename`), written into the workload.
 */
function planPorts(t: PodTemplateView, include: PortFilter): PortPlan[] {
  const serving = servingContainers(t);
  const podNames = new Set(t.containers.flatMap((c) => c.ports.map((p) => p.name).filter((n): n is string => !!n)));
  const svcNames = new Set<string>();
  const seen = new Set<string>();
  const ports: PortPlan[] = [];
  const firstNamed = (name: string, protocol: string) => serving.flatMap((c) => c.ports).find((p) => p.name === name && p.protocol === protocol);
  const fresh = (n: number, protocol: string) => portNameFor(n, protocol, new Set([...svcNames, ...podNames]));
  for (const c of serving) {
    for (const p of c.ports) {
      const n = p.containerPort;
      if (n === undefined || n < 1 || n > 65535 || !include(c, p)) continue;
      const key = `${n}/${p.protocol}`;
      if (seen.has(key)) continue;
      seen.add(key);
      let name: string;
      let targetPort: string | number;
      let rename: string | undefined;
      if (p.name && isIanaPortName(p.name) && firstNamed(p.name, p.protocol) === p) {
        targetPort = p.name;
        name = svcNames.has(p.name) ? fresh(n, p.protocol) : p.name;
      } else if (p.name) {
        // an invalid or shadowed name cannot be targeted: use the number
        targetPort = n;
        name = fresh(n, p.protocol);
      } else {
        name = rename = fresh(n, p.protocol);
        podNames.add(name);
        targetPort = name;
      }
      svcNames.add(name);
      ports.push({ port: p, containerPort: n, protocol: p.protocol, name, targetPort, rename });
    }
  }
  return ports;
}

/**
 * The labels a Service should select: the controller's own matchLabels (its
 * stable identity) when set, else the template labels minus controller-generated
 * ones. An unlabelled Pod gets `app: <name>`.
 */
function selectorPlan(t: PodTemplateView): { selector: Record<string, string>; edits: Edit[] } | undefined {
  const r = t.resource;
  const selPath = r.kind === 'ReplicationController' ? ['spec', 'selector'] : t.isPod ? undefined : ['spec', 'selector', 'matchLabels'];
  if (selPath) {
    const sel = get(r.value, selPath);
    if (isPlainObject(sel)) {
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(sel)) if (t.labels[k] !== undefined && t.labels[k] === String(v)) out[k] = t.labels[k];
      if (Object.keys(out).length) return { selector: out, edits: [] };
    }
  }
  const stable = stableLabels(t.labels);
  if (Object.keys(stable).length) return { selector: stable, edits: [] };
  if (!t.isPod || !r.name || !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(r.name) || r.name.length > 63 || 'app' in t.labels) return undefined;
  const e = setPath(r, ['metadata', 'labels', 'app'], r.name);
  return e ? { selector: { app: r.name }, edits: [e] } : undefined;
}

/**
 * The plan of a Service for some of a template's ports. `drop` lists, per
 * container port, keys to remove from it (hostPort, hostIP); they are combined
 * with the port's new name into non-overlapping edits.
 */
function plan(t: PodTemplateView, include: PortFilter, drop: (p: ContainerPortView) => string[] = () => []): Plan | undefined {
  const sel = selectorPlan(t);
  if (!sel) return undefined;
  const ports = planPorts(t, include);
  if (!ports.length) return undefined;
  const renames = new Map(ports.filter((x) => x.port && x.rename).map((x) => [x.port!, x.rename!]));
  const edits = [...sel.edits];
  for (const c of t.containers) for (const p of c.ports) edits.push(...editPortItem(t.resource, p, renames.get(p), drop(p)));
  return { ports, edits, selector: sel.selector };
}

/**
 * Names a container port and/or removes keys from it. The name takes the place
 * of the first removed pair (so an insertion never lands inside a removed
 * line); flow maps are rewritten from the source of their kept pairs.
 */
function editPortItem(r: Resource, p: ContainerPortView, name: string | undefined, drop: string[]): Edit[] {
  const map = mapAt(r, p.path);
  if (!map || (!name && !drop.length)) return [];
  const present = drop.filter((k) => findPair(map, k));
  if (!name) return removeKeys(r.chunk, map, present);
  if (!present.length) return [setKey(r.chunk, map, 'name', name)];
  if (map.flow) {
    const text = r.chunk.text;
    const kept = (map.items as Pair[]).filter((x) => !(isScalar(x.key) && present.includes(String(x.key.value))));
    const parts = kept.map((x) => text.slice((x.key as Node).range![0], pairEnd(r, x)));
    parts.push(`name: ${renderScalar(name)}`);
    const spaced = text[map.range![0] + 1] === ' ';
    const end = contentEndOf(r, map);
    return [{ loc: { chunk: r.chunk, range: r.chunk.rangeOf(map.range![0], end) }, newText: spaced ? `{ ${parts.join(', ')} }` : `{${parts.join(', ')}}` }];
  }
  const first = findPair(map, present[0])!;
  const replaced = { loc: { chunk: r.chunk, range: r.chunk.rangeOf((first.key as Node).range![0], pairEnd(r, first)) }, newText: `name: ${renderScalar(name)}` };
  return [replaced, ...removeKeys(r.chunk, map, present.slice(1))];
}

function contentEndOf(r: Resource, node: Node): number {
  const [start, end] = node.range!;
  let e = Math.max(end, start);
  while (e > start && /\s/.test(r.chunk.text[e - 1])) e--;
  return e;
}

function pairEnd(r: Resource, pair: Pair): number {
  const v = pair.value as Node | null;
  return contentEndOf(r, v?.range ? v : (pair.key as Node));
}

/**
 * The refactor: workload edits, then the Service document after the workload's
 * document. With `placeholder`, the Service's port numbers are a guess: the
 * snippet makes them a tab stop.
 */
function serviceRefactor(ctx: RefactorContext, p: Plan, type: string, title: string, kind: Refactor['kind'], extra: Edit[] = [], placeholder = false): Refactor {
  const { ws, file, r } = ctx;
  const ns = ws.namespaceOf(r);
  const name = uniqueName(serviceNameFrom(r.name ?? r.kind.toLowerCase()), namesOf(ws, 'Service', ns), type === 'ClusterIP' ? 'svc' : type === 'LoadBalancer' ? 'lb' : 'nodeport');
  const doc = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, ...(r.explicitNamespace ? { namespace: r.explicitNamespace } : {}) },
    spec: {
      ...(type === 'ClusterIP' ? {} : { type }),
      selector: p.selector,
      ports: p.ports.map((x) => ({
        name: x.name,
        ...(x.protocol === 'TCP' ? {} : { protocol: x.protocol }),
        port: x.containerPort,
        targetPort: x.targetPort,
        ...(x.nodePort !== undefined ? { nodePort: x.nodePort } : {}),
      })),
    },
  };
  const at = afterDocument(file, r.chunk);
  const text = at.prefix + renderDocument(doc, styleOf(r.chunk, file.text));
  const out: Refactor = {
    title,
    kind,
    edits: [...[...extra, ...p.edits].map(absolute), { uri: at.uri, range: at.range, newText: text }],
  };
  if (placeholder && p.ports.length === 1) {
    const n = p.ports[0].containerPort;
    const snippet = escapeSnippet(text).replace(new RegExp(`(\\b(?:port|targetPort): )${n}(?=\\r?\\n)`, 'g'), `$1\${1:${n}}`);
    out.snippet = { uri: at.uri, range: at.range, newText: snippet };
  }
  return out;
}

export function exposeRefactors(ctx: RefactorContext): Refactor[] {
  const t = EXPOSABLE.has(ctx.r.kind) ? podTemplate(ctx.r) : undefined;
  if (!t) return [];
  const p = plan(t, () => true);
  if (!p) return [];
  return (['ClusterIP', 'NodePort', 'LoadBalancer'] as const).map((type) => serviceRefactor(ctx, p, type, `Expose with a Service (${type})`, 'refactor.extract'));
}

/**
 * nodePorts for the plan: the wanted number when it lies in the range, is free
 * in the scope and not given to another port number of this Service (ALLOC-03).
 * Returns notes on the ports left to the cluster.
 */
function assignNodePorts(ctx: RefactorContext, p: Plan, wanted: (x: PortPlan) => number | undefined, what: string): string[] {
  const { ws, r } = ctx;
  const used = usedNodePorts(ws, r.uri, r);
  const given = new Map<number, number>(); // nodePort -> Service port
  const outside: number[] = [];
  const taken: number[] = [];
  for (const x of p.ports) {
    const n = wanted(x);
    if (n === undefined) continue;
    if (!inNodePortRange(ws, n)) outside.push(n);
    else if (used.has(n) || (given.has(n) && given.get(n) !== x.containerPort)) taken.push(n);
    else {
      x.nodePort = n;
      given.set(n, x.containerPort);
    }
  }
  const notes: string[] = [];
  const list = (ns: number[]) => [...new Set(ns)].join(', ');
  const picks = (k: number) => (k === 1 ? 'a nodePort' : 'nodePorts');
  if (outside.length) {
    const one = new Set(outside).size === 1;
    notes.push(`${what}${one ? '' : 's'} ${list(outside)} ${one ? 'is' : 'are'} outside ${rangeText(ws)}: the cluster will pick ${picks(outside.length)}`);
  }
  if (taken.length) {
    const one = new Set(taken).size === 1;
    notes.push(`nodePort${one ? '' : 's'} ${list(taken)} ${one ? 'is' : 'are'} already used: the cluster will pick ${picks(taken.length)}`);
  }
  return notes;
}

export function hostPortRefactors(ctx: RefactorContext): Refactor[] {
  const r = ctx.r;
  const t = EXPOSABLE.has(r.kind) ? podTemplate(r) : undefined;
  if (!t || t.hostNetwork) return [];
  const withHostPort: PortFilter = (_c, port) => port.hostPort !== undefined;
  const serving = new Set(servingContainers(t).flatMap((c) => c.ports));
  const p = plan(t, withHostPort, (port) => (serving.has(port) && port.hostPort !== undefined ? ['hostPort', 'hostIP'] : []));
  if (!p) return [];
  const notes = assignNodePorts(ctx, p, (x) => x.port?.hostPort, 'hostPort');
  const several = new Set(p.ports.map((x) => x.port?.hostPort)).size > 1;
  const title = `Replace hostPort${several ? 's' : ''} with a NodePort Service${notes.length ? ` (${notes.join('; ')})` : ''}`;
  return [serviceRefactor(ctx, p, 'NodePort', title, 'refactor.rewrite')];
}

export function hostNetworkRefactors(ctx: RefactorContext): Refactor[] {
  const r = ctx.r;
  const t = EXPOSABLE.has(r.kind) ? podTemplate(r) : undefined;
  if (!t || !t.hostNetwork) return [];
  const spec = mapAt(r, t.specPath);
  if (!spec) return [];
  const keys = ['hostNetwork'];
  if (get(r.value, [...t.specPath, 'dnsPolicy']) === 'ClusterFirstWithHostNet') keys.push('dnsPolicy');
  const edits = removeKeys(r.chunk, spec, keys);
  // without hostNetwork, a hostPort would keep the pod bound to its node: drop them all
  const p = plan(t, () => true, () => ['hostPort', 'hostIP']);
  if (!p) {
    // No declared ports: the probes tell which ports the pods listen on; else a placeholder to fill in.
    const sel = selectorPlan(t);
    if (!sel) return [];
    const probed = probePorts(t);
    const numbers = probed.length ? probed : [80];
    const taken = new Set<string>();
    const ports = numbers.map((n) => {
      const name = portNameFor(n, 'TCP', taken);
      taken.add(name);
      return { containerPort: n, protocol: 'TCP', name, targetPort: n };
    });
    const how = probed.length ? `port${probed.length > 1 ? 's' : ''} ${probed.join(', ')} from the probes` : 'no declared ports: fill in the port';
    return [serviceRefactor(ctx, { ports, edits: sel.edits, selector: sel.selector }, 'ClusterIP', `Replace hostNetwork with a Service (${how})`, 'refactor.rewrite', edits, !probed.length)];
  }
  const notes = assignNodePorts(ctx, p, (x) => x.containerPort, 'containerPort');
  const title = `Replace hostNetwork with a NodePort Service${notes.length ? ` (${notes.join('; ')})` : ''}`;
  return [serviceRefactor(ctx, p, 'NodePort', title, 'refactor.rewrite', edits)];
}

/** Port numbers the probes of the serving containers use (httpGet, tcpSocket, grpc), in order. */
function probePorts(t: PodTemplateView): number[] {
  const out: number[] = [];
  for (const c of servingContainers(t)) {
    for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
      for (const handler of ['httpGet', 'tcpSocket', 'grpc']) {
        const n = get(t.resource.value, [...c.path, probe, handler, 'port']);
        if (typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535 && !out.includes(n)) out.push(n);
      }
    }
  }
  return out;
}
