// Helpers shared by the Gateway API route rules: how to name a backendRef and
// what happens to the traffic of one that does not resolve.
import type { RouteBackendView } from '../../engine/model';
import type { Resource } from '../../engine/parse';

/** "HTTPRoute shop, spec.rules[0].backendRefs[1]": the object and the path kubectl would print. */
export function refLabel(r: Resource, b: RouteBackendView): string {
  return `${r.kind} ${r.name ?? '<unnamed>'}, spec.rules[${b.rule}].backendRefs[${b.index}]`;
}

/**
 * What a Gateway does with traffic for a backendRef that does not resolve
 * (Gateway API: HTTPRouteRule.BackendRefs, HR-20): HTTP and gRPC requests get
 * an error response, the stream routes lose their connections.
 */
export function unresolvedEffect(kind: string): string {
  if (kind === 'HTTPRoute') return 'the requests the route sends to it get HTTP 500';
  if (kind === 'GRPCRoute') return 'the calls the route sends to it fail';
  return 'the connections the route sends to it fail';
}
