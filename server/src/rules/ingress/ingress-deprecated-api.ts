import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import { replaceScalar, setKey, setPairValue, toYaml } from '../../engine/edits';
import { isPlainObject, type Resource } from '../../engine/parse';
import { defineRule, type Edit } from '../../engine/rule';
import { detectEol } from '../../engine/text';
import { columnOf, findPair, indentUnit, INGRESS_V1, insertKeyAfter, LEGACY_INGRESS_APIS, replaceRange, startsLine } from './common';

// V-01 / V-02: extensions/v1beta1 and networking.k8s.io/v1beta1 Ingress are no
// longer served since Kubernetes 1.22. The fix rewrites the object to v1 with
// minimal edits: apiVersion, spec.backend -> spec.defaultBackend,
// serviceName/servicePort -> service.name + service.port.number|name, and
// pathType: ImplementationSpecific where it was missing (what v1beta1 defaulted
// it to, D-11), so routing behaves as before.
export default defineRule({
  id: 'ingress-deprecated-api',
  severity: 'error',
  description: 'Ingress uses extensions/v1beta1 or networking.k8s.io/v1beta1, which Kubernetes 1.22 and later no longer serve.',
  fixable: true,
  kinds: ['Ingress'],
  check(r, ctx) {
    if (!LEGACY_INGRESS_APIS.has(r.apiVersion)) return;
    ctx.report({
      message: `Ingress ${r.name ?? '<unnamed>'} uses apiVersion ${r.apiVersion}, which Kubernetes 1.22 and later no longer serve: the API server refuses it. Use ${INGRESS_V1} (backends become service.name and service.port, and every path needs a pathType).`,
      at: ['apiVersion'],
      tags: ['deprecated'],
      fixes: () => {
        const edits = migrationEdits(r);
        return edits ? [{ title: `Migrate to ${INGRESS_V1}`, isPreferred: true, edits }] : [];
      },
    });
  },
});

/** The edits that turn a v1beta1 Ingress into an equivalent v1 one. */
export function migrationEdits(r: Resource): Edit[] | undefined {
  const chunk = r.chunk;
  const apiNode = r.nodeAt(['apiVersion']);
  if (!isScalar(apiNode)) return undefined;
  const edits: Edit[] = [replaceScalar(chunk, apiNode, INGRESS_V1)];
  const spec = r.nodeAt(['spec']);
  if (!isMap(spec)) return edits;

  // spec.backend -> spec.defaultBackend
  const backendPair = findPair(spec, 'backend');
  if (backendPair && !findPair(spec, 'defaultBackend')) {
    if (isScalar(backendPair.key)) edits.push(replaceScalar(chunk, backendPair.key as Node, 'defaultBackend'));
    edits.push(...backendEdits(r, backendPair));
  }

  const rules = spec.get('rules', true);
  if (isSeq(rules)) {
    for (const rule of rules.items) {
      if (!isMap(rule)) continue;
      const http = rule.get('http', true);
      if (!isMap(http)) continue;
      const paths = http.get('paths', true);
      if (!isSeq(paths)) continue;
      for (const item of paths.items) {
        if (!isMap(item)) continue;
        const bp = findPair(item, 'backend');
        if (bp) edits.push(...backendEdits(r, bp));
        const pt = findPair(item, 'pathType');
        if (!pt || (isScalar(pt.value) && (pt.value.value === null || pt.value.value === undefined)) || pt.value === null) {
          edits.push(pt ? setKey(chunk, item, 'pathType', 'ImplementationSpecific') : insertKeyAfter(r, item, 'path', 'pathType', 'ImplementationSpecific'));
        }
      }
    }
  }
  return edits;
}

function isPortString(v: unknown): v is string {
  return typeof v === 'string' && /^\d+$/.test(v);
}

