// Go to definition and find references along the exposure links:
// selector -> pod template labels, named targetPort -> container port,
// Ingress/HTTPRoute backend -> Service and its port, Endpoints/EndpointSlice ->
// their Service, ingressClassName -> IngressClass; and back from labels,
// container ports, Services and their ports to everything that uses them.
import { isScalar, type Node } from 'yaml';
import type { Location } from 'vscode-languageserver-types';
import { gateway, gatewayRoute, get, ingress, podTemplate, service, type ContainerPortView, type Path, type PodTemplateView, type ServicePortView, type ServiceView } from '../engine/model';
import type { Resource } from '../engine/parse';
import type { Position } from '../engine/text';
import type { Workspace } from '../engine/workspace';
import { isSelectorless, SERVICE_NAME_LABEL, sliceServiceName } from '../rules/service/ports';
import { servicePortsOn } from './facts';
import { familyOf } from './fields';
import { nodeAt, nodeLocation, pathLocation, type NodeAt } from './locate';
import { Lookup, routeBackends } from './lookup';

// ---------------------------------------------------------------------------
// Definition

export function definition(ws: Workspace, uri: string, position: Position): Location[] | null {
  const at = nodeAt(ws, uri, position);
  if (!at || !isScalar(at.node)) return null;
  const lk = new Lookup(ws);
  const out = definitionsAt(lk, at);
  return out.length ? dedupe(out) : null;
}

function definitionsAt(lk: Lookup, at: NodeAt): Location[] {
  const { r, path } = at;
  const { family, path: f } = familyOf(r.kind, path);
  const value = at.part === 'value' && isScalar(at.node) ? at.node.value : undefined;
  switch (family) {
    case 'Service': {
      const svc = service(r);
      if (!svc) return [];
      if (f[0] === 'spec' && f[1] === 'selector') {
        const key = typeof f[2] === 'string' ? f[2] : undefined;
        return lk.selected(svc).map((t) => pathLocation(t.resource, key ? [...t.labelsPath, key] : t.labelsPath, 'key'));
      }
      if (f[0] === 'spec' && f[1] === 'ports' && typeof f[2] === 'number' && f[3] === 'targetPort') {
        const sp = svc.ports.find((p) => p.index === f[2]);
        if (!sp) return [];
        return landingLocations(lk, svc, sp);
      }
      return [];
    }
    case 'Ingress': {
      const ing = ingress(r);
      const b = ing?.backends.find((x) => isUnder(f, x.path));
      if (ing && b && b.serviceName) {
        const rest = f.slice(b.path.length);
        const svcs = lk.servicesNamed(lk.ns(r), b.serviceName);
        if (isUnder(f, b.serviceNamePath)) return svcs.map((s) => pathLocation(s.resource, ['metadata', 'name']));
        if (isUnder(f, b.portPath) || rest[0] === 'servicePort') return svcs.flatMap((s) => servicePortLocations(lk, s, b));
        return [];
      }
      if ((f[0] === 'spec' && f[1] === 'ingressClassName') || (f[0] === 'metadata' && f[2] === 'kubernetes.io/ingress.class' && at.part === 'value')) {
        return lk.ingressClasses().filter((c) => c.name === value).map((c) => pathLocation(c, ['metadata', 'name']));
      }
      return [];
    }
    case 'Endpoints':
    case 'EndpointSlice': {
      const svcName = r.kind === 'Endpoints' ? r.name : sliceServiceName(r);
      const svcs = lk.servicesNamed(lk.ns(r), svcName);
      if ((f[0] === 'metadata' && f[1] === 'name') || (f[0] === 'metadata' && f[1] === 'labels' && f[2] === SERVICE_NAME_LABEL)) {
        return svcs.map((s) => pathLocation(s.resource, ['metadata', 'name']));
      }
      if (f[f.length - 1] === 'name' && f.includes('ports') && typeof value === 'string') {
        return svcs.flatMap((s) => s.ports.filter((p) => p.name === value).map((p) => pathLocation(s.resource, [...p.path, 'name'])));
      }
      return [];
    }
    case 'HTTPRoute': {
      // a parentRef -> its Gateway, its sectionName -> the listener
      const parent = gatewayRoute(r)?.parents.find((p) => isUnder(f, p.path));
      if (parent?.name) {
        const gateways = lk.gatewaysNamed(parent.namespace ?? lk.ns(r), parent.name);
        if (f[f.length - 1] === 'name') return gateways.map((g) => pathLocation(g, ['metadata', 'name']));
        if (f[f.length - 1] === 'sectionName') {
          return gateways.flatMap((g) => (gateway(g)?.listeners ?? []).filter((l) => l.name === parent.sectionName).map((l) => pathLocation(g, [...l.path, 'name'])));
        }
        return [];
      }
      const rb = routeBackends(r, lk.ns(r)).find((b) => isUnder(f, b.path));
      if (!rb || !rb.name) return [];
      const svcs = lk.servicesNamed(rb.namespace, rb.name);
      if (f[f.length - 1] === 'name') return svcs.map((s) => pathLocation(s.resource, ['metadata', 'name']));
      if (f[f.length - 1] === 'port') return svcs.flatMap((s) => s.ports.filter((p) => p.port === rb.port).map((p) => pathLocation(s.resource, [...p.path, 'port'])));
      return [];
    }
    case 'Pod': {
      // a probe's named port -> the container port of the same container
      const t = podTemplate(r);
      if (!t || typeof value !== 'string' || f[f.length - 1] !== 'port') return [];
      const c = t.containers.find((x) => isUnder(f, x.path.slice(t.path.length)));
      const p = c?.ports.find((x) => x.name === value);
      return p ? [pathLocation(r, [...p.path, 'name'])] : [];
    }
    default:
      return [];
  }
}

