import { isScalar } from 'yaml';
import { mapAt, replaceScalar, setKey } from '../../engine/edits';
import { gatewayRoute, get, ROUTE_KINDS, service, type RouteBackendView, type ServiceView } from '../../engine/model';
import type { Resource } from '../../engine/parse';
import { defineRule, type Edit, type Fix, type Related, type RuleContext } from '../../engine/rule';
import { explainPortNumber, portCandidates, portLabel, type PortCandidate } from '../backends';
import { refLabel, unresolvedEffect } from './common';

const MAX_FIXES = 6;

// A backendRef to a Service must give the Service's own port as a number:
// - HR-10: without `port` the API server refuses the route (a CEL rule of the CRD);
// - HR-11: `port` is an integer 1-65535 (a name such as "http", the Ingress habit, is refused);
// - HR-16 / X-09: a port the Service does not have does not resolve; often it is the
//   targetPort, the container port or the nodePort instead.
export default defineRule({
  id: 'route-backend-port-missing',
  severity: 'warning',
  description: 'A Gateway API route backendRef to a Service has no port, a port that is not a number, or a port the Service does not have.',
  fixable: true,
  kinds: ROUTE_KINDS,
  check(r, ctx) {
    const route = gatewayRoute(r);
    if (!route) return;
    for (const b of route.backends) {
      const ns = b.namespace ?? ctx.namespaceOf(r);
      const variants = b.name
        ? ctx
            .named('Service', ns, b.name)
            .map((s) => service(s))
            .filter((s): s is ServiceView => !!s)
        : [];
      if (!b.hasPort) reportNoPort(r, ctx, b, variants);
      else if (b.port === undefined || b.port < 1 || b.port > 65535) reportBadPort(r, ctx, b, variants);
      // an ExternalName Service without ports: the Gateway uses the port as it is
      else if (variants.length && !variants.some((s) => s.ports.length === 0 || s.ports.some((p) => p.port === b.port))) reportUnknownPort(r, ctx, b, variants, ns);
    }
  },
});

function reportNoPort(r: Resource, ctx: RuleContext, b: RouteBackendView, variants: ServiceView[]): void {
  const candidates = portCandidates(variants);
  const fixes = (): Fix[] => {
    const map = mapAt(r, b.path);
    if (!map) return [];
    return candidates.slice(0, MAX_FIXES).map((c) => ({
      title: `Add port ${portLabel(c.port)} of Service ${b.name}`,
      isPreferred: candidates.length === 1,
      edits: [setKey(r.chunk, map, 'port', c.port.port)],
    }));
  };
  const known = candidates.length ? ` The ports of Service ${b.name}: ${candidates.map((c) => portLabel(c.port)).join(', ')}.` : '';
  ctx.report({
    message: `In ${refLabel(r, b)} names ${b.name ? `Service "${b.name}"` : 'a Service'} without a port: the API server refuses the ${r.kind} ("Must have port for Service reference"). Give the Service's port number.${known}`,
    at: b.name !== undefined ? [...b.path, 'name'] : b.path,
    part: b.name !== undefined ? 'key' : 'value',
    severity: 'error',
    fixes,
  });
}

function reportBadPort(r: Resource, ctx: RuleContext, b: RouteBackendView, variants: ServiceView[]): void {
  const raw = get(r.value, [...b.path, 'port']);
  const candidates = portCandidates(variants);
  // the Ingress habit: the Service port's name, or a number in quotes
  const meant =
    typeof raw === 'string'
      ? candidates.find((c) => c.port.name === raw) ?? candidates.find((c) => String(c.port.port) === raw.trim())
      : undefined;
  const shown = typeof raw === 'string' ? `"${raw}"` : JSON.stringify(raw) ?? String(raw);
  let message = `In ${refLabel(r, b)} has port ${shown}, which the API server refuses: a backendRef port is a number from 1 to 65535`;
  message += typeof raw === 'string' && !/^\s*\d+\s*$/.test(raw) ? ', and a route cannot name a Service port by its name.' : '.';
  if (meant && typeof raw === 'string' && meant.port.name === raw) message += ` The port "${raw}" of Service ${b.name} is number ${meant.port.port}.`;
  else if (meant) message += ` Write ${meant.port.port} without quotes.`;
  const ordered = meant ? [meant, ...candidates.filter((c) => c !== meant)] : candidates;
  ctx.report({
    message,
    at: [...b.path, 'port'],
    severity: 'error',
    fixes: () => portFixes(r, b, ordered, meant ?? (candidates.length === 1 ? candidates[0] : undefined)),
  });
}

function reportUnknownPort(r: Resource, ctx: RuleContext, b: RouteBackendView, variants: ServiceView[], ns: string): void {
  const candidates = portCandidates(variants);
  const n = b.port!;
  let message =
    `In ${refLabel(r, b)} uses port ${n} of Service ${b.name}, which has no such port (its ports: ${candidates.map((c) => portLabel(c.port)).join(', ') || 'none'}): ` +
    `the reference does not resolve and ${unresolvedEffect(r.kind)}.`;
  const explained = explainPortNumber(ctx, r, candidates, n, ns);
  let preferred = explained?.preferred;
  if (explained) message += ` ${explained.hint}`;
  else message += ` A backendRef names the Service's own port (spec.ports[].port), not the container port or nodePort.`;
  if (!preferred && candidates.length === 1) preferred = candidates[0];
  const first = preferred ?? candidates[0];
  const related: Related[] = [
    {
      loc: ctx.loc((first?.svc ?? variants[0]).resource, first ? [...first.port.path, 'port'] : ['spec', 'ports'], first ? 'value' : 'key'),
      message: first ? `port ${portLabel(first.port)} of Service ${b.name}` : `ports of Service ${b.name}`,
    },
  ];
  const ordered = preferred ? [preferred, ...candidates.filter((c) => c !== preferred)] : candidates;
  ctx.report({ message, at: [...b.path, 'port'], related, fixes: () => portFixes(r, b, ordered, preferred) });
}

/** One fix per Service port: the backendRef's port set to its number. */
function portFixes(r: Resource, b: RouteBackendView, ordered: PortCandidate[], preferred: PortCandidate | undefined): Fix[] {
  const node = r.nodeAt([...b.path, 'port']);
  if (!isScalar(node)) return [];
  return ordered.slice(0, MAX_FIXES).map((c) => {
    const edits: Edit[] = [replaceScalar(r.chunk, node, c.port.port)];
    return { title: `Use Service port ${portLabel(c.port)}`, isPreferred: c === preferred, edits };
  });
}
