// Completion while typing: selector keys and values from the pod labels of the
// namespace, template labels from the Services that would select the pods,
// targetPorts from the selected containers, Ingress backends from the
// Services of the namespace and their ports, IngressClasses, Endpoints and
// EndpointSlice names for selector-less Services, enum values with one-line
// explanations, the next free nodePort, and the known keys of a map.
//
// The cursor's place comes from the lines (context.ts). The facts (the
// Service's selector, the port's protocol, the backend's service name) come
// from the document's tree; when the document does not parse, or the word
// being typed distorts it, the document is parsed again without that word
// (then without the cursor's line) so the rest of it still counts.
import { isMap, isSeq } from 'yaml';
import { CompletionItemKind, type CompletionItem, type CompletionList, type Range } from 'vscode-languageserver-types';
import { renderScalar } from '../engine/edits';
import { gateway, get, podTemplate, selectorMatches, service, servingContainers, type ListenerView, type Path, type PodTemplateView } from '../engine/model';
import { Chunk, isPlainObject, type Resource } from '../engine/parse';
import type { Position } from '../engine/text';
import type { Workspace } from '../engine/workspace';
import { nameSimilarity, podIdentityLabels, SERVICE_NAME_LABEL } from '../rules/service/ports';
import { GENERATED_LABELS, formatLabels } from '../rules/util';
import { typingContext, type TypingContext } from './context';
import { code, listenerAddress, replicasText, servicePortText } from './facts';
import { childKeys, familyOf, FIELDS, firstSentence, patternOf, type FieldDoc } from './fields';
import { chunkAt, chunkOffset, offsetRange } from './locate';
import { classController, isDefaultClass, Lookup } from './lookup';

interface Ctx {
  ws: Workspace;
  lk: Lookup;
  r: Resource;
  t: TypingContext;
  range: Range;
  /** path under the resource: for 'key' the map, for 'value' the value */
  path: Path;
  family: string;
  /** family-relative path */
  fpath: Path;
  pattern: string;
  /** key mode: the typed key already has its colon (`po|rt: 80`), so an item writes the key alone */
  keyHasColon: boolean;
}

/** Completion items at a position (null when the position is not in a manifest). */
export function complete(ws: Workspace, uri: string, position: Position): CompletionList | null {
  const file = ws.file(uri);
  if (!file || file.chunks.length === 0) return null;
  const chunk = chunkAt(file, position.line);
  if (!chunk) return null;
  const offset = chunkOffset(chunk, position);
  const t = typingContext(chunk, offset);
  if (!t) return null;
  const found = resourceFor(chunk, offset, t);
  if (!found) return { isIncomplete: false, items: [] };
  const { r, path } = found;
  const { family, path: fpath } = familyOf(r.kind, path);
  const keyHasColon = t.mode === 'key' && /^[ \t]*:(?=[\s,}\]]|$)/.test(chunk.text.slice(t.end, t.end + 64));
  const c: Ctx = { ws, lk: new Lookup(ws), r, t, range: offsetRange(chunk, t.start, t.end), path, family, fpath, pattern: patternOf(fpath), keyHasColon };
  const items = t.mode === 'value' || (t.maybeItem && isScalarList(c)) ? valueItems(asValue(c)) : keyItems(c);
  return { isIncomplete: false, items };
}

/** `- |` in a list of scalars: the item itself is the value. */
function asValue(c: Ctx): Ctx {
  return c.t.mode === 'value' ? c : { ...c, t: { ...c.t, mode: 'value' } };
}

function isScalarList(c: Ctx): boolean {
  const parent = patternOf(c.fpath.slice(0, -1));
  return ['Service:spec.externalIPs', 'Service:spec.loadBalancerSourceRanges', 'Ingress:spec.tls[].hosts'].includes(`${c.family}:${parent}`);
}

// ---------------------------------------------------------------------------
// The resource behind the cursor

