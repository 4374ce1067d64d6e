// Rename along the exposure links. Three kinds of names can be renamed, from
// any place that names them:
// - a Service's name: its metadata.name (every variant), Ingress backends,
//   HTTPRoute backendRefs, and for a selector-less Service its Endpoints name,
//   its EndpointSlices' kubernetes.io/service-name label (and slice names
//   equal to it or prefixed with `<name>-`);
// - a Service port's name: the port (every variant), Ingress `port.name`,
//   and the port names of a selector-less Service's Endpoints/EndpointSlices;
// - a container port's name: the port, the probes of its container that use
//   it, every Service targetPort naming it, and the same-named ports of the
//   other workloads those Services select (so no pod drops out).
import { isScalar, type Node } from 'yaml';
import type { Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { replaceScalar } from '../engine/edits';
import { ingress, podTemplate, service, type ContainerPortView, type Path, type PodTemplateView, type ServicePortView, type ServiceView } from '../engine/model';
import type { Resource } from '../engine/parse';
import type { Position } from '../engine/text';
import type { Workspace } from '../engine/workspace';
import { portNameProblems } from '../rules/ingress/common';
import { findNamedPort, isSelectorless, SERVICE_NAME_LABEL, sliceServiceName } from '../rules/service/ports';
import { familyOf } from './fields';
import { abs, nodeAt, nodeRange, type NodeAt } from './locate';
import { Lookup, routeBackends } from './lookup';
import { containerPortAt, endpointPortNames, isUnder, probePorts } from './navigation';

/** Thrown by `rename` when the new name is not acceptable; the message says why. */
export class RenameError extends Error {}

type Target =
  | { kind: 'service'; svc: ServiceView; name: string }
  | { kind: 'servicePort'; svc: ServiceView; name: string }
  | { kind: 'containerPort'; ports: { t: PodTemplateView; p: ContainerPortView }[]; name: string };

export function prepareRename(ws: Workspace, uri: string, position: Position): { range: Range; placeholder: string } | null {
  const at = nodeAt(ws, uri, position);
  if (!at || at.part !== 'value' || !isScalar(at.node)) return null;
  const target = targetAt(new Lookup(ws), at);
  const range = nodeRange(at.chunk, at.node);
  if (!target || !range) return null;
  return { range, placeholder: target.name };
}

export function rename(ws: Workspace, uri: string, position: Position, newName: string): WorkspaceEdit | null {
  const at = nodeAt(ws, uri, position);
  if (!at || at.part !== 'value' || !isScalar(at.node)) return null;
  const lk = new Lookup(ws);
  const target = targetAt(lk, at);
  if (!target) return null;
  if (newName === target.name) return { changes: {} };
  const sites = target.kind === 'service' ? serviceSites(lk, target.svc, newName) : target.kind === 'servicePort' ? servicePortSites(lk, target.svc, target.name, newName) : containerPortSites(lk, target.ports, target.name, newName);
  return toWorkspaceEdit(sites, newName);
}

// ---------------------------------------------------------------------------
// What is under the cursor

function targetAt(lk: Lookup, at: NodeAt): Target | undefined {
  const { r, path } = at;
  const value = isScalar(at.node) ? at.node.value : undefined;
  if (typeof value !== 'string' || value === '') return undefined;
  const { family, path: f } = familyOf(r.kind, path);
  const ns = lk.ns(r);
  const svcNamed = (name: string | undefined) => lk.servicesNamed(ns, name)[0];
  switch (family) {
    case 'Service': {
      const svc = service(r);
      if (!svc) return undefined;
      if (f.length === 2 && f[0] === 'metadata' && f[1] === 'name') return { kind: 'service', svc, name: value };
      if (f[0] === 'spec' && f[1] === 'ports' && typeof f[2] === 'number' && f[3] === 'name' && f.length === 4) return { kind: 'servicePort', svc, name: value };
      if (f[0] === 'spec' && f[1] === 'ports' && typeof f[2] === 'number' && f[3] === 'targetPort' && f.length === 4) {
        const sp = svc.ports.find((p) => p.index === f[2]);
        if (!sp) return undefined;
        const ports = lk.selected(svc).flatMap((t) => {
          const d = findNamedPort(t, value, sp.protocol);
          return d ? [{ t, p: d.p }] : [];
        });
        return ports.length ? { kind: 'containerPort', ports, name: value } : undefined;
      }
      return undefined;
    }
    case 'Ingress': {
      const b = ingress(r)?.backends.find((x) => isUnder(f, x.path));
      if (!b) return undefined;
      const svc = svcNamed(b.serviceName);
      if (!svc) return undefined;
      if (pathEq(f, b.serviceNamePath)) return { kind: 'service', svc, name: value };
      if ((pathEq(f, [...b.portPath, 'name']) || (b.legacy && pathEq(f, b.portPath))) && svc.ports.some((p) => p.name === value)) {
        return { kind: 'servicePort', svc, name: value };
      }
      return undefined;
    }
    case 'HTTPRoute': {
      const rb = routeBackends(r, ns).find((x) => pathEq(f, [...x.path, 'name']));
      const svc = rb && lk.servicesNamed(rb.namespace, rb.name)[0];
      return svc ? { kind: 'service', svc, name: value } : undefined;
    }
    case 'Endpoints':
    case 'EndpointSlice': {
      const isName = f.length === 2 && f[0] === 'metadata' && f[1] === 'name' && r.kind === 'Endpoints';
      const isLabel = f.length === 3 && f[0] === 'metadata' && f[1] === 'labels' && f[2] === SERVICE_NAME_LABEL;
      if (isName || isLabel) {
        const svc = svcNamed(value);
        return svc ? { kind: 'service', svc, name: value } : undefined;
      }
      if (f[f.length - 1] === 'name' && f.includes('ports')) {
        const svc = svcNamed(r.kind === 'Endpoints' ? r.name : sliceServiceName(r));
        return svc && svc.ports.some((p) => p.name === value) ? { kind: 'servicePort', svc, name: value } : undefined;
      }
      return undefined;
    }
    case 'Pod': {
      const t = podTemplate(r);
      if (!t) return undefined;
      const p = containerPortAt(t, f);
      if (p && f[5] === 'name' && f.length === 6) return { kind: 'containerPort', ports: [{ t, p }], name: value };
      // a probe's named port
      if (f[f.length - 1] === 'port') {
        const c = t.containers.find((x) => isUnder(f, x.path.slice(t.path.length)));
        const cp = c?.ports.find((x) => x.name === value);
        if (cp) return { kind: 'containerPort', ports: [{ t, p: cp }], name: value };
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

function pathEq(a: Path, b: Path): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

// ---------------------------------------------------------------------------
// Sites to edit

interface Site {
  r: Resource;
  path: Path;
  /** replacement text for this site (defaults to the new name) */
  value?: string;
}

const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function serviceSites(lk: Lookup, svc: ServiceView, newName: string): Site[] {
  if (newName.length > 63 || !DNS1035.test(newName)) {
    throw new RenameError(`"${newName}" is not a valid Service name: use at most 63 lowercase letters, digits and "-", starting with a letter and ending with a letter or digit.`);
  }
  const old = svc.resource.name!;
  const ns = lk.ns(svc.resource);
  if (lk.servicesNamed(ns, newName).length) throw new RenameError(`Namespace ${ns} already has a Service named "${newName}".`);
  const variants = lk.servicesNamed(ns, old);
  const sites: Site[] = variants.map((v) => ({ r: v.resource, path: ['metadata', 'name'] }));
  for (const ing of lk.ingresses(ns)) for (const b of ing.backends) if (b.serviceName === old) sites.push({ r: ing.resource, path: b.serviceNamePath });
  for (const rb of lk.routeBackendsOf(svc)) sites.push({ r: rb.route, path: [...rb.path, 'name'] });
  if (variants.every((v) => isSelectorless(v.resource))) {
    for (const e of lk.inNamespace('Endpoints', ns)) if (e.name === old) sites.push({ r: e, path: ['metadata', 'name'] });
    for (const s of lk.inNamespace('EndpointSlice', ns)) {
      if (sliceServiceName(s) !== old) continue;
      sites.push({ r: s, path: ['metadata', 'labels', SERVICE_NAME_LABEL] });
      if (s.name === old) sites.push({ r: s, path: ['metadata', 'name'] });
      else if (s.name?.startsWith(`${old}-`)) sites.push({ r: s, path: ['metadata', 'name'], value: newName + s.name.slice(old.length) });
    }
  }
  return sites;
}

function servicePortSites(lk: Lookup, svc: ServiceView, old: string, newName: string): Site[] {
  const ns = lk.ns(svc.resource);
  const variants = lk.servicesNamed(ns, svc.resource.name);
  const backends = lk.ingressBackendsOf(svc).filter(({ b }) => b.portName === old && b.portNumber === undefined);
  if (newName.length > 63 || !DNS1123_LABEL.test(newName)) {
    throw new RenameError(`"${newName}" is not a valid Service port name: use at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit.`);
  }
  if (backends.length) {
    const problems = portNameProblems(newName);
    if (problems.length) throw new RenameError(`"${newName}" cannot be used by Ingress port.name: it ${problems.join(', ')}.`);
  }
  if (variants.some((v) => v.ports.some((p) => p.name === newName))) throw new RenameError(`Service ${svc.resource.name} already has a port named "${newName}".`);
  const sites: Site[] = [];
  for (const v of variants) for (const p of v.ports) if (p.name === old) sites.push({ r: v.resource, path: [...p.path, 'name'] });
  for (const { ing, b } of backends) sites.push({ r: ing.resource, path: b.legacy ? b.portPath : [...b.portPath, 'name'] });
  if (variants.every((v) => isSelectorless(v.resource))) for (const s of endpointPortNames(lk, svc, old)) sites.push(s);
  return sites;
}

function containerPortSites(lk: Lookup, start: { t: PodTemplateView; p: ContainerPortView }[], old: string, newName: string): Site[] {
  const problems = portNameProblems(newName);
  if (problems.length) throw new RenameError(`"${newName}" is not a valid container port name: it ${problems.join(', ')}.`);
  // every port reachable through a Service targetPort that names `old` joins the rename
  const ports = new Map<ContainerPortView, PodTemplateView>();
  const targets = new Map<ServicePortView, ServiceView>();
  const queue = [...start];
  while (queue.length) {
    const { t, p } = queue.pop()!;
    if (ports.has(p)) continue;
    ports.set(p, t);
    for (const svc of lk.selecting(t)) {
      for (const sp of svc.ports) {
        if (sp.targetPort !== old || sp.protocol !== p.protocol) continue;
        targets.set(sp, svc);
        for (const t2 of lk.selected(svc)) {
          const d = findNamedPort(t2, old, sp.protocol);
          if (d && !ports.has(d.p)) queue.push({ t: t2, p: d.p });
        }
      }
    }
  }
  const sites: Site[] = [];
  for (const [p, t] of ports) {
    if (t.containers.some((c) => c.ports.some((x) => x !== p && x.name === newName))) {
      throw new RenameError(`${t.resource.kind} ${t.resource.name ?? ''} already has a container port named "${newName}": names must be unique within a pod.`);
    }
    sites.push({ r: t.resource, path: [...p.path, 'name'] });
    for (const path of probePorts(t, p)) sites.push({ r: t.resource, path });
  }
  for (const [sp, svc] of targets) sites.push({ r: svc.resource, path: [...sp.path, 'targetPort'] });
  return sites;
}

function toWorkspaceEdit(sites: Site[], newName: string): WorkspaceEdit {
  const changes: Record<string, TextEdit[]> = {};
  const seen = new Set<string>();
  for (const site of sites) {
    const node = site.r.nodeAt(site.path) as Node | undefined;
    if (!isScalar(node) || !node.range) continue;
    const edit = replaceScalar(site.r.chunk, node, site.value ?? newName);
    const range = abs(edit.loc.chunk, edit.loc.range);
    const key = `${site.r.uri}:${range.start.line}:${range.start.character}`;
    if (seen.has(key)) continue;
    seen.add(key);
    (changes[site.r.uri] ??= []).push({ range, newText: edit.newText });
  }
  return { changes };
}

