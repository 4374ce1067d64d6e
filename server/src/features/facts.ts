// Resolved facts about exposure, rendered as Markdown lines for hovers: what a
// selector selects, where a targetPort lands, who uses a Service port, the
// whole path from an Ingress host/path to a container, and how a workload is
// reached. Names link to the place they are defined (`uri#L<line>`).
import {
  gateway,
  gatewayRoute,
  get,
  podTemplate,
  replicaCount,
  servingContainers,
  type ContainerPortView,
  type ContainerView,
  type IngressBackendView,
  type IngressView,
  type ListenerView,
  type PodTemplateView,
  type RouteParentView,
  type ServicePortView,
  type ServiceView,
} from '../engine/model';
import type { Resource } from '../engine/parse';
import { formatLabels, plural, stableLabels } from '../rules/util';
import { refusal, selectedListeners } from '../rules/route/attachment';
import { isSelectorless, sliceServiceName } from '../rules/service/ports';
import { linkTo } from './locate';
import { classController, isDefaultClass, type Landing, type Lookup, type RouteBackend } from './lookup';

/** Inline code, safe for any value. */
export function code(v: unknown): string {
  const s = String(v);
  const ticks = s.includes('`') ? '``' : '`';
  return `${ticks}${ticks.length > 1 ? ' ' : ''}${s}${ticks.length > 1 ? ' ' : ''}${ticks}`;
}

/** `[`web`](uri#L4)`: a resource's name linking to its definition. */
export function nameLink(r: Resource, path: (string | number)[] = ['metadata', 'name']): string {
  return linkTo(r, path, code(r.name ?? '<unnamed>'));
}

/** `Deployment [`web`](…)` */
export function resLink(r: Resource): string {
  return `${r.kind} ${nameLink(r)}`;
}

/** `3 replicas`, `one per node`, `1 pod` */
export function replicasText(r: Resource): string {
  if (r.kind === 'DaemonSet') return 'one pod per node';
  if (r.kind === 'Pod') return '1 pod';
  const raw = get(r.value, ['spec', 'replicas']);
  const n = replicaCount(r);
  if (n === undefined) return 'replicas unknown';
  return `${plural(n, 'replica')}${raw === undefined && r.kind !== 'Job' && r.kind !== 'CronJob' ? ' (default)' : ''}`;
}

export function containerName(c: ContainerView): string {
  const what = c.list === 'containers' ? 'container' : c.sidecar ? 'sidecar' : 'init container';
  return `${what} ${code(c.name ?? `#${c.index}`)}`;
}

/** `shop.example.com/api`, `*\/api`, `default backend` */
export function routeText(b: { isDefault?: boolean; host?: string; httpPath?: string }): string {
  if (b.isDefault) return 'default backend';
  return `${b.host ?? '*'}${b.httpPath ?? '/'}`;
}

export function servicePortText(sp: ServicePortView): string {
  return `${sp.port ?? '?'}${sp.protocol === 'TCP' ? '' : `/${sp.protocol}`}${sp.name ? ` (${code(sp.name)})` : ''}`;
}

// ---------------------------------------------------------------------------
// Selection

export function selectionFacts(lk: Lookup, svc: ServiceView): string[] {
  const r = svc.resource;
  const ns = lk.ns(r);
  if (svc.type === 'ExternalName') return [`ExternalName: selects no pods; DNS answers with a CNAME to ${code(svc.externalName ?? '?')}.`];
  if (!svc.selector || Object.keys(svc.selector).length === 0) {
    const manual = lk.manualEndpoints(r);
    const what = svc.selector ? 'An empty selector selects nothing' : 'No selector';
    if (manual.length) return [`${what}: the backends are listed by hand in ${manual.map((m) => `${m.kind} ${nameLink(m)}`).join(', ')}.`];
    return [`${what}, and no Endpoints or EndpointSlice for ${code(r.name ?? '?')} in namespace ${code(ns)}: the Service has no backends.`];
  }
  const selected = lk.selected(svc);
  if (selected.length) {
    return [
      `**Selects ${plural(selected.length, 'workload')}** in namespace ${code(ns)}:`,
      ...selected.map((t) => `- ${t.resource.kind} ${code(t.resource.name ?? '<unnamed>')}, ${replicasText(t.resource)} (${linkTo(t.resource)})`),
    ];
  }
  const templates = lk.templates(ns);
  if (templates.length === 0) {
    return [`**Selects nothing here:** no workload in namespace ${code(ns)} in this workspace (the pods may be deployed from elsewhere).`];
  }
  const lines = [`**Selects nothing:** no pod template in namespace ${code(ns)} has ${code(formatLabels(svc.selector))}.`];
  const near = closestTemplates(svc.selector, templates).slice(0, 3);
  if (near.length) lines.push(`Closest: ${near.map((t) => `${resLink(t.resource)} (${code(formatLabels(stableLabels(t.labels)))})`).join(', ')}.`);
  return lines;
}

