import { replaceScalar } from '../../engine/edits';
import { gateway, gatewayRoute, ROUTE_KINDS, type GatewayView, type ListenerView, type RouteParentView } from '../../engine/model';
import type { Resource } from '../../engine/parse';
import { defineRule, type Fix, type Related, type RuleContext } from '../../engine/rule';
import { confidentTypo, plural, rankCandidates } from '../util';
import { listenerLabel, refusal, selectedListeners } from './attachment';

// HR-19: a route attaches to a Gateway listener only if the listener exists and
// allows it. The API server checks none of it; the Gateway implementation sets
// the route's Accepted condition to False (NoMatchingParent,
// NotAllowedByListeners, NoMatchingListenerHostname) and serves none of its
// rules there. Open world: a namespace without any Gateway in the input set is
// not checked (Gateways usually belong to the platform team's repository).

export default defineRule({
  id: 'route-not-attached',
  severity: 'warning',
  description: 'A Gateway API route names a Gateway or listener that does not exist, or one whose listeners do not allow it (namespace, kind or hostname): it is not attached there.',
  fixable: true,
  kinds: ROUTE_KINDS,
  check(r, ctx) {
    const route = gatewayRoute(r);
    if (!route) return;
    const routeNs = ctx.namespaceOf(r);
    for (const p of route.parents) {
      if (!p.name) continue;
      const ns = p.namespace ?? routeNs;
      const gateways = ctx.inNamespace('Gateway', ns).filter((g) => g.name);
      if (!gateways.length) continue;
      const variants = gateways.filter((g) => g.name === p.name);
      if (!variants.length) {
        reportMissingGateway(r, ctx, p, ns, gateways);
        continue;
      }
      const problems = variants.map((g) => problemOf(r, ctx, routeNs, route.hostnames, p, gateway(g)!, ns));
      if (problems.some((x) => x === undefined)) continue;
      const first = problems[0]!;
      ctx.report({ ...first, message: `In ${r.kind} ${r.name ?? '<unnamed>'}, spec.parentRefs[${p.index}] ${first.message}` });
    }
  },
});

function reportMissingGateway(r: Resource, ctx: RuleContext, p: RouteParentView, ns: string, gateways: readonly Resource[]): void {
  const names = [...new Set(gateways.map((g) => g.name!))];
  const { best } = rankCandidates(p.name!, names);
  const target = best ? gateways.find((g) => g.name === best) : undefined;
  const at = [...p.path, 'name'];
  ctx.report({
    message:
      `In ${r.kind} ${r.name ?? '<unnamed>'}, spec.parentRefs[${p.index}] names Gateway "${p.name}", but namespace ${ns} has no Gateway of that name: ` +
      `the route attaches to nothing there (Accepted False, NoMatchingParent).${best ? ` Did you mean "${best}"?` : ` Gateways there: ${names.sort().slice(0, 5).join(', ')}.`}`,
    at,
    related: target ? [{ loc: ctx.loc(target, ['metadata', 'name']), message: `Gateway ${best} in namespace ${ns}` }] : [],
    fixes: () => renameFixes(r, at, p.name!, names, 'Gateway'),
  });
}

interface Problem {
  message: string;
  at: (string | number)[];
  related: Related[];
  fixes?: () => Fix[];
}

/** Why the parentRef does not attach to this Gateway (one definition of it), or undefined when it does. */
function problemOf(r: Resource, ctx: RuleContext, routeNs: string, hostnames: string[], p: RouteParentView, gw: GatewayView, gwNs: string): Problem | undefined {
  const gwName = `Gateway ${gwNs}/${gw.resource.name}`;
  const listenerLoc = (l: ListenerView, key = 'name') => ({ loc: ctx.loc(gw.resource, [...l.path, key]), message: `listener ${listenerLabel(l)} of ${gwName}` });
  const selected = selectedListeners(p, gw);
  if (!selected.length) {
    if (!gw.listeners.length) return undefined; // a Gateway without listeners is the schema's business
    const all = gw.listeners.map(listenerLabel).join(', ');
    if (p.sectionName !== undefined && !gw.listeners.some((l) => l.name === p.sectionName)) {
      const names = gw.listeners.map((l) => l.name).filter((n): n is string => !!n);
      const { best } = rankCandidates(p.sectionName, names);
      const at = [...p.path, 'sectionName'];
      return {
        message: `names listener "${p.sectionName}" of ${gwName}, which has no listener of that name (its listeners: ${all}): the route is not attached (Accepted False, NoMatchingParent).${best ? ` Did you mean "${best}"?` : ''}`,
        at,
        related: gw.listeners.slice(0, 3).map((l) => listenerLoc(l)),
        fixes: () => renameFixes(r, at, p.sectionName!, names, 'listener'),
      };
    }
    return {
      message: `asks for port ${p.port}${p.sectionName !== undefined ? ` of listener "${p.sectionName}"` : ''} of ${gwName}, which has no such listener (its listeners: ${all}): the route is not attached (Accepted False, NoMatchingParent).`,
      at: [...p.path, 'port'],
      related: gw.listeners.slice(0, 3).map((l) => listenerLoc(l, 'port')),
    };
  }
  const reasons: string[] = [];
  for (const l of selected) {
    const why = refusal(r, routeNs, hostnames, l, gwNs);
    if (!why) return undefined;
    reasons.push(`listener ${listenerLabel(l)} ${why}`);
  }
  const shown = reasons.slice(0, 3).join('; ') + (reasons.length > 3 ? `; and ${plural(reasons.length - 3, 'more listener')}` : '');
  return {
    message: `attaches to ${gwName}, but ${selected.length === 1 ? 'its listener does not allow' : `none of the ${selected.length} listeners it selects allows`} the route: ${shown}. The route is not attached (Accepted False, NotAllowedByListeners).`,
    at: [...p.path, 'name'],
    related: selected.slice(0, 3).map((l) => listenerLoc(l)),
  };
}

/** One fix per candidate name, closest first (at most 3); preferred only for a sure typo. */
function renameFixes(r: Resource, at: (string | number)[], wanted: string, names: string[], what: string): Fix[] {
  const node = r.nodeAt(at);
  if (!node) return [];
  const { ranked, best } = rankCandidates(wanted, names);
  return ranked.slice(0, 3).map((name, i) => ({
    title: `Use ${what} ${name}`,
    isPreferred: i === 0 && name === best && confidentTypo(wanted, best),
    edits: [replaceScalar(r.chunk, node, name)],
  }));
}
