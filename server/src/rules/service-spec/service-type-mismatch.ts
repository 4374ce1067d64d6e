// Fields the API server refuses for the Service's type:
//   SVC-11  nodePort on ClusterIP (on ExternalName it is accepted and ignored:
//           service-externalname-invalid warns about ports there)
//   SVC-13  clusterIP: None with NodePort / LoadBalancer
//   SVC-14a clusterIP(s) on ExternalName; SVC-14b ipFamilies / ipFamilyPolicy on ExternalName
//   SVC-22a externalTrafficPolicy unless externally accessible (NodePort, LoadBalancer,
//           or ClusterIP with externalIPs: pkg/api/service/util.go ExternallyAccessible)
//   SVC-19a/c loadBalancerSourceRanges (or its annotation), SVC-20 allocateLoadBalancerNodePorts,
//           SVC-21a loadBalancerClass off LoadBalancer
//   SVC-23  healthCheckNodePort unless LoadBalancer + externalTrafficPolicy Local
import { isScalar, type Node } from 'yaml';
import { mapAt, pairAt, removeKey, replaceScalar, setKey, setPairValue } from '../../engine/edits';
import type { Path } from '../../engine/model';
import { isPlainObject, type Resource } from '../../engine/parse';
import { defineRule, type Edit, type Fix } from '../../engine/rule';
import { effectiveType, insertAfterPair, insertFirstKey, intOf, isCoreService, nodePortPlan, portText, rawPorts, type ServiceType, specOf, typeExplicit, typeText } from './shared';

const SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';

interface Violation {
  key: string;
  path: Path;
  part: 'key' | 'value';
  /** the field as the message names it */
  field: string;
  portIndex?: number;
  /** accepted by the API server but without effect: a warning, not a refusal */
  ignored?: boolean;
}

const nonEmptyList = (v: unknown) => Array.isArray(v) && v.length > 0;
const isSet = (v: unknown) => v !== undefined && v !== null;

function headlessPath(spec: Record<string, any>): Path | undefined {
  if (spec.clusterIP === 'None') return ['spec', 'clusterIP'];
  if ((spec.clusterIP === undefined || spec.clusterIP === null || spec.clusterIP === '') && Array.isArray(spec.clusterIPs) && spec.clusterIPs[0] === 'None') {
    return ['spec', 'clusterIPs', 0];
  }
  return undefined;
}

/** What the API server would refuse if the Service had type `t`. */
function violations(r: Resource, t: ServiceType): Violation[] {
  const spec = specOf(r);
  const out: Violation[] = [];
  const isLB = t === 'LoadBalancer';
  if (t === 'ClusterIP' || t === 'ExternalName') {
    // ExternalName: validation accepts a nodePort and nothing allocates it; it is only dead weight (warning)
    rawPorts(r).forEach((p, i) => {
      if (isPlainObject(p) && intOf(p.nodePort)) {
        out.push({ key: `nodePort:${i}`, path: ['spec', 'ports', i, 'nodePort'], part: 'value', field: 'nodePort', portIndex: i, ignored: t === 'ExternalName' });
      }
    });
  }
  if (t === 'NodePort' || isLB) {
    const hp = headlessPath(spec);
    if (hp) out.push({ key: 'headless', path: hp, part: 'value', field: 'clusterIP' });
  }
  if (t === 'ExternalName') {
    if (typeof spec.clusterIP === 'string' && spec.clusterIP !== '') out.push({ key: 'clusterIP', path: ['spec', 'clusterIP'], part: 'value', field: 'clusterIP' });
    else if (nonEmptyList(spec.clusterIPs)) out.push({ key: 'clusterIP', path: ['spec', 'clusterIPs'], part: 'key', field: 'clusterIPs' });
    if (nonEmptyList(spec.ipFamilies)) out.push({ key: 'ipFamilies', path: ['spec', 'ipFamilies'], part: 'key', field: 'ipFamilies' });
    if (isSet(spec.ipFamilyPolicy)) out.push({ key: 'ipFamilyPolicy', path: ['spec', 'ipFamilyPolicy'], part: 'key', field: 'ipFamilyPolicy' });
  }
  const etp = typeof spec.externalTrafficPolicy === 'string' && spec.externalTrafficPolicy !== '' ? spec.externalTrafficPolicy : undefined;
  const externallyAccessible = t === 'NodePort' || isLB || (t === 'ClusterIP' && nonEmptyList(spec.externalIPs));
  if (etp !== undefined && !externallyAccessible) {
    out.push({ key: 'etp', path: ['spec', 'externalTrafficPolicy'], part: 'key', field: 'externalTrafficPolicy' });
  }
  if (!isLB) {
    if (nonEmptyList(spec.loadBalancerSourceRanges)) {
      out.push({ key: 'lbsr', path: ['spec', 'loadBalancerSourceRanges'], part: 'key', field: 'loadBalancerSourceRanges' });
    } else {
      const annotations = r.value.metadata?.annotations;
      if (isPlainObject(annotations) && SOURCE_RANGES_ANNOTATION in annotations) {
        out.push({ key: 'lbsr-annotation', path: ['metadata', 'annotations', SOURCE_RANGES_ANNOTATION], part: 'key', field: `the annotation ${SOURCE_RANGES_ANNOTATION}` });
      }
    }
    if (isSet(spec.allocateLoadBalancerNodePorts)) out.push({ key: 'alnp', path: ['spec', 'allocateLoadBalancerNodePorts'], part: 'key', field: 'allocateLoadBalancerNodePorts' });
    if (isSet(spec.loadBalancerClass)) out.push({ key: 'lbc', path: ['spec', 'loadBalancerClass'], part: 'key', field: 'loadBalancerClass' });
  }
  if (intOf(spec.healthCheckNodePort) && !(isLB && etp === 'Local')) {
    out.push({ key: 'hcnp', path: ['spec', 'healthCheckNodePort'], part: 'key', field: 'healthCheckNodePort' });
  }
  return out;
}

