import type { Path } from '../../engine/model';
import { isPlainObject, type Resource } from '../../engine/parse';
import { defineRule, type RuleContext } from '../../engine/rule';
import { closest } from '../util';
import {
  dns1035Problem,
  hostProblem,
  INGRESS_V1,
  isIPAddress,
  joinReasons,
  LEGACY_INGRESS_APIS,
  pathProblems,
  PATH_TYPES,
} from './common';

// Host, path and backend forms that the API server's Ingress validation
// rejects (k8s-rules.md ING-02..ING-16, ING-20a; pkg/apis/networking/validation). One
// finding per offending value, on that value (or on the key whose value is
// missing). v1beta1 objects are checked for hosts, paths and TLS hosts only:
// their backends have another shape and ingress-deprecated-api already fails them.
export default defineRule({
  id: 'ingress-rule-invalid',
  severity: 'error',
  description: 'An Ingress host, path or backend has a form the API server rejects.',
  fixable: false,
  kinds: ['Ingress'],
  check(r, ctx) {
    const legacy = LEGACY_INGRESS_APIS.has(r.apiVersion);
    if (!legacy && r.apiVersion !== INGRESS_V1) return;
    const c = new Checker(r, ctx, legacy);
    c.run();
  },
});

const isSet = (v: unknown) => v !== undefined && v !== null;

class Checker {
  readonly name: string;

  constructor(
    readonly r: Resource,
    readonly ctx: RuleContext,
    readonly legacy: boolean,
  ) {
    this.name = r.name ?? '<unnamed>';
  }

  report(message: string, at: Path, part: 'key' | 'value' = 'value'): void {
    this.ctx.report({ message, at, part });
  }

  /** `at` if that path exists, else the first existing key among the fallbacks. */
  firstExisting(...paths: Path[]): Path {
    return paths.find((p) => this.hasKey(p) || this.r.hasNode(p)) ?? paths[paths.length - 1];
  }

  hasKey(p: Path): boolean {
    let v: unknown = this.r.value;
    for (const seg of p.slice(0, -1)) {
      if (v === null || typeof v !== 'object') return false;
      v = (v as any)[seg];
    }
    return isPlainObject(v) && (p[p.length - 1] as string) in v;
  }

  run(): void {
    const spec = this.r.value.spec;
    if (spec !== undefined && spec !== null && !isPlainObject(spec)) return; // a schema problem
    const s = isPlainObject(spec) ? spec : {};
    const defaultKey = this.legacy ? 'backend' : 'defaultBackend';
    const rules = s.rules;
    const noRules = rules === undefined || rules === null || (Array.isArray(rules) && rules.length === 0);
    // ING-02
    if (noRules && !isSet(s[defaultKey])) {
      const misplaced = !this.legacy && isSet(s.backend) ? ' (spec.backend is the removed v1beta1 name: in v1 it is spec.defaultBackend)' : '';
      this.report(
        `Ingress ${this.name} has neither rules nor a ${defaultKey}, so it routes nothing and the API server rejects it${misplaced}. Add rules (host, paths and backends) or a ${defaultKey}.`,
        this.firstExisting(['spec', 'rules'], ['spec']),
        'key',
      );
    }
    if (!this.legacy && isSet(s.defaultBackend)) this.backend(s.defaultBackend, ['spec', 'defaultBackend'], 'the default backend');
    if (Array.isArray(rules)) rules.forEach((rule, i) => this.rule(rule, i));
    if (Array.isArray(s.tls)) s.tls.forEach((t: unknown, i: number) => this.tls(t, i));
  }