function resourceFor(chunk: Chunk, offset: number, t: TypingContext): { r: Resource; path: Path } | undefined {
  const clean = chunk.docs.length > 0 && chunk.docs.every((d) => d.errors.length === 0) && !(t.mode === 'key' && t.prefix !== '');
  const attempts: (() => Chunk | undefined)[] = [
    () => (clean ? chunk : undefined),
    () => reparse(chunk, chunk.text.slice(0, t.start) + chunk.text.slice(t.end)),
    () => {
      const lines = chunk.lines;
      const line = lines.positionAt(offset).line;
      const text = lines.lineText(line);
      const keep = /^(\s*(?:-\s+)*)/.exec(text)![1].replace(/-/g, ' ');
      return reparse(chunk, chunk.text.slice(0, lines.lineStarts[line]) + keep + chunk.text.slice(lines.lineEnd(line)));
    },
    () => (chunk.resources.length ? chunk : undefined),
    () => synthetic(chunk),
  ];
  for (const attempt of attempts) {
    const source = attempt();
    const hit = source && pick(source, t.path, offset);
    if (hit) return hit;
  }
  return undefined;
}

function reparse(chunk: Chunk, text: string): Chunk | undefined {
  const c = new Chunk(chunk.uri, text, chunk.isFirst);
  return c.resources.length && c.docs.every((d) => d.errors.length === 0) ? c : undefined;
}

/** The resource a document path falls in (List items by index) and the path under it. */
function pick(chunk: Chunk, path: Path, offset: number): { r: Resource; path: Path } | undefined {
  const rs = chunk.resources;
  if (rs.length === 0) return undefined;
  // several documents in one chunk (after a bare `...`): the one around the cursor
  const roots = rs.filter((r) => r.doc.contents === r.node);
  const root = roots.length > 1 ? (roots.find((r) => r.doc.range && r.doc.range[0] <= offset && offset <= r.doc.range[2]) ?? roots[0]) : roots[0];
  if (root) return { r: root, path };
  if (path[0] === 'items' && typeof path[1] === 'number') {
    const contents = rs[0].doc.contents;
    const items = isMap(contents) ? contents.get('items', true) : undefined;
    const node = isSeq(items) ? items.items[path[1]] : undefined;
    const r = rs.find((x) => x.node === node);
    if (r) return { r, path: path.slice(2) };
  }
  return undefined;
}