/** Types that allow a field, in the order a fix offers them. */
function candidatesFor(key: string): ServiceType[] {
  if (key.startsWith('nodePort:') || key === 'etp') return ['NodePort', 'LoadBalancer'];
  if (key === 'headless') return ['ClusterIP'];
  if (['lbsr', 'lbsr-annotation', 'alnp', 'lbc', 'hcnp'].includes(key)) return ['LoadBalancer'];
  return [];
}

/** A type change that clears this violation without adding any other refusal (nodePorts stay in range). */
function typeChange(r: Resource, current: ServiceType, v: Violation, now: Set<string>, range: { min: number; max: number }, taken: Set<number>): ServiceType | undefined {
  if (current === 'ExternalName') return undefined;
  for (const t of candidatesFor(v.key)) {
    if (t === current) continue;
    const after = violations(r, t);
    if (after.some((x) => x.key === v.key || !now.has(x.key))) continue;
    if (t === 'NodePort' || t === 'LoadBalancer') {
      const blocked = rawPorts(r).some((p) => {
        const np = isPlainObject(p) ? intOf(p.nodePort) : undefined;
        return !!np && (np < range.min || np > range.max || taken.has(np));
      });
      if (blocked) continue; // the new type would allocate them: out of range or taken is another refusal
    }
    return t;
  }
  return undefined;
}

function setTypeEdit(r: Resource, t: ServiceType): Edit | undefined {
  const pair = pairAt(r, ['spec'], 'type');
  if (pair) {
    const v = pair.value as Node | null;
    if (isScalar(v) && v.range && v.range[1] > v.range[0] && v.value !== '') return replaceScalar(r.chunk, v, t);
    return setPairValue(r.chunk, pair, t);
  }
  const spec = mapAt(r, ['spec']);
  return spec ? insertFirstKey(r.chunk, spec, 'type', t) : undefined;
}

function removeEdits(r: Resource, v: Violation): Edit[] {
  const remove = (path: Path, key: string): Edit | undefined => {
    const map = mapAt(r, path);
    return map ? removeKey(r.chunk, map, key) : undefined;
  };
  let edits: (Edit | undefined)[];
  if (v.key === 'headless' || v.key === 'clusterIP') {
    const spec = specOf(r);
    edits = [spec.clusterIP !== undefined ? remove(['spec'], 'clusterIP') : undefined, spec.clusterIPs !== undefined ? remove(['spec'], 'clusterIPs') : undefined];
  } else {
    edits = [remove(v.path.slice(0, -1), String(v.path[v.path.length - 1]))];
  }
  return edits.filter((e): e is Edit => !!e);
}

