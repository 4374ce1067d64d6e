import { get, podTemplate, service, type PodTemplateView } from '../../engine/model';
import { defineRule, type Related } from '../../engine/rule';
import { describe, formatLabels } from '../util';
import { closestName, closestWorkload, manualEndpointsFor, podIdentityLabels, SERVICE_NAME_LABEL, sliceServiceName } from './ports';

// the endpoint controllers skip Services without a selector; their
// backends exist only if someone writes an Endpoints object of the same name or
// EndpointSlices labelled kubernetes.io/service-name=<name> in the same
// namespace (X-02v). Another controller or repository may do that, so this is
// information, and the message says where the endpoints must come from.
export default defineRule({
  id: 'service-no-backends',
  severity: 'information',
  description: 'A Service without a selector has no Endpoints or EndpointSlice among the checked files, so nothing backs it.',
  fixable: false,
  kinds: ['Service'],
  check(r, ctx) {
    const svc = service(r);
    if (!svc || svc.type === 'ExternalName') return;
    // only a truly missing selector (or null): `selector: {}` is service-selector-empty's finding
    const raw = get(r.value, ['spec', 'selector']);
    if (raw !== undefined && raw !== null) return;
    if (manualEndpointsFor(ctx, r).length) return;

    const ns = ctx.namespaceOf(r);
    const name = r.name ?? '<unnamed>';
    let message =
      `Service ${name} has no selector, so Kubernetes creates no endpoints for it, and the checked files hold no Endpoints named ${name} ` +
      `or EndpointSlice labelled ${SERVICE_NAME_LABEL}=${name} in namespace ${ns}. It has no backends unless another tool or controller creates them.`;
    const related: Related[] = [];

    // Endpoints / slices in this namespace that look meant for it (EP-11, EPS-08)
    if (r.name) {
      const eps = ctx.inNamespace('Endpoints', ns).filter((e) => e.name);
      const near = closestName(r.name, eps.map((e) => e.name!));
      if (near !== undefined) {
        const e = eps.find((x) => x.name === near)!;
        message += ` Endpoints ${near} looks meant for it, but Endpoints attach to the Service with exactly their own name.`;
        related.push({ loc: ctx.loc(e, ['metadata', 'name']), message: `Endpoints ${near}` });
      }
      const slices = ctx.inNamespace('EndpointSlice', ns);
      const labelled = slices.filter((s) => sliceServiceName(s) !== undefined);
      const nearSlice = closestName(r.name, labelled.map((s) => sliceServiceName(s)!));
      if (nearSlice !== undefined) {
        const s = labelled.find((x) => sliceServiceName(x) === nearSlice)!;
        message += ` ${describe(s)} is labelled ${SERVICE_NAME_LABEL}=${nearSlice}; did you mean ${name}?`;
        related.push({ loc: ctx.loc(s, ['metadata', 'labels', SERVICE_NAME_LABEL]), message: `${describe(s)} belongs to Service ${nearSlice}` });
      } else {
        const unlabelled = slices.find((s) => sliceServiceName(s) === undefined && s.name !== undefined && (s.name === r.name || s.name.startsWith(`${r.name}-`)));
        if (unlabelled) {
          message += ` ${describe(unlabelled)} carries no ${SERVICE_NAME_LABEL} label, so it backs no Service.`;
          related.push({ loc: ctx.loc(unlabelled, ['metadata', 'name']), message: `${describe(unlabelled)} has no ${SERVICE_NAME_LABEL} label` });
        }
      }
      // the same name in another namespace
      // (only when that namespace has no Service of this name, which they would belong to)
      const elsewhere = [...ctx.all('Endpoints'), ...ctx.all('EndpointSlice')].find((e) => {
        const other = ctx.namespaceOf(e);
        if (other === ns || (e.kind === 'Endpoints' ? e.name !== r.name : sliceServiceName(e) !== r.name)) return false;
        return !ctx.inNamespace('Service', other).some((s) => s.name === r.name);
      });
      if (elsewhere) {
        message += ` ${describe(elsewhere)} in namespace ${ctx.namespaceOf(elsewhere)} names it, but endpoints must live in the Service's namespace.`;
        related.push({ loc: ctx.loc(elsewhere, ['metadata', 'name']), message: `${describe(elsewhere)} (namespace ${ctx.namespaceOf(elsewhere)})` });
      }
      if (!related.length) {
        const templates = ctx
          .inNamespace('template', ns)
          .map((t) => podTemplate(t))
          .filter((t): t is PodTemplateView => !!t);
        const best = closestWorkload(r.name, templates, false);
        if (best) {
          message += ` If ${describe(best.resource)} should serve it, add a selector such as ${formatLabels(podIdentityLabels(best))}.`;
          related.push({ loc: ctx.loc(best.resource, best.labelsPath, 'key'), message: `pod template labels of ${describe(best.resource)}` });
        }
      }
    }
    // underline `selector:` when written empty, else the name the endpoints must carry
    if (raw === null) ctx.report({ message, at: ['spec', 'selector'], part: 'key', related });
    else ctx.report({ message, at: ['metadata', 'name'], related });
  },
});