/** A stand-in resource with the kind, namespace and name read from the text, when nothing parses. */
function synthetic(chunk: Chunk): Chunk | undefined {
  const text = chunk.text;
  const kind = /^kind:[ \t]*["']?([A-Za-z][A-Za-z0-9]*)/m.exec(text)?.[1];
  if (!kind) return undefined;
  const apiVersion = /^apiVersion:[ \t]*["']?([A-Za-z0-9./-]+)/m.exec(text)?.[1] ?? 'v1';
  const ns = /^[ \t]+namespace:[ \t]*["']?([a-z0-9.-]+)/m.exec(text)?.[1];
  const name = /^[ \t]+name:[ \t]*["']?([a-z0-9.-]+)/m.exec(text)?.[1];
  const meta = [ns && `  namespace: ${ns}`, name && `  name: ${name}`].filter(Boolean).join('\n');
  return reparse(chunk, `apiVersion: ${apiVersion}\nkind: ${kind}\n${meta ? `metadata:\n${meta}\n` : ''}`);
}

// ---------------------------------------------------------------------------
// Items

const YAML11_SPECIAL = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|)$/;
const NUMBERISH = /^[-+]?(\.?\d[\d_]*(\.\d*)?([eE][-+]?\d+)?|0x[0-9a-fA-F]+|0o[0-7]+|\.inf|\.nan)$/i;

/** A string as a YAML scalar that reads back as that string (quoted when YAML would read a number or boolean). */
export function yamlString(s: string): string {
  if (YAML11_SPECIAL.test(s) || NUMBERISH.test(s)) return JSON.stringify(s);
  if (/^[A-Za-z0-9_][A-Za-z0-9_.\/-]*$/.test(s)) return s;
  return renderScalar(s);
}

interface ItemOpts {
  kind?: CompletionItemKind;
  detail?: string;
  doc?: string;
  rank?: number;
  /** insert the value as-is (numbers, booleans, enum words) */
  raw?: boolean;
  retrigger?: boolean;
}

function md(value: string | undefined) {
  return value ? { kind: 'markdown' as const, value } : undefined;
}

/** Details are plain text: drop Markdown code ticks. */
function plain(s: string | undefined): string | undefined {
  return s?.replace(/`/g, '');
}

function sortText(rank: number, label: string): string {
  return `${String(rank).padStart(4, '0')}:${label}`;
}

function valueItem(c: Ctx, value: string | number, o: ItemOpts = {}): CompletionItem {
  const label = String(value);
  const newText = c.t.quote || o.raw || typeof value === 'number' ? label : yamlString(label);
  return {
    label,
    kind: o.kind ?? CompletionItemKind.Value,
    detail: plain(o.detail),
    documentation: md(o.doc),
    sortText: sortText(o.rank ?? 0, label),
    filterText: label,
    textEdit: { range: c.range, newText },
  };
}

function keyItem(c: Ctx, key: string, value: string | undefined, o: ItemOpts = {}): CompletionItem {
  const keyText = /^[A-Za-z0-9_.\/-]+$/.test(key) && !YAML11_SPECIAL.test(key) ? key : JSON.stringify(key);
  const label = value === undefined ? key : `${key}: ${value}`;
  const newText = c.keyHasColon ? keyText : value === undefined ? `${keyText}: ` : `${keyText}: ${o.raw ? value : yamlString(value)}`;
  const item: CompletionItem = {
    label,
    kind: o.kind ?? CompletionItemKind.Property,
    detail: plain(o.detail),
    documentation: md(o.doc),
    sortText: sortText(o.rank ?? 0, label),
    filterText: key,
    textEdit: { range: c.range, newText },
  };
  if (o.retrigger && !c.keyHasColon) item.command = { title: 'Suggest values', command: 'editor.action.triggerSuggest' };
  return item;
}

function dedupe(items: CompletionItem[]): CompletionItem[] {
  const seen = new Map<string, CompletionItem>();
  for (const it of items) {
    const prev = seen.get(it.label);
    if (!prev || (it.sortText ?? '') < (prev.sortText ?? '')) seen.set(it.label, it);
  }
  return [...seen.values()];
}

// ---------------------------------------------------------------------------
// Values

function valueItems(c: Ctx): CompletionItem[] {
  const key = `${c.family}:${c.pattern}`;
  const f = c.fpath;
  const last = f[f.length - 1];
  switch (c.family) {
    case 'Service':
      if (f[0] === 'spec' && f[1] === 'selector' && f.length === 3) return selectorValues(c, String(last));
      if (c.pattern === 'spec.ports[].targetPort') return targetPorts(c, f[2] as number);
      if (c.pattern === 'spec.ports[].nodePort') return nodePorts(c, f[2] as number);
      if (c.pattern === 'spec.ports[].appProtocol') return appProtocols(c);
      break;
    case 'Pod':
      if (f[0] === 'metadata' && f[1] === 'labels' && f.length === 3) return templateLabelValues(c, String(last));
      break;
    case 'Workload':
      if (c.pattern.startsWith('spec.selector.matchLabels.') && f.length === 4) return matchLabelValues(c, String(last));
      break;
    case 'Ingress': {
      const b = backendPath(f);
      if (b) {
        const rest = f.slice(b.length).join('.');
        if (rest === 'service.name' || rest === 'serviceName') return serviceNames(c, c.lk.ns(c.r));
        if (rest === 'service.port.number') return servicePorts(c, b, 'number');
        if (rest === 'service.port.name') return servicePorts(c, b, 'name');
        if (rest === 'servicePort') return servicePorts(c, b, 'both');
      }
      if (c.pattern === 'spec.tls[].hosts[]') return tlsHosts(c);
      if (c.pattern === 'spec.ingressClassName' || c.pattern === 'metadata.annotations."kubernetes.io/ingress.class"') return classNames(c);
      break;
    }
    case 'Endpoints':
      if (c.pattern === 'metadata.name') return selectorlessNames(c);
      if (c.pattern === 'subsets[].ports[].name') return endpointPortNames(c, c.r.name);
      break;
    case 'EndpointSlice':
      if (c.pattern === 'metadata.name' || c.pattern === `metadata.labels."${SERVICE_NAME_LABEL}"`) return selectorlessNames(c);
      if (c.pattern === 'ports[].name') return endpointPortNames(c, sliceLabel(c.r));
      break;
    case 'HTTPRoute':
      if (c.pattern === 'spec.rules[].backendRefs[].name') return serviceNames(c, refNamespace(c, f.slice(0, -1)));
      if (c.pattern === 'spec.rules[].backendRefs[].port') return routePorts(c, f.slice(0, -1));
      if (c.pattern === 'spec.parentRefs[].name') return gatewayNames(c, refNamespace(c, f.slice(0, -1)));
      if (c.pattern === 'spec.parentRefs[].sectionName') return listenerNames(c, f.slice(0, -1));
      break;
  }
  return enumValues(c, FIELDS[key]);
}

function enumValues(c: Ctx, doc: FieldDoc | undefined): CompletionItem[] {
  if (!doc?.values) return [];
  return Object.entries(doc.values).map(([v, text], i) =>
    valueItem(c, v, { kind: CompletionItemKind.EnumMember, detail: firstSentence(text), doc: text, rank: i, raw: v === 'true' || v === 'false' || !c.t.quote }),
  );
}

function selectorValues(c: Ctx, key: string): CompletionItem[] {
  const selector = stringMap(get(c.r.value, ['spec', 'selector']));
  delete selector[key];
  const groups = new Map<string, PodTemplateView[]>();
  for (const t of c.lk.templates(c.lk.ns(c.r))) {
    const v = t.labels[key];
    if (v === undefined) continue;
    groups.set(v, [...(groups.get(v) ?? []), t]);
  }
  const ranked = [...groups].map(([v, ts]) => {
    const fits = ts.filter((t) => selectorMatches(selector, t.labels));
    return { v, ts, fits };
  });
  // values that keep the rest of the selector satisfied first, then the narrower ones
  ranked.sort((a, b) => Number(b.fits.length > 0) - Number(a.fits.length > 0) || a.ts.length - b.ts.length || a.v.localeCompare(b.v));
  return ranked.map(({ v, ts, fits }, i) => {
    const shown = fits.length ? fits : ts;
    return valueItem(c, v, {
      detail: `${fits.length ? 'selects' : 'labels'} ${shown.map((t) => `${t.resource.kind} ${t.resource.name ?? '?'}`).join(', ')}`,
      doc: `Pods with ${code(`${key}=${v}`)}:\n${ts.map((t) => `- ${t.resource.kind} ${code(t.resource.name ?? '?')}, ${replicasText(t.resource)}${fits.includes(t) ? '' : ' (does not match the rest of the selector)'}`).join('\n')}`,
      rank: i,
    });
  });
}

function targetPorts(c: Ctx, index: number): CompletionItem[] {
  const svc = service(c.r);
  const protocol = String(get(c.r.value, ['spec', 'ports', index, 'protocol']) ?? 'TCP');
  let templates = svc ? c.lk.selected(svc) : [];
  const selectedAny = templates.length > 0;
  if (!selectedAny) templates = c.lk.templates(c.lk.ns(c.r));
  // one item per name and per number; its detail lists every container declaring it
  const found = new Map<string, { value: string | number; rank: number; isName: boolean; where: string[]; numbers: Set<string> }>();
  const add = (value: string | number, isName: boolean, rank: number, where: string, number: string) => {
    const key = `${isName ? 'n' : '#'}${value}`;
    const e = found.get(key) ?? { value, rank, isName, where: [], numbers: new Set<string>() };
    e.rank = Math.min(e.rank, rank);
    if (!e.where.includes(where)) e.where.push(where);
    e.numbers.add(number);
    found.set(key, e);
  };
  for (const t of templates) {
    for (const ct of servingContainers(t)) {
      for (const p of ct.ports) {
        const other = p.protocol !== protocol;
        const base = (other ? 20 : 0) + (selectedAny ? 0 : 40);
        const note = other ? ` (not ${protocol})` : '';
        const where = `${t.resource.kind} ${t.resource.name ?? '?'}, container ${ct.name ?? `#${ct.index}`}${note}`;
        if (p.name) add(p.name, true, base, `${p.containerPort ?? '?'}/${p.protocol} in ${where}`, `${p.containerPort ?? '?'}/${p.protocol}`);
        if (p.containerPort !== undefined) add(p.containerPort, false, base + 10, `${p.name ? `"${p.name}" ` : ''}${p.protocol} in ${where}`, `${p.containerPort}/${p.protocol}`);
      }
    }
  }
  const scope = selectedAny ? 'the selected pods' : `pods of namespace ${code(c.lk.ns(c.r))} (this Service selects none yet)`;
  return [...found.values()].map((e) =>
    valueItem(c, e.value, {
      kind: e.isName ? CompletionItemKind.Reference : CompletionItemKind.Value,
      detail: e.where.join('; '),
      doc: e.isName
        ? `Named container port of ${scope}: lands on ${[...e.numbers].join(', ')}. Naming the target keeps the Service working when the number changes.`
        : `Container port number of ${scope}. A named port keeps working when the number changes.`,
      rank: e.rank,
    }),
  );
}

function nodePorts(c: Ctx, index: number): CompletionItem[] {
  const ports = get(c.r.value, ['spec', 'ports']);
  const others = Array.isArray(ports) ? ports.filter((p, i) => i !== index && isPlainObject(p) && typeof p.nodePort === 'number').map((p) => p.nodePort as number) : [];
  const next = c.lk.nextFreeNodePort(c.r, others);
  if (next === undefined) return [];
  const { min, max } = c.ws.config.nodePortRange;
  const used = [...c.lk.nodePortsInScope(c.r).keys(), ...others].sort((a, b) => a - b);
  return [
    valueItem(c, next, {
      kind: CompletionItemKind.Constant,
      detail: `next free node port in ${min}-${max}`,
      doc: `No other Service in this ${c.ws.config.conflictScope} requests ${code(next)}.${used.length ? ` Taken here: ${used.join(', ')}.` : ''} Leaving nodePort out lets the cluster pick one.`,
    }),
  ];
}

function appProtocols(c: Ctx): CompletionItem[] {
  const values: Record<string, string> = {
    http: 'Plain HTTP/1.1.',
    https: 'HTTP over TLS to the backend.',
    'kubernetes.io/h2c': 'HTTP/2 without TLS (cleartext), as gRPC servers often speak.',
    'kubernetes.io/ws': 'WebSocket over cleartext.',
    'kubernetes.io/wss': 'WebSocket over TLS.',
  };
  return Object.entries(values).map(([v, d], i) => valueItem(c, v, { kind: CompletionItemKind.EnumMember, detail: d, rank: i }));
}

function templateLabelValues(c: Ctx, key: string): CompletionItem[] {
  return labelSuggestions(c)
    .filter((s) => s.key === key)
    .map((s) => valueItem(c, s.value, { detail: s.why, rank: s.rank }));
}

interface LabelSuggestion {
  key: string;
  value: string;
  why: string;
  rank: number;
}

/** Label pairs a pod template should carry: its workload's matchLabels, then the selectors of Services that would select it. */
function labelSuggestions(c: Ctx): LabelSuggestion[] {
  const t = podTemplate(c.r);
  const labels = t ? t.labels : {};
  const out: LabelSuggestion[] = [];
  const match = stringMap(get(c.r.value, c.r.kind === 'ReplicationController' ? ['spec', 'selector'] : ['spec', 'selector', 'matchLabels']));
  for (const [k, v] of Object.entries(match)) out.push({ key: k, value: v, why: `required by the workload's spec.selector`, rank: 0 });
  const wname = c.r.name ?? '';
  const services = c.lk
    .services(c.lk.ns(c.r))
    .filter((s) => s.type !== 'ExternalName' && s.selector && Object.keys(s.selector).length > 0)
    .map((s) => {
      const sel = s.selector!;
      const conflicts = Object.entries(sel).filter(([k, v]) => k in labels && labels[k] !== v).length;
      const missing = Object.entries(sel).filter(([k]) => !(k in labels)).length;
      const similar = nameSimilarity(wname, s.resource.name ?? '');
      return { s, conflicts, missing, similar };
    })
    .filter((x) => x.conflicts === 0)
    .sort((a, b) => a.similar - b.similar || a.missing - b.missing || (a.s.resource.name ?? '').localeCompare(b.s.resource.name ?? ''));
  services.forEach((x, i) => {
    for (const [k, v] of Object.entries(x.s.selector!)) {
      out.push({ key: k, value: v, why: `Service ${x.s.resource.name ?? '?'} selects ${formatLabels(x.s.selector!)}`, rank: 10 + i });
    }
  });
  return out;
}

function matchLabelValues(c: Ctx, key: string): CompletionItem[] {
  const t = podTemplate(c.r);
  const v = t?.labels[key];
  return v === undefined ? [] : [valueItem(c, v, { detail: 'the pod template\'s label' })];
}

/** Path of the Ingress backend holding `f`, if any. */
function backendPath(f: Path): Path | undefined {
  const i = f.lastIndexOf('backend');
  if (i >= 0 && (f[0] === 'spec' && (f[1] === 'rules' || i === 1))) return f.slice(0, i + 1);
  if (f[0] === 'spec' && f[1] === 'defaultBackend') return f.slice(0, 2);
  return undefined;
}

function serviceNames(c: Ctx, ns: string): CompletionItem[] {
  const services = c.lk.services(ns);
  const seen = new Set<string>();
  const items: CompletionItem[] = [];
  for (const s of services) {
    const name = s.resource.name;
    if (!name || seen.has(name)) continue;
    seen.add(name);
    const ports = s.ports.map((p) => servicePortText(p).replace(/`/g, '')).join(', ');
    const selected = c.lk.selected(s);
    items.push(
      valueItem(c, name, {
        kind: CompletionItemKind.Reference,
        detail: `${s.type}${ports ? ` · ${ports}` : ''}`,
        doc: s.type === 'ExternalName' ? `CNAME to ${code(s.externalName ?? '?')}` : selected.length ? `Selects ${selected.map((t) => `${t.resource.kind} ${code(t.resource.name ?? '?')}`).join(', ')}` : undefined,
        rank: s.type === 'ExternalName' ? 10 : 0,
      }),
    );
  }
  return items;
}

function servicePorts(c: Ctx, backend: Path, which: 'number' | 'name' | 'both'): CompletionItem[] {
  const name = get(c.r.value, [...backend, 'service', 'name']) ?? get(c.r.value, [...backend, 'serviceName']);
  const svc = typeof name === 'string' ? c.lk.servicesNamed(c.lk.ns(c.r), name)[0] : undefined;
  if (!svc) return [];
  const items: CompletionItem[] = [];
  for (const sp of svc.ports) {
    const target = `targetPort ${sp.targetPort ?? '?'}`;
    if ((which === 'number' || which === 'both') && sp.port !== undefined) {
      items.push(valueItem(c, sp.port, { detail: `${sp.name ? `"${sp.name}" ` : ''}${sp.protocol} → ${target}`, rank: sp.index }));
    }
    if ((which === 'name' || which === 'both') && sp.name) {
      items.push(valueItem(c, sp.name, { kind: CompletionItemKind.Reference, detail: `port ${sp.port ?? '?'}/${sp.protocol} → ${target}`, rank: sp.index }));
    }
  }
  return items;
}

function tlsHosts(c: Ctx): CompletionItem[] {
  const rules = get(c.r.value, ['spec', 'rules']);
  const hosts = Array.isArray(rules) ? rules.map((r) => (isPlainObject(r) ? r.host : undefined)).filter((h): h is string => typeof h === 'string') : [];
  return [...new Set(hosts)].map((h, i) => valueItem(c, h, { detail: 'a host of this Ingress\'s rules', rank: i }));
}

function classNames(c: Ctx): CompletionItem[] {
  return dedupe(
    c.lk.ingressClasses().map((cls) =>
      valueItem(c, cls.name ?? '', {
        kind: CompletionItemKind.Reference,
        detail: `controller ${classController(cls) ?? '?'}${isDefaultClass(cls) ? ' (default)' : ''}`,
        rank: isDefaultClass(cls) ? 0 : 1,
      }),
    ),
  ).filter((i) => i.label);
}

function selectorlessNames(c: Ctx): CompletionItem[] {
  const ns = c.lk.ns(c.r);
  return dedupe(
    c.lk.selectorless(ns).map((s) => {
      const backed = c.lk.manualEndpoints(s.resource).filter((e) => e !== c.r && c.ws.identity(e) !== c.ws.identity(c.r));
      return valueItem(c, s.resource.name ?? '', {
        kind: CompletionItemKind.Reference,
        detail: `Service without a selector${s.ports.length ? ` · ports ${s.ports.map((p) => servicePortText(p).replace(/`/g, '')).join(', ')}` : ''}`,
        doc: backed.length ? `Already backed by ${backed.map((e) => `${e.kind} ${code(e.name ?? '?')}`).join(', ')}.` : 'No Endpoints or EndpointSlice backs it yet.',
        rank: backed.length ? 1 : 0,
      });
    }),
  ).filter((i) => i.label);
}

