// Compiles the JSON Schemas in schemas/ once (lazily) and picks the one for a
// resource by apiVersion and kind. Also turns a YAML node into the value the
// API server would decode: YAML 1.1 booleans (yes/no/on/off, as kubectl reads
// them), merge keys, and null-valued fields dropped (the API treats them as
// absent).
import Ajv, { type ValidateFunction } from 'ajv';
import { isAlias, isMap, isScalar, isSeq, Scalar, type Document, type Node } from 'yaml';
import common from '../../../../schemas/common.schema.json';
import endpoints from '../../../../schemas/endpoints.schema.json';
import endpointslice from '../../../../schemas/endpointslice.schema.json';
import ingressclass from '../../../../schemas/ingressclass.schema.json';
import ingress from '../../../../schemas/ingress.schema.json';
import pod from '../../../../schemas/pod.schema.json';
import service from '../../../../schemas/service.schema.json';
import workloads from '../../../../schemas/workloads.schema.json';
import { FORMATS } from './formats';

const BASE = 'https://kube-expose.dev/schemas/';

const WORKLOAD = `${BASE}workloads.schema.json#/definitions/workload`;

/** `apiVersion|kind` -> schema reference. Only these exact versions are checked. */
export const SCHEMA_REFS: Record<string, string> = {
  'v1|Service': `${BASE}service.schema.json`,
  'networking.k8s.io/v1|Ingress': `${BASE}ingress.schema.json`,
  'networking.k8s.io/v1beta1|Ingress': `${BASE}ingress.schema.json#/definitions/ingressV1beta1`,
  'extensions/v1beta1|Ingress': `${BASE}ingress.schema.json#/definitions/ingressV1beta1`,
  'networking.k8s.io/v1|IngressClass': `${BASE}ingressclass.schema.json`,
  'networking.k8s.io/v1beta1|IngressClass': `${BASE}ingressclass.schema.json`,
  'v1|Endpoints': `${BASE}endpoints.schema.json`,
  'discovery.k8s.io/v1|EndpointSlice': `${BASE}endpointslice.schema.json`,
  'discovery.k8s.io/v1beta1|EndpointSlice': `${BASE}endpointslice.schema.json#/definitions/endpointSliceV1beta1`,
  'v1|Pod': `${BASE}pod.schema.json`,
  'v1|ReplicationController': `${BASE}workloads.schema.json#/definitions/replicationController`,
  'batch/v1|Job': WORKLOAD,
  'batch/v1|CronJob': `${BASE}workloads.schema.json#/definitions/cronJob`,
  'batch/v1beta1|CronJob': `${BASE}workloads.schema.json#/definitions/cronJob`,
  'argoproj.io/v1alpha1|Rollout': `${BASE}workloads.schema.json#/definitions/rollout`,
};
for (const kind of ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet']) {
  // the removed beta versions had the same template shape
  for (const v of ['apps/v1', 'apps/v1beta1', 'apps/v1beta2', 'extensions/v1beta1']) SCHEMA_REFS[`${v}|${kind}`] = WORKLOAD;
}

export const CHECKED_KINDS = [...new Set(Object.keys(SCHEMA_REFS).map((k) => k.split('|')[1]))];

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

function instance(): Ajv {
  if (ajv) return ajv;
  // Our schemas are checked by the tests, so skip compiling the meta-schema;
  // shared definitions stay separate functions instead of being inlined into
  // every kind, which keeps the one-time compile short.
  const a = new Ajv({ allErrors: true, strict: false, verbose: true, validateSchema: false, inlineRefs: false, code: { optimize: false } });
  for (const [name, f] of Object.entries(FORMATS)) {
    a.addFormat(name, { type: 'string', validate: (s: string) => f.check(s).length === 0 });
    a.addFormat(`optional-${name}`, { type: 'string', validate: (s: string) => s === '' || f.check(s).length === 0 });
  }
  a.addKeyword({
    keyword: 'x-misplaced',
    type: 'object',
    schemaType: 'object',
    errors: true,
    validate: function misplaced(schema: Record<string, string>, data: Record<string, unknown>, parent?: Record<string, any>) {
      const keys = Object.keys(schema).filter((k) => Object.prototype.hasOwnProperty.call(data, k));
      if (keys.length === 0) return true;
      (misplaced as any).errors = keys.map((k) => ({
        keyword: 'x-misplaced',
        params: { key: k, hint: schema[k], rename: parent?.['x-rename']?.[k] },
        message: schema[k],
      }));
      return false;
    },
  });
  // annotations read when writing messages
  a.addVocabulary(['x-messages', 'x-required', 'x-range', 'x-rename', 'x-empty', 'x-int-or-string']);
  for (const s of [common, service, ingress, ingressclass, endpoints, endpointslice, pod, workloads]) a.addSchema(s as object);
  ajv = a;
  return a;
}

