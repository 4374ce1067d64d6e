import { mapAt, removeKey, setKey, setPath } from '../../engine/edits';
import { ingress } from '../../engine/model';
import { defineRule, type Edit, type Fix } from '../../engine/rule';
import { CLASS_ANNOTATION, isDns1123Subdomain, prependKey } from './common';

/**
 * GKE's built-in controller reads only the annotation (`gce`, `gce-internal`)
 * and ignores spec.ingressClassName: moving it would orphan the Ingress.
 */
export const ANNOTATION_ONLY_CLASSES = new Set(['gce', 'gce-internal']);

// ING-23 / V-03: the annotation is deprecated in favour of spec.ingressClassName
// (the API server warns on every apply). When the two disagree,
// ingress-class-conflict reports the error instead.
export default defineRule({
  id: 'ingress-class-annotation',
  severity: 'information',
  description: 'Ingress selects its controller with the deprecated kubernetes.io/ingress.class annotation instead of spec.ingressClassName.',
  fixable: true,
  kinds: ['Ingress'],
  check(r, ctx) {
    if (ctx.config.ingress.keepClassAnnotation) return;
    const ing = ingress(r);
    if (!ing || ing.classAnnotation === undefined) return;
    const value = ing.classAnnotation;
    if (ANNOTATION_ONLY_CLASSES.has(value)) return;
    const hasField = r.value.spec?.ingressClassName !== undefined && r.value.spec?.ingressClassName !== null;
    if (hasField && ing.className !== value) return; // ingress-class-conflict

    const fixes = (): Fix[] => {
      const edits: Edit[] = [];
      const annotations = mapAt(r, ['metadata', 'annotations']);
      const metadata = mapAt(r, ['metadata']);
      const removal =
        annotations && annotations.items.length === 1 && metadata ? removeKey(r.chunk, metadata, 'annotations') : annotations ? removeKey(r.chunk, annotations, CLASS_ANNOTATION) : undefined;
      if (removal) edits.push(removal);
      if (!hasField && isDns1123Subdomain(value)) {
        const spec = mapAt(r, ['spec']);
        // `ingressClassName: null` (or empty) is there already: give it the value, never a second key
        const add = spec?.has('ingressClassName') ? setKey(r.chunk, spec, 'ingressClassName', value) : spec ? prependKey(r, ['spec'], 'ingressClassName', value) : setPath(r, ['spec', 'ingressClassName'], value);
        if (add) edits.push(add);
        else edits.length = 0;
      }
      if (!edits.length || (!hasField && edits.length !== 2)) return [];
      return [{ title: hasField ? `Remove the redundant ${CLASS_ANNOTATION} annotation` : `Move to spec.ingressClassName: ${value}`, isPreferred: true, edits }];
    };
    const name = r.name ?? '<unnamed>';
    const message = hasField
      ? `Ingress ${name} repeats spec.ingressClassName (${value}) in the deprecated ${CLASS_ANNOTATION} annotation; the field alone is enough.`
      : `Ingress ${name} picks its controller with the deprecated ${CLASS_ANNOTATION} annotation ("${value}"); set spec.ingressClassName: ${value} instead (the API server warns about the annotation).`;
    ctx.report({
      message,
      at: ['metadata', 'annotations', CLASS_ANNOTATION],
      part: 'key',
      tags: ['deprecated'],
      fixes,
    });
  },
});
