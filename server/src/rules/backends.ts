// What the backend rules share (Ingress backends, Gateway API backendRefs): the
// Services of a namespace a missing name is compared with, and the Service
// ports a wrong port is compared with, including the mistake of giving the
// container's port or the nodePort instead of the Service's own port.
import { podTemplate, selectorMatches, service, servingContainers, type ServicePortView, type ServiceView } from '../engine/model';
import type { Resource } from '../engine/parse';
import { defineFacet, type RuleContext } from '../engine/rule';
import { dns1035Problem } from './ingress/common';
import { closestScored, rankScored, scoreCandidates, typoLimit } from './util';

/** What a missing-Service check reads of the Services of a namespace: their names, and their port numbers and names (to rank candidates). */
export const SERVICE_NAMES_AND_PORTS = defineFacet('service-names-and-ports', (s) =>
  s.name === undefined ? undefined : JSON.stringify([s.name, service(s)?.ports.map((p) => [p.port ?? null, p.name ?? null]) ?? null]),
);

/**
 * The named Services of a namespace, their names and the names a fix may
 * suggest, once per answer of the index (every backend there asks the same).
 */
const byAnswer = new WeakMap<readonly Resource[], { services: Resource[]; names: Set<string>; candidates: string[] }>();
export function servicesIn(answer: readonly Resource[]) {
  let known = byAnswer.get(answer);
  if (!known) {
    const services = answer.filter((s) => s.name);
    const names = new Set(services.map((s) => s.name!));
    // a backend may only name a valid Service name (the API server checks it): never suggest another
    byAnswer.set(answer, (known = { services, names, candidates: [...names].filter((n) => !dns1035Problem(n)) }));
  }
  return known;
}

/**
 * Candidates ordered by closeness to `wanted` (best first: `closest`'s pick),
 * and those that are plausible typos of it, with one edit distance per
 * candidate (a namespace may hold hundreds of Services).
 */
export function rankCandidates(wanted: string, candidates: readonly string[]): { ranked: string[]; best: string | undefined; plausible: string[] } {
  const scored = scoreCandidates(wanted, candidates);
  const best = closestScored(wanted, scored);
  const d = new Map(scored.map((x) => [x.name, x.distance]));
  const byCloseness = rankScored(scored);
  const ranked = best ? [best, ...byCloseness.filter((c) => c !== best)] : byCloseness;
  return { ranked, best, plausible: ranked.filter((c) => d.get(c)! <= typoLimit(wanted, c)) };
}

/** A Service port a backend could point at. */
export interface PortCandidate {
  svc: ServiceView;
  port: ServicePortView & { port: number };
}

export function portLabel(p: ServicePortView): string {
  return p.name ? `${p.port} (${p.name})` : `${p.port}`;
}

/** The distinct valid ports of the variants of a Service (one name defined in several files). */
export function portCandidates(variants: readonly ServiceView[]): PortCandidate[] {
  const out: PortCandidate[] = [];
  const seen = new Set<string>();
  for (const svc of variants) {
    for (const p of svc.ports) {
      // a port the API refuses (0, 70000: the schema rule's finding) is no port to point at
      if (p.port === undefined || p.port < 1 || p.port > 65535) continue;
      const key = `${p.port}|${p.name ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ svc, port: p as PortCandidate['port'] });
    }
  }
  return out;
}

/**
 * Why a backend's port number `n` is not a Service port, when it is another
 * port of the same path (targetPort, nodePort, or the container port a named
 * targetPort resolves to): the Service port meant, and a sentence saying so.
 */
export function explainPortNumber(
  ctx: RuleContext,
  r: Resource,
  candidates: PortCandidate[],
  n: number,
  namespace: string,
): { preferred: PortCandidate; hint: string } | undefined {
  const viaTarget = candidates.find((c) => c.port.targetPort === n && !c.port.targetPortDefaulted);
  if (viaTarget) {
    return { preferred: viaTarget, hint: `${n} is the targetPort of Service port ${viaTarget.port.port}: use the Service port ${viaTarget.port.port}, not the container port ${n}.` };
  }
  const viaNode = candidates.find((c) => c.port.nodePort === n);
  if (viaNode) {
    return {
      preferred: viaNode,
      hint: `${n} is the nodePort of Service port ${viaNode.port.port}: the controller talks to the Service, so use port ${viaNode.port.port}, not the node port.`,
    };
  }
  const behind = containerPortBehind(ctx, r, candidates, (p) => p.containerPort === n, namespace);
  if (behind) {
    const p = behind.candidate.port.port;
    return { preferred: behind.candidate, hint: `${n} is container port "${behind.name}", which Service port ${p} targets by name: use the Service port ${p}, not the container port ${n}.` };
  }
  return undefined;
}

/**
 * A Service port whose targetPort resolves, in a pod template the Service
 * selects, to a container port that `matches` (the backend used the
 * container's number or name instead of the Service port).
 */
export function containerPortBehind(
  ctx: RuleContext,
  r: Resource,
  candidates: PortCandidate[],
  matches: (p: { name?: string; containerPort?: number }) => boolean,
  namespace = ctx.namespaceOf(r),
): { candidate: PortCandidate; name?: string; containerPort?: number } | undefined {
  if (!candidates.some((c) => c.svc.selector && Object.keys(c.svc.selector).length)) return undefined;
  for (const t of ctx.inNamespace('template', namespace)) {
    const tpl = podTemplate(t);
    if (!tpl) continue;
    for (const c of candidates) {
      const sel = c.svc.selector;
      if (!sel || Object.keys(sel).length === 0 || !selectorMatches(sel, tpl.labels)) continue;
      for (const container of servingContainers(tpl)) {
        for (const p of container.ports) {
          if (p.protocol !== c.port.protocol || !matches(p)) continue;
          const target = c.port.targetPort;
          if ((typeof target === 'string' && p.name === target) || (typeof target === 'number' && p.containerPort === target)) {
            return { candidate: c, name: p.name, containerPort: p.containerPort };
          }
        }
      }
    }
  }
  return undefined;
}