/** The compiled validator for a resource, or undefined when its apiVersion/kind is not modelled. */
export function validatorFor(apiVersion: string, kind: string): ValidateFunction | undefined {
  const ref = SCHEMA_REFS[`${apiVersion}|${kind}`];
  if (!ref) return undefined;
  let v = compiled.get(ref);
  if (!v) {
    v = instance().getSchema(ref);
    if (!v) throw new Error(`schema ${ref} not found`);
    compiled.set(ref, v);
  }
  return v;
}

// ---------------------------------------------------------------------------
// YAML -> the value the API server decodes

/** Plain scalars YAML 1.1 (kubectl's YAML parser) reads as booleans. */
const YAML11_BOOL: Record<string, boolean> = Object.fromEntries([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON'].map((w) => [w, true]),
  ...['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF'].map((w) => [w, false]),
]);

/** True when a plain scalar's text is a YAML 1.1 boolean that YAML 1.2 reads as a string. */
export function isYaml11Bool(node: unknown): boolean {
  if (!isScalar(node) || node.type !== Scalar.PLAIN) return false;
  // documents are parsed as YAML 1.1 (as kubectl does), so the value is already a
  // boolean: recognise the word from the source text
  const src = typeof (node as { source?: unknown }).source === 'string' ? (node as { source: string }).source : node.value;
  return typeof src === 'string' && src in YAML11_BOOL;
}

/** Strategic-merge-patch directives (kustomize patches): not fields, and mark the document as a partial patch. */
const PATCH_DIRECTIVE = /^\$(patch|retainKeys|setElementOrder\/|deleteFromPrimitiveList\/)/;

export interface ApiValueInfo {
  /** the document uses strategic-merge-patch directives: it is a partial object */
  patch: boolean;
}

export function apiValue(node: unknown, doc: Document.Parsed, info: ApiValueInfo = { patch: false }, depth = 0): unknown {
  if (depth > 64) return undefined;
  if (isAlias(node)) return apiValue(node.resolve(doc), doc, info, depth + 1);
  if (isScalar(node)) {
    if (typeof node.value === 'string' && isYaml11Bool(node)) return YAML11_BOOL[node.value];
    const v = node.value;
    return typeof v === 'bigint' ? Number(v) : v;
  }
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    const merged: Record<string, unknown>[] = [];
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      // YAML 1.1 parsing turns the merge key `<<` into a symbol
      const k = key === null || key === undefined ? '' : typeof key === 'symbol' ? '<<' : String(key);
      if (PATCH_DIRECTIVE.test(k)) {
        info.patch = true;
        continue;
      }
      const v = apiValue(pair.value, doc, info, depth + 1);
      if (k === '<<' && isScalar(pair.key) && pair.key.type === Scalar.PLAIN) {
        // merge key (YAML 1.1): bring in the aliased maps' entries, explicit keys win
        for (const m of Array.isArray(v) ? v : [v]) if (m && typeof m === 'object' && !Array.isArray(m)) merged.push(m as Record<string, unknown>);
        continue;
      }
      if (v === null || v === undefined) continue;
      out[k] = v;
    }
    for (const m of merged) for (const [k, v] of Object.entries(m)) if (!(k in out)) out[k] = v;
    return out;
  }
  if (isSeq(node)) return node.items.map((item) => apiValue(item, doc, info, depth + 1) ?? null);
  return null;
}

export type { Node };