function sliceLabel(r: Resource): string | undefined {
  const v = get(r.value, ['metadata', 'labels', SERVICE_NAME_LABEL]);
  return typeof v === 'string' ? v : undefined;
}

function endpointPortNames(c: Ctx, svcName: string | undefined): CompletionItem[] {
  const svc = c.lk.servicesNamed(c.lk.ns(c.r), svcName)[0];
  if (!svc) return [];
  return svc.ports.filter((p) => p.name).map((p) => valueItem(c, p.name!, { kind: CompletionItemKind.Reference, detail: `Service ${svc.resource.name} port ${p.port ?? '?'}/${p.protocol}`, rank: p.index }));
}

function refNamespace(c: Ctx, refPath: Path): string {
  const ns = get(c.r.value, [...refPath, 'namespace']);
  return typeof ns === 'string' && ns ? ns : c.lk.ns(c.r);
}

function routePorts(c: Ctx, refPath: Path): CompletionItem[] {
  const name = get(c.r.value, [...refPath, 'name']);
  const svc = typeof name === 'string' ? c.lk.servicesNamed(refNamespace(c, refPath), name)[0] : undefined;
  if (!svc) return [];
  return svc.ports.filter((p) => p.port !== undefined).map((p) => valueItem(c, p.port!, { detail: `${p.name ? `"${p.name}" ` : ''}${p.protocol} → targetPort ${p.targetPort ?? '?'}`, rank: p.index }));
}