function closestTemplates(selector: Record<string, string>, templates: PodTemplateView[]): PodTemplateView[] {
  const score = (t: PodTemplateView) => Object.entries(selector).reduce((s, [k, v]) => s + (t.labels[k] === v ? 10 : k in t.labels ? 1 : 0), 0);
  return templates
    .map((t) => ({ t, s: score(t) }))
    .filter((x) => x.s > 0)
    .sort((a, b) => b.s - a.s)
    .map((x) => x.t);
}

// ---------------------------------------------------------------------------
// targetPort

export function landingText(l: Landing, sp: ServicePortView): string {
  if (l.decl) {
    const p = l.decl.p;
    return `${resLink(l.t.resource)} (${containerName(l.decl.c)} ${linkTo(l.t.resource, [...p.path, 'containerPort'], `:${p.containerPort ?? '?'}`)})`;
  }
  if (typeof sp.targetPort === 'number') {
    return `${resLink(l.t.resource)} (:${sp.targetPort}, declared by no container: used as-is)`;
  }
  return `${resLink(l.t.resource)}: **no ${sp.protocol} container port named ${code(sp.targetPort ?? '?')}**, so these pods get no traffic on this port`;
}

export function landingFacts(lk: Lookup, svc: ServiceView, sp: ServicePortView): string[] {
  const lines: string[] = [];
  if (sp.targetPortDefaulted && sp.port !== undefined) lines.push(`No targetPort: traffic goes to the same number, ${code(sp.port)}.`);
  if (svc.type === 'ExternalName') return [...lines, 'ExternalName: no proxying, so ports are not remapped.'];
  const selected = lk.selected(svc);
  if (!svc.selector || Object.keys(svc.selector).length === 0) {
    const manual = lk.manualEndpoints(svc.resource);
    return [...lines, manual.length ? `Lands on the addresses listed in ${manual.map((m) => `${m.kind} ${nameLink(m)}`).join(', ')}.` : 'Lands nowhere: the Service has no selector and no manual endpoints.'];
  }
  if (selected.length === 0) return [...lines, 'Lands nowhere: the selector matches no workload here.'];
  lines.push(`**Port ${servicePortText(sp)} lands on:**`);
  for (const t of selected) lines.push(`- ${landingText(lk.landing(sp, t), sp)}`);
  return lines;
}

// ---------------------------------------------------------------------------
// nodePort

export function nodePortFacts(lk: Lookup, svc: ServiceView, sp: ServicePortView): string[] {
  const r = svc.resource;
  const { min, max } = lk.ws.config.nodePortRange;
  if (svc.type !== 'NodePort' && svc.type !== 'LoadBalancer') {
    return [`Type is ${code(svc.type)}: only NodePort and LoadBalancer Services open node ports${sp.nodePort ? ', and the API refuses a nodePort here' : ''}.`];
  }
  const others = svc.ports.filter((p) => p !== sp && p.nodePort !== undefined).map((p) => p.nodePort!);
  if (sp.nodePort === undefined) {
    const next = lk.nextFreeNodePort(r, others);
    return [`No nodePort: the cluster picks a free one from ${min}-${max}${next ? `; the next free one in this scope is ${code(next)}` : ''}.`];
  }
  const lines = [`**Reachable on every node at ${code(`:${sp.nodePort}`)}** → Service port ${servicePortText(sp)}.`];
  if (sp.nodePort < min || sp.nodePort > max) lines.push(`Outside the node port range ${min}-${max}: the API server refuses it.`);
  const users = (lk.nodePortsInScope(r).get(sp.nodePort) ?? []).filter((u) => u.svc.resource !== r);
  if (users.length) {
    lines.push(`**Also requested by** ${users.map((u) => `Service ${nameLink(u.svc.resource, [...u.sp.path, 'nodePort'])}`).join(', ')}: only the first one applied gets it.`);
  } else {
    lines.push(`Free: no other Service in this ${lk.ws.config.conflictScope} requests it.`);
  }
  return lines;
}

