import { isScalar } from 'yaml';
import { replaceScalar } from '../../engine/edits';
import { get, GATEWAY_GROUP, type Path } from '../../engine/model';
import { isPlainObject, type Resource } from '../../engine/parse';
import { defineRule, type Fix, type RuleContext } from '../../engine/rule';
import { hostProblem, joinReasons } from '../ingress/common';

// Values the API server refuses in an HTTPRoute or GRPCRoute (the CRD's schema
// and CEL rules, k8s-rules.md HR-01, HR-07..HR-09, HR-12). The most common source
// is an Ingress rewritten as a route: `type: Prefix` (Ingress's pathType) instead
// of PathPrefix, a path without its leading "/", a host with a port.

const PATH_MATCH_TYPES = ['Exact', 'PathPrefix', 'RegularExpression'];
/** What an Ingress user or a typo writes, and the match type meant. */
const PATH_TYPE_MEANT: Record<string, string> = {
  prefix: 'PathPrefix',
  pathprefix: 'PathPrefix',
  exact: 'Exact',
  regex: 'RegularExpression',
  regularexpression: 'RegularExpression',
  regexp: 'RegularExpression',
};
// HR-09: what the Gateway API refuses in an Exact or PathPrefix value
const BAD_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F', '#'];
const BAD_SUFFIXES = ['/..', '/.'];
const PATH_CHARS = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+$/;

export default defineRule({
  id: 'route-rule-invalid',
  severity: 'error',
  description: 'An HTTPRoute or GRPCRoute has a hostname, path match or filter the API server refuses (`type: Prefix` for PathPrefix, a path without "/", a host with a port).',
  fixable: true,
  kinds: ['HTTPRoute', 'GRPCRoute'],
  check(r, ctx) {
    if (r.group !== GATEWAY_GROUP) return;
    const spec = get(r.value, ['spec']);
    if (!isPlainObject(spec)) return;
    const label = `${r.kind} ${r.name ?? '<unnamed>'}`;
    const hostnames = Array.isArray(spec.hostnames) ? spec.hostnames : [];
    hostnames.forEach((h: unknown, i: number) => {
      if (typeof h !== 'string') return;
      const problem = hostProblem(h);
      if (!problem) return;
      const at: Path = ['spec', 'hostnames', i];
      ctx.report({
        message: `In ${label}, hostname "${h}" ${problem.reason}: the API server refuses the route (a hostname is a lowercase DNS name, optionally starting with "*."; no port, scheme or path).${problem.suggestion ? ` Did you mean "${problem.suggestion}"?` : ''}`,
        at,
        // offered, not applied unreviewed: dropping a port or a scheme is the user's call
        fixes: problem.suggestion ? () => scalarFix(r, at, problem.suggestion!, `Use ${problem.suggestion}`, false) : undefined,
      });
    });
    if (r.kind !== 'HTTPRoute') return;
    (Array.isArray(spec.rules) ? spec.rules : []).forEach((rule: unknown, i: number) => {
      if (!isPlainObject(rule)) return;
      (Array.isArray(rule.matches) ? rule.matches : []).forEach((m: unknown, j: number) => {
        if (isPlainObject(m) && isPlainObject(m.path)) checkPath(r, ctx, label, m.path, ['spec', 'rules', i, 'matches', j, 'path']);
      });
      const filters = Array.isArray(rule.filters) ? rule.filters : [];
      const redirect = filters.findIndex((f: unknown) => isPlainObject(f) && f.type === 'RequestRedirect');
      if (redirect >= 0 && Array.isArray(rule.backendRefs) && rule.backendRefs.length > 0) {
        ctx.report({
          message: `In ${label}, spec.rules[${i}] has a RequestRedirect filter and backendRefs: the API server refuses the route ("RequestRedirect filter must not be used together with backendRefs"). A redirect answers the request itself; drop the backendRefs, or the filter.`,
          at: ['spec', 'rules', i, 'filters', redirect, 'type'],
        });
      }
    });
  },
});

function checkPath(r: Resource, ctx: RuleContext, label: string, path: Record<string, unknown>, at: Path): void {
  const type = path.type === undefined || path.type === null ? 'PathPrefix' : path.type;
  if (typeof type === 'string' && !PATH_MATCH_TYPES.includes(type)) {
    const meant = PATH_TYPE_MEANT[type.toLowerCase()];
    const why = type === 'Prefix' ? ' (Prefix is the Ingress pathType; a route calls it PathPrefix)' : type === 'ImplementationSpecific' ? ' (an Ingress pathType; a route has no such match)' : '';
    ctx.report({
      message: `In ${label}, path match type "${type}" is not one of Exact, PathPrefix, RegularExpression: the API server refuses the route${why}.${meant ? ` Use ${meant}.` : ''}`,
      at: [...at, 'type'],
      fixes: () => (meant ? [meant] : ['PathPrefix', 'Exact']).flatMap((t, i) => scalarFix(r, [...at, 'type'], t, `Use ${t}`, !!meant && i === 0)),
    });
    return;
  }
  if (type !== 'Exact' && type !== 'PathPrefix') return;
  const value = path.value === undefined || path.value === null ? '/' : path.value;
  if (typeof value !== 'string') return;
  const problems: string[] = [];
  if (!value.startsWith('/')) problems.push(value === '' ? 'is empty' : 'does not start with "/"');
  for (const seq of BAD_SEQUENCES) if (value.includes(seq)) problems.push(`contains "${seq}"`);
  for (const suf of BAD_SUFFIXES) if (value.endsWith(suf)) problems.push(`ends with "${suf}"`);
  if (value && !PATH_CHARS.test(value)) problems.push('has characters a URL path cannot hold unencoded (spaces, quotes, "?", ...)');
  if (value.length > 1024) problems.push(`is ${value.length} characters long (at most 1024)`);
  if (!problems.length) return;
  const onlySlash = problems.length === 1 && !value.startsWith('/') && value !== '';
  ctx.report({
    message: `In ${label}, ${type} path "${value}" ${joinReasons(problems)}: the API server refuses the route.${onlySlash ? ` Did you mean "/${value}"?` : ''}`,
    at: [...at, 'value'],
    fixes: onlySlash ? () => scalarFix(r, [...at, 'value'], `/${value}`, `Use /${value}`, true) : undefined,
  });
}

function scalarFix(r: Resource, at: Path, value: string, title: string, isPreferred = true): Fix[] {
  const node = r.nodeAt(at);
  if (!isScalar(node)) return [];
  return [{ title, isPreferred, edits: [replaceScalar(r.chunk, node, value)] }];
}
