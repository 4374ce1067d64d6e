// SVC-18c: spec.externalIPs is deprecated, not managed by Kubernetes (nothing
// checks who owns the address), and lets anyone who can create a Service
// intercept traffic to any IP (CVE-2020-8554). On a headless Service the list
// is ignored (SVC-27); on ExternalName service-externalname-invalid covers it.
import { defineRule } from '../../engine/rule';
import { effectiveType, isCoreService, specOf } from './shared';

export default defineRule({
  id: 'service-external-ips',
  severity: 'information',
  description: 'A Service uses the deprecated spec.externalIPs, a traffic-interception risk (CVE-2020-8554).',
  fixable: false,
  kinds: ['Service'],
  check(r, ctx) {
    if (!isCoreService(r)) return;
    const type = effectiveType(r);
    if (!type || type === 'ExternalName') return;
    const spec = specOf(r);
    const ips = spec.externalIPs;
    if (!Array.isArray(ips) || ips.length === 0) return;
    const name = `Service ${r.name ?? '<unnamed>'}`;
    const list = ips.map((ip) => (typeof ip === 'string' ? ip : JSON.stringify(ip))).join(', ');
    if (spec.clusterIP === 'None') {
      ctx.report({
        message: `${name} is headless (clusterIP: None), so its externalIPs (${list}) are ignored: there is no virtual IP for them to forward to.`,
        at: ['spec', 'externalIPs'],
        part: 'key',
        tags: ['unnecessary'],
      });
      return;
    }
    ctx.report({
      message:
        `${name} uses externalIPs (${list}). The field is deprecated and unmanaged: Kubernetes does not check who owns these addresses, ` +
        `anyone allowed to create Services can use it to intercept traffic to any IP (CVE-2020-8554), and many clusters block it ` +
        `with the DenyServiceExternalIPs admission plugin. ` +
        (type === 'LoadBalancer' ? 'The load balancer address already serves outside clients; drop externalIPs.' : 'Prefer type: LoadBalancer (or NodePort).'),
      at: ['spec', 'externalIPs'],
      part: 'key',
      tags: ['deprecated'],
    });
  },
});