// ---------------------------------------------------------------------------
// Who uses a Service port

export function portUserLines(lk: Lookup, svc: ServiceView, sp: ServicePortView): string[] {
  const lines: string[] = [];
  for (const { ing, b } of lk.ingressBackendsOf(svc)) {
    if (!lk.usesPort(sp, b)) continue;
    lines.push(`- Ingress ${nameLink(ing.resource, b.path)}: ${code(routeText(b))}${b.portName !== undefined ? ` (by name ${code(b.portName)})` : ''}`);
  }
  for (const rb of lk.routeBackendsOf(svc)) {
    if (rb.port !== sp.port) continue;
    lines.push(`- HTTPRoute ${nameLink(rb.route, rb.path)}: ${code(routeHosts(rb))}`);
  }
  if ((svc.type === 'NodePort' || svc.type === 'LoadBalancer') && sp.nodePort !== undefined) lines.push(`- every node at ${code(`:${sp.nodePort}`)}`);
  return lines;
}

export function portUsersFacts(lk: Lookup, svc: ServiceView, sp: ServicePortView): string[] {
  const lines = portUserLines(lk, svc, sp);
  if (lines.length === 0) return [`No Ingress or HTTPRoute in the workspace uses port ${servicePortText(sp)}; in-cluster clients reach it at ${code(`${svc.resource.name ?? '?'}.${lk.ns(svc.resource)}:${sp.port ?? '?'}`)}.`];
  return [`**Used by:**`, ...lines];
}

function routeHosts(rb: RouteBackend): string {
  return `${rb.hostnames.length ? rb.hostnames.join(', ') : '*'}${rb.httpPath ?? '/'}`;
}

// ---------------------------------------------------------------------------
// Ingress backend -> container

/** `host/path → Service web:80 → targetPort http → Deployment web (container web :8080)`, one line per workload. */
export function backendChain(lk: Lookup, ing: IngressView, b: IngressBackendView): string[] {
  const head = `${code(routeText(b))} →`;
  if (b.resource) return [`${head} a resource backend (not a Service)`];
  const ns = lk.ns(ing.resource);
  if (!b.serviceName) return [`${head} no Service named`];
  const svc = lk.servicesNamed(ns, b.serviceName)[0];
  if (!svc) return [`${head} Service ${code(b.serviceName)}: **not found** in namespace ${code(ns)}`];
  return serviceChain(lk, head, svc, b);
}

export function serviceChain(lk: Lookup, head: string, svc: ServiceView, ref: { portNumber?: number; portName?: string }): string[] {
  const portRef = ref.portNumber ?? ref.portName;
  const sp = lk.backendPort(svc, ref);
  const svcText = `Service ${nameLink(svc.resource)}`;
  if (!sp) {
    const ports = svc.ports.map((p) => servicePortText(p)).join(', ') || 'none';
    return [`${head} ${svcText}: **has no port ${code(portRef ?? '?')}** (ports: ${ports})`];
  }
  const svcPort = `${svcText}${linkTo(svc.resource, [...sp.path, 'port'], `:${sp.port ?? '?'}`)}`;
  if (svc.type === 'ExternalName') return [`${head} ${svcPort} → CNAME ${code(svc.externalName ?? '?')}`];
  const target = sp.targetPortDefaulted ? '' : ` → targetPort ${code(sp.targetPort ?? '?')}`;
  if (!svc.selector || Object.keys(svc.selector).length === 0) {
    const manual = lk.manualEndpoints(svc.resource);
    const tail = manual.length ? manual.map((m) => `${m.kind} ${nameLink(m)}`).join(', ') : '**no endpoints**';
    return [`${head} ${svcPort}${target} → ${tail}`];
  }
  const selected = lk.selected(svc);
  if (selected.length === 0) return [`${head} ${svcPort}${target} → **no workload** (the selector matches nothing here)`];
  return selected.map((t) => `${head} ${svcPort}${target} → ${landingText(lk.landing(sp, t), sp)}`);
}

