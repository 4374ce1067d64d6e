import { replaceScalar } from '../../engine/edits';
import { ingress, service } from '../../engine/model';
import type { Resource } from '../../engine/parse';
import { defineFacet, defineRule, type Fix, type Related } from '../../engine/rule';
import { closestScored, confidentTypo, rankScored, scoreCandidates, typoLimit } from '../util';
import { backendLabel, dns1035Problem, isAnnotationAction } from './common';

const MAX_FIXES = 3;

/** What this rule reads of the Services of a namespace: their names, and their port numbers and names (to rank candidates). */
const NAMES_AND_PORTS = defineFacet('service-names-and-ports', (s) =>
  s.name === undefined ? undefined : JSON.stringify([s.name, service(s)?.ports.map((p) => [p.port ?? null, p.name ?? null]) ?? null]),
);

/**
 * The named Services of a namespace, their names and the names a fix may
 * suggest, once per answer of the index (every Ingress there asks the same).
 */
const byAnswer = new WeakMap<readonly Resource[], { services: Resource[]; names: Set<string>; candidates: string[] }>();
function servicesIn(answer: readonly Resource[]) {
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
 * candidate (an Ingress namespace may hold hundreds of Services).
 */
function rankCandidates(wanted: string, candidates: readonly string[]): { ranked: string[]; best: string | undefined; plausible: string[] } {
  const scored = scoreCandidates(wanted, candidates);
  const best = closestScored(wanted, scored);
  const d = new Map(scored.map((x) => [x.name, x.distance]));
  const byCloseness = rankScored(scored);
  const ranked = best ? [best, ...byCloseness.filter((c) => c !== best)] : byCloseness;
  return { ranked, best, plausible: ranked.filter((c) => d.get(c)! <= typoLimit(wanted, c)) };
}

// a backend naming a Service that is not in the Ingress's namespace gets
// 503s from the controller. Open world: a namespace without any Service in the
// input set is not checked (the Services come from elsewhere).
export default defineRule({
  id: 'ingress-backend-service-missing',
  severity: 'warning',
  description: 'An Ingress backend names a Service that does not exist in the Ingress namespace.',
  fixable: true,
  kinds: ['Ingress'],
  check(r, ctx) {
    const ing = ingress(r);
    if (!ing) return;
    const backends = ing.backends.filter((b) => !b.resource && b.serviceName && !isAnnotationAction(b));
    if (!backends.length) return;
    const ns = ctx.namespaceOf(r);
    const { services, names, candidates } = servicesIn(ctx.inNamespace('Service', ns, NAMES_AND_PORTS));
    if (!services.length) return;
    for (const b of backends) {
      const wanted = b.serviceName!;
      if (names.has(wanted)) continue;
      const { ranked, best, plausible } = rankCandidates(wanted, candidates);
      // the plausible typos, closest first; without any, every Service, those that have the backend's port first
      let offered = plausible;
      if (!offered.length) {
        const withPort = new Set(
          services
            .filter((s) => service(s)?.ports.some((p) => (b.portNumber !== undefined && p.port === b.portNumber) || (b.portName !== undefined && p.name === b.portName)))
            .map((s) => s.name),
        );
        offered = [...ranked].sort((x, y) => Number(withPort.has(y)) - Number(withPort.has(x)));
      }
      offered = offered.slice(0, MAX_FIXES);
      const fixes = (): Fix[] => {
        const node = r.nodeAt(b.serviceNamePath);
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
      ctx.report({
        message: `In Ingress ${r.name ?? '<unnamed>'}, ${backendLabel(b)} names Service "${wanted}", but namespace ${ns} has no Service of that name, so requests routed there fail (usually with a 503).${suggestion}`,
        at: b.serviceNamePath,
        related,
        fixes,
      });
    }
  },
});