/** A listener in a few words: `HTTPS :443 *.example.com · routes from all namespaces`. */
function listenerText(l: ListenerView): string {
  return `${listenerAddress(l)} · routes from ${l.from === 'Same' ? 'its namespace only' : l.from === 'All' ? 'all namespaces' : `${l.from} namespaces`}`;
}

function gatewayNames(c: Ctx, ns: string): CompletionItem[] {
  const seen = new Set<string>();
  const items: CompletionItem[] = [];
  for (const g of c.lk.inNamespace('Gateway', ns)) {
    const view = gateway(g);
    if (!g.name || !view || seen.has(g.name)) continue;
    seen.add(g.name);
    items.push(
      valueItem(c, g.name, {
        kind: CompletionItemKind.Reference,
        detail: `Gateway · ${view.listeners.map((l) => l.name ?? '?').join(', ') || 'no listeners'}`,
        doc: view.listeners.map((l) => `- ${code(l.name ?? '?')}: ${listenerText(l)}`).join('\n') || undefined,
      }),
    );
  }
  return items;
}

function listenerNames(c: Ctx, refPath: Path): CompletionItem[] {
  const name = get(c.r.value, [...refPath, 'name']);
  const g = typeof name === 'string' ? c.lk.gatewaysNamed(refNamespace(c, refPath), name)[0] : undefined;
  const view = g && gateway(g);
  if (!view) return [];
  return view.listeners.filter((l) => l.name).map((l) => valueItem(c, l.name!, { detail: listenerText(l), rank: l.index }));
}

