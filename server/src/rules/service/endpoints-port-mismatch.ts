import { get, service, type Path, type ServicePortView, type ServiceView } from '../../engine/model';
import { isPlainObject, type Resource } from '../../engine/parse';
import { defineRule, type Related } from '../../engine/rule';
import { closest, describe } from '../util';
import { isSelectorless, PROTOCOLS, servicePortLabel, sliceServiceName } from './ports';

// EP-12 / EPS-09: kube-proxy pairs a Service port with endpoint ports by name
// AND protocol (ServicePortName). For a selector-less Service the endpoint
// ports are written by hand, so their names must equal the Service port names
// ("" for a single unnamed port) and their protocols must agree; an endpoint
// port that fits no Service port carries no traffic.
export default defineRule({
  id: 'endpoints-port-mismatch',
  severity: 'warning',
  description: "Manual Endpoints/EndpointSlice port names (or protocols) don't match the ports of their selector-less Service.",
  fixable: false,
  kinds: ['Endpoints', 'EndpointSlice'],
  check(r, ctx) {
    const svcName = r.kind === 'Endpoints' ? r.name : sliceServiceName(r);
    if (!svcName) return;
    const ns = ctx.namespaceOf(r);
    // any variant of the Service; only selector-less ones are fed by manual endpoints (EP-13)
    const variants = ctx
      .named('Service', ns, svcName)
      .filter((s) => isSelectorless(s))
      .map((s) => service(s))
      .filter((s): s is ServiceView => !!s && s.type !== 'ExternalName');
    if (variants.length === 0) return;
    const svc = variants[0];
    const svcPorts = variants.flatMap((v) => v.ports);
    if (svcPorts.length === 0) return;
    const portNames = (ps: ServicePortView[]) => [...new Set(ps.map((p) => p.name ?? ''))];

    const ports = endpointPorts(r).filter((ep) => PROTOCOLS.has(ep.protocol));
    const fits = (ep: EndpointPortView) => svcPorts.some((sp) => (sp.name ?? '') === ep.name && sp.protocol === ep.protocol);
    // each Endpoints subset (each slice) is its own set of addresses with its own ports
    const covered = new Set(ports.map((p) => key(p.group, p.name, p.protocol)));
    const unmatched = ports.filter((ep) => !fits(ep));
    for (const ep of unmatched) {
      const what = `${describe(r)} port${ep.port !== undefined ? ` ${ep.port}` : ''}${ep.name ? ` "${ep.name}"` : ' (unnamed)'}`;
      const sameName = svcPorts.find((sp) => (sp.name ?? '') === ep.name);
      let message: string;
      let target: ServicePortView | undefined;
      if (sameName) {
        target = sameName;
        message = `${what} is ${ep.protocol}, but Service ${svcName} declares ${ep.name ? `"${ep.name}"` : 'its port'} as ${sameName.protocol}: endpoint ports pair with Service ports by name and protocol, so this one carries no traffic.`;
      } else {
        // the Service port it was probably meant for: not yet covered, same protocol
        const open = svcPorts.filter((sp) => sp.protocol === ep.protocol && !covered.has(key(ep.group, sp.name ?? '', sp.protocol)));
        // (a lone leftover on both sides pairs up; with several, only a name or number says which)
        const alone = open.length === 1 && unmatched.filter((u) => u.group === ep.group && u.protocol === ep.protocol).length === 1;
        target =
          (ep.name ? open.find((sp) => sp.name && closest(ep.name, [sp.name]) !== undefined) : undefined) ??
          open.find((sp) => ep.port !== undefined && (sp.targetPort === ep.port || sp.port === ep.port)) ??
          (alone ? open[0] : undefined);
        const names = portNames(svcPorts);
        const list = names.map((n) => (n ? `"${n}"` : 'one unnamed port')).join(', ');
        message = `${what} matches no port of Service ${svcName} (${list}), so kube-proxy never sends the Service's traffic to it.`;
        if (svcPorts.length === 1 && !svcPorts[0].name) message += ' A single unnamed Service port pairs only with an unnamed endpoint port: remove this name.';
        else if (!ep.name) message += ' Endpoint ports must carry the name of the Service port they serve.';
        if (target?.name) message += ` Did you mean "${target.name}"?`;
      }
      const related: Related[] = [];
      if (target) {
        const t = target;
        const svcRes = variants.find((v) => v.ports.includes(t))?.resource ?? svc.resource;
        related.push({ loc: ctx.loc(svcRes, t.name ? [...t.path, 'name'] : [...t.path, 'port']), message: `port ${servicePortLabel(t)} of Service ${svcName}` });
      } else {
        related.push({ loc: ctx.loc(svc.resource, ['spec', 'ports'], 'key'), message: `ports of Service ${svcName}` });
      }
      ctx.report({ message, at: ep.at, part: ep.part, related });
    }
  },
});

function key(group: number, name: string, protocol: string): string {
  return `${group}/${protocol}/${name}`;
}

interface EndpointPortView {
  /** subset index (0 for a slice) */
  group: number;
  name: string;
  protocol: string;
  port?: number;
  at: Path;
  part: 'value' | 'pair' | 'key';
}

/** The ports of an Endpoints (every subset) or an EndpointSlice, defaults applied (name "", protocol TCP). */
function endpointPorts(r: Resource): EndpointPortView[] {
  const out: EndpointPortView[] = [];
  const collect = (list: unknown, base: Path, group: number) => {
    if (!Array.isArray(list)) return;
    list.forEach((p: unknown, k: number) => {
      if (!isPlainObject(p)) return;
      const path = [...base, k];
      const name = typeof p.name === 'string' ? p.name : '';
      const protocol = typeof p.protocol === 'string' ? p.protocol : 'TCP';
      const port = typeof p.port === 'number' ? p.port : undefined;
      // underline the name; an absent name is shown on the port entry's `port` pair
      const at: Path = p.name !== undefined && p.name !== null ? [...path, 'name'] : p.port !== undefined ? [...path, 'port'] : path;
      out.push({ group, name, protocol, port, at, part: at[at.length - 1] === 'port' ? 'pair' : 'value' });
    });
  };
  if (r.kind === 'Endpoints') {
    const subsets = get(r.value, ['subsets']);
    if (Array.isArray(subsets)) subsets.forEach((s, i) => isPlainObject(s) && collect(s.ports, ['subsets', i, 'ports'], i));
  } else {
    collect(get(r.value, ['ports']), ['ports'], 0);
  }
  return out;
}
