// Service type conversions: ClusterIP, NodePort (optionally with a free
// nodePort), LoadBalancer and headless. Each conversion also drops the fields
// the API server refuses (or ignores) for the new type, so the result is valid:
// nodePort on ClusterIP (SVC-11), LoadBalancer-only fields (SVC-19..21),
// externalTrafficPolicy on a Service that is not externally accessible
// (SVC-22a), healthCheckNodePort outside LoadBalancer (SVC-23), clusterIP None
// on NodePort/LoadBalancer (SVC-13), and what headless Services ignore (SVC-27).
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import { mapAt, replaceScalar, setKey, setPairValue } from '../engine/edits';
import { get, service, type ServiceView } from '../engine/model';
import type { Resource } from '../engine/parse';
import type { Edit } from '../engine/rule';
import { freeNodePort, usedNodePorts, type Refactor, type RefactorContext } from './context';
import { absolute, findPair, insertAfterPair, insertFirstKey, removeKeys } from './yaml-text';

type Target = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'headless';

const LB_ONLY = ['loadBalancerSourceRanges', 'loadBalancerClass', 'allocateLoadBalancerNodePorts', 'healthCheckNodePort', 'loadBalancerIP'];
const LB_SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';

export function serviceTypeRefactors({ ws, r }: RefactorContext): Refactor[] {
  const svc = service(r);
  // ExternalName is a DNS alias, not a proxy: turning it into a proxying type needs a selector and ports it does not have.
  if (!svc || svc.type === 'ExternalName') return [];
  const spec = mapAt(r, ['spec']);
  if (!spec) return [];
  const current: Target | string = svc.headless && svc.type === 'ClusterIP' ? 'headless' : svc.type;
  const hasPorts = svc.ports.length > 0;
  const out: Refactor[] = [];
  const add = (title: string, edits: Edit[] | undefined) => {
    if (edits) out.push({ title, kind: 'refactor.rewrite', edits: edits.map(absolute) });
  };
  if (current !== 'ClusterIP' && hasPorts) add('Convert to ClusterIP', convert(r, svc, spec, 'ClusterIP'));
  if (current !== 'NodePort' && hasPorts) {
    add('Convert to NodePort', convert(r, svc, spec, 'NodePort'));
    const assigned = assignNodePorts(svc, usedNodePorts(ws, r.uri), ws);
    if (assigned && assigned.numbers.length) {
      const nums = [...new Set(assigned.numbers)];
      const title = `Convert to NodePort with nodePort${nums.length > 1 ? 's' : ''} ${nums.join(', ')}`;
      const base = convert(r, svc, spec, 'NodePort');
      const portEdits = assigned.ports.map(({ map, nodePort }) => setKey(r.chunk, map, 'nodePort', nodePort));
      if (base) add(title, [...base, ...portEdits]);
    }
  }
  if (current !== 'LoadBalancer' && hasPorts) add('Convert to LoadBalancer', convert(r, svc, spec, 'LoadBalancer'));
  if (current !== 'headless') add('Convert to headless Service (clusterIP: None)', convert(r, svc, spec, 'headless'));
  return out;
}