/** The container ports a Service port lands on (named or numbered), in every selected template. */
export function landingLocations(lk: Lookup, svc: ServiceView, sp: ServicePortView): Location[] {
  const out: Location[] = [];
  for (const t of lk.selected(svc)) {
    const l = lk.landing(sp, t);
    if (l.decl) out.push(pathLocation(t.resource, [...l.decl.p.path, typeof sp.targetPort === 'string' ? 'name' : 'containerPort']));
  }
  return out;
}

function servicePortLocations(lk: Lookup, svc: ServiceView, b: { portNumber?: number; portName?: string }): Location[] {
  const sp = lk.backendPort(svc, b);
  if (!sp) return [];
  return [pathLocation(svc.resource, [...sp.path, b.portNumber !== undefined ? 'port' : 'name'])];
}

// ---------------------------------------------------------------------------
// References

export function references(ws: Workspace, uri: string, position: Position, includeDeclaration = true): Location[] | null {
  const at = nodeAt(ws, uri, position);
  if (!at || !isScalar(at.node)) return null;
  const lk = new Lookup(ws);
  const refs = referencesAt(lk, at);
  if (refs === undefined) return null;
  const own = nodeLocation(at.r, at.node as Node);
  return dedupe(includeDeclaration ? [own, ...refs] : refs.filter((l) => !sameLoc(l, own)));
}

function referencesAt(lk: Lookup, at: NodeAt): Location[] | undefined {
  const { r, path } = at;
  const { family, path: f } = familyOf(r.kind, path);
  switch (family) {
    case 'Pod':
    case 'Workload': {
      const t = podTemplate(r);
      if (!t) return undefined;
      if (f[0] === 'metadata' && (f[1] === 'labels' || (f[1] === 'name' && (family === 'Workload' || r.kind === 'Pod')))) return workloadReferences(lk, t);
      const port = containerPortAt(t, f);
      if (port) return containerPortReferences(lk, t, port);
      return undefined;
    }
    case 'Service': {
      const svc = service(r);
      if (!svc) return undefined;
      if (f[0] === 'metadata' && f[1] === 'name' && f.length === 2) return serviceReferences(lk, svc);
      if (f[0] === 'spec' && f[1] === 'ports' && typeof f[2] === 'number' && (f[3] === undefined || f[3] === 'port' || f[3] === 'name')) {
        const sp = svc.ports.find((p) => p.index === f[2]);
        return sp ? servicePortReferences(lk, svc, sp) : undefined;
      }
      if (f[0] === 'spec' && f[1] === 'selector') return lk.selected(svc).map((t) => pathLocation(t.resource, t.labelsPath, 'key'));
      return undefined;
    }
    case 'IngressClass':
      if (f[0] === 'metadata' && f[1] === 'name') {
        return lk.all('Ingress').filter((i) => get(i.value, ['spec', 'ingressClassName']) === r.name).map((i) => pathLocation(i, ['spec', 'ingressClassName']));
      }
      return undefined;
    default:
      return undefined;
  }
}

/** The container port whose item (or a field of it) a template-relative path points into. */
export function containerPortAt(t: PodTemplateView, f: Path): ContainerPortView | undefined {
  if (f[0] !== 'spec' || (f[1] !== 'containers' && f[1] !== 'initContainers') || typeof f[2] !== 'number' || f[3] !== 'ports' || typeof f[4] !== 'number') return undefined;
  return t.containers.find((c) => c.list === f[1] && c.index === f[2])?.ports.find((p) => p.index === f[4]);
}

