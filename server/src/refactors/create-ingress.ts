// "Create an Ingress for this Service": appends a networking.k8s.io/v1 Ingress
// routing <service>.example.com/ (Prefix) to the Service, at the end of the
// Service's file. The host is a placeholder (a snippet tab stop when the editor
// supports snippets).
import { service, type ServicePortView } from '../engine/model';
import { defaultIngressClass, namesOf, uniqueName, type Refactor, type RefactorContext } from './context';
import { atEnd, escapeSnippet, renderDocument, styleOf } from './yaml-text';
import { isIanaPortName } from './names';

export function createIngressRefactors({ ws, file, r }: RefactorContext): Refactor[] {
  const svc = service(r);
  // An Ingress needs a Service that proxies: ExternalName backends are controller-specific at best.
  if (!svc || svc.type === 'ExternalName' || !r.name) return [];
  const port = httpPort(svc.ports);
  if (!port) return [];
  const portRef = port.name && isIanaPortName(port.name) ? { name: port.name } : port.port !== undefined ? { number: port.port } : undefined;
  if (!portRef) return [];
  const ns = ws.namespaceOf(r);
  const host = `${r.name}.example.com`;
  const ingressClass = defaultIngressClass(ws);
  const doc = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: uniqueName(r.name, namesOf(ws, 'Ingress', ns), 'ingress'), ...(r.explicitNamespace ? { namespace: r.explicitNamespace } : {}) },
    spec: {
      ...(ingressClass ? { ingressClassName: ingressClass } : {}),
      rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: r.name, port: portRef } } }] } }],
    },
  };
  const at = atEnd(file);
  const text = at.prefix + renderDocument(doc, styleOf(r.chunk, file.text));
  const hostLine = `host: ${host}`;
  const snippetText = escapeSnippet(text).replace(escapeSnippet(hostLine), `host: \${1:${escapeSnippet(host)}}`);
  return [
    {
      title: 'Create an Ingress for this Service',
      kind: 'refactor.extract',
      edits: [{ uri: at.uri, range: at.range, newText: text }],
      snippet: { uri: at.uri, range: at.range, newText: snippetText },
    },
  ];
}

/** The port an HTTP router should target: an HTTP-looking TCP port, else the first TCP port. */
function httpPort(ports: readonly ServicePortView[]): ServicePortView | undefined {
  const tcp = ports.filter((p) => p.protocol === 'TCP' && (p.port !== undefined || p.name));
  const rank = (p: ServicePortView): number => {
    const name = p.name ?? '';
    if (name === 'http' || name === 'web' || p.port === 80 || p.port === 8080) return 0;
    if (name === 'https' || p.port === 443) return 1;
    return 2;
  };
  return [...tcp].sort((a, b) => rank(a) - rank(b) || a.index - b.index)[0];
}