  rule(rule: unknown, i: number): void {
    if (!isPlainObject(rule)) return;
    const base: Path = ['spec', 'rules', i];
    const host = rule.host;
    if (typeof host === 'string' && host.length > 0) {
      if (isIPAddress(host)) {
        // ING-03a
        this.report(
          `Host "${host}" in Ingress ${this.name} is an IP address; Ingress hosts must be DNS names. Leave host out to match requests for any host, including the IP.`,
          [...base, 'host'],
        );
      } else {
        // ING-03b / ING-03c
        const problem = hostProblem(host);
        if (problem) {
          // the cleaned-up value may be an address, which a rule host may not be either (ING-03a)
          const ip = problem.suggestion !== undefined && isIPAddress(problem.suggestion);
          const hint = ip ? ` It names the IP address ${problem.suggestion}, which a host may not be either: leave host out to match requests for any host.` : useHint(problem.suggestion);
          this.report(
            `Host "${host}" in Ingress ${this.name} ${problem.reason}: a host must be a lowercase DNS name${host.includes('*') ? ', optionally starting with "*."' : ''}.${hint}`,
            [...base, 'host'],
          );
        }
      }
    }
    const http = rule.http;
    if (!isPlainObject(http)) return;
    const paths = http.paths;
    const where = typeof host === 'string' && host ? `host ${host}` : `rule ${i + 1}`;
    if (paths === undefined || paths === null || (Array.isArray(paths) && paths.length === 0)) {
      // ING-04
      this.report(
        `The http section of ${where} in Ingress ${this.name} has no paths; the API server requires at least one. Add a path with a backend, or remove http.`,
        this.firstExisting([...base, 'http', 'paths'], [...base, 'http']),
        'key',
      );
      return;
    }
    if (!Array.isArray(paths)) return;
    paths.forEach((p, j) => this.path(p, [...base, 'http', 'paths', j], where));
  }

  path(p: unknown, at: Path, where: string): void {
    if (!isPlainObject(p)) return;
    const rawType = p.pathType;
    let type: string | undefined;
    if (isSet(rawType)) {
      if (typeof rawType !== 'string') return; // a schema problem
      // A pathType outside the enum (ING-06) is the schema rule's finding, with its fix.
      if ((PATH_TYPES as readonly string[]).includes(rawType)) type = rawType;
    } else if (this.legacy) {
      type = 'ImplementationSpecific'; // the v1beta1 default (D-11)
    }
    // (a v1 path without pathType is ingress-pathtype-missing's finding)
    const path = p.path;
    if (type && (path === undefined || path === null || typeof path === 'string')) {
      const text = typeof path === 'string' ? path : '';
      const problems = pathProblems(type, text);
      if (problems.length) {
        const shown = text === '' ? 'An empty path' : `Path "${text}"`;
        const why = type === 'ImplementationSpecific' ? ' (only an empty path may omit it)' : `: with pathType ${type} the path must be a clean absolute path`;
        const hint = type === 'ImplementationSpecific' ? ` Write "/${text}".` : suggestPath(text);
        this.report(
          `${shown} in Ingress ${this.name} (${where}, pathType ${type}) ${joinReasons(problems)}${why}.${hint}`,
          typeof path === 'string' ? [...at, 'path'] : [...at, 'pathType'],
        );
      }
    }
    if (!this.legacy) {
      const label = typeof path === 'string' && path ? `the backend of path ${path}` : 'the backend of this path';
      if (!isSet(p.backend)) {
        // ING-12 (HTTPIngressPath.backend is not a pointer: a missing one is empty)
        this.report(
          `Path ${typeof path === 'string' ? `"${path}" ` : ''}in Ingress ${this.name} has no backend; give it a service (name and port) or a resource.`,
          [...at, 'path' in p ? 'path' : (Object.keys(p)[0] ?? 'backend')],
          'key',
        );
      } else {
        this.backend(p.backend, [...at, 'backend'], label);
      }
    }
  }

