// Code lenses: above a Service, what it selects ("selects 2 workloads: web,
// web-canary" / "selects nothing"); above a workload, how it is reached
// ("exposed by Service web (NodePort 30080) · Ingress shop (shop.example.com/)").
// Each lens carries an `editor.action.showReferences` command whose arguments
// are plain data: [uri, position, locations]. VS Code's command wants its own
// Uri/Position/Location objects, so the client converts them (the usual
// languageclient middleware), as it does for any LSP command argument.
import type { CodeLens, Command, Location, Range } from 'vscode-languageserver-types';
import { gateway, podTemplate, service, type ServiceView } from '../engine/model';
import { refusal, selectedListeners } from '../rules/route/attachment';
import type { Resource } from '../engine/parse';
import type { Workspace } from '../engine/workspace';
import { plural } from '../rules/util';
import { exposureOf, hostExposure, routeText, serviceSummary } from './facts';
import { pathLocation, resourceRange } from './locate';
import { Lookup } from './lookup';
import { dedupe } from './navigation';

export const SHOW_REFERENCES = 'editor.action.showReferences';

export function codeLenses(ws: Workspace, uri: string): CodeLens[] {
  const rs = ws.resourcesOf(uri);
  if (rs.length === 0) return [];
  const lk = new Lookup(ws);
  const out: CodeLens[] = [];
  for (const r of rs) {
    const range = lensRange(r);
    const svc = service(r);
    if (svc) {
      out.push(serviceLens(lk, svc, range));
      const users = usersLens(lk, svc, range);
      if (users) out.push(users);
      continue;
    }
    const t = podTemplate(r);
    if (t) out.push(workloadLens(lk, r, range));
    else if (gateway(r)) out.push(gatewayLens(lk, r, range));
  }
  return out;
}

/** Above a Gateway: the routes in the files that name it, attached to one of its listeners or not. */
function gatewayLens(lk: Lookup, g: Resource, range: Range): CodeLens {
  const gw = gateway(g)!;
  const gwNs = lk.ns(g);
  const attached: { route: Resource; at: Location }[] = [];
  const refused: { route: Resource; at: Location }[] = [];
  for (const { route, view, routeNs, refs } of lk.parentRefsTo(g)) {
    const ok = refs.some((p) => selectedListeners(p, gw).some((l) => !refusal(route, routeNs, view.hostnames, l, gwNs)));
    (ok ? attached : refused).push({ route, at: pathLocation(route, refs[0].path) });
  }
  const label = (xs: { route: Resource }[]) => names(xs.map((x) => `${x.route.kind} ${x.route.name ?? '?'}`));
  const parts: string[] = [];
  if (attached.length) parts.push(`${plural(attached.length, 'route')} attached: ${label(attached)}`);
  if (refused.length) parts.push(`${plural(refused.length, 'route')} not attached: ${label(refused)}`);
  const title = parts.length ? parts.join(' · ') : 'no route in the files attaches to it';
  return { range, command: command(title, g.uri, range, [...attached, ...refused].map((x) => x.at)) };
}

function lensRange(r: Resource): Range {
  const start = resourceRange(r).start;
  return { start, end: start };
}

function command(title: string, uri: string, range: Range, locations: Location[]): Command {
  if (locations.length === 0) return { title, command: '' };
  return { title, command: SHOW_REFERENCES, arguments: [uri, range.start, dedupe(locations)] };
}

function names(list: (string | undefined)[], max = 3): string {
  const unique = [...new Set(list.map((n) => n ?? '?'))];
  return unique.length > max ? `${unique.slice(0, max).join(', ')} and ${unique.length - max} more` : unique.join(', ');
}

function serviceLens(lk: Lookup, svc: ServiceView, range: Range): CodeLens {
  const r = svc.resource;
  if (svc.type === 'ExternalName') return { range, command: { title: `CNAME to ${svc.externalName ?? '?'}`, command: '' } };
  if (!svc.selector || Object.keys(svc.selector).length === 0) {
    const manual = lk.manualEndpoints(r);
    const title = manual.length ? `no selector · endpoints from ${manual.map((m) => `${m.kind} ${m.name ?? '?'}`).join(', ')}` : 'no selector and no endpoints: selects nothing';
    return { range, command: command(title, r.uri, range, manual.map((m) => pathLocation(m, ['metadata', 'name']))) };
  }
  const selected = lk.selected(svc);
  if (selected.length === 0) return { range, command: { title: 'selects nothing', command: '' } };
  const title = `selects ${plural(selected.length, 'workload')}: ${names(selected.map((t) => t.resource.name))}`;
  return { range, command: command(title, r.uri, range, selected.map((t) => pathLocation(t.resource, t.labelsPath, 'key'))) };
}

function usersLens(lk: Lookup, svc: ServiceView, range: Range): CodeLens | undefined {
  const backends = lk.ingressBackendsOf(svc);
  const routes = lk.routeBackendsOf(svc);
  if (backends.length === 0 && routes.length === 0) return undefined;
  const parts: string[] = [];
  const byIngress = new Map<Resource, string[]>();
  for (const { ing, b } of backends) byIngress.set(ing.resource, [...(byIngress.get(ing.resource) ?? []), routeText(b)]);
  for (const [ing, routesOf] of byIngress) parts.push(`Ingress ${ing.name ?? '?'} (${names(routesOf)})`);
  for (const route of new Set(routes.map((x) => x.route))) parts.push(`HTTPRoute ${route.name ?? '?'}`);
  const locs = [...backends.map(({ ing, b }) => pathLocation(ing.resource, b.serviceNamePath)), ...routes.map((x) => pathLocation(x.route, [...x.path, 'name']))];
  return { range, command: command(`used by ${parts.join(' · ')}`, svc.resource.uri, range, locs) };
}

function workloadLens(lk: Lookup, r: Resource, range: Range): CodeLens {
  const t = podTemplate(r)!;
  const ex = exposureOf(lk, t);
  const parts: string[] = [];
  const locs: Location[] = [];
  for (const svc of ex.services) {
    parts.push(`Service ${svc.resource.name ?? '?'} (${serviceSummary(svc)})`);
    locs.push(pathLocation(svc.resource, ['spec', 'selector'], 'key'));
  }
  const byIngress = new Map<Resource, string[]>();
  for (const { ing, b } of ex.ingress) {
    byIngress.set(ing.resource, [...(byIngress.get(ing.resource) ?? []), routeText(b)]);
    locs.push(pathLocation(ing.resource, b.serviceNamePath));
  }
  for (const [ing, routes] of byIngress) parts.push(`Ingress ${ing.name ?? '?'} (${names(routes)})`);
  for (const route of new Set(ex.routes.map((x) => x.rb.route))) parts.push(`HTTPRoute ${route.name ?? '?'}`);
  for (const x of ex.routes) locs.push(pathLocation(x.rb.route, [...x.rb.path, 'name']));
  const host = hostExposure(t).map((h) => h.replace(/`/g, ''));
  let title: string;
  if (parts.length) title = `exposed by ${parts.join(' · ')}`;
  else title = 'not exposed by any Service';
  if (host.length) title += ` · ${host.join(', ')}`;
  return { range, command: command(title, r.uri, range, locs) };
}
