// Picks the JSON Schema for a resource by apiVersion and kind (compiled ahead of
// time in the bundles, once on first use from source). Also turns a document's
// value into what the API server would decode: null-valued fields dropped (the
// API treats them as absent), strategic-merge-patch directives set aside.
import Ajv, { type ValidateFunction } from 'ajv';
import { AJV_OPTIONS, configureAjv } from './ajvSetup';
import { PRECOMPILED } from './precompiled';
import { isScalar, Scalar, type Node } from 'yaml';

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
  ajv ??= configureAjv(new Ajv(AJV_OPTIONS));
  return ajv;
}

/** The compiled validator for a resource, or undefined when its apiVersion/kind is not modelled. */
export function validatorFor(apiVersion: string, kind: string): ValidateFunction | undefined {
  const ref = SCHEMA_REFS[`${apiVersion}|${kind}`];
  if (!ref) return undefined;
  let v = compiled.get(ref) ?? PRECOMPILED?.[ref];
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

/**
 * The object the API server decodes from a document's JS value (see the
 * comments inside). Copy on write: the value itself when nothing changes, as
 * for almost every document, so checking allocates no second copy of it.
 */
export function apiValue(value: unknown, info: ApiValueInfo = { patch: false }, depth = 0): unknown {
  if (depth > 64) return undefined;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const v = apiValue(item, info, depth + 1) ?? null;
      if (out) out.push(v);
      else if (v !== item) (out = value.slice(0, i)).push(v);
    }
    return out ?? value;
  }
  if (value === null || typeof value !== 'object' || value instanceof Date) return typeof value === 'bigint' ? Number(value) : value;
  // a map: the API server drops null fields; patch directives are no fields
  const map = value as Record<string, unknown>;
  const keys = Object.keys(map);
  let out: Record<string, unknown> | undefined;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const x = map[k];
    let v: unknown;
    if (k.charCodeAt(0) === 0x24 /* $ */ && PATCH_DIRECTIVE.test(k)) info.patch = true;
    else v = apiValue(x, info, depth + 1);
    const keep = v !== null && v !== undefined;
    if (out) {
      if (keep) out[k] = v;
    } else if (!keep || v !== x) {
      out = {};
      for (let j = 0; j < i; j++) out[keys[j]] = map[keys[j]];
      if (keep) out[k] = v;
    }
  }
  return out ?? value;
}

export type { Node };