export function ingressChains(lk: Lookup, ing: IngressView, filter: (b: IngressBackendView) => boolean = () => true): string[] {
  const lines: string[] = [];
  for (const b of ing.backends) if (filter(b)) lines.push(...backendChain(lk, ing, b).map((l) => `- ${l}`));
  return lines.length ? ['**Traffic path:**', ...lines] : [];
}

export function routeChains(lk: Lookup, rb: RouteBackend): string[] {
  const head = `${code(routeHosts(rb))} →`;
  const svc = rb.name ? lk.servicesNamed(rb.namespace, rb.name)[0] : undefined;
  if (!svc) return [`- ${head} Service ${code(rb.name ?? '?')}: **not found** in namespace ${code(rb.namespace)}`];
  return serviceChain(lk, head, svc, { portNumber: rb.port }).map((l) => `- ${l}`);
}

// ---------------------------------------------------------------------------
// How a workload is reached

export interface Exposure {
  services: ServiceView[];
  ingress: { ing: IngressView; b: IngressBackendView; svc: ServiceView }[];
  routes: { rb: RouteBackend; svc: ServiceView }[];
}

export function exposureOf(lk: Lookup, t: PodTemplateView): Exposure {
  const services = lk.selecting(t);
  const ingress: Exposure['ingress'] = [];
  const routes: Exposure['routes'] = [];
  for (const svc of services) {
    for (const { ing, b } of lk.ingressBackendsOf(svc)) ingress.push({ ing, b, svc });
    for (const rb of lk.routeBackendsOf(svc)) routes.push({ rb, svc });
  }
  return { services, ingress, routes };
}

export function serviceSummary(svc: ServiceView): string {
  const nodePorts = svc.ports.map((p) => p.nodePort).filter((n): n is number => n !== undefined);
  if (svc.type === 'NodePort' || svc.type === 'LoadBalancer') {
    return `${svc.type}${nodePorts.length ? ` ${nodePorts.join(', ')}` : ''}`;
  }
  return svc.headless ? 'headless' : svc.type;
}

export function exposureFacts(lk: Lookup, t: PodTemplateView): string[] {
  const ex = exposureOf(lk, t);
  const lines: string[] = [];
  const host = hostExposure(t);
  if (ex.services.length === 0) {
    lines.push(`**Not reached by any Service** in namespace ${code(lk.ns(t.resource))}${Object.keys(t.labels).length ? ` (labels ${code(formatLabels(stableLabels(t.labels)))})` : ' (the template has no labels)'}.`);
  } else {
    lines.push('**Reached through:**');
    for (const svc of ex.services) {
      const ports = svc.ports.map((sp) => {
        const l = lk.landing(sp, t);
        const to = l.decl ? `:${l.decl.p.containerPort ?? '?'}` : typeof sp.targetPort === 'number' ? `:${sp.targetPort}` : 'nowhere';
        return `${sp.port ?? '?'}${sp.nodePort ? ` (node ${sp.nodePort})` : ''} → ${to}`;
      });
      lines.push(`- Service ${nameLink(svc.resource)} (${serviceSummary(svc)})${ports.length ? `: ${ports.join(', ')}` : ''}`);
    }
    for (const { ing, b, svc } of ex.ingress) lines.push(`- Ingress ${nameLink(ing.resource, b.path)}: ${code(routeText(b))} → Service ${code(svc.resource.name ?? '?')}`);
    for (const { rb, svc } of ex.routes) lines.push(`- HTTPRoute ${nameLink(rb.route, rb.path)}: ${code(routeHosts(rb))} → Service ${code(svc.resource.name ?? '?')}`);
  }
  if (host.length) lines.push(`**On the node:** ${host.join(', ')}.`);
  return lines;
}

