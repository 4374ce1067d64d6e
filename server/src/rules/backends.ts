// What the backend rules share (Ingress backends, Gateway API backendRefs): the
// Services of a namespace a missing name is compared with, and the Service
// ports a wrong port is compared with, including the mistake of giving the
// container's port or the nodePort instead of the Service's own port.
import { replaceScalar } from '../engine/edits';
import { podTemplate, selectorMatches, service, servingContainers, type Path, type ServicePortView, type ServiceView } from '../engine/model';
import type { Resource } from '../engine/parse';
import { defineFacet, type Fix, type Related, type RuleContext } from '../engine/rule';
import { dns1035Problem } from './ingress/common';
import { confidentTypo, rankCandidates } from './util';

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

const MAX_SERVICE_FIXES = 3;

/**
 * Reports a backend that names a Service missing from `namespace`, with the
 * closest names as fixes. Open world: a namespace without any Service in the
 * input set is not checked (its Services come from elsewhere).
 */
export function checkServiceName(
  ctx: RuleContext,
  r: Resource,
  backend: {
    wanted: string;
    namespace: string;
    /** path of the name scalar */
    at: Path;
    /** does a Service have the port the backend asks for (ranks the fixes when no name is close) */
    hasPort: (svc: ServiceView) => boolean;
    /** the message, given " Did you mean ...?" or the Services there */
    message: (suggestion: string) => string;
  },
): void {
  const { wanted, namespace: ns, at } = backend;
  const { services, names, candidates } = servicesIn(ctx.inNamespace('Service', ns, SERVICE_NAMES_AND_PORTS));
  if (!services.length || names.has(wanted)) return;
  const { ranked, best, plausible } = rankCandidates(wanted, candidates);
  // the plausible typos, closest first; without any, every Service, those that have the backend's port first
  let offered = plausible;
  if (!offered.length) {
    const withPort = new Set(services.filter((s) => { const v = service(s); return !!v && backend.hasPort(v); }).map((s) => s.name));
    offered = [...ranked].sort((x, y) => Number(withPort.has(y)) - Number(withPort.has(x)));
  }
  offered = offered.slice(0, MAX_SERVICE_FIXES);
  const fixes = (): Fix[] => {
    const node = r.nodeAt(at);
    return node
      ? offered.map((name, i) => ({
          title: `Use Service ${name}`,
          // (fix-all applies the preferred fix unreviewed: only a sure typo)
          isPreferred: i === 0 && name === best && confidentTypo(wanted, best),
          edits: [replaceScalar(r.chunk, node, name)],
        }))
      : [];
  };
  const related: Related[] = [];
  const target = best && services.find((s) => s.name === best);
  if (target) related.push({ loc: ctx.loc(target, ['metadata', 'name']), message: `Service ${best} in namespace ${ns}` });
  const suggestion = best ? ` Did you mean "${best}"?` : ` Services there: ${[...names].sort().slice(0, 5).join(', ')}${names.size > 5 ? ', ...' : ''}.`;
  ctx.report({ message: backend.message(suggestion), at, related, fixes });
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