  backend(b: unknown, at: Path, label: string): void {
    if (!isPlainObject(b)) return;
    const hasService = isSet(b.service);
    const hasResource = isSet(b.resource);
    const name = this.name;
    if (hasService && hasResource) {
      // ING-11
      this.report(`In Ingress ${name}, ${label} sets both service and resource; a backend is one or the other.`, [...at, 'resource'], 'key');
      return;
    }
    if (!hasService && !hasResource) {
      // ING-12
      if (isSet(b.serviceName) || isSet(b.servicePort)) {
        this.report(
          `In Ingress ${name}, ${label} uses serviceName/servicePort, the fields of the removed v1beta1 API; ${INGRESS_V1} writes service: {name: ..., port: {number: ...}} (or port.name).`,
          [...at, isSet(b.serviceName) ? 'serviceName' : 'servicePort'],
          'key',
        );
      } else {
        this.report(`In Ingress ${name}, ${label} has neither a service nor a resource; give it service.name and service.port.`, at, 'key');
      }
      return;
    }
    if (hasResource) return;
    const svc = b.service;
    if (!isPlainObject(svc)) return;
    const svcAt: Path = [...at, 'service'];
    // ING-13 / ING-14
    if (!isSet(svc.name) || svc.name === '') {
      this.report(`In Ingress ${name}, ${label} has no service.name.`, this.firstExisting([...svcAt, 'name'], svcAt), 'key');
    } else if (typeof svc.name === 'string') {
      const problem = dns1035Problem(svc.name);
      if (problem) {
        const ns = svc.name.includes('.') ? ' A backend reaches only Services in the Ingress\'s own namespace: "name.namespace" does not select another one.' : '';
        this.report(
          `Service name "${svc.name}" in ${label} of Ingress ${name} ${problem.reason}: Service names are lowercase letters, digits and "-", starting with a letter (at most 63).${ns}${useHint(problem.suggestion)}`,
          [...svcAt, 'name'],
        );
      }
    }
    // ING-15 / ING-16
    const port = svc.port;
    if (isSet(port) && !isPlainObject(port)) return;
    const pm = isPlainObject(port) ? port : {};
    if ((isSet(pm.number) && typeof pm.number !== 'number') || (isSet(pm.name) && typeof pm.name !== 'string')) return; // schema
    const hasName = typeof pm.name === 'string' && pm.name !== '';
    const hasNumber = typeof pm.number === 'number' && pm.number !== 0;
    if (hasName && hasNumber) {
      this.report(`In Ingress ${name}, ${label} sets both port.name and port.number; keep one of them.`, [...svcAt, 'port'], 'key');
    } else if (!hasName && !hasNumber) {
      const zero = pm.number === 0 ? ' (port.number 0 counts as unset)' : '';
      this.report(`In Ingress ${name}, ${label} has no service port${zero}; set port.number or port.name to one of the Service's ports.`, this.firstExisting([...svcAt, 'port'], svcAt), 'key');
    }
    // (a number outside 1-65535, a port name that is not an IANA name and the
    // resource reference format are the schema rule's findings)
  }

  tls(t: unknown, i: number): void {
    if (!isPlainObject(t) || !Array.isArray(t.hosts)) return;
    t.hosts.forEach((h: unknown, j: number) => {
      if (typeof h !== 'string') return;
      // ING-20a (no IP check here: the API server accepts dotted digits in TLS hosts)
      const problem = hostProblem(h);
      if (problem) {
        this.report(
          `TLS host "${h}" in Ingress ${this.name} ${problem.reason}: a TLS host must be a lowercase DNS name${h.includes('*') ? ', optionally starting with "*."' : ''}.${useHint(problem.suggestion)}`,
          ['spec', 'tls', i, 'hosts', j],
        );
      }
    });
  }
}

function useHint(suggestion: string | undefined): string {
  return suggestion ? ` Write "${suggestion}".` : '';
}

/** A cleaned Prefix/Exact path (`/a//b/` -> `/a/b/`), as a hint. */
function suggestPath(path: string): string {
  let p = path.replace(/%2f/gi, '/');
  if (!p.startsWith('/')) p = `/${p}`;
  const segs: string[] = [];
  for (const seg of p.split('/').slice(1)) {
    if (seg === '.' || seg === '') continue;
    if (seg === '..') segs.pop();
    else segs.push(seg);
  }
  let out = `/${segs.join('/')}`;
  if (path.endsWith('/') && out !== '/') out += '/';
  return out !== path && pathProblems('Prefix', out).length === 0 ? ` Write "${out}".` : '';
}