/** `hostNetwork (ports 8080, 9090)`, `hostPort 8080` */
export function hostExposure(t: PodTemplateView): string[] {
  const out: string[] = [];
  const ports = servingContainers(t).flatMap((c) => c.ports);
  if (t.hostNetwork) out.push(`hostNetwork${ports.length ? ` (ports ${ports.map((p) => p.containerPort ?? '?').join(', ')} on the node)` : ''}`);
  for (const p of ports) if (p.hostPort) out.push(`hostPort ${code(p.hostPort)} → :${p.containerPort ?? '?'}`);
  return out;
}

// ---------------------------------------------------------------------------
// Container ports

/** Service ports whose targetPort lands on a container port of a template. */
export function servicePortsOn(lk: Lookup, t: PodTemplateView, p: ContainerPortView): { svc: ServiceView; sp: ServicePortView }[] {
  const out: { svc: ServiceView; sp: ServicePortView }[] = [];
  for (const svc of lk.selecting(t)) {
    for (const sp of svc.ports) {
      const l = lk.landing(sp, t);
      if (l.decl && l.decl.p === p) out.push({ svc, sp });
    }
  }
  return out;
}

export function containerPortFacts(lk: Lookup, t: PodTemplateView, c: ContainerView, p: ContainerPortView): string[] {
  const users = servicePortsOn(lk, t, p);
  const lines: string[] = [];
  if (c.list === 'initContainers' && !c.sidecar) lines.push('An init container without `restartPolicy: Always` exits before the pod serves: Services never reach this port.');
  if (users.length === 0) {
    lines.push(`**No Service targets** ${code(`${p.containerPort ?? '?'}/${p.protocol}`)}${p.name ? ` (${code(p.name)})` : ''} in namespace ${code(lk.ns(t.resource))}.`);
  } else {
    lines.push('**Targeted by:**');
    for (const { svc, sp } of users) {
      lines.push(`- Service ${nameLink(svc.resource, [...sp.path, 'port'])} port ${servicePortText(sp)} (targetPort ${code(sp.targetPort ?? '?')})`);
      for (const u of portUserLines(lk, svc, sp)) lines.push(`  ${u}`);
    }
  }
  if (p.hostPort) lines.push(`Also on the node: ${code(`<node IP>:${p.hostPort}`)}.`);
  return lines;
}

export function hostPortFacts(lk: Lookup, t: PodTemplateView, p: ContainerPortView): string[] {
  if (!p.hostPort) return [];
  const r = t.resource;
  const lines = [`**Reachable at ${code(`<node IP>:${p.hostPort}`)}** on each node running one of these pods (${replicasText(r)}), only there.`];
  const clashes: string[] = [];
  for (const other of lk.inScope('template', r)) {
    if (other === r || lk.ws.identity(other) === lk.ws.identity(r)) continue;
    const ot = podTemplate(other);
    if (!ot) continue;
    for (const c of ot.containers) {
      for (const op of c.ports) {
        if (op.hostPort === p.hostPort && op.protocol === p.protocol && (!op.hostIP || !p.hostIP || op.hostIP === p.hostIP)) clashes.push(`${resLink(other)}`);
      }
    }
  }
  if (clashes.length) lines.push(`Also used by ${[...new Set(clashes)].join(', ')}: those pods cannot share a node with these.`);
  return lines;
}

// ---------------------------------------------------------------------------
// Service users (on its name)

