import { isScalar, type Node, type YAMLMap } from 'yaml';
import { mapAt, pairAt, removeKey, replaceScalar, setKey, setPairValue, setPath } from '../../engine/edits';
import { get, podTemplate, selectorMatches, service, type Path, type PodTemplateView } from '../../engine/model';
import { isPlainObject, type Resource } from '../../engine/parse';
import { defineRule, type Edit, type Fix, type RuleContext } from '../../engine/rule';
import { labelValue as labelValueProblems } from '../schema/formats';
import { closest, describe, formatLabels, stableLabels } from '../util';

type Op = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

interface Requirement {
  key: string;
  op: Op;
  values: string[];
  /** from matchLabels (or an RC's plain map): key=value */
  fromMap: boolean;
  /** the node to underline when it fails */
  at: Path;
  part: 'key' | 'value' | 'pair';
}

interface ParsedSelector {
  requirements: Requirement[];
  /** path of the key=value map (matchLabels, or an RC's spec.selector) */
  mapPath: Path;
  map: Record<string, string>;
}

const labelValue = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

/**
 * The selector as the API server reads it. undefined when there is nothing to
 * compare: the field is absent (Required, or defaulted from the template by old
 * API versions and by ReplicationControllers), empty (rejected on its own), or
 * malformed (LabelSelectorAsSelector fails and the API skips the match check).
 */
function parseSelector(r: Resource): ParsedSelector | undefined {
  const sel = get(r.value, ['spec', 'selector']);
  if (!isPlainObject(sel)) return undefined;
  const requirements: Requirement[] = [];
  if (r.kind === 'ReplicationController') {
    const map: Record<string, string> = {};
    for (const [k, v] of Object.entries(sel)) {
      const s = labelValue(v);
      if (s === undefined) return undefined;
      map[k] = s;
      requirements.push({ key: k, op: 'In', values: [s], fromMap: true, at: ['spec', 'selector', k], part: 'value' });
    }
    return requirements.length ? { requirements, mapPath: ['spec', 'selector'], map } : undefined;
  }
  const map: Record<string, string> = {};
  if (sel.matchLabels !== undefined && sel.matchLabels !== null) {
    if (!isPlainObject(sel.matchLabels)) return undefined;
    for (const [k, v] of Object.entries(sel.matchLabels)) {
      const s = labelValue(v);
      if (s === undefined) return undefined;
      map[k] = s;
      requirements.push({ key: k, op: 'In', values: [s], fromMap: true, at: ['spec', 'selector', 'matchLabels', k], part: 'value' });
    }
  }
  if (sel.matchExpressions !== undefined && sel.matchExpressions !== null) {
    if (!Array.isArray(sel.matchExpressions)) return undefined;
    for (const [i, e] of sel.matchExpressions.entries()) {
      if (!isPlainObject(e) || typeof e.key !== 'string') return undefined;
      const op = e.operator;
      const values = e.values === undefined || e.values === null ? [] : Array.isArray(e.values) ? e.values.map(labelValue) : undefined;
      if (!values || values.some((v) => v === undefined)) return undefined;
      if (op === 'In' || op === 'NotIn') {
        if (values.length === 0) return undefined;
      } else if (op === 'Exists' || op === 'DoesNotExist') {
        if (values.length > 0) return undefined;
      } else return undefined;
      requirements.push({ key: e.key, op, values: values as string[], fromMap: false, at: ['spec', 'selector', 'matchExpressions', i, 'key'], part: 'value' });
    }
  }
  return requirements.length ? { requirements, mapPath: ['spec', 'selector', 'matchLabels'], map } : undefined;
}

function satisfied(q: Requirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, q.key);
  switch (q.op) {
    case 'In':
      return has && q.values.includes(labels[q.key]);
    case 'NotIn':
      return !has || !q.values.includes(labels[q.key]);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
  }
}

function explain(q: Requirement, labels: Record<string, string>): string {
  const has = Object.prototype.hasOwnProperty.call(labels, q.key);
  if (q.op === 'In') {
    const want = q.values.length === 1 ? `"${q.values[0]}"` : `one of ${q.values.map((v) => `"${v}"`).join(', ')}`;
    if (has) return `${q.key} is "${labels[q.key]}" in the template, not ${want}`;
    const near = closest(q.key, Object.keys(labels));
    return `the template has no ${q.key} label${near ? ` (it has ${near}=${labels[near]})` : ''}`;
  }
  if (q.op === 'NotIn') return `${q.key} must not be "${labels[q.key]}", but the template has it`;
  if (q.op === 'Exists') {
    const near = closest(q.key, Object.keys(labels));
    return `the template has no ${q.key} label${near ? ` (it has ${near})` : ''}`;
  }
  return `the template must not have a ${q.key} label, but has ${q.key}=${labels[q.key]}`;
}

