import { isMap, isScalar, type Node } from 'yaml';
import { replaceScalar } from '../../engine/edits';
import { ingress, service, type IngressBackendView, type ServiceView } from '../../engine/model';
import type { Resource } from '../../engine/parse';
import { defineRule, type Edit, type Fix, type Related, type RuleContext } from '../../engine/rule';
import { containerPortBehind, explainPortNumber, portCandidates, portLabel, type PortCandidate } from '../backends';
import { closest } from '../util';
import { backendLabel, findPair, isAnnotationAction, isIanaPortName } from './common';

const MAX_FIXES = 6;

/** Does a Service (one variant) serve the port the backend asks for? */
function serves(svc: ServiceView, b: IngressBackendView): boolean {
  // an ExternalName Service without ports: controllers use the backend port as it is
  if (svc.ports.length === 0) return true;
  if (b.portNumber !== undefined) return svc.ports.some((p) => p.port === b.portNumber);
  return svc.ports.some((p) => p.name === b.portName);
}

// X-09 / X-10: the backend port must be one of the Service's own ports
// (spec.ports[].port, or its name), not the container port behind it or its nodePort.
export default defineRule({
  id: 'ingress-backend-port-missing',
  severity: 'warning',
  description: 'An Ingress backend port is not a port of the Service it names (often the container port or nodePort instead).',
  fixable: true,
  kinds: ['Ingress'],
  check(r, ctx) {
    const ing = ingress(r);
    if (!ing) return;
    const ns = ctx.namespaceOf(r);
    for (const b of ing.backends) {
      if (b.resource || !b.serviceName || isAnnotationAction(b)) continue;
      // exactly one of number / name (both or neither is ingress-rule-invalid's finding)
      const byNumber = b.portNumber !== undefined && b.portNumber !== 0;
      const byName = b.portName !== undefined && b.portName !== '';
      if (byNumber === byName) continue;
      if (byNumber && (b.portNumber! < 1 || b.portNumber! > 65535)) continue;
      const variants = ctx
        .named('Service', ns, b.serviceName)
        .map((s) => service(s))
        .filter((s): s is ServiceView => !!s);
      if (!variants.length) continue; // ingress-backend-service-missing
      if (variants.some((s) => serves(s, b))) continue;
      report(r, ctx, b, variants, byNumber);
    }
  },
});

function report(r: Resource, ctx: RuleContext, b: IngressBackendView, variants: ServiceView[], byNumber: boolean): void {
  const svcName = b.serviceName!;
  const candidates = portCandidates(variants);
  const list = candidates.map((c) => portLabel(c.port)).join(', ');
  const asked = byNumber ? `port ${b.portNumber}` : `port name "${b.portName}"`;
  let message = `In Ingress ${r.name ?? '<unnamed>'}, ${backendLabel(b)} uses ${asked} of Service ${svcName}, which has no ${byNumber ? 'such port' : 'port of that name'} (its ports: ${list || 'none'}).`;
  const related: Related[] = [];
  let preferred: PortCandidate | undefined;

  if (byNumber) {
    const explained = explainPortNumber(ctx, r, candidates, b.portNumber!, ctx.namespaceOf(r));
    if (explained) {
      preferred = explained.preferred;
      message += ` ${explained.hint}`;
    }
  } else {
    const name = b.portName!;
    const viaTarget = candidates.filter((c) => c.port.targetPort === name);
    if (viaTarget.length) {
      preferred = viaTarget[0];
      const p = preferred.port;
      message += ` "${name}" is the container port that Service port ${portLabel(p)} targets: name the Service port${p.name && isIanaPortName(p.name) ? ` ("${p.name}")` : ` (by number, ${p.port})`}, not the container port.`;
    } else {
      const names = candidates.map((c) => c.port.name).filter((x): x is string => !!x);
      const behind = containerPortBehind(ctx, r, candidates, (p) => p.name === name);
      const near = behind ? undefined : closest(name, names);
      if (behind) {
        preferred = behind.candidate;
        const p = preferred.port;
        message += ` "${name}" names container port ${behind.containerPort}, which Service port ${portLabel(p)} targets: name the Service port${p.name && isIanaPortName(p.name) ? ` ("${p.name}")` : ` (by number, ${p.port})`}, not the container port.`;
      } else if (near) {
        preferred = candidates.find((c) => c.port.name === near);
        message += ` Did you mean "${near}"?`;
      } else if (names.length === 0 && candidates.length) {
        message += ` Its ports have no names: refer to them by number.`;
      }
    }
  }
  if (!preferred && candidates.length === 1) preferred = candidates[0];
  if (byNumber && !preferred) {
    message += ` Use one of the Service's ports, not the container port or nodePort.`;
  }

  const first = preferred ?? candidates[0];
  const relSvc = first?.svc ?? variants[0];
  related.push({
    loc: ctx.loc(relSvc.resource, first ? [...first.port.path, 'port'] : ['spec', 'ports'], first ? 'value' : 'key'),
    message: first ? `port ${portLabel(first.port)} of Service ${svcName}` : `ports of Service ${svcName}`,
  });

  const ordered = preferred ? [preferred, ...candidates.filter((c) => c !== preferred)] : candidates;
  const fixes = (): Fix[] => {
    const out: Fix[] = [];
    for (const c of ordered.slice(0, MAX_FIXES)) {
      const fix = portFix(r, b, c, byNumber, c === preferred);
      if (fix) out.push(fix);
    }
    return out;
  };
  const at = b.legacy ? b.portPath : [...b.portPath, byNumber ? 'number' : 'name'];
  ctx.report({ message, at, related, fixes });
}

/** Edits that point the backend at a Service port: by name when the backend used a name and the port has a usable one. */
function portFix(r: Resource, b: IngressBackendView, c: PortCandidate, byNumber: boolean, preferred: boolean): Fix | undefined {
  const useName = !byNumber && !!c.port.name && isIanaPortName(c.port.name);
  const value: number | string = useName ? c.port.name! : c.port.port;
  const title = useName ? `Use Service port "${c.port.name}" (${c.port.port})` : `Use Service port ${c.port.port}${c.port.name ? ` (${c.port.name})` : ''}`;
  const edits: Edit[] = [];
  if (b.legacy) {
    const node = r.nodeAt(b.portPath);
    if (!isScalar(node)) return undefined;
    edits.push(replaceScalar(r.chunk, node, value));
  } else {
    const portMap = r.nodeAt(b.portPath);
    const current = byNumber ? 'number' : 'name';
    const pair = isMap(portMap) ? findPair(portMap, current) : undefined;
    if (!pair || !isScalar(pair.value) || !isScalar(pair.key)) return undefined;
    const target = useName ? 'name' : 'number';
    if (target !== current) edits.push(replaceScalar(r.chunk, pair.key as Node, target));
    edits.push(replaceScalar(r.chunk, pair.value as Node, value));
  }
  return { title, isPreferred: preferred, edits };
}
