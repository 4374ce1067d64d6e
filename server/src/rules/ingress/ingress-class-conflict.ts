import { ingress } from '../../engine/model';
import { defineRule } from '../../engine/rule';
import { CLASS_ANNOTATION } from './common';

// ING-22: on create, the API server rejects an Ingress whose annotation and
// spec.ingressClassName are both set and differ ("both set" means the
// annotation key is present at all, even with an empty value).
export default defineRule({
  id: 'ingress-class-conflict',
  severity: 'error',
  description: 'The kubernetes.io/ingress.class annotation and spec.ingressClassName name different classes.',
  fixable: false,
  kinds: ['Ingress'],
  check(r, ctx) {
    const ing = ingress(r);
    if (!ing || ing.classAnnotation === undefined || ing.className === undefined) return;
    if (ing.classAnnotation === ing.className) return;
    ctx.report({
      message: `Ingress ${r.name ?? '<unnamed>'} names two different classes: annotation ${CLASS_ANNOTATION} is "${ing.classAnnotation}" but spec.ingressClassName is "${ing.className}". The API server refuses to create it; keep spec.ingressClassName and remove the annotation (or make them equal).`,
      at: ['metadata', 'annotations', CLASS_ANNOTATION],
      related: [{ loc: ctx.loc(r, ['spec', 'ingressClassName']), message: `spec.ingressClassName is "${ing.className}"` }],
    });
  },
});
