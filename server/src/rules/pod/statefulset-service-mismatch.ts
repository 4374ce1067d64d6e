// A StatefulSet's pods get stable DNS names, <pod>.<serviceName>.<namespace>.svc,
// only through its governing Service: spec.serviceName must name a headless
// Service (clusterIP: None) of the namespace that selects the pods. The cluster
// DNS publishes per-pod records for the endpoints of headless Services only, and
// the StatefulSet controller sets each pod's subdomain to serviceName whether or
// not such a Service exists, so the API server accepts every one of these
// mistakes and the names simply do not resolve.
import { mapAt, setKey } from '../../engine/edits';
import { get, podTemplate, selectorMatches, service } from '../../engine/model';
import { defineRule, type Fix } from '../../engine/rule';
import { closest, describe, formatLabels } from '../util';

export default defineRule({
  id: 'statefulset-service-mismatch',
  severity: 'warning',
  description:
    "A StatefulSet's serviceName names no Service in its namespace, a Service that is not headless, or one that selects none of its pods: the pods' stable DNS names do not resolve.",
  fixable: true,
  kinds: ['StatefulSet'],
  check(r, ctx) {
    const serviceName = get(r.value, ['spec', 'serviceName']);
    if (typeof serviceName !== 'string' || serviceName === '') return;
    const ns = ctx.namespaceOf(r);
    const set = `StatefulSet ${r.name ?? '<unnamed>'}`;
    const names = `${r.name ?? '<name>'}-0.${serviceName}`;
    const governing = ctx.named('Service', ns, serviceName);
    if (!governing.length) {
      // open world: a namespace without any Service in the files has its Services elsewhere
      const others = ctx.inNamespace('Service', ns).filter((s) => s.name);
      if (!others.length) return;
      const near = closest(serviceName, others.map((s) => s.name!));
      ctx.report({
        message: `${set} names its governing Service "${serviceName}", but namespace ${ns} has no Service of that name, so its pods' DNS names (${names}...) do not resolve.${near ? ` Did you mean "${near}"?` : ''}`,
        at: ['spec', 'serviceName'],
      });
      return;
    }
    const views = governing.map((s) => ({ s, v: service(s) })).filter((x) => x.v);
    // any variant (kustomize overlays, copies) that is headless and selects the pods will do
    const labels = podTemplate(r)?.labels ?? {};
    const selects = (sel: Record<string, string> | undefined) => !!sel && Object.keys(sel).length > 0 && selectorMatches(sel, labels);
    if (views.some((x) => x.v!.headless && (x.v!.selector === undefined || selects(x.v!.selector)))) return;
    const headless = views.find((x) => x.v!.headless);
    if (headless) {
      const sel = headless.v!.selector!;
      ctx.report({
        message: `${set} is governed by headless Service ${serviceName}, whose selector (${formatLabels(sel)}) selects none of its pods (${formatLabels(labels)}), so the pods get no DNS names (${names}...).`,
        at: ['spec', 'serviceName'],
        related: [{ loc: ctx.loc(headless.s, ['spec', 'selector'], 'key'), message: `selector of Service ${serviceName}` }],
      });
      return;
    }
    const target = views[0];
    const v = target.v!;
    const clusterIpType = v.type === 'ClusterIP';
    ctx.report({
      message:
        `${set} is governed by Service ${serviceName}, which is not headless (${v.type === 'ExternalName' ? 'type ExternalName' : v.clusterIP ? `clusterIP: ${v.clusterIP}` : `type ${v.type} with a cluster IP`}): ` +
        `the cluster DNS publishes per-pod names only for headless Services, so ${names}... do not resolve. ` +
        (clusterIpType ? 'Set clusterIP: None on it (a Service\'s clusterIP cannot change: recreate it), or add a headless Service for the StatefulSet.' : 'Add a headless Service (clusterIP: None) for the StatefulSet and name it in serviceName.'),
      at: ['spec', 'serviceName'],
      severity: 'information',
      related: [{ loc: ctx.loc(target.s, ['metadata', 'name']), message: `Service ${serviceName} (${describe(target.s)})` }],
      // only when no clusterIP is written: an address already there would have to go. Never preferred: clients
      // of the cluster IP lose it (and any port remapping), and the Service must be recreated
      fixes:
        clusterIpType && v.clusterIP === undefined
          ? (): Fix[] => {
              const spec = mapAt(target.s, ['spec']);
              return spec ? [{ title: `Make Service ${serviceName} headless (clusterIP: None)`, edits: [setKey(target.s.chunk, spec, 'clusterIP', 'None')] }] : [];
            }
          : undefined,
    });
  },
});
