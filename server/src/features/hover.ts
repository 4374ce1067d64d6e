// Hover: what the field (or enum value) under the cursor does, its default,
// its trade-off and a link, followed by what the workspace resolves it to
// (selected workloads, where a port lands, who uses it, the whole traffic path).
import { isScalar } from 'yaml';
import type { Hover, MarkupContent } from 'vscode-languageserver-types';
import { gateway, gatewayRoute, get, ingress, podTemplate, service, type Path } from '../engine/model';
import type { Resource } from '../engine/parse';
import type { Position } from '../engine/text';
import type { Workspace } from '../engine/workspace';
import { pathLabel } from '../rules/schema/schema';
import {
  classFacts,
  classUsersFacts,
  code,
  containerPortFacts,
  defaultClassFacts,
  endpointFacts,
  exposureFacts,
  hostExposure,
  hostPortFacts,
  ingressChains,
  landingFacts,
  listenerRouteFacts,
  nodePortFacts,
  parentRefFacts,
  portUsersFacts,
  routeChains,
  selectionFacts,
  serviceUserFacts,
  typeFacts,
} from './facts';
import { fieldDoc, KINDS, type FieldDoc } from './fields';
import { nodeAt, nodeRange } from './locate';
import { Lookup, routeBackends } from './lookup';
import { schemaDoc } from './schemaDocs';

export function hover(ws: Workspace, uri: string, position: Position): Hover | null {
  const at = nodeAt(ws, uri, position);
  if (!at || !at.node || !isScalar(at.node)) return null;
  const { r, path, part } = at;
  const value = part === 'value' ? at.node.value : undefined;
  if (part === 'value' && value === null) return null;
  const lk = new Lookup(ws);
  const range = nodeRange(at.chunk, at.node);

  if (path.length === 1 && path[0] === 'kind') {
    const doc = KINDS[r.kind];
    if (!doc) return null;
    return md([`**${r.kind}**`, doc.text, link(doc)], range);
  }

  const { doc, family, fpath } = fieldDoc(r.kind, path);
  const sections: string[] = [];
  const header = `**${r.kind}** ${code(pathLabel(path))}${part === 'value' ? ` = ${code(String(value))}` : ''}`;
  sections.push(header);
  let linkLine: string | undefined;
  if (doc) {
    sections.push(explain(doc, part === 'value' ? String(value) : undefined));
    linkLine = link(doc);
  } else {
    const sd = schemaDoc(r.apiVersion, r.kind, path);
    if (sd?.description) sections.push(sd.description);
    if (sd?.enum?.length) sections.push(`One of ${sd.enum.map((e) => code(e)).join(', ')}.`);
    const kindDoc = KINDS[r.kind];
    if (sd && kindDoc) linkLine = link(kindDoc);
  }
  const facts = factsFor(lk, r, family, fpath, path, value);
  if (facts.length) sections.push(facts.join('\n'));
  if (sections.length === 1) return null;
  if (linkLine) sections.push(linkLine);
  return md(sections, range);
}

function md(sections: string[], range: Hover['range']): Hover {
  const contents: MarkupContent = { kind: 'markdown', value: sections.join('\n\n') };
  return range ? { contents, range } : { contents };
}

function link(doc: FieldDoc): string {
  return `[${doc.linkText}](${doc.link})`;
}

/** The field's text, or the value's text plus the field's default when hovering a known value. */
export function explain(doc: FieldDoc, value?: string): string {
  const v = value !== undefined ? doc.values?.[value] : undefined;
  if (!v) return doc.text;
  const dflt = /Left out: [^.]*\./.exec(doc.text)?.[0];
  return dflt && !/default/i.test(v) ? `${v}\n\n${dflt}` : v;
}

function factsFor(lk: Lookup, r: Resource, family: string, fpath: Path, path: Path, value: unknown): string[] {
  switch (family) {
    case 'Service':
      return serviceFacts(lk, r, fpath, value);
    case 'Pod':
    case 'Workload':
      return workloadFacts(lk, r, family, fpath);
    case 'Ingress':
      return ingressFacts(lk, r, fpath);
    case 'IngressClass': {
      if (fpath[0] === 'metadata' && fpath[1] === 'annotations' && fpath[2] === 'ingressclass.kubernetes.io/is-default-class') {
        return [...defaultClassFacts(lk, r), ...classUsersFacts(lk, r)];
      }
      if ((fpath[0] === 'metadata' && fpath[1] === 'name') || (fpath[0] === 'spec' && fpath[1] === 'controller')) return classUsersFacts(lk, r);
      return [];
    }
    case 'Endpoints':
    case 'EndpointSlice':
      if (fpath[0] === 'metadata' && (fpath[1] === 'name' || fpath[1] === 'labels')) return endpointFacts(lk, r);
      if (fpath[0] === 'ports' || fpath[0] === 'subsets') return endpointFacts(lk, r);
      return [];
    case 'HTTPRoute': {
      const parent = gatewayRoute(r)?.parents.find((x) => isUnder(path, x.path));
      if (parent) return parentRefFacts(lk, r, parent);
      const backends = routeBackends(r, lk.ns(r)).filter((b) => isUnder(path, b.path) || isUnder(b.path, path) || (path[0] === 'metadata' && path[1] === 'name'));
      const lines = backends.flatMap((b) => routeChains(lk, b));
      return lines.length ? ['**Traffic path:**', ...lines] : [];
    }
    case 'Gateway': {
      const l = gateway(r)?.listeners.find((x) => isUnder(path, x.path));
      return l ? listenerRouteFacts(lk, r, l) : [];
    }
    default:
      return [];
  }
}

