import { isScalar, type Node } from 'yaml';
import { mapAt, pairAt, replaceScalar, setKey, setPairValue } from '../../engine/edits';
import { CUSTOM_CATEGORY, get, podTemplate, selectorMatches, service, strMap, type PodTemplateView } from '../../engine/model';
import type { Resource } from '../../engine/parse';
import { defineRule, type Edit, type Fix } from '../../engine/rule';
import { closest, confidentTypo, describe, formatLabels, stableLabels } from '../util';
import { labelValue as labelValueProblems } from '../schema/formats';

/** How close a template's labels come to a selector: matching pairs, then matching keys. */
function score(selector: Record<string, string>, labels: Record<string, string>): number {
  let s = 0;
  for (const [k, v] of Object.entries(selector)) {
    if (labels[k] === v) s += 10;
    else if (k in labels) s += closest(v, [labels[k]]) ? 5 : 1;
  }
  return s;
}

export default defineRule({
  id: 'service-selector-no-match',
  severity: 'warning',
  description: 'A Service selector matches no pod template in its namespace, so the Service has no endpoints.',
  fixable: true,
  kinds: ['Service'],
  check(r, ctx) {
    const svc = service(r);
    if (!svc || svc.type === 'ExternalName' || !svc.selector || Object.keys(svc.selector).length === 0) return;
    const ns = ctx.namespaceOf(r);
    // the common case, matched through the label index: no scan, and only
    // templates carrying these labels can change the answer
    if (ctx.selectTemplates(ns, svc.selector).length) return;
    const templates = ctx
      .inNamespace('template', ns)
      .map((t) => podTemplate(t))
      .filter((t): t is PodTemplateView => !!t);
    // Open world: with no workload in this namespace, the pods live elsewhere.
    if (templates.length === 0) return;
    const selector = svc.selector;
    // Pods an operator makes from a custom resource (kube-prometheus's Alertmanager and Prometheus, ECK's
    // Elasticsearch...) have no template in the files either: a custom resource that agrees with the
    // selector is taken for their source.
    if (ctx.inNamespace(CUSTOM_CATEGORY, ns).some((c) => mayMakeSelectedPods(c, selector))) return;
    // An Argo Rollouts experiment step runs its pods with labels of its own (a preview stack a Service selects).
    if (templates.some((t) => experimentLabels(t.resource).some((labels) => selectorMatches(selector, labels)))) return;

    // One pass for the best candidate (ties: the first name in sort order).
    let top: PodTemplateView | undefined;
    let topScore = -1;
    for (const t of templates) {
      const sc = score(selector, t.labels) + (t.resource.name && svc.resource.name && closest(svc.resource.name, [t.resource.name]) ? 3 : 0);
      if (sc > topScore || (sc === topScore && (t.resource.name ?? '') < (top!.resource.name ?? ''))) {
        top = t;
        topScore = sc;
      }
    }
    // A workload is "closest" when a label value looks like a typo, a pair
    // matches, or the names are alike; unrelated workloads are not suggested.
    const best = topScore >= 3 ? top : templates.length === 1 ? templates[0] : undefined;

    let message = `Service ${r.name ?? ''} selects no pods: no pod template in namespace ${ns} has ${formatLabels(selector)}.`;
    let fixes: (() => Fix[]) | undefined;
    const related = [];
    if (best) {
      const owner = describe(best.resource);
      const diffs = Object.entries(selector)
        .filter(([k, v]) => best.labels[k] !== v)
        .map(([k, v]) => (k in best.labels ? `${k} is "${best.labels[k]}", not "${v}"` : `it has no ${k} label`));
      message += ` Closest: ${owner} (${formatLabels(stableLabels(best.labels))}): ${diffs.join('; ')}.`;
      related.push({ loc: ctx.loc(best.resource, best.labelsPath, 'key'), message: `pod template labels of ${owner}` });
      // Changing the selector retargets the Service: preferred (applied by fix-all and
      // `check --fix`) only when the template is surely the one meant, by name or because
      // every differing value is a plain typo of the template's; else offered, not preferred.
      const sure =
        (!!r.name && !!best.resource.name && confidentTypo(r.name, best.resource.name)) ||
        Object.entries(selector).every(([k, v]) => best.labels[k] === v || (k in best.labels && confidentTypo(v, best.labels[k])));
      fixes = () => selectorFixes(r, selector, best, owner, sure);
    }
    ctx.report({ message, at: ['spec', 'selector'], part: 'key', related, fixes });
  },
});

/**
 * Whether custom resource `c` looks like the source of the selected pods: its
 * label maps (metadata.labels and any `labels` map in its spec, such as
 * podMetadata.labels) contradict no selector pair, and two pairs agree with
 * them, with its name (`prometheus: k8s`) or its kind (`type: elasticsearch`),
 * the name and the kind once each; a one-pair selector must agree with a label.
 * Operators label their pods from these.
 */
