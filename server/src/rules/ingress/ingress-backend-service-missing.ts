import { replaceScalar } from '../../engine/edits';
import { ingress, service } from '../../engine/model';
import { defineRule, type Fix, type Related } from '../../engine/rule';
import { rankCandidates, SERVICE_NAMES_AND_PORTS, servicesIn } from '../backends';
import { confidentTypo } from '../util';
import { backendLabel, isAnnotationAction } from './common';

const MAX_FIXES = 3;

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
    const { services, names, candidates } = servicesIn(ctx.inNamespace('Service', ns, SERVICE_NAMES_AND_PORTS));
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
