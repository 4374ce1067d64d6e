// Ingress rewrites: the v1beta1 -> networking.k8s.io/v1 migration (the edits of
// rule ingress-deprecated-api, reused) and moving the deprecated
// kubernetes.io/ingress.class annotation to spec.ingressClassName (V-03, ING-23).
import { isScalar, type Node } from 'yaml';
import { mapAt, replaceScalar, setKey, setPath } from '../engine/edits';
import { ingress } from '../engine/model';
import type { Edit } from '../engine/rule';
import { ANNOTATION_ONLY_CLASSES } from '../rules/ingress/ingress-class-annotation';
import { migrationEdits } from '../rules/ingress/ingress-deprecated-api';
import type { Refactor, RefactorContext } from './context';
import { removeAnnotation } from './service-type';
import { absolute, findPair, insertFirstKey } from './yaml-text';

const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const SUBDOMAIN = new RegExp(`^${LABEL}(\\.${LABEL})*$`);

export function ingressRefactors({ ws, r }: RefactorContext): Refactor[] {
  const ing = ingress(r);
  if (!ing) return [];
  const out: Refactor[] = [];
  if (ing.legacyApi) {
    const edits = migrationEdits(r);
    if (edits) out.push({ title: 'Migrate Ingress to networking.k8s.io/v1', kind: 'refactor.rewrite', isPreferred: true, edits: edits.map(absolute) });
  }
  const cls = ing.classAnnotation;
  // the field holds an IngressClass name (F-02); a class that is not one cannot move, and
  // GKE's built-in controller reads only the annotation
  if (cls !== undefined && !ANNOTATION_ONLY_CLASSES.has(cls) && cls.length <= 253 && SUBDOMAIN.test(cls) && (ing.className === undefined || ing.className === cls)) {
    const keep = ws.config.ingress.keepClassAnnotation;
    const edits: Edit[] = [];
    if (ing.className === undefined) {
      const e = setClassName(r, cls);
      if (!e) return out;
      edits.push(e);
    }
    if (!keep) edits.push(...removeAnnotation(r, CLASS_ANNOTATION));
    if (edits.length) {
      out.push({
        title: keep ? 'Copy ingress class annotation to spec.ingressClassName' : 'Move ingress class annotation to spec.ingressClassName',
        kind: 'refactor.rewrite',
        edits: edits.map(absolute),
      });
    }
  }
  return out;
}

function setClassName(r: RefactorContext['r'], cls: string): Edit | undefined {
  const spec = mapAt(r, ['spec']);
  if (!spec) return setPath(r, ['spec', 'ingressClassName'], cls);
  const pair = findPair(spec, 'ingressClassName');
  if (pair) {
    const v = pair.value as Node | null;
    return isScalar(v) && v.range && v.range[1] > v.range[0] ? replaceScalar(r.chunk, v, cls) : setKey(r.chunk, spec, 'ingressClassName', cls);
  }
  return insertFirstKey(r, ['spec'], 'ingressClassName', cls);
}