function mayMakeSelectedPods(c: Resource, selector: Record<string, string>): boolean {
  const maps: Record<string, string>[] = [];
  const meta = strMap(get(c.value, ['metadata', 'labels']));
  if (meta) maps.push(meta);
  collectLabelMaps(get(c.value, ['spec']), maps, 0);
  let byLabel = 0;
  let byName = false;
  let byKind = false;
  for (const [k, v] of Object.entries(selector)) {
    const values = maps.filter((m) => k in m).map((m) => m[k]);
    if (values.length && !values.includes(v)) return false;
    if (values.length) byLabel++;
    else if (v === c.name) byName = true;
    else if (v === c.kind.toLowerCase()) byKind = true;
  }
  // (a one-pair selector needs the label itself: a Certificate named "db" says nothing about app=db)
  return Object.keys(selector).length === 1 ? byLabel === 1 : byLabel + Number(byName) + Number(byKind) >= 2;
}

/** The pod labels of a Rollout's experiment steps (`steps[].experiment.templates[].metadata.labels`). */
function experimentLabels(r: Resource): Record<string, string>[] {
  if (r.kind !== 'Rollout') return [];
  const steps = get(r.value, ['spec', 'strategy', 'canary', 'steps']);
  if (!Array.isArray(steps)) return [];
  return steps
    .flatMap((step) => {
      const templates = get(step, ['experiment', 'templates']);
      return Array.isArray(templates) ? templates : [];
    })
    .map((t) => strMap(get(t, ['metadata', 'labels'])))
    .filter((l): l is Record<string, string> => l !== undefined);
}

/** Every `labels` map within `v` (a few levels deep), as label maps. */
function collectLabelMaps(v: unknown, out: Record<string, string>[], depth: number): void {
  if (depth > 5 || !v || typeof v !== 'object') return;
  if (Array.isArray(v)) {
    for (const x of v) collectLabelMaps(x, out, depth + 1);
    return;
  }
  for (const [k, x] of Object.entries(v)) {
    const labels = k === 'labels' ? strMap(x) : undefined;
    if (labels) out.push(labels);
    else collectLabelMaps(x, out, depth + 1);
  }
}

/** Fix 1 makes the selector match the template, fix 2 adds the missing labels to the template. */
function selectorFixes(r: Resource, selector: Record<string, string>, best: PodTemplateView, owner: string, preferred: boolean): Fix[] {
  const fixes: Fix[] = [];
  // Fix 1: make the selector match the template (edits the Service only).
  const selectorMap = mapAt(r, ['spec', 'selector']);
  const allKeysPresent = Object.keys(selector).every((k) => k in best.labels);
  let serviceEdits: Edit[] = [];
  let newSelector: Record<string, string>;
  if (allKeysPresent && selectorMap) {
    newSelector = Object.fromEntries(Object.keys(selector).map((k) => [k, best.labels[k]]));
    serviceEdits = Object.keys(selector)
      .filter((k) => selector[k] !== best.labels[k])
      .map((k) => {
        const v = selectorMap.get(k, true) as Node;
        return isScalar(v) ? replaceScalar(r.chunk, v, best.labels[k]) : setKey(r.chunk, selectorMap, k, best.labels[k]);
      });
  } else {
    newSelector = stableLabels(best.labels);
    const pair = pairAt(r, ['spec'], 'selector');
    if (pair && Object.keys(newSelector).length) serviceEdits = [setPairValue(r.chunk, pair, newSelector)];
  }
  if (serviceEdits.length && Object.values(newSelector).every((v) => labelValueProblems(v).length === 0)) {
    fixes.push({ title: `Change selector to ${formatLabels(newSelector)} (matches ${owner})`, isPreferred: preferred || undefined, edits: serviceEdits });
  }

  // Fix 2: add the missing labels to the template (edits the workload). Only
  // when no existing label changes: changing one could unhook the workload's
  // own selector or other Services.
  const missing = Object.entries(selector).filter(([k]) => !(k in best.labels));
  const conflicting = Object.entries(selector).filter(([k, v]) => k in best.labels && best.labels[k] !== v);
  // (a selector value that is no valid label value, e.g. the number 1e+21, would make an invalid label)
  if (missing.length && !conflicting.length && missing.every(([, v]) => labelValueProblems(v).length === 0)) {
    const labelsMap = mapAt(best.resource, best.labelsPath);
    const metaMap = mapAt(best.resource, best.labelsPath.slice(0, -1));
    let edits: Edit[] = [];
    if (labelsMap && !labelsMap.flow) {
      edits = missing.map(([k, v]) => setKey(best.resource.chunk, labelsMap, k, v));
    } else if (labelsMap) {
      edits = [setKey(best.resource.chunk, labelsMap, missing[0][0], missing[0][1])];
      if (missing.length > 1) edits = [];
    } else if (metaMap) {
      edits = [setKey(best.resource.chunk, metaMap, 'labels', Object.fromEntries(missing))];
    }
    if (edits.length) {
      fixes.push({ title: `Add ${formatLabels(Object.fromEntries(missing))} to the pod template labels of ${owner}`, edits });
    }
  }
  return fixes;
}