/** Services selecting a template (their selector key), the Ingress backends and HTTPRoutes reaching those Services. */
export function workloadReferences(lk: Lookup, t: PodTemplateView): Location[] {
  const out: Location[] = [];
  for (const svc of lk.selecting(t)) {
    out.push(pathLocation(svc.resource, ['spec', 'selector'], 'key'));
    for (const { ing, b } of lk.ingressBackendsOf(svc)) out.push(pathLocation(ing.resource, b.serviceNamePath));
    for (const rb of lk.routeBackendsOf(svc)) out.push(pathLocation(rb.route, [...rb.path, 'name']));
  }
  return out;
}

/** Service targetPorts landing on a container port, Ingress backends using those Service ports, probes naming it. */
export function containerPortReferences(lk: Lookup, t: PodTemplateView, p: ContainerPortView): Location[] {
  const out: Location[] = [];
  for (const { svc, sp } of servicePortsOn(lk, t, p)) {
    out.push(pathLocation(svc.resource, [...sp.path, sp.targetPortDefaulted ? 'port' : 'targetPort']));
    for (const { ing, b } of lk.ingressBackendsOf(svc)) if (lk.usesPort(sp, b)) out.push(pathLocation(ing.resource, b.portPath));
  }
  if (p.name) for (const path of probePorts(t, p)) out.push(pathLocation(t.resource, path));
  return out;
}

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];

/** Probe `port` fields of the port's container that name it. */
export function probePorts(t: PodTemplateView, p: ContainerPortView): Path[] {
  const cPath = p.path.slice(0, -2);
  const out: Path[] = [];
  for (const probe of PROBES) {
    for (const action of ['httpGet', 'tcpSocket', 'grpc']) {
      const path = [...cPath, probe, action, 'port'];
      if (p.name && get(t.resource.value, path) === p.name) out.push(path);
    }
  }
  return out;
}

/** Ingress backends, HTTPRoute backendRefs and manual endpoints naming a Service. */
export function serviceReferences(lk: Lookup, svc: ServiceView): Location[] {
  const out: Location[] = [];
  for (const { ing, b } of lk.ingressBackendsOf(svc)) out.push(pathLocation(ing.resource, b.serviceNamePath));
  for (const rb of lk.routeBackendsOf(svc)) out.push(pathLocation(rb.route, [...rb.path, 'name']));
  for (const e of lk.manualEndpoints(svc.resource)) {
    out.push(e.kind === 'Endpoints' ? pathLocation(e, ['metadata', 'name']) : pathLocation(e, ['metadata', 'labels', SERVICE_NAME_LABEL]));
  }
  return out;
}

/** Ingress backends and HTTPRoutes using a Service port, and the matching ports of its manual endpoints. */
export function servicePortReferences(lk: Lookup, svc: ServiceView, sp: ServicePortView): Location[] {
  const out: Location[] = [];
  for (const { ing, b } of lk.ingressBackendsOf(svc)) if (lk.usesPort(sp, b)) out.push(pathLocation(ing.resource, b.portPath));
  for (const rb of lk.routeBackendsOf(svc)) if (rb.port === sp.port) out.push(pathLocation(rb.route, [...rb.path, 'port']));
  if (sp.name && isSelectorless(svc.resource)) for (const { r, path } of endpointPortNames(lk, svc, sp.name)) out.push(pathLocation(r, path));
  return out;
}

/** Port `name` fields of a Service's Endpoints/EndpointSlices equal to a name. */
export function endpointPortNames(lk: Lookup, svc: ServiceView, name: string): { r: Resource; path: Path }[] {
  const out: { r: Resource; path: Path }[] = [];
  for (const e of lk.manualEndpoints(svc.resource)) {
    if (e.kind === 'EndpointSlice') {
      const ports = get(e.value, ['ports']);
      if (Array.isArray(ports)) ports.forEach((p, i) => p && p.name === name && out.push({ r: e, path: ['ports', i, 'name'] }));
    } else {
      const subsets = get(e.value, ['subsets']);
      if (Array.isArray(subsets)) {
        subsets.forEach((s, i) => {
          const ports = s && Array.isArray(s.ports) ? s.ports : [];
          ports.forEach((p: any, j: number) => p && p.name === name && out.push({ r: e, path: ['subsets', i, 'ports', j, 'name'] }));
        });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------

export function isUnder(path: Path, prefix: Path): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => path[i] === s);
}

function sameLoc(a: Location, b: Location): boolean {
  return a.uri === b.uri && a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character;
}

export function dedupe(locs: Location[]): Location[] {
  const out: Location[] = [];
  for (const l of locs) if (!out.some((o) => sameLoc(o, l))) out.push(l);
  return out;
}
