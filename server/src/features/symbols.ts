// Document symbols (one per resource, `Kind name`, namespace as detail, with
// its ports or routes as children) and workspace symbols (resources by name,
// fuzzy substring match).
import { SymbolKind, type DocumentSymbol, type Range, type SymbolInformation } from 'vscode-languageserver-types';
import { ingress, podTemplate, service } from '../engine/model';
import type { Resource } from '../engine/parse';
import type { Workspace } from '../engine/workspace';
import { routeText } from './facts';
import { nameNode, nodeRange, pathLocation, resourceRange } from './locate';

const KIND_SYMBOL: Record<string, SymbolKind> = {
  Service: SymbolKind.Interface,
  Ingress: SymbolKind.Module,
  IngressClass: SymbolKind.Class,
  Endpoints: SymbolKind.Array,
  EndpointSlice: SymbolKind.Array,
  HTTPRoute: SymbolKind.Module,
  Gateway: SymbolKind.Module,
  Namespace: SymbolKind.Namespace,
  ConfigMap: SymbolKind.Object,
  Secret: SymbolKind.Key,
};

function symbolKind(r: Resource): SymbolKind {
  return KIND_SYMBOL[r.kind] ?? (podTemplate(r) ? SymbolKind.Class : SymbolKind.Object);
}

function label(r: Resource): string {
  return `${r.kind} ${r.name ?? '<unnamed>'}`;
}

function selectionRange(r: Resource, full: Range): Range {
  const sel = nodeRange(r.chunk, nameNode(r));
  return sel && within(sel, full) ? sel : { start: full.start, end: full.start };
}

function within(inner: Range, outer: Range): boolean {
  const le = (a: Range['start'], b: Range['start']) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le(outer.start, inner.start) && le(inner.end, outer.end);
}

function child(r: Resource, name: string, detail: string | undefined, kind: SymbolKind, path: (string | number)[], full: Range): DocumentSymbol | undefined {
  const range = pathLocation(r, path, 'pair').range;
  if (!within(range, full)) return undefined;
  return { name, detail, kind, range, selectionRange: range };
}

function children(r: Resource, full: Range): DocumentSymbol[] {
  const out: (DocumentSymbol | undefined)[] = [];
  const svc = service(r);
  if (svc) {
    for (const sp of svc.ports) {
      const target = sp.targetPortDefaulted ? '' : ` → ${sp.targetPort}`;
      const detail = [sp.protocol, sp.nodePort !== undefined ? `nodePort ${sp.nodePort}` : undefined].filter(Boolean).join(', ');
      out.push(child(r, `${sp.name ? `${sp.name}: ` : ''}${sp.port ?? '?'}${target}`, detail, SymbolKind.Field, sp.path, full));
    }
  }
  const t = podTemplate(r);
  if (t) {
    for (const c of t.containers) {
      const ports = c.ports.map((p) =>
        child(r, `${p.name ? `${p.name}: ` : ''}${p.containerPort ?? '?'}`, [p.protocol, p.hostPort ? `hostPort ${p.hostPort}` : undefined].filter(Boolean).join(', '), SymbolKind.Field, p.path, full),
      );
      const cs = child(r, c.name ?? `#${c.index}`, c.list === 'containers' ? 'container' : c.sidecar ? 'sidecar' : 'init container', SymbolKind.Constructor, c.path, full);
      if (cs) {
        cs.children = ports.filter((p): p is DocumentSymbol => !!p);
        out.push(cs);
      }
    }
  }
  const ing = ingress(r);
  if (ing) {
    for (const b of ing.backends) {
      const port = b.portNumber ?? b.portName;
      out.push(child(r, routeText(b), `→ ${b.serviceName ?? '?'}${port !== undefined ? `:${port}` : ''}`, SymbolKind.Event, b.path, full));
    }
  }
  return out.filter((s): s is DocumentSymbol => !!s);
}

/** One symbol per resource of a file, in order. */
export function documentSymbols(ws: Workspace, uri: string): DocumentSymbol[] {
  return ws.resourcesOf(uri).map((r) => {
    const range = resourceRange(r);
    return {
      name: label(r),
      detail: ws.namespaceOf(r) || undefined,
      kind: symbolKind(r),
      range,
      selectionRange: selectionRange(r, range),
      children: children(r, range),
    };
  });
}

/**
 * How well `query` matches `text` (lower is better): exact, prefix, substring,
 * then the query's characters in order (fuzzy); undefined when it does not match.
 */
export function matchScore(query: string, text: string): number | undefined {
  const q = query.toLowerCase();
  const t = text.toLowerCase();
  if (!q) return 0;
  if (t === q) return 0;
  if (t.startsWith(q)) return 1;
  const i = t.indexOf(q);
  if (i !== -1) return 2 + i / 1000;
  let pos = 0;
  let gaps = 0;
  for (const ch of q) {
    const next = t.indexOf(ch, pos);
    if (next === -1) return undefined;
    gaps += next - pos;
    pos = next + 1;
  }
  return 10 + gaps;
}

/** Resources of the whole workspace whose `name` (or `Kind name`) matches the query. */
export function workspaceSymbols(ws: Workspace, query: string, limit = 500): SymbolInformation[] {
  const hits: { s: SymbolInformation; score: number }[] = [];
  for (const r of ws.allResources()) {
    const name = r.name ?? '';
    const score = Math.min(matchScore(query, name) ?? Infinity, (matchScore(query, label(r)) ?? Infinity) + 0.5);
    if (score === Infinity) continue;
    const location = { uri: r.uri, range: selectionRange(r, resourceRange(r)) };
    hits.push({ s: { name: label(r), kind: symbolKind(r), location, containerName: ws.namespaceOf(r) || undefined }, score });
  }
  hits.sort((a, b) => a.score - b.score || a.s.name.localeCompare(b.s.name));
  return hits.slice(0, limit).map((h) => h.s);
}