export default defineRule({
  id: 'service-type-mismatch',
  severity: 'error',
  description: "A Service sets a field its type does not allow (nodePort on ClusterIP, load balancer fields off LoadBalancer, ...); the API server refuses it.",
  fixable: true,
  kinds: ['Service'],
  check(r, ctx) {
    if (!isCoreService(r)) return;
    const type = effectiveType(r);
    if (!type) return; // an unknown type is the schema rule's finding
    const spec = specOf(r);
    const found = violations(r, type);
    if (found.length === 0) return;
    const now = new Set(found.map((v) => v.key));
    const name = `Service ${r.name ?? '<unnamed>'}`;
    const isType = `${name} is type ${typeText(r, type)}`;
    const etp = typeof spec.externalTrafficPolicy === 'string' ? spec.externalTrafficPolicy : undefined;
    // node ports other Services hold: a type change that would allocate one of them trades one refusal for another
    const taken = new Set<number>();
    if (type === 'ClusterIP' && rawPorts(r).some((p) => isPlainObject(p) && intOf(p.nodePort))) {
      for (const [svc, claims] of nodePortPlan(ctx, r).claims) {
        if (svc === r || ctx.sameIdentity(svc, r)) continue;
        for (const c of claims) if (c.status === 'ok' || c.status === 'shared') taken.add(c.value);
      }
    }

    for (const v of found) {
      const newType = typeChange(r, type, v, now, ctx.config.nodePortRange, taken);
      const orType = newType ? ` Remove it, or set type: ${newType}.` : ' Remove it.';
      let message: string;
      let removeTitle = `Remove ${v.field}`;
      // fixes beyond removal and type change, built when fixes are read
      const extra: (() => Fix | undefined)[] = [];
      let alwaysPreferRemoval = false;

      switch (v.key) {
        case 'headless': {
          message =
            `${name} is headless (clusterIP: None), but a ${type} Service needs a cluster IP behind its node ports, ` +
            `so the API server refuses it. Remove clusterIP: None to keep the ${type} exposure${newType ? ', or make it a plain headless ClusterIP Service' : ''}.`;
          removeTitle = 'Remove clusterIP: None';
          alwaysPreferRemoval = true;
          break;
        }
        case 'clusterIP':
          message =
            `${isType}, a DNS alias that never gets a cluster IP, so the API server refuses ${v.field}` +
            `${v.field === 'clusterIP' ? ` "${spec.clusterIP}"` : ''}. Remove it.`;
          removeTitle = spec.clusterIPs !== undefined && spec.clusterIP !== undefined ? 'Remove clusterIP and clusterIPs' : `Remove ${v.field}`;
          break;
        case 'ipFamilies':
        case 'ipFamilyPolicy':
          message = `${isType}, a DNS alias with no cluster IP, so the API server refuses ${v.field}. Remove it.`;
          break;
        case 'etp': {
          message =
            `externalTrafficPolicy only governs traffic arriving from outside the cluster (NodePort, LoadBalancer, or a Service with externalIPs); ` +
            `${isType}, so the API server refuses it.`;
          const itpOk = type === 'ClusterIP' && (etp === 'Local' || etp === 'Cluster') && spec.internalTrafficPolicy === undefined;
          if (itpOk) {
            message += ` For node-local routing of traffic from inside the cluster, the field is internalTrafficPolicy.`;
            extra.push(() => {
              const pair = pairAt(r, ['spec'], 'externalTrafficPolicy');
              return pair && isScalar(pair.key)
                ? { title: `Rename to internalTrafficPolicy: ${etp}`, edits: [replaceScalar(r.chunk, pair.key as Node, 'internalTrafficPolicy')] }
                : undefined;
            });
          }
          message += orType;
          break;
        }
        case 'lbsr':
        case 'lbsr-annotation':
        case 'alnp':
        case 'lbc':
          message = `${v.field} only applies to type LoadBalancer; ${isType}, so the API server refuses it.${orType}`;
          if (v.key === 'lbsr-annotation') removeTitle = 'Remove the load-balancer-source-ranges annotation';
          break;
        case 'hcnp': {
          const why = type === 'LoadBalancer' ? `${name} is type LoadBalancer with externalTrafficPolicy ${etp ? etp : 'Cluster (the default)'}` : isType;
          message =
            `healthCheckNodePort only exists on a LoadBalancer Service with externalTrafficPolicy: Local; ${why}, so the API server refuses it.` +
            (type === 'LoadBalancer' ? ' Remove it, or set externalTrafficPolicy: Local.' : orType);
          if (type === 'LoadBalancer') {
            extra.push(() => {
              const pair = pairAt(r, ['spec'], 'externalTrafficPolicy');
              const specMap = mapAt(r, ['spec']);
              const edit = pair
                ? setPairValue(r.chunk, pair, 'Local')
                : specMap
                  ? (insertAfterPair(r.chunk, specMap, 'healthCheckNodePort', 'externalTrafficPolicy', 'Local') ?? setKey(r.chunk, specMap, 'externalTrafficPolicy', 'Local'))
                  : undefined;
              return edit ? { title: 'Set externalTrafficPolicy: Local', edits: [edit] } : undefined;
            });
          }
          break;
        }
        default: {
          const i = v.portIndex!;
          const np = intOf((rawPorts(r)[i] as any).nodePort);
          const pt = portText(rawPorts(r)[i], i);
          const on = pt.startsWith('ports[') ? pt : `port ${pt}`;
          if (v.ignored) {
            message = `${isType}, a DNS alias that opens no port on the nodes, so nodePort ${np} on ${on} is ignored. Remove it.`;
            break;
          }
          message =
            `${isType}, which opens no port on the nodes, so the API server refuses nodePort ${np} on ${on}. ` +
            (newType ? `To expose it on every node, set type: ${newType}; otherwise remove nodePort.` : 'Remove nodePort.');
        }
      }

      const fixes = (): Fix[] => {
        const removal = removeEdits(r, v);
        const typeEdit = newType && setTypeEdit(r, newType);
        const preferRemoval = alwaysPreferRemoval || typeExplicit(r) || !typeEdit;
        const out: Fix[] = [];
        if (removal.length) out.push({ title: removeTitle, isPreferred: preferRemoval, edits: removal });
        if (typeEdit && newType) out.push({ title: `Change type to ${newType}`, isPreferred: !preferRemoval || !removal.length, edits: [typeEdit] });
        for (const f of extra) {
          const fix = f();
          if (fix) out.push(fix);
        }
        return out.sort((a, b) => Number(!!b.isPreferred) - Number(!!a.isPreferred));
      };
      ctx.report({ message, at: v.path, part: v.part, fixes, ...(v.ignored ? { severity: 'warning' as const, tags: ['unnecessary' as const] } : {}) });
    }
  },
});