/** Workloads with a label selector the API compares with the template labels. */
const KINDS = ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'ReplicationController', 'Job', 'Rollout'];

interface LabelChange {
  set: Record<string, string>;
  remove: string[];
}

/** Label changes on the template that make every requirement hold; undefined when one has no clear answer. */
function templateChange(failing: Requirement[], labels: Record<string, string>): LabelChange | undefined {
  const change: LabelChange = { set: {}, remove: [] };
  for (const q of failing) {
    if (q.op === 'In') {
      const current = labels[q.key];
      const value = q.values.length === 1 ? q.values[0] : current !== undefined ? closest(current, q.values) : undefined;
      if (value === undefined) return undefined;
      // a selector value that is no valid label value (e.g. the number -5) would make an invalid label
      if (labelValueProblems(value).length) return undefined;
      if (change.set[q.key] !== undefined && change.set[q.key] !== value) return undefined;
      change.set[q.key] = value;
    } else if (q.op === 'DoesNotExist') {
      change.remove.push(q.key);
    } else {
      return undefined; // Exists (which value?) and NotIn (which other value?) need a human
    }
  }
  return change;
}

function templateFix(r: Resource, t: PodTemplateView, change: LabelChange, preferred: boolean): Fix | undefined {
  const labelsMap = mapAt(r, t.labelsPath);
  const next: Record<string, string> = { ...t.labels, ...change.set };
  for (const k of change.remove) delete next[k];
  let edits: Edit[] = [];
  const setCount = Object.keys(change.set).length;
  if (labelsMap && !labelsMap.flow && labelsMap.items.length > 0) {
    for (const [k, v] of Object.entries(change.set)) {
      const valueNode = labelsMap.get(k, true) as Node | undefined;
      edits.push(isScalar(valueNode) && valueNode.range && valueNode.range[1] > valueNode.range[0] ? replaceScalar(r.chunk, valueNode, v) : setKey(r.chunk, labelsMap, k, v));
    }
    for (const k of change.remove) {
      const e = removeKey(r.chunk, labelsMap, k);
      if (!e) return undefined;
      edits.push(e);
    }
  } else if (labelsMap && setCount + change.remove.length === 1) {
    if (change.remove.length) {
      const e = removeKey(r.chunk, labelsMap, change.remove[0]);
      if (!e) return undefined;
      edits = [e];
    } else {
      const [k, v] = Object.entries(change.set)[0];
      edits = [setKey(r.chunk, labelsMap, k, v)];
    }
  } else if (labelsMap) {
    const pair = pairAt(r, t.labelsPath.slice(0, -1), 'labels');
    if (!pair || Object.keys(next).length === 0) return undefined;
    edits = [setPairValue(r.chunk, pair, next)];
  } else {
    if (change.remove.length || setCount === 0) return undefined;
    const e = setPath(r, t.labelsPath, change.set);
    if (!e) return undefined;
    edits = [e];
  }
  const existing = Object.keys(change.set).filter((k) => k in t.labels);
  const setText = formatLabels(change.set);
  let title: string;
  if (setCount && change.remove.length) title = `Set ${setText} and remove ${change.remove.join(', ')} in the pod template labels`;
  else if (setCount) title = existing.length ? `Set ${setText} in the pod template labels` : `Add ${setText} to the pod template labels`;
  else title = `Remove ${change.remove.join(', ')} from the pod template labels`;
  return { title, isPreferred: preferred, edits };
}

