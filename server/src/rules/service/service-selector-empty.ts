import { mapAt, pairAt, removeKey, setPairValue, toYaml } from '../../engine/edits';
import { get, podTemplate, service, type PodTemplateView } from '../../engine/model';
import { isPlainObject } from '../../engine/parse';
import { defineRule, type Fix } from '../../engine/rule';
import { describe, formatLabels } from '../util';
import { labelValue as labelValueProblems } from '../schema/formats';
import { closestWorkload, isFlowMapAt, manualEndpointsFor, podIdentityLabels, replaceNodeText } from './ports';

// `selector: {}` is persisted as no selector at all, so neither endpoint
// controller selects pods for the Service. With manual Endpoints/EndpointSlices
// in place it is merely misleading (the Service works as a selector-less one).
export default defineRule({
  id: 'service-selector-empty',
  severity: 'warning',
  description: 'A Service with `selector: {}` selects no pods: the API server treats it as having no selector.',
  fixable: true,
  kinds: ['Service'],
  check(r, ctx) {
    const svc = service(r);
    if (!svc || svc.type === 'ExternalName') return;
    const raw = get(r.value, ['spec', 'selector']);
    if (!isPlainObject(raw) || Object.keys(raw).length !== 0) return;
    const ns = ctx.namespaceOf(r);
    const name = r.name ?? '<unnamed>';
    const removal = () => {
      const specMap = mapAt(r, ['spec']);
      return specMap && removeKey(r.chunk, specMap, 'selector');
    };

    const manual = manualEndpointsFor(ctx, r);
    if (manual.length) {
      const backing = manual[0];
      ctx.report({
        message: `Service ${name} has an empty selector, which the API server stores as no selector; its backends come from ${describe(backing)}, so the empty selector only misleads readers: remove it.`,
        at: ['spec', 'selector'],
        part: 'pair',
        severity: 'hint',
        tags: ['unnecessary'],
        related: [{ loc: ctx.loc(backing, ['metadata', 'name']), message: `manual endpoints of Service ${name}` }],
        fixes: () => {
          const edit = removal();
          return edit ? [{ title: 'Remove the empty selector', isPreferred: true, edits: [edit] }] : [];
        },
      });
      return;
    }

    const templates = ctx
      .inNamespace('template', ns)
      .map((t) => podTemplate(t))
      .filter((t): t is PodTemplateView => !!t);
    const best = closestWorkload(r.name, templates);
    let message = `Service ${name} has an empty selector: the API server stores {} as no selector, so no pods are selected and the Service gets no endpoints unless you create them by hand.`;
    const related = [];
    let select: { labels: Record<string, string>; owner: string } | undefined;
    if (best) {
      const labels = podIdentityLabels(best);
      const owner = describe(best.resource);
      message += ` Closest workload: ${owner} (${formatLabels(labels)}).`;
      related.push({ loc: ctx.loc(best.resource, best.labelsPath, 'key'), message: `pod template labels of ${owner}` });
      select = { labels, owner };
    }
    const fixes = (): Fix[] => {
      const out: Fix[] = [];
      if (select) {
        const { labels, owner } = select;
        const selectorNode = r.nodeAt(['spec', 'selector']);
        const pair = pairAt(r, ['spec'], 'selector');
        let edit;
        if (isFlowMapAt(r, ['spec']) && selectorNode) {
          edit = replaceNodeText(r.chunk, selectorNode, toYaml(labels, { flow: true, lineWidth: 0 }).trim());
        } else if (pair) {
          edit = setPairValue(r.chunk, pair, labels);
        }
        // (not when a label value is invalid, e.g. the number -5: the selector would be invalid too)
        const valid = Object.values(labels).every((v) => labelValueProblems(v).length === 0);
        if (edit && valid) out.push({ title: `Select the pods of ${owner} (${formatLabels(labels)})`, isPreferred: true, edits: [edit] });
      }
      const edit = removal();
      if (edit) out.push({ title: 'Remove the empty selector (for endpoints you manage yourself)', isPreferred: out.length === 0, edits: [edit] });
      return out;
    };
    ctx.report({ message, at: ['spec', 'selector'], part: 'pair', related, fixes });
  },
});
