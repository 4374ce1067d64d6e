// ExternalName Services are a DNS CNAME to spec.externalName.
//   SVC-14c externalName missing or empty (or just ".")               → error
//   SVC-14d not a DNS-1123 subdomain after trimming one trailing dot   → error
//   X-15    an IPv4 literal: valid syntax, but published as a CNAME    → warning
//   X-14    selector: no endpoints                                     → warning
//   X-14    ports, when nothing in the files routes to the Service      → information
//   SVC-28  externalIPs are ignored on ExternalName                   → warning
//   SVC-14e externalName on another type is ignored                   → warning
import { gatewayRoute, get, ingress, ROUTE_KINDS } from '../../engine/model';
import type { Resource } from '../../engine/parse';
import type { RuleContext } from '../../engine/rule';
import { isPlainObject } from '../../engine/parse';
import { defineRule } from '../../engine/rule';
import { effectiveType, isCoreService, isDns1123Subdomain, isIPv4, looksLikeIPv6, rawPorts, specOf, typeText } from './shared';

/** What is wrong with a name that is not a DNS-1123 subdomain, in a few words. */
function problems(name: string): string[] {
  const out: string[] = [];
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(name)) out.push('a URL scheme');
  if (/\/./.test(name.replace(/^[a-z][a-z0-9+.-]*:\/\//i, ''))) out.push('a path');
  if (/:\d+(\/|$)/.test(name)) out.push('a port');
  if (/\s/.test(name)) out.push('whitespace');
  if (/[A-Z]/.test(name)) out.push('uppercase letters');
  if (name.includes('_')) out.push('underscores');
  if (name.includes('..') || name.startsWith('.') || name.endsWith('.')) out.push('an empty label');
  if (/(^|\.)-|-(\.|$)/.test(name)) out.push('a label starting or ending with "-"');
  if (name.length > 253) out.push('more than 253 characters');
  if (!out.length) out.push('characters other than lowercase letters, digits, "-" and "."');
  return out;
}

/** The hostname the author most likely meant, if cleaning it up yields a valid one. */
function cleanHostname(name: string): string | undefined {
  let s = name.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  s = s.replace(/[/?#].*$/, '').replace(/:\d*$/, '').replace(/^[^@]*@/, '');
  s = s.toLowerCase().replace(/_/g, '-').replace(/\.{2,}/g, '.').replace(/^\.+|\.+$/g, '');
  return s && s !== name && isDns1123Subdomain(s) && !isIPv4(s) ? s : undefined;
}

export default defineRule({
  id: 'service-externalname-invalid',
  severity: 'error',
  description: 'An ExternalName Service has no valid DNS name to alias, or carries fields that ExternalName ignores.',
  fixable: false,
  kinds: ['Service'],
  check(r, ctx) {
    if (!isCoreService(r)) return;
    const type = effectiveType(r);
    if (!type) return;
    const spec = specOf(r);
    const name = `Service ${r.name ?? '<unnamed>'}`;
    const raw = spec.externalName;

    if (type !== 'ExternalName') {
      // SVC-14e
      if (typeof raw === 'string' && raw !== '') {
        ctx.report({
          message:
            `${name} is type ${typeText(r, type)}, so externalName "${raw}" is ignored: nothing resolves to it. ` +
            `Set type: ExternalName for a DNS alias, or remove externalName.`,
          at: ['spec', 'externalName'],
          part: 'key',
          severity: 'warning',
          tags: ['unnecessary'],
        });
      }
      return;
    }

    if (raw === undefined || raw === null || raw === '' || raw === '.') {
      const present = raw !== undefined;
      ctx.report({
        message:
          `${name} is type ExternalName but ${present ? 'its externalName is empty' : 'has no externalName'}: ` +
          `it must name the DNS host it aliases (such as db.example.com), and the API server refuses it without one.`,
        at: present ? ['spec', 'externalName'] : ['spec', 'type'],
      });
    } else if (typeof raw === 'string') {
      const cname = raw.endsWith('.') ? raw.slice(0, -1) : raw;
      if (!isDns1123Subdomain(cname)) {
        const ip = looksLikeIPv6(cname);
        const suggestion = cleanHostname(raw);
        const what = ip ? 'an IPv6 address, not a hostname' : `not a valid DNS name: it has ${problems(cname).join(', ')}`;
        ctx.report({
          message:
            `externalName "${raw}" of ${name} is ${what}, so the API server refuses it. ` +
            (ip
              ? 'To send traffic to an IP, use a Service without selector plus an EndpointSlice listing that address.'
              : suggestion
                ? `Did you mean "${suggestion}"?`
                : 'Use a lowercase hostname such as db.example.com, without scheme, port or path.'),
          at: ['spec', 'externalName'],
        });
      } else if (isIPv4(cname)) {
        ctx.report({
          message:
            `externalName "${raw}" of ${name} is an IP address: ExternalName publishes a DNS CNAME, and a CNAME to "${cname}" ` +
            `does not resolve to that IP. Use a Service without selector plus an EndpointSlice listing the address.`,
          at: ['spec', 'externalName'],
          severity: 'warning',
        });
      }
    }

    // X-14: no endpoints are made for ExternalName, whatever the selector says
    if (isPlainObject(spec.selector) && Object.keys(spec.selector).length > 0) {
      ctx.report({
        message: `${name} is type ExternalName, so its selector is ignored: no pods are ever selected, clients get a DNS alias to ${typeof raw === 'string' && raw ? `"${raw}"` : 'the external name'}.`,
        at: ['spec', 'selector'],
        part: 'key',
        severity: 'warning',
        tags: ['unnecessary'],
      });
    }
    const ports = rawPorts(r);
    if (ports.length > 0 && r.name !== undefined && !routedTo(ctx, r, r.name)) {
      // Controllers (ingress-nginx, Envoy Gateway, Contour, Traefik, Istio) read an ExternalName
      // Service's ports to pick the upstream port: the ports matter as soon as anything routes here,
      // perhaps from files that are not checked, so this is a note, not a warning.
      // (nodePorts here are service-type-mismatch's warning.)
      ctx.report({
        message:
          `${name} is type ExternalName: Kubernetes neither proxies nor remaps its ports; ` +
          `clients reach ${typeof raw === 'string' && raw ? `"${raw}"` : 'the external name'} on whatever port they dial. ` +
          'The ports matter only to a controller that routes here (an Ingress, a Gateway API route, a proxy route), and none in the checked files does.',
        at: ['spec', 'ports'],
        part: 'key',
        severity: 'information',
      });
    }
    // SVC-28
    if (Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0) {
      ctx.report({
        message: `${name} is type ExternalName, so its externalIPs are ignored.`,
        at: ['spec', 'externalIPs'],
        part: 'key',
        severity: 'warning',
        tags: ['unnecessary'],
      });
    }
  },
});

/**
 * Route objects of the namespace that name a Service as a backend, by the
 * paths their APIs use: Gateway API routes (backendRefs, kind Service by
 * default), Contour HTTPProxy and Traefik IngressRoute (`services[].name`),
 * Istio VirtualService (`destination.host`, short or fully qualified).
 */
const SERVICE_REFS: { kinds: string[]; refs: (route: Resource) => unknown[] }[] = [
  {
    kinds: ROUTE_KINDS,
    refs: (route) => gatewayRoute(route)?.backends.map((b) => ({ name: b.name, namespace: b.namespace })) ?? [],
  },
  {
    kinds: ['HTTPProxy', 'IngressRoute', 'IngressRouteTCP', 'IngressRouteUDP'],
    refs: (route) =>
      [...list(get(route.value, ['spec', 'routes'])), get(route.value, ['spec', 'tcpproxy'])]
        .flatMap((x) => list(get(x, ['services'])))
        .map((svc) => ({ name: get(svc, ['name']), namespace: get(svc, ['namespace']) })),
  },
  {
    kinds: ['VirtualService'],
    refs: (route) =>
      ['http', 'tcp', 'tls']
        .flatMap((k) => list(get(route.value, ['spec', k])))
        .flatMap((x) => list(get(x, ['route'])))
        .map((d) => {
          const host = get(d, ['destination', 'host']);
          const [name, namespace] = typeof host === 'string' ? host.split('.') : [];
          return { name, namespace };
        }),
  },
];

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Whether an Ingress or a route object in the files sends traffic to Service `name` of `r`'s namespace. */
function routedTo(ctx: RuleContext, r: Resource, name: string): boolean {
  const ns = ctx.namespaceOf(r);
  if (ctx.inNamespace('Ingress', ns).some((i) => ingress(i)?.backends.some((b) => b.serviceName === name))) return true;
  return SERVICE_REFS.some(({ kinds, refs }) =>
    kinds.some((kind) =>
      ctx.all(kind).some((route) => {
        const own = ctx.namespaceOf(route);
        return refs(route).some((ref) => {
          const { name: n, namespace } = ref as { name: unknown; namespace: unknown };
          return n === name && (typeof namespace === 'string' && namespace ? namespace : own) === ns;
        });
      }),
    ),
  );
}
