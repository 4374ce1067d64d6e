import { isScalar } from 'yaml';
import { mapAt, replaceScalar, setKey } from '../../engine/edits';
import { service, WELL_KNOWN_PORT_NAMES, type PodTemplateView } from '../../engine/model';
import type { Resource } from '../../engine/parse';
import { defineRule, type Edit, type Fix } from '../../engine/rule';
import {
  allPorts,
  containerLabel,
  findNamedPort,
  findNumberedPort,
  isIanaPortName,
  isPortNumber,
  owners,
  portName,
  plainTargetPort,
  PROTOCOLS,
  selectedTemplates,
  servicePortLabel,
  type PortDecl,
} from './ports';

// A numeric targetPort ties the Service to the container's number; a name lets
// the container move ports without touching the Service. The switch to a name
// must not change where traffic goes: every selected template must resolve the
// name (FindPort: first port with that name and protocol) to the same number.
// Headless Services are left alone (SVC-29): their clients dial pod IPs at the
// real number, so a name buys nothing there.
export default defineRule({
  id: 'service-targetport-unnamed',
  severity: 'information',
  description: 'A numeric targetPort points at a container port the pods declare: target it by name instead.',
  fixable: true,
  kinds: ['Service'],
  check(r, ctx) {
    const svc = service(r);
    if (!svc || svc.headless) return;
    const selected = selectedTemplates(ctx, svc);
    if (selected.length === 0) return;
    const svcName = r.name ?? '<unnamed>';
    for (const sp of svc.ports) {
      const n = sp.targetPort;
      if (!isPortNumber(n) || !PROTOCOLS.has(sp.protocol) || !plainTargetPort(r, sp.path)) continue;
      const decls = selected.map((t) => findNumberedPort(t, n, sp.protocol));
      // only when every selected template declares it: otherwise a name would drop the pods that do not
      if (decls.some((d) => d === undefined)) continue;
      const found = decls as PortDecl[];
      const names = [...new Set(found.map((d) => portName(d.p)).filter((x): x is string => !!x))];
      const unnamed = found.filter((d) => !portName(d.p));

      const how = sp.targetPortDefaulted ? ' (targetPort defaults to port)' : '';
      let message = `Service ${svcName} port ${servicePortLabel(sp)} targets container port ${n} by number${how}`;
      let fixes: (() => Fix[]) | undefined;
      if (names.length > 1) {
        const parts = names.map((nm) => `${owners(found.filter((d) => d.p.name === nm).map((d) => d.t))} calls it "${nm}"`);
        message += `; ${parts.join(', ')}. Give the port one name in every workload and target that name.`;
      } else if (names.length === 1 && unnamed.length === 0) {
        const nm = names[0];
        message += `; ${owners(selected)} ${selected.length > 1 ? 'all name' : 'names'} it "${nm}".`;
        // POD-06v: another container may declare the same name first, and FindPort takes the first
        const shadow = found.map((d) => findNamedPort(d.t, nm, sp.protocol)).find((d) => d && d.p.containerPort !== n);
        if (shadow) {
          message += ` But the name first resolves to port ${shadow.p.containerPort} of ${containerLabel(shadow)}: rename one of them before targeting "${nm}".`;
        } else {
          message += ` Target the name (targetPort: ${nm}) so the Service follows the container if its number changes.`;
          fixes = () => {
            const targetEdit = serviceEdit(r, sp.path, sp.targetPortDefaulted);
            return targetEdit ? [{ title: `Use the container port name "${nm}"`, isPreferred: true, edits: [targetEdit(nm)] }] : [];
          };
        }
      } else {
        const nm = names[0] ?? chooseName(n, sp.name, selected);
        const where = owners(unnamed.map((d) => d.t));
        message +=
          names.length === 1
            ? `; it is named "${nm}" in some workloads but unnamed in ${where}. Name it "${nm}" there too and target the name.`
            : `, and the container port has no name (${unnamed.map((d) => containerLabel(d)).join(', ')}). Name it and target the name so the Service follows the container if its number changes.`;
        const namedOk = found.filter((d) => portName(d.p)).every((d) => findNamedPort(d.t, nm!, sp.protocol)?.p.containerPort === n);
        if (nm && namedOk && unnamed.every((d) => nameIsFree(d.t, nm))) {
          fixes = () => {
            const targetEdit = serviceEdit(r, sp.path, sp.targetPortDefaulted);
            if (!targetEdit) return [];
            const edits: Edit[] = [];
            for (const d of unnamed) {
              const map = mapAt(d.t.resource, d.p.path);
              if (map) edits.push(setKey(d.t.resource.chunk, map, 'name', nm));
            }
            if (edits.length !== unnamed.length) return [];
            edits.push(targetEdit(nm));
            return [{ title: `Name container port ${n} "${nm}" in ${where} and target it by name`, isPreferred: true, edits }];
          };
        }
      }
      const at = sp.targetPortDefaulted && !r.hasNode([...sp.path, 'targetPort']) ? [...sp.path, 'port'] : [...sp.path, 'targetPort'];
      ctx.report({
        message,
        at,
        related: found.map((d) => ({ loc: ctx.loc(d.t.resource, [...d.p.path, 'containerPort']), message: `port ${n} of ${containerLabel(d)}` })),
        fixes,
      });
    }
  },
});

/** An edit that sets the Service port's targetPort to a name. */
function serviceEdit(r: Resource, path: (string | number)[], defaulted: boolean): ((name: string) => Edit) | undefined {
  const node = r.nodeAt([...path, 'targetPort']);
  if (isScalar(node) && node.range && node.range[1] > node.range[0]) return (name) => replaceScalar(r.chunk, node, name);
  const map = mapAt(r, path);
  if (!map || (node !== undefined && !defaulted)) return undefined;
  return (name) => setKey(r.chunk, map, 'targetPort', name);
}

/** Not used by any port of the pod (names must be unique per container, and FindPort takes the first match). */
function nameIsFree(t: PodTemplateView, name: string): boolean {
  return !allPorts(t).some((d) => d.p.name === name);
}

/** A valid IANA name for port `n`: the Service port's name, a well-known name, or port-<n>. */
function chooseName(n: number, servicePortName: string | undefined, templates: PodTemplateView[]): string | undefined {
  const wk = WELL_KNOWN_PORT_NAMES[n];
  const options = [servicePortName, wk, wk && `${wk}-${n}`, `port-${n}`, `p${n}`];
  for (const o of options) {
    if (o && isIanaPortName(o) && templates.every((t) => nameIsFree(t, o))) return o;
  }
  return undefined;
}