// ---------------------------------------------------------------------------
// Keys

function keyItems(c: Ctx): CompletionItem[] {
  const present = new Set(Object.keys(stringMapAny(get(c.r.value, c.path))));
  const items: CompletionItem[] = [];
  const f = c.fpath;
  if (c.family === 'Service' && c.pattern === 'spec.selector') items.push(...selectorKeys(c));
  if (c.family === 'Pod' && c.pattern === 'metadata.labels') {
    for (const s of labelSuggestions(c)) if (!present.has(s.key)) items.push(keyItem(c, s.key, s.value, { detail: s.why, rank: s.rank, kind: CompletionItemKind.Value }));
  }
  if (c.family === 'Workload' && c.pattern === 'spec.selector.matchLabels') {
    const t = podTemplate(c.r);
    for (const [k, v] of Object.entries(t ? podIdentityLabels(t) : {})) if (!present.has(k)) items.push(keyItem(c, k, v, { detail: 'a label of the pod template', kind: CompletionItemKind.Value }));
  }
  if (c.family === 'Ingress') {
    const b = backendPath(f);
    if (b && f.slice(b.length).join('.') === 'service.port') {
      for (const it of servicePorts({ ...c, t: { ...c.t, mode: 'value' } }, b, 'both')) {
        const isNum = /^\d+$/.test(it.label);
        items.push(keyItem(c, isNum ? 'number' : 'name', it.label, { detail: it.detail, raw: isNum, rank: isNum ? 0 : 1, kind: CompletionItemKind.Value }));
      }
    }
  }
  if (c.family === 'EndpointSlice' && c.pattern === 'metadata.labels' && !present.has(SERVICE_NAME_LABEL)) {
    for (const it of selectorlessNames({ ...c, t: { ...c.t, mode: 'value' } })) {
      items.push(keyItem(c, SERVICE_NAME_LABEL, it.label, { detail: `ties this slice to Service ${it.label}`, kind: CompletionItemKind.Value }));
    }
  }
  childKeys(c.family, c.pattern).forEach(({ key, doc }, i) => {
    if (present.has(key)) return;
    items.push(keyItem(c, key, undefined, { detail: firstSentence(doc.text), doc: `${doc.text}\n\n[${doc.linkText}](${doc.link})`, rank: 100 + i, kind: CompletionItemKind.Field }));
  });
  return dedupe(items);
}

