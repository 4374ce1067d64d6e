import { isScalar } from 'yaml';
import { replaceScalar } from '../../engine/edits';
import { service } from '../../engine/model';
import { defineRule, type Fix, type Related } from '../../engine/rule';
import { byCloseness, closest, confidentTypo } from '../util';
import {
  allPorts,
  containerLabel,
  findNamedPort,
  isIanaPortName,
  owners,
  portName,
  PROTOCOLS,
  selectedTemplates,
  servicePortLabel,
  servingPorts,
  type PortDecl,
} from './ports';

// X-04/X-05: a named targetPort resolves per pod with FindPort: the first port
// with that name AND the Service port's protocol, in app containers then sidecar
// (restartPolicy: Always) init containers. A pod without one gets no traffic on
// that Service port; it is enough that SOME selected template has it (X-04v).
export default defineRule({
  id: 'service-targetport-unresolved',
  severity: 'warning',
  description: 'A named targetPort matches no container port of that name and protocol in the pods the Service selects.',
  fixable: true,
  kinds: ['Service'],
  check(r, ctx) {
    const svc = service(r);
    if (!svc) return;
    const selected = selectedTemplates(ctx, svc);
    // open world: with no selected template, the pods are defined elsewhere
    if (selected.length === 0) return;
    for (const sp of svc.ports) {
      const name = sp.targetPort;
      // an invalid name (SVC-09) or protocol (SVC-05) is rejected by the API: other rules say so
      if (typeof name !== 'string' || !isIanaPortName(name) || !PROTOCOLS.has(sp.protocol)) continue;
      if (selected.some((t) => findNamedPort(t, name, sp.protocol))) continue;

      const serving = selected.flatMap((t) => servingPorts(t));
      const sameProto = serving.filter((d) => d.p.protocol === sp.protocol);
      const candidates = byCloseness(name, sameProto.map((d) => portName(d.p)).filter((n): n is string => !!n));
      // the Service port's own name is a strong hint of which container port is meant
      if (sp.name && candidates.includes(sp.name) && !closest(name, [candidates[0]])) {
        candidates.splice(candidates.indexOf(sp.name), 1);
        candidates.unshift(sp.name);
      }
      const otherProto = serving.filter((d) => d.p.name === name && d.p.protocol !== sp.protocol);
      const initOnly = selected.flatMap((t) => allPorts(t)).filter((d) => d.c.list === 'initContainers' && !d.c.sidecar && d.p.name === name);

      let message = `Service ${r.name ?? '<unnamed>'} port ${servicePortLabel(sp)} targets the container port named "${name}", but no selected pod (${owners(selected)}) has a ${sp.protocol} port of that name, so this Service port gets no endpoints.`;
      const related: Related[] = [];
      if (otherProto.length) {
        const d = otherProto[0];
        message += ` ${capitalize(containerLabel(d))} declares "${name}" as ${d.p.protocol}; a named targetPort only matches a port with the Service port's protocol (${sp.protocol}).`;
        related.push({ loc: ctx.loc(d.t.resource, [...d.p.path, 'protocol']), message: `"${name}" is ${d.p.protocol} here` });
      } else if (initOnly.length) {
        const d = initOnly[0];
        message += ` Only ${containerLabel(d)} declares "${name}", and an init container without restartPolicy: Always exits before the pod serves.`;
        related.push({ loc: ctx.loc(d.t.resource, [...d.p.path, 'name']), message: `"${name}" on an init container` });
      }
      const top = candidates[0];
      if (top !== undefined) {
        const hint = closest(name, [top]) !== undefined || top === sp.name || candidates.length === 1;
        message += hint ? ` Did you mean "${top}"?` : ` Named ${sp.protocol} ports there: ${candidates.map((c) => `"${c}"`).join(', ')}.`;
        const d = sameProto.find((x) => x.p.name === top)!;
        related.push({ loc: ctx.loc(d.t.resource, [...d.p.path, 'name']), message: `container port "${top}" (${d.p.containerPort ?? '?'}/${d.p.protocol}) of ${containerLabel(d)}` });
      } else if (!otherProto.length && !initOnly.length) {
        message += ` They declare no named ${sp.protocol} port.`;
      }

      const fixes = (): Fix[] => {
        const node = r.nodeAt([...sp.path, 'targetPort']);
        if (!isScalar(node)) return [];
        const out: Fix[] = [];
        candidates.forEach((c, i) => {
          if (!isIanaPortName(c)) return; // an invalid container port name ("a_b") would be an invalid targetPort too
          const nums = numbersOf(sameProto.filter((d) => d.p.name === c));
          const what = nums.length === 1 ? ` (${nums[0]})` : '';
          const preferred = i === 0 && (confidentTypo(name, c) || c === sp.name || candidates.length === 1);
          out.push({ title: `Use container port "${c}"${what}`, isPreferred: preferred || undefined, edits: [replaceScalar(r.chunk, node, c)] });
        });
        // the numeric form: the number the intended port is declared with, when unambiguous
        const numeric = numericCandidate(top, sameProto, otherProto);
        if (numeric !== undefined) out.push({ title: `Use port number ${numeric}`, edits: [replaceScalar(r.chunk, node, numeric)] });
        return out;
      };
      ctx.report({ message, at: [...sp.path, 'targetPort'], related, fixes });
    }
  },
});

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function numbersOf(decls: PortDecl[]): number[] {
  return [...new Set(decls.map((d) => d.p.containerPort).filter((n): n is number => n !== undefined))];
}

/** One number for the numeric fix, only when the intended port has the same number in every template. */
function numericCandidate(top: string | undefined, sameProto: PortDecl[], otherProto: PortDecl[]): number | undefined {
  let nums: number[];
  if (top !== undefined) nums = numbersOf(sameProto.filter((d) => d.p.name === top));
  else if (otherProto.length) nums = numbersOf(otherProto);
  else nums = numbersOf(sameProto);
  return nums.length === 1 ? nums[0] : undefined;
}