function convert(r: Resource, svc: ServiceView, spec: YAMLMap, target: Target): Edit[] | undefined {
  const edits: Edit[] = [];
  const type = target === 'headless' ? 'ClusterIP' : target;
  const externalIPs = svc.externalIPs.length > 0;

  // spec.type
  const typePair = findPair(spec, 'type');
  if (typePair) {
    const v = typePair.value as Node | null;
    if (!(isScalar(v) && v.value === type)) {
      edits.push(isScalar(v) && v.range && v.range[1] > v.range[0] ? replaceScalar(r.chunk, v, type) : setPairValue(r.chunk, typePair, type));
    }
  } else if (type !== 'ClusterIP') {
    const e = insertFirstKey(r, ['spec'], 'type', type);
    if (!e) return undefined;
    edits.push(e);
  }

  // spec-level fields the new type refuses or ignores
  const drop: string[] = [];
  if (target !== 'LoadBalancer') drop.push(...LB_ONLY);
  const externallyAccessible = target === 'NodePort' || target === 'LoadBalancer' || (target === 'ClusterIP' && externalIPs);
  if (!externallyAccessible) drop.push('externalTrafficPolicy');
  if (target === 'headless') {
    drop.push('externalIPs', 'clusterIPs');
    if (get(r.value, ['spec', 'sessionAffinity']) === 'ClientIP') drop.push('sessionAffinity', 'sessionAffinityConfig');
    const ipPair = findPair(spec, 'clusterIP');
    if (ipPair) {
      const v = ipPair.value as Node | null;
      if (!(isScalar(v) && v.value === 'None')) {
        edits.push(isScalar(v) && v.range && v.range[1] > v.range[0] ? replaceScalar(r.chunk, v, 'None') : setPairValue(r.chunk, ipPair, 'None'));
      }
    } else {
      const e = typePair ? insertAfterPair(r.chunk, spec, typePair, 'clusterIP', 'None') : insertFirstKey(r, ['spec'], 'clusterIP', 'None');
      if (!e) return undefined;
      edits.push(e);
    }
  } else if (svc.headless) {
    drop.push('clusterIP', 'clusterIPs');
  }
  edits.push(...removeKeys(r.chunk, spec, drop));

  // nodePorts: only NodePort and LoadBalancer have them
  if (target === 'ClusterIP' || target === 'headless') {
    for (const p of svc.ports) {
      if (r.nodeAt([...p.path, 'nodePort']) === undefined) continue;
      const map = mapAt(r, p.path);
      if (map) edits.push(...removeKeys(r.chunk, map, ['nodePort']));
    }
  }

  // the annotation form of loadBalancerSourceRanges is refused outside LoadBalancer too (SVC-19c)
  if (target !== 'LoadBalancer') edits.push(...removeAnnotation(r, LB_SOURCE_RANGES_ANNOTATION));
  return edits;
}

/** Removes one annotation, and the annotations map when it was the only one. */
export function removeAnnotation(r: Resource, key: string): Edit[] {
  const ann = mapAt(r, ['metadata', 'annotations']);
  if (!ann || !findPair(ann, key)) return [];
  const meta = mapAt(r, ['metadata']);
  if (ann.items.length === 1 && meta && !ann.flow) return removeKeys(r.chunk, meta, ['annotations']);
  return removeKeys(r.chunk, ann, [key]);
}

/**
 * Free nodePorts for the ports that have none: ports with the same number share
 * one (53/TCP and 53/UDP, ALLOC-03v); the others get distinct ones.
 */
function assignNodePorts(
  svc: ServiceView,
  used: Set<number>,
  ws: Parameters<typeof freeNodePort>[0],
): { numbers: number[]; ports: { map: YAMLMap; nodePort: number }[] } | undefined {
  const r = svc.resource;
  const ports = r.nodeAt(['spec', 'ports']);
  if (!isSeq(ports)) return undefined;
  const byPort = new Map<number, number>();
  for (const p of svc.ports) if (p.nodePort && p.port !== undefined) byPort.set(p.port, p.nodePort);
  const taken = new Set(used);
  const out: { map: YAMLMap; nodePort: number }[] = [];
  for (const p of svc.ports) {
    if (p.nodePort) continue;
    const map = ports.items[p.index];
    if (!isMap(map)) return undefined;
    let n = p.port !== undefined ? byPort.get(p.port) : undefined;
    if (n === undefined) {
      n = freeNodePort(ws, taken);
      if (n === undefined) return undefined;
      taken.add(n);
      if (p.port !== undefined) byPort.set(p.port, n);
    }
    out.push({ map, nodePort: n });
  }
  return { numbers: out.map((x) => x.nodePort), ports: out };
}