/** Edits the selector's key=value map so it selects the template; only when no expression fails. */
function selectorFix(r: Resource, sel: ParsedSelector, failing: Requirement[], labels: Record<string, string>, preferred: boolean): Fix | undefined {
  if (failing.some((q) => !q.fromMap)) return undefined;
  const map = mapAt(r, sel.mapPath);
  if (!map) return undefined;
  const next: Record<string, string> = {};
  for (const [k, v] of Object.entries(sel.map)) {
    if (!failing.some((q) => q.key === k)) next[k] = v;
    else if (k in labels) next[k] = labels[k];
  }
  const hasExpressions = sel.requirements.some((q) => !q.fromMap);
  let target = next;
  if (Object.keys(next).length === 0 && !hasExpressions) target = stableLabels(labels);
  if (Object.keys(target).length === 0) return undefined;
  if (Object.values(target).some((v) => labelValueProblems(v).length)) return undefined; // would copy an invalid label value
  let edits: Edit[] = [];
  if (target === next && !map.flow) {
    for (const q of failing) {
      const valueNode = map.get(q.key, true) as Node | undefined;
      if (q.key in labels) {
        if (!isScalar(valueNode)) return undefined;
        edits.push(replaceScalar(r.chunk, valueNode, labels[q.key]));
      } else {
        const e = removeKey(r.chunk, map as YAMLMap, q.key);
        if (!e) return undefined;
        edits.push(e);
      }
    }
  } else {
    const parentPath = sel.mapPath.slice(0, -1);
    const pair = pairAt(r, parentPath, String(sel.mapPath[sel.mapPath.length - 1]));
    if (!pair) return undefined;
    edits = [setPairValue(r.chunk, pair, target)];
  }
  return {
    title: `Change the selector to ${formatLabels(target)}${hasExpressions ? ' (keeping its expressions)' : ''} to match the pod template`,
    isPreferred: preferred,
    edits,
  };
}

/** Services that select the template now and would not after the label change: changing the template would unhook them. */
function unhooks(ctx: RuleContext, r: Resource, t: PodTemplateView, change: LabelChange): boolean {
  const touchesExisting = change.remove.length > 0 || Object.keys(change.set).some((k) => k in t.labels);
  if (!touchesExisting) return false;
  const after: Record<string, string> = { ...t.labels, ...change.set };
  for (const k of change.remove) delete after[k];
  return ctx.inNamespace('Service', ctx.namespaceOf(r)).some((s) => {
    const sel = service(s)?.selector;
    return !!sel && Object.keys(sel).length > 0 && selectorMatches(sel, t.labels) && !selectorMatches(sel, after);
  });
}

export default defineRule({
  id: 'workload-selector-mismatch',
  severity: 'error',
  description: "A controller's spec.selector does not select its own pod template labels; the API server rejects the object.",
  fixable: true,
  kinds: KINDS,
  check(r, ctx) {
    // A Job's selector is generated unless manualSelector is true; CronJob templates may not set one at all.
    if (r.kind === 'Job' && get(r.value, ['spec', 'manualSelector']) !== true) return;
    const t = podTemplate(r);
    if (!t) return;
    const sel = parseSelector(r);
    if (!sel) return;
    const failing = sel.requirements.filter((q) => !satisfied(q, t.labels));
    if (!failing.length) return;

    const first = failing[0];
    const wanted = sel.requirements
      .map((q) => (q.fromMap ? `${q.key}=${q.values[0]}` : q.op === 'In' || q.op === 'NotIn' ? `${q.key} ${q.op} (${q.values.join(', ')})` : `${q.op === 'Exists' ? '' : '!'}${q.key}`))
      .join(', ');
    const message =
      `The selector of ${describe(r)} (${wanted}) does not select its own pod template ${Object.keys(t.labels).length ? `(${formatLabels(t.labels)})` : '(it has no labels)'}: ` +
      `${failing.map((q) => explain(q, t.labels)).join('; ')}. ` +
      (r.kind === 'Rollout'
        ? `The Argo Rollouts controller marks ${describe(r)} InvalidSpec and creates no pods.`
        : `The API server rejects ${describe(r)}.`);

    const change = templateChange(failing, t.labels);
    // (which Services the template change would unhook is read now: queries belong to the check)
    const preferTemplate = !change || !unhooks(ctx, r, t, change);
    const fixes = (): Fix[] => {
      const out: Fix[] = [];
      const tf = change ? templateFix(r, t, change, preferTemplate) : undefined;
      const sf = selectorFix(r, sel, failing, t.labels, !tf || !preferTemplate);
      if (tf && preferTemplate) out.push(tf);
      if (sf) out.push(sf);
      if (tf && !preferTemplate) out.push(tf);
      if (out.length && !out.some((f) => f.isPreferred)) out[0].isPreferred = true;
      return out;
    };

    const keyMissing = first.fromMap && !(first.key in t.labels);
    ctx.report({
      message,
      at: first.at,
      part: keyMissing ? 'pair' : first.part,
      related: [{ loc: ctx.loc(r, t.labelsPath, 'key'), message: `pod template labels of ${describe(r)}` }],
      fixes,
    });
  },
});