export function serviceUserFacts(lk: Lookup, svc: ServiceView): string[] {
  const lines: string[] = [];
  const r = svc.resource;
  lines.push(`In-cluster DNS name: ${code(`${r.name ?? '?'}.${lk.ns(r)}.svc`)} (${serviceSummary(svc)}).`);
  const users: string[] = [];
  for (const { ing, b } of lk.ingressBackendsOf(svc)) users.push(`- Ingress ${nameLink(ing.resource, b.path)}: ${code(routeText(b))} → port ${code(b.portNumber ?? b.portName ?? '?')}`);
  for (const rb of lk.routeBackendsOf(svc)) users.push(`- HTTPRoute ${nameLink(rb.route, rb.path)}: ${code(routeHosts(rb))} → port ${code(rb.port ?? '?')}`);
  if (users.length) lines.push('**Used by:**', ...users);
  return lines;
}

// ---------------------------------------------------------------------------
// Ingress classes

export function classFacts(lk: Lookup, name: string | undefined): string[] {
  const classes = lk.ingressClasses();
  if (name === undefined) {
    const defaults = classes.filter(isDefaultClass);
    if (defaults.length === 1) return [`No class named: the default IngressClass ${nameLink(defaults[0])} applies.`];
    if (defaults.length > 1) return [`No class named, and ${defaults.length} IngressClasses claim to be the default: ${defaults.map((d) => nameLink(d)).join(', ')}.`];
    return ['No class named, and no IngressClass in the workspace is marked as the default.'];
  }
  const found = classes.filter((c) => c.name === name);
  if (found.length === 0) {
    return [`No IngressClass ${code(name)} in the workspace (it may exist in the cluster).${classes.length ? ` Known: ${classes.map((c) => code(c.name ?? '?')).join(', ')}.` : ''}`];
  }
  return found.map((c) => `IngressClass ${nameLink(c)} → controller ${code(classController(c) ?? '?')}${isDefaultClass(c) ? ' (the default class)' : ''}.`);
}

export function classUsersFacts(lk: Lookup, cls: Resource): string[] {
  const users: string[] = [];
  const def = isDefaultClass(cls);
  for (const r of lk.all('Ingress')) {
    const name = get(r.value, ['spec', 'ingressClassName']);
    const ann = get(r.value, ['metadata', 'annotations', 'kubernetes.io/ingress.class']);
    if (name === cls.name || (name === undefined && ann === cls.name)) users.push(`- Ingress ${nameLink(r)}`);
    else if (def && name === undefined && ann === undefined) users.push(`- Ingress ${nameLink(r)} (no class: takes the default)`);
  }
  return users.length ? ['**Used by:**', ...users] : [`No Ingress in the workspace uses class ${code(cls.name ?? '?')}.`];
}

export function defaultClassFacts(lk: Lookup, cls: Resource): string[] {
  const others = lk.ingressClasses().filter((c) => c !== cls && isDefaultClass(c) && lk.ws.identity(c) !== lk.ws.identity(cls));
  if (!isDefaultClass(cls)) return [];
  return others.length ? [`**Also marked as the default:** ${others.map((c) => nameLink(c)).join(', ')}. Keep one.`] : ['The only default IngressClass in the workspace.'];
}

// ---------------------------------------------------------------------------
// Endpoints / EndpointSlice

export function endpointFacts(lk: Lookup, r: Resource): string[] {
  const name = r.kind === 'Endpoints' ? r.name : sliceServiceName(r);
  const ns = lk.ns(r);
  if (!name) return r.kind === 'EndpointSlice' ? ['No `kubernetes.io/service-name` label: no Service uses these addresses.'] : [];
  const svcs = lk.servicesNamed(ns, name);
  if (svcs.length === 0) return [`No Service ${code(name)} in namespace ${code(ns)} in the workspace: nothing sends traffic here.`];
  const svc = svcs[0];
  if (!isSelectorless(svc.resource)) {
    return [`Backs Service ${nameLink(svc.resource)}, **but it has a selector**: the controllers manage its endpoints and ignore (or overwrite) this object.`];
  }
  const ports = svc.ports.map((p) => servicePortText(p)).join(', ');
  return [`**Backs Service** ${nameLink(svc.resource)} (no selector)${ports ? `, ports ${ports}` : ''}.`];
}

// ---------------------------------------------------------------------------
// Service type

