// Whether a route attaches to a Gateway listener (Gateway API: parentRefs,
// listeners' allowedRoutes, hostnames). Used by route-not-attached and by the
// hovers that show a route's attachment.
import { GATEWAY_GROUP, type GatewayView, type ListenerView, type RouteParentView } from '../../engine/model';
import type { Resource } from '../../engine/parse';

/** Route kinds a listener accepts when allowedRoutes.kinds is empty, by protocol (Gateway API core and extended protocols). */
const PROTOCOL_KINDS: Record<string, string[]> = {
  HTTP: ['HTTPRoute', 'GRPCRoute'],
  HTTPS: ['HTTPRoute', 'GRPCRoute'],
  TLS: ['TLSRoute', 'TCPRoute'],
  TCP: ['TCPRoute'],
  UDP: ['UDPRoute'],
};

/** Route kinds that carry hostnames, matched against a listener's hostname. */
const HOSTNAME_KINDS = new Set(['HTTPRoute', 'GRPCRoute', 'TLSRoute']);

/** The listeners a parentRef selects: by sectionName and port when it gives them, else all. */
export function selectedListeners(p: RouteParentView, gw: GatewayView): ListenerView[] {
  return gw.listeners.filter((l) => (p.sectionName === undefined || l.name === p.sectionName) && (p.port === undefined || l.port === p.port));
}

/** Why a listener does not take this route, or undefined when it does (unknown policies count as allowing). */
export function refusal(r: Resource, routeNs: string, hostnames: string[], l: ListenerView, gwNs: string): string | undefined {
  if (l.from === 'Same' && routeNs !== gwNs) {
    return `takes routes from its own namespace ${gwNs} only (allowedRoutes.namespaces.from: Same${l.fromSet ? '' : ', the default'}), and ${r.kind} ${r.name ?? '<unnamed>'} is in namespace ${routeNs}`;
  }
  const kinds = l.kinds ? l.kinds.filter((k) => k.group === GATEWAY_GROUP).map((k) => k.kind) : l.protocol ? PROTOCOL_KINDS[l.protocol] : undefined;
  if (kinds && !kinds.includes(r.kind)) {
    const source = l.kinds ? 'allowedRoutes.kinds' : `protocol ${l.protocol}`;
    return `accepts ${kinds.length ? kinds.join(' and ') : 'no route kind of the Gateway API'} (${source}), not ${r.kind}`;
  }
  if (l.hostname && hostnames.length && HOSTNAME_KINDS.has(r.kind) && !hostnames.some((h) => hostnamesIntersect(h, l.hostname!))) {
    return `serves ${l.hostname}, which none of the route's hostnames (${hostnames.slice(0, 3).join(', ')}${hostnames.length > 3 ? ', ...' : ''}) match (NoMatchingListenerHostname)`;
  }
  return undefined;
}

/**
 * Whether a route hostname and a listener hostname can match one request host.
 * In the Gateway API a leading "*." matches one or more labels (`*.example.com`
 * matches `a.b.example.com`, not `example.com`).
 */
export function hostnamesIntersect(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y) return true;
  const wild = (h: string) => h.startsWith('*.');
  if (wild(x) && wild(y)) return x.endsWith(y.slice(1)) || y.endsWith(x.slice(1));
  if (wild(x)) return y.endsWith(x.slice(1));
  if (wild(y)) return x.endsWith(y.slice(1));
  return false;
}

export function listenerLabel(l: ListenerView): string {
  return l.name ? `"${l.name}"` : `${l.index + 1} (port ${l.port ?? '?'})`;
}