/** Is `path` equal to or below `prefix`? */
function isUnder(path: Path, prefix: Path): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => path[i] === s);
}

function serviceFacts(lk: Lookup, r: Resource, p: Path, value: unknown): string[] {
  const svc = service(r);
  if (!svc) return [];
  if (p[0] === 'metadata' && p[1] === 'name' && p.length === 2) return [...serviceUserFacts(lk, svc), ...selectionFacts(lk, svc)];
  if (p[0] !== 'spec') return [];
  switch (p[1]) {
    case 'selector':
      return selectionFacts(lk, svc);
    case 'type':
      return typeFacts(lk, svc);
    case 'clusterIP':
      return svc.headless ? selectionFacts(lk, svc) : [];
    case 'externalTrafficPolicy':
    case 'internalTrafficPolicy':
      return value === 'Local' ? selectionFacts(lk, svc) : [];
    case 'ports': {
      if (typeof p[2] !== 'number') return svc.ports.flatMap((sp) => landingFacts(lk, svc, sp));
      const sp = svc.ports.find((x) => x.index === p[2]);
      if (!sp) return [];
      switch (p[3]) {
        case undefined:
          return [...portUsersFacts(lk, svc, sp), ...landingFacts(lk, svc, sp)];
        case 'port':
        case 'name':
          return portUsersFacts(lk, svc, sp);
        case 'targetPort':
        case 'protocol':
          return landingFacts(lk, svc, sp);
        case 'nodePort':
          return nodePortFacts(lk, svc, sp);
        default:
          return [];
      }
    }
    default:
      return [];
  }
}

function workloadFacts(lk: Lookup, r: Resource, family: string, p: Path): string[] {
  const t = podTemplate(r);
  if (!t) return [];
  if (p[0] === 'metadata' && (p[1] === 'labels' || (p[1] === 'name' && (family === 'Workload' || r.kind === 'Pod')))) return exposureFacts(lk, t);
  if (family !== 'Pod' || p[0] !== 'spec') return [];
  if (p[1] === 'hostNetwork') {
    const host = hostExposure(t);
    return host.length ? [`**On the node:** ${host.join(', ')}.`] : [];
  }
  if ((p[1] === 'containers' || p[1] === 'initContainers') && typeof p[2] === 'number' && p[3] === 'ports' && typeof p[4] === 'number') {
    const c = t.containers.find((x) => x.list === p[1] && x.index === p[2]);
    const port = c?.ports.find((x) => x.index === p[4]);
    if (!c || !port) return [];
    if (p[5] === 'hostPort' || p[5] === 'hostIP') return hostPortFacts(lk, t, port);
    return containerPortFacts(lk, t, c, port);
  }
  return [];
}

function ingressFacts(lk: Lookup, r: Resource, p: Path): string[] {
  const ing = ingress(r);
  if (!ing) return [];
  if (p[0] === 'metadata' && p[1] === 'name') return ingressChains(lk, ing);
  if (p[0] === 'metadata' && p[1] === 'annotations' && p[2] === 'kubernetes.io/ingress.class') return classFacts(lk, ing.classAnnotation);
  if (p[0] !== 'spec') return [];
  switch (p[1]) {
    case 'ingressClassName':
      return classFacts(lk, ing.className);
    case 'defaultBackend':
    case 'backend':
      return ingressChains(lk, ing, (b) => b.isDefault);
    case 'rules': {
      if (typeof p[2] !== 'number') return ingressChains(lk, ing);
      const i = p[2];
      const j = p[3] === 'http' && p[4] === 'paths' && typeof p[5] === 'number' ? p[5] : undefined;
      return ingressChains(lk, ing, (b) => !b.isDefault && b.path[2] === i && (j === undefined || b.path[5] === j));
    }
    case 'tls':
      return tlsFacts(r, p);
    default:
      return [];
  }
}

function tlsFacts(r: Resource, p: Path): string[] {
  const ruleHosts = new Set<string>();
  const rules = get(r.value, ['spec', 'rules']);
  if (Array.isArray(rules)) for (const rule of rules) if (rule && typeof rule.host === 'string') ruleHosts.add(rule.host);
  const tls = get(r.value, ['spec', 'tls']);
  const entries = Array.isArray(tls) ? (typeof p[2] === 'number' ? [tls[p[2]]] : tls) : [];
  const lines: string[] = [];
  for (const e of entries) {
    const hosts = e && Array.isArray(e.hosts) ? e.hosts.filter((h: unknown): h is string => typeof h === 'string') : [];
    for (const h of hosts) {
      lines.push(ruleHosts.has(h) ? `- ${code(h)}: HTTPS with ${code(e.secretName ?? 'the default certificate')}` : `- ${code(h)}: **no rule routes this host**, so the certificate is not used for it`);
    }
  }
  return lines.length ? ['**TLS hosts:**', ...lines] : [];
}
