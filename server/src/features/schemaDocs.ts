// Fallback hover text: the `description` (and enum) of the JSON Schema node at
// a path, for fields the curated texts in fields.ts do not cover. Walks the
// schemas in schemas/ through $ref, properties, items, additionalProperties
// and allOf/anyOf/oneOf branches; `if`/`then` refinements are ignored.
import common from '../../../schemas/common.schema.json';
import endpoints from '../../../schemas/endpoints.schema.json';
import endpointslice from '../../../schemas/endpointslice.schema.json';
import ingressclass from '../../../schemas/ingressclass.schema.json';
import ingress from '../../../schemas/ingress.schema.json';
import pod from '../../../schemas/pod.schema.json';
import service from '../../../schemas/service.schema.json';
import workloads from '../../../schemas/workloads.schema.json';
import type { Path } from '../engine/model';
import { SCHEMA_REFS } from '../rules/schema/validator';

type Schema = Record<string, any>;

const BASE = 'https://kube-expose.dev/schemas/';
const DOCS: Record<string, Schema> = {};
for (const s of [common, service, ingress, ingressclass, endpoints, endpointslice, pod, workloads] as Schema[]) DOCS[s.$id] = s;

function resolve(ref: string, from: string): { schema?: Schema; doc: string } {
  const [file, pointer = ''] = ref.split('#');
  const doc = file ? (file.startsWith('http') ? file : BASE + file) : from;
  let node: any = DOCS[doc];
  for (const part of pointer.split('/').filter(Boolean)) node = node?.[decodeURIComponent(part.replace(/~1/g, '/').replace(/~0/g, '~'))];
  return { schema: node && typeof node === 'object' ? node : undefined, doc };
}

interface At {
  s: Schema;
  doc: string;
}

/** Expands $ref and composition into the list of schemas that apply to one value. */
function expand(at: At, depth = 0): At[] {
  if (depth > 12) return [];
  const out: At[] = [at];
  if (typeof at.s.$ref === 'string') {
    const r = resolve(at.s.$ref, at.doc);
    if (r.schema) out.push(...expand({ s: r.schema, doc: r.doc }, depth + 1));
  }
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    if (Array.isArray(at.s[key])) for (const sub of at.s[key]) if (sub && typeof sub === 'object') out.push(...expand({ s: sub, doc: at.doc }, depth + 1));
  }
  return out;
}

function child(list: At[], seg: string | number): At[] {
  const out: At[] = [];
  for (const at of list) {
    if (typeof seg === 'number') {
      const items = at.s.items;
      if (items && typeof items === 'object' && !Array.isArray(items)) out.push({ s: items, doc: at.doc });
    } else {
      const props = at.s.properties;
      if (props && typeof props === 'object' && props[seg]) out.push({ s: props[seg], doc: at.doc });
      else if (at.s.additionalProperties && typeof at.s.additionalProperties === 'object') out.push({ s: at.s.additionalProperties, doc: at.doc });
    }
  }
  return out.flatMap((a) => expand(a));
}

export interface SchemaDoc {
  description?: string;
  title?: string;
  enum?: unknown[];
}

/** The schema documentation of a path under a resource, if its apiVersion/kind is modelled. */
export function schemaDoc(apiVersion: string, kind: string, path: Path): SchemaDoc | undefined {
  const ref = SCHEMA_REFS[`${apiVersion}|${kind}`];
  if (!ref) return undefined;
  const root = resolve(ref.startsWith(BASE) ? ref.slice(BASE.length) : ref, '');
  if (!root.schema) return undefined;
  let list = expand({ s: root.schema, doc: root.doc });
  for (const seg of path) {
    list = child(list, seg);
    if (list.length === 0) return undefined;
  }
  // the outermost description wins (a property's own text over its $ref target's generic one)
  const description = list.find((a) => typeof a.s.description === 'string')?.s.description as string | undefined;
  const title = list.find((a) => typeof a.s.title === 'string')?.s.title as string | undefined;
  const en = list.find((a) => Array.isArray(a.s.enum))?.s.enum as unknown[] | undefined;
  if (!description && !en) return undefined;
  return { description, title, enum: en };
}
