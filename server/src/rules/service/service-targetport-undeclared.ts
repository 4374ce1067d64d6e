import { service } from '../../engine/model';
import { defineRule, type Related } from '../../engine/rule';
import { distance } from 'fastest-levenshtein';
import {
  allPorts,
  containerLabel,
  containerPortLabel,
  findNumberedPort,
  isPortNumber,
  owners,
  portName,
  plainTargetPort,
  PROTOCOLS,
  selectedTemplates,
  servicePortLabel,
  servingPorts,
  type PortDecl,
} from './ports';

// X-06/POD-17: a numeric targetPort is used as-is, whether or not a container
// declares it, so this is only a hint: when the selected pods declare their
// ports and none of them is this number, the number is often stale. Templates
// that declare no ports at all give nothing to compare with: silent then.
export default defineRule({
  id: 'service-targetport-undeclared',
  severity: 'hint',
  description: 'A numeric targetPort that no container of the selected pods declares (often a stale number).',
  fixable: false,
  kinds: ['Service'],
  check(r, ctx) {
    const svc = service(r);
    if (!svc) return;
    const selected = selectedTemplates(ctx, svc);
    if (selected.length === 0) return;
    const serving = selected.flatMap((t) => servingPorts(t));
    if (serving.length === 0) return;
    for (const sp of svc.ports) {
      const n = sp.targetPort;
      if (!isPortNumber(n) || !PROTOCOLS.has(sp.protocol) || !plainTargetPort(r, sp.path)) continue;
      if (selected.some((t) => findNumberedPort(t, n, sp.protocol))) continue;

      const how = sp.targetPortDefaulted ? ' (targetPort defaults to port)' : '';
      // a port without a usable number (missing, or "9090" quoted: the schema rule's finding) declares nothing
      const sameProto = serving.filter((d) => d.p.protocol === sp.protocol && d.p.containerPort !== undefined);
      const declared = [...new Set(sameProto.map((d) => containerPortLabel(d.p)))];
      let message = `Service ${r.name ?? '<unnamed>'} port ${servicePortLabel(sp)} sends traffic to port ${n}${how}, but no container of ${owners(selected)} declares ${n}/${sp.protocol}`;
      message += declared.length ? `; they declare ${declared.join(', ')}.` : `; they declare no ${sp.protocol} port.`;
      const related: Related[] = [];

      const otherProto = serving.find((d) => d.p.containerPort === n);
      const viaHost = serving.find((d) => d.p.hostPort === n && d.p.protocol === sp.protocol && !d.t.hostNetwork);
      const initOnly = selected.flatMap((t) => allPorts(t)).find((d) => d.c.list === 'initContainers' && !d.c.sidecar && d.p.containerPort === n);
      if (viaHost) {
        message += ` ${n} is the hostPort of ${containerLabel(viaHost)}: a Service does not go through hostPorts, it reaches the pod on the containerPort (${viaHost.p.containerPort}).`;
        related.push({ loc: ctx.loc(viaHost.t.resource, [...viaHost.p.path, 'hostPort']), message: `hostPort ${n}` });
      } else if (otherProto) {
        message += ` ${containerLabelCap(otherProto)} declares ${n} as ${otherProto.p.protocol} only.`;
        related.push({ loc: ctx.loc(otherProto.t.resource, [...otherProto.p.path, 'containerPort']), message: `${n}/${otherProto.p.protocol}` });
      } else if (initOnly) {
        message += ` Only ${containerLabel(initOnly)} declares it, and that container exits before the pod serves.`;
      }
      const best = viaHost ?? candidate(sp.name, sp.port, n, sameProto);
      if (best) {
        const nm = portName(best.p);
        message += ` If the process listens on ${best.p.containerPort}, set targetPort to ${nm ? `"${nm}" (or ${best.p.containerPort})` : best.p.containerPort}.`;
        related.push({ loc: ctx.loc(best.t.resource, [...best.p.path, 'containerPort']), message: `declared port ${containerPortLabel(best.p)} of ${containerLabel(best)}` });
      } else {
        message += ' Numeric targetPorts are used as-is, so this works only if the process listens on that port.';
      }
      const at = sp.targetPortDefaulted && !r.hasNode([...sp.path, 'targetPort']) ? [...sp.path, 'port'] : [...sp.path, 'targetPort'];
      ctx.report({ message, at, related });
    }
  },
});

function containerLabelCap(d: PortDecl): string {
  const s = containerLabel(d);
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * The declared port most likely meant: the one named like the Service port,
 * the only declared port of the protocol, one equal to the Service `port`, or a
 * near-typo of the number.
 */
function candidate(serviceName: string | undefined, port: number | undefined, n: number, sameProto: PortDecl[]): PortDecl | undefined {
  if (serviceName) {
    const byName = sameProto.find((d) => d.p.name === serviceName);
    if (byName) return byName;
  }
  const numbers = new Set(sameProto.map((d) => d.p.containerPort));
  if (numbers.size === 1) return sameProto[0];
  if (port !== undefined && port !== n) {
    const byPort = sameProto.find((d) => d.p.containerPort === port);
    if (byPort) return byPort;
  }
  // a typo of the number (8008 for 8080)
  const near = [...numbers].filter((x): x is number => x !== undefined && nearTypo(String(n), String(x)));
  return near.length === 1 ? sameProto.find((d) => d.p.containerPort === near[0]) : undefined;
}

/** One digit changed, added or dropped, or two adjacent digits swapped. */
function nearTypo(a: string, b: string): boolean {
  if (distance(a, b) <= 1) return true;
  if (a.length !== b.length) return false;
  const diff = [...a].map((ch, i) => (ch === b[i] ? -1 : i)).filter((i) => i >= 0);
  return diff.length === 2 && diff[1] === diff[0] + 1 && a[diff[0]] === b[diff[1]] && a[diff[1]] === b[diff[0]];
}