export function typeFacts(lk: Lookup, svc: ServiceView): string[] {
  const r = svc.resource;
  switch (svc.type) {
    case 'NodePort':
    case 'LoadBalancer': {
      const lines = svc.ports.map((sp) =>
        sp.nodePort !== undefined ? `- ${code(`<node IP>:${sp.nodePort}`)} → port ${servicePortText(sp)}` : `- a node port picked by the cluster → port ${servicePortText(sp)}`,
      );
      const head = svc.type === 'LoadBalancer' ? '**Load balancer ports** ' + svc.ports.map((p) => code(p.port ?? '?')).join(', ') + '; **on every node:**' : '**On every node:**';
      return lines.length ? [head, ...lines] : [];
    }
    case 'ExternalName':
      return [`${code(`${r.name ?? '?'}.${lk.ns(r)}.svc`)} is a CNAME for ${code(svc.externalName ?? '?')}.`];
    default:
      return [`Reachable inside the cluster at ${code(`${r.name ?? '?'}.${lk.ns(r)}.svc`)}${svc.headless ? ' (headless: DNS returns the pod IPs)' : ''}.`];
  }
}


// ---------------------------------------------------------------------------
// Gateway API: which listeners a route attaches to, and which routes a listener takes

/** `HTTPS :443 *.example.com`: a listener's protocol, port and hostname. */
export function listenerAddress(l: ListenerView): string {
  return `${l.protocol ?? '?'} :${l.port ?? '?'}${l.hostname ? ` ${l.hostname}` : ''}`;
}

function listenerText(l: ListenerView): string {
  return `${l.name ? code(l.name) : `#${l.index + 1}`} (${listenerAddress(l)})`;
}

/** For a route's parentRef: each listener it selects, and whether the route is attached there (or why not). */
export function parentRefFacts(lk: Lookup, route: Resource, p: RouteParentView): string[] {
  const view = gatewayRoute(route);
  if (!view || !p.name) return [];
  const routeNs = lk.ns(route);
  const ns = p.namespace ?? routeNs;
  const gateways = lk.gatewaysNamed(ns, p.name);
  if (!gateways.length) return [`Gateway ${code(`${ns}/${p.name}`)} is not among the checked files.`];
  const lines: string[] = [];
  for (const g of gateways) {
    const gw = gateway(g);
    if (!gw) continue;
    const selected = selectedListeners(p, gw);
    if (!selected.length) lines.push(`- Gateway ${nameLink(g)}: no listener matches${p.sectionName !== undefined ? ` ${code(p.sectionName)}` : ''}${p.port !== undefined ? ` port ${p.port}` : ''}`);
    for (const l of selected) {
      const why = refusal(route, routeNs, view.hostnames, l, ns);
      lines.push(`- Gateway ${nameLink(g)} listener ${listenerText(l)}: ${why ? `**not attached**: it ${why}` : 'attached'}`);
    }
  }
  return lines.length ? ['**Attachment:**', ...lines] : [];
}

/** For a Gateway listener: the routes in the files that name it, attached or not. */
export function listenerRouteFacts(lk: Lookup, g: Resource, l: ListenerView): string[] {
  const gw = gateway(g);
  if (!gw) return [];
  const gwNs = lk.ns(g);
  const lines: string[] = [];
  for (const { route, view, routeNs, refs } of lk.parentRefsTo(g)) {
    // one line per route: several of its parentRefs may select this listener
    const p = refs.find((x) => selectedListeners(x, gw).includes(l));
    if (p) {
      const why = refusal(route, routeNs, view.hostnames, l, gwNs);
      const hosts = view.hostnames.length ? ` ${code(view.hostnames.join(', '))}` : '';
      lines.push(`- ${route.kind} ${nameLink(route, p.path)}${routeNs !== gwNs ? ` (namespace ${code(routeNs)})` : ''}${hosts}: ${why ? `**not attached**: this listener ${why}` : 'attached'}`);
    }
  }
  return lines.length ? ['**Routes naming this listener:**', ...lines] : ['No route in the checked files attaches to this listener.'];
}
