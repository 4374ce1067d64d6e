import { isScalar } from 'yaml';
import { replaceScalar } from '../../engine/edits';
import { ingress, type Path } from '../../engine/model';
import { defineRule, type Edit, type Fix } from '../../engine/rule';
import { confidentTypo, rankCandidates } from '../util';
import { CLASS_ANNOTATION } from './common';
import { ANNOTATION_ONLY_CLASSES } from './ingress-class-annotation';

const MAX_FIXES = 5;

// INGC-08: an Ingress whose class matches no IngressClass is picked up by no
// controller. Open world: checked only when the input set defines IngressClasses
// (they are cluster-scoped, so any file counts).
export default defineRule({
  id: 'ingress-class-unknown',
  severity: 'information',
  description: 'The Ingress class names no IngressClass defined in the input set.',
  fixable: true,
  kinds: ['Ingress'],
  check(r, ctx) {
    const ing = ingress(r);
    if (!ing) return;
    const annotationPath: Path = ['metadata', 'annotations', CLASS_ANNOTATION];
    const fieldPath: Path = ['spec', 'ingressClassName'];
    let wanted: string;
    let at: Path;
    if (ing.className !== undefined) {
      wanted = ing.className;
      at = fieldPath;
    } else if (ing.classAnnotation !== undefined) {
      wanted = ing.classAnnotation;
      at = annotationPath;
      // GKE's controller handles these annotation values without any IngressClass object
      if (ANNOTATION_ONLY_CLASSES.has(wanted)) return;
    } else {
      return;
    }
    if (wanted === '') return; // not a class name at all (ingress-rule-invalid / conflict)
    const classes = ctx.all('IngressClass').filter((c) => c.name);
    if (!classes.length) return;
    const names = new Set(classes.map((c) => c.name!));
    if (names.has(wanted)) return;

    // every place holding the same value changes together, so no conflict appears
    const paths = [fieldPath, annotationPath].filter((p) => (p === fieldPath ? ing.className : ing.classAnnotation) === wanted);
    const { ranked: order, best } = rankCandidates(wanted, [...names]);
    const fixes = (): Fix[] => {
      const nodes = paths.map((p) => r.nodeAt(p)).filter(isScalar);
      return nodes.length
        ? order.slice(0, MAX_FIXES).map((name, i) => ({
            title: `Use IngressClass ${name}`,
            isPreferred: i === 0 && name === best && confidentTypo(wanted, best),
            edits: nodes.map((n): Edit => replaceScalar(r.chunk, n, name)),
          }))
        : [];
    };
    const known = [...names].sort();
    const target = best ? classes.find((c) => c.name === best) : undefined;
    ctx.report({
      message: `Ingress ${r.name ?? '<unnamed>'} uses class "${wanted}", but no IngressClass of that name is defined (known: ${known.slice(0, 6).join(', ')}${known.length > 6 ? ', ...' : ''}), so no controller may pick it up.${best ? ` Did you mean "${best}"?` : ''}`,
      at,
      related: target ? [{ loc: ctx.loc(target, ['metadata', 'name']), message: `IngressClass ${best}` }] : [],
      fixes,
    });
  },
});
