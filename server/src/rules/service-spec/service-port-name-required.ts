// SVC-06a: with more than one port, every port (including the first) needs a
// non-empty name. Applies to every Service type, headless ones included.
import { isMap, isScalar, type Node } from 'yaml';
import { pairAt, replaceScalar, setPairValue } from '../../engine/edits';
import { isPlainObject, type Resource } from '../../engine/parse';
import { defineRule, type Edit, type Fix } from '../../engine/rule';
import { insertFirstKey, intOf, isCoreService, mapNode, portName, protocolOf, rawPorts, renderString, suggestPortNames } from './shared';

function describePort(p: Record<string, any>, i: number): string {
  const port = intOf(p.port);
  return port !== undefined ? `port ${port}/${protocolOf(p)} (ports[${i}])` : `ports[${i}]`;
}

/** The edit that gives port `i` its name. */
function nameEdit(r: Resource, i: number, name: string): Edit | undefined {
  const path = ['spec', 'ports', i];
  const pair = pairAt(r, path, 'name');
  if (pair) {
    const v = pair.value as Node | null;
    if (isScalar(v) && v.range && v.range[1] > v.range[0]) return replaceScalar(r.chunk, v, name);
    return setPairValue(r.chunk, pair, name);
  }
  const map = mapNode(r, path);
  return map ? insertFirstKey(r.chunk, map, 'name', renderString(name)) : undefined;
}

/**
 * The first key of port `i` as written. The value's keys are in the same order
 * on a fast-path chunk, unless one looks like an array index (JS puts those
 * first): then, and on slow-path chunks, the nodes say.
 */
function firstKey(r: Resource, i: number, p: Record<string, unknown>): string | undefined {
  const keys = Object.keys(p);
  if (r.chunk.readFast && !keys.some((k) => /^(?:0|[1-9]\d*)$/.test(k))) return keys[0];
  const item = r.nodeAt(['spec', 'ports', i]);
  return isMap(item) && isScalar(item.items[0]?.key) ? String((item.items[0].key as any).value) : undefined;
}

export default defineRule({
  id: 'service-port-name-required',
  severity: 'error',
  description: 'A Service with more than one port has a port without a name; the API server refuses it.',
  fixable: true,
  kinds: ['Service'],
  check(r, ctx) {
    if (!isCoreService(r)) return;
    const ports = rawPorts(r);
    if (ports.length < 2) return;
    const unnamed = ports.flatMap((p, i) => (isPlainObject(p) && portName(p) === undefined ? [i] : []));
    if (unnamed.length === 0) return;
    const names = suggestPortNames(ports);
    // the edits of every unnamed port, built once when the first finding's fixes are read
    let planned: { edits: Map<number, Edit>; all?: Fix } | undefined;
    const plan = () => {
      if (planned) return planned;
      const edits = new Map<number, Edit>();
      for (const i of unnamed) {
        const e = nameEdit(r, i, names.get(i)!);
        if (e) edits.set(i, e);
      }
      let all: Fix | undefined;
      if (unnamed.length > 1 && edits.size === unnamed.length) {
        all = {
          title: `Name all ${unnamed.length} unnamed ports (${unnamed.map((i) => names.get(i)).join(', ')})`,
          isPreferred: true,
          edits: unnamed.map((i) => edits.get(i)!),
        };
      }
      return (planned = { edits, all });
    };
    const svc = `Service ${r.name ?? '<unnamed>'}`;
    for (const i of unnamed) {
      const p = ports[i] as Record<string, any>;
      const name = names.get(i)!;
      const emptyName = 'name' in p;
      const message =
        `${svc} has ${ports.length} ports, so each one needs a name; ${describePort(p, i)} ` +
        `${emptyName ? 'has an empty name' : 'has none'}, and the API server refuses the Service. ` +
        `Name it "${name}".`;
      const fixes = (): Fix[] => {
        const { edits, all } = plan();
        const out: Fix[] = [];
        if (all) out.push(all);
        const e = edits.get(i);
        if (e) out.push({ title: `Name ${describePort(p, i).replace(/ \(ports\[\d+\]\)$/, '')} "${name}"`, isPreferred: !all, edits: [e] });
        return out;
      };
      // underline the empty name, else the key that identifies the port (its `port`, or its first key)
      let at: (string | number)[] = ['spec', 'ports', i, 'name'];
      let part: 'value' | 'pair' = 'value';
      if (!emptyName) {
        at = ['spec', 'ports', i, 'port' in p ? 'port' : (firstKey(r, i, p) ?? 'port')];
        part = 'pair';
      }
      ctx.report({ message, at, part, fixes });
    }
  },
});
