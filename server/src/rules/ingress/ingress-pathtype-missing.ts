import { mapAt, setKey } from '../../engine/edits';
import { isPlainObject } from '../../engine/parse';
import { defineRule, type Fix } from '../../engine/rule';
import { INGRESS_V1, insertKeyAfter, looksLikeRegex, pathProblems, PATH_TYPES } from './common';

// ING-05 / D-11: networking.k8s.io/v1 has no default pathType (v1beta1 defaulted
// it to ImplementationSpecific), so a path without one is rejected.
export default defineRule({
  id: 'ingress-pathtype-missing',
  severity: 'error',
  description: 'A networking.k8s.io/v1 Ingress path has no pathType, which v1 requires.',
  fixable: true,
  kinds: ['Ingress'],
  check(r, ctx) {
    if (r.apiVersion !== INGRESS_V1) return;
    const rules = r.value.spec?.rules;
    if (!Array.isArray(rules)) return;
    rules.forEach((rule: unknown, i: number) => {
      if (!isPlainObject(rule) || !isPlainObject(rule.http) || !Array.isArray(rule.http.paths)) return;
      rule.http.paths.forEach((p: unknown, j: number) => {
        if (!isPlainObject(p) || (p.pathType !== undefined && p.pathType !== null)) return;
        const itemPath = ['spec', 'rules', i, 'http', 'paths', j];
        if (!r.hasMapAt(itemPath)) return;
        const path = typeof p.path === 'string' ? p.path : p.path === undefined || p.path === null ? '' : undefined;
        const valid = PATH_TYPES.filter((t) => path !== undefined && pathProblems(t, path).length === 0);
        // Prefix when the path is a plain absolute path; regex-looking paths are
        // controller-specific (ImplementationSpecific keeps their meaning).
        const preferred = path !== undefined && valid.includes('Prefix') && !looksLikeRegex(path) ? 'Prefix' : 'ImplementationSpecific';
        const offered = valid.length ? PATH_TYPES.filter((t) => valid.includes(t)) : [...PATH_TYPES];
        // no pathType makes this path valid: say that the path's own finding follows
        const pathStays = typeof path === 'string' && !valid.length ? ` (path "${path}" must still be fixed)` : '';
        const fixes = (): Fix[] => {
          const item = mapAt(r, itemPath)!;
          return offered.map((t) => ({
            title: `Add pathType: ${t}${pathStays}`,
            isPreferred: t === preferred,
            edits: ['pathType' in p ? setKey(r.chunk, item, 'pathType', t) : insertKeyAfter(r, item, 'path', 'pathType', t)],
          }));
        };
        const shown = typeof p.path === 'string' ? `Path "${p.path}"` : 'A path';
        const hostText = typeof rule.host === 'string' && rule.host ? ` (host ${rule.host})` : '';
        const firstKey = Object.keys(p)[0];
        const where = 'path' in p ? [...itemPath, 'path'] : 'pathType' in p ? [...itemPath, 'pathType'] : firstKey ? [...itemPath, firstKey] : itemPath;
        ctx.report({
          message: `${shown}${hostText} in Ingress ${r.name ?? '<unnamed>'} has no pathType, which ${INGRESS_V1} requires: the API server rejects the Ingress. Prefix matches the path and everything below it, Exact only the path itself, ImplementationSpecific leaves it to the controller (e.g. regular expressions).`,
          at: where,
          part: 'key',
          fixes,
        });
      });
    });
  },
});