/** serviceName/servicePort -> service: {name, port: {number|name}}, keeping the lines' comments. */
function backendEdits(r: Resource, backendPair: Pair): Edit[] {
  const chunk = r.chunk;
  const map = backendPair.value;
  if (!isMap(map)) return [];
  const nameIdx = map.items.findIndex((p) => isScalar(p.key) && p.key.value === 'serviceName');
  const portIdx = map.items.findIndex((p) => isScalar(p.key) && p.key.value === 'servicePort');
  if (nameIdx === -1 && portIdx === -1) return [];
  if (findPair(map, 'service')) return [];
  const nameVal = nameIdx === -1 ? undefined : (map.items[nameIdx].value as Node | null);
  const portVal = portIdx === -1 ? undefined : (map.items[portIdx].value as Node | null);
  const portJs = isScalar(portVal) ? portVal.value : undefined;
  const portKey = typeof portJs === 'number' || isPortString(portJs) ? 'number' : 'name';

  if (simpleLayout(r, map, [nameIdx, portIdx].filter((i) => i !== -1))) {
    const eol = detectEol(chunk.text);
    const unit = indentUnit(chunk);
    const firstKey = map.items[0].key as Node;
    const ind = columnOf(chunk, firstKey.range![0]);
    const pad = (n: number) => ' '.repeat(n);
    const header = (which: 'name' | 'port', lead: string) =>
      which === 'name' ? `${lead}name` : `${lead}port:${eol}${pad(ind + 2 * unit)}${portKey}`;
    const order = [
      { idx: nameIdx, which: 'name' as const },
      { idx: portIdx, which: 'port' as const },
    ]
      .filter((x) => x.idx !== -1)
      .sort((a, b) => a.idx - b.idx);
    const edits: Edit[] = [];
    order.forEach(({ idx, which }, k) => {
      const key = map.items[idx].key as Node;
      const [start] = key.range!;
      const end = keyEnd(chunk, key);
      if (k === 0) {
        edits.push(replaceRange(chunk, start, end, `service:${eol}${header(which, pad(ind + unit))}`));
      } else {
        const lineStart = chunk.lines.lineStarts[chunk.lines.positionAt(start).line];
        edits.push(replaceRange(chunk, lineStart, end, header(which, pad(ind + unit))));
      }
    });
    if (isPortString(portJs) && isScalar(portVal)) edits.push(replaceScalar(chunk, portVal, Number(portJs)));
    return edits;
  }

  // Unusual layout (flow map, values on their own lines): rewrite the backend value.
  const value: Record<string, unknown> = {};
  const js: unknown = map.toJSON();
  for (const [k, v] of Object.entries(isPlainObject(js) ? js : {})) if (k !== 'serviceName' && k !== 'servicePort') value[k] = v;
  const svc: Record<string, unknown> = {};
  if (isScalar(nameVal)) svc.name = nameVal.value;
  if (portJs !== undefined && portJs !== null) svc.port = { [portKey]: isPortString(portJs) ? Number(portJs) : portJs };
  value.service = svc;
  if (map.flow && map.range) {
    return [replaceRange(chunk, map.range[0], keyEnd(chunk, map), toYaml(value, { flow: true, lineWidth: 0 }).trimEnd())];
  }
  return [setPairValue(chunk, backendPair, value)];
}

/** End of a node's text without trailing whitespace. */
function keyEnd(chunk: Resource['chunk'], key: Node): number {
  let e = key.range![1];
  while (e > key.range![0] && /\s/.test(chunk.text[e - 1])) e--;
  return e;
}

/**
 * The in-place rewrite works on a block map whose serviceName/servicePort pairs
 * are adjacent, each starting its own line with a one-line scalar value.
 */
function simpleLayout(r: Resource, map: YAMLMap, indices: number[]): boolean {
  const chunk = r.chunk;
  if (map.flow) return false;
  const sorted = [...indices].sort((a, b) => a - b);
  if (sorted.length === 2 && sorted[1] !== sorted[0] + 1) return false;
  for (const i of sorted) {
    const pair = map.items[i];
    const key = pair.key as Node;
    const value = pair.value as Node | null;
    if (!key?.range || !startsLine(chunk, key.range[0])) return false;
    if (!isScalar(value) || !value.range) return false;
    const keyLine = chunk.lines.positionAt(key.range[0]).line;
    if (chunk.lines.positionAt(value.range[0]).line !== keyLine || chunk.lines.positionAt(value.range[1]).line !== keyLine) return false;
  }
  return true;
}