function selectorKeys(c: Ctx): CompletionItem[] {
  const selector = stringMap(get(c.r.value, ['spec', 'selector']));
  const templates = c.lk.templates(c.lk.ns(c.r));
  const fitting = templates.filter((t) => selectorMatches(selector, t.labels));
  const stats = new Map<string, { values: Set<string>; fits: number; total: number }>();
  for (const t of templates) {
    const fits = fitting.includes(t);
    for (const [k, v] of Object.entries(t.labels)) {
      if (k in selector || GENERATED_LABELS.has(k)) continue;
      const s = stats.get(k) ?? { values: new Set<string>(), fits: 0, total: 0 };
      s.values.add(v);
      s.total++;
      if (fits) s.fits++;
      stats.set(k, s);
    }
  }
  return [...stats]
    .sort(([a, x], [b, y]) => Number(y.fits > 0) - Number(x.fits > 0) || y.total - x.total || a.localeCompare(b))
    .map(([k, s], i) =>
      keyItem(c, k, undefined, {
        detail: `values: ${[...s.values].sort().join(', ')}`,
        doc: `A pod label in namespace ${code(c.lk.ns(c.r))}, on ${s.total} pod template${s.total === 1 ? '' : 's'}.`,
        rank: i,
        retrigger: true,
      }),
    );
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isPlainObject(v)) for (const [k, val] of Object.entries(v)) if (typeof val === 'string' || typeof val === 'number' || typeof val === 'boolean') out[k] = String(val);
  return out;
}

function stringMapAny(v: unknown): Record<string, unknown> {
  return isPlainObject(v) ? v : {};
}
