// Every field of the schemas given the wrong type. For each modelled kind, a
// document with every field the schema knows (built from schemas/*.json) is
// generated; then each field in turn gets values of other types (null, a
// number, a string, a boolean, a list, a map). No rule may crash, every range
// stays inside the document, and the schema rule reports the wrong type.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { SCHEMA_REFS } from '../../server/src/rules/schema/validator';
import { assertSound, coldCheck, show } from './invariants';
import { ROOT } from './lsp';

process.removeAllListeners('warning');

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Schema = Record<string, any>;

const BASE = 'https://kube-expose.dev/schemas/';
const SCHEMAS = new Map<string, Schema>();
for (const name of readdirSync(join(ROOT, 'schemas'))) {
  if (name.endsWith('.json')) SCHEMAS.set(name, JSON.parse(readFileSync(join(ROOT, 'schemas', name), 'utf8')));
}

/** Resolves `file.json#/definitions/x`, `#/definitions/x` or a full $id URL relative to the current file. */
function resolveRef(ref: string, file: string): { schema: Schema; file: string } {
  const [path, pointer = ''] = ref.replace(BASE, '').split('#');
  const target = path || file;
  let node: any = SCHEMAS.get(target);
  if (!node) throw new Error(`unknown schema file ${target} (${ref})`);
  for (const seg of pointer.split('/').filter(Boolean)) node = node[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
  if (!node) throw new Error(`unresolved ${ref}`);
  return { schema: node, file: target };
}

/** A value with every field the schema describes (to a depth), of the right types. */
function sample(schema: Schema, file: string, depth: number): Json {
  if (schema.$ref) {
    const r = resolveRef(schema.$ref, file);
    return sample({ ...r.schema, ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$ref')) }, r.file, depth);
  }
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  for (const key of ['allOf']) {
    if (Array.isArray(schema[key])) {
      const parts = schema[key].map((s: Schema) => sample(s, file, depth));
      const own = schema.properties ? sample({ ...schema, [key]: undefined }, file, depth) : {};
      return Object.assign({}, ...parts.filter((p: Json) => p && typeof p === 'object' && !Array.isArray(p)), own);
    }
  }
  for (const key of ['oneOf', 'anyOf']) if (Array.isArray(schema[key]) && !schema.properties && !schema.type) return sample(schema[key][0], file, depth);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === 'object' || schema.properties) {
    const out: Record<string, Json> = {};
    if (depth <= 0) return out;
    for (const [k, v] of Object.entries(schema.properties ?? {})) out[k] = sample(v as Schema, file, depth - 1);
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object' && !schema.properties) out.key = sample(schema.additionalProperties, file, depth - 1);
    return out;
  }
  if (type === 'array') return depth <= 0 || !schema.items ? [] : [sample(schema.items, file, depth - 1)];
  if (type === 'integer' || type === 'number') return Math.max(schema.minimum ?? 80, Math.min(schema.maximum ?? 80, 80));
  if (type === 'boolean') return true;
  if (schema['x-int-or-string']) return 80;
  return 'a';
}

/** Every path in a value (maps and lists included). */
function paths(value: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (value && typeof value === 'object') {
    for (const [k, v] of Array.isArray(value) ? value.map((x, i) => [i, x] as const) : Object.entries(value)) {
      const p = [...prefix, k];
      out.push(p);
      paths(v as Json, p, out);
    }
  }
  return out;
}

function setAt(value: Json, path: (string | number)[], v: Json): Json {
  const copy = structuredClone(value);
  let cur: any = copy;
  for (const seg of path.slice(0, -1)) cur = cur[seg];
  cur[path[path.length - 1]] = v;
  return copy;
}

const WRONG: Json[] = [null, 7, -1.5, 'text', '', true, [], [1, 'a'], {}, { a: { b: 1 } }];
const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** One document per kind: apiVersion|kind → the sample. */
export function kindSamples(): [string, Json][] {
  const seen = new Set<string>();
  const out: [string, Json][] = [];
  for (const [key, ref] of Object.entries(SCHEMA_REFS)) {
    if (seen.has(ref + key.split('|')[1])) continue; // one apiVersion per kind and schema
    seen.add(ref + key.split('|')[1]);
    const [apiVersion, kind] = key.split('|');
    const { schema, file } = resolveRef(ref, '');
    const value = sample(schema, file, 9) as Record<string, Json>;
    out.push([key, { ...value, apiVersion, kind, metadata: { ...((value.metadata as object) ?? {}), name: 'sample' } }]);
  }
  return out;
}

const FULL = process.env.FUZZ_LONG === '1';

describe('every schema field with the wrong type', () => {
  const samples = kindSamples();

  it('samples every modelled kind, and each sample is well-formed', () => {
    assert.ok(samples.length >= 12, `${samples.length} kinds`);
    for (const [key, value] of samples) {
      const text = stringify(value);
      const files = { [`s/${key.replace(/[|/]/g, '_')}.yaml`]: text };
      const r = coldCheck(files);
      assertSound(files, r);
      assert.equal(r.diagnostics.filter((d) => d.rule === 'yaml-syntax').length, 0, show(r.diagnostics));
    }
  });

  for (const [key, value] of samples) {
    it(key, () => {
      // the mutations of a kind as documents of files, each document on its own
      const docs: string[] = [];
      // The pod template is one schema shared by every workload kind: `npm test` mutates it
      // in Pod and in a CronJob's job template only, with one wrong value per field (rotating);
      // the long run (`npm run fuzz`) does every kind with every wrong type.
      const sharedTemplate = (p: (string | number)[]) => /^spec\.(template|jobTemplate)/.test(p.join('.'));
      const all = paths(value).filter((p) => p[0] !== 'apiVersion' && p[0] !== 'kind' && (FULL || !sharedTemplate(p) || /\|(Pod|CronJob)$/.test(key)));
      all.forEach((p, i) => {
        const original = p.reduce<any>((v, seg) => v[seg], value);
        const wrongs = WRONG.filter((w) => typeOf(w) !== typeOf(original));
        const chosen = FULL ? wrongs : [wrongs[i % wrongs.length]];
        for (const w of chosen) docs.push(i % 2 ? JSON.stringify(setAt(value, p, w)) + '\n' : stringify(setAt(value, p, w)));
      });
      // in files of 100 documents: each check bounded on its own
      for (let i = 0; i < docs.length; i += 100) {
        const files = { [`w/${key.replace(/[|/]/g, '_')}-${i}.yaml`]: docs.slice(i, i + 100).join('---\n') };
        assertSound(files, coldCheck(files), 20_000);
      }
      assert.ok(docs.length > 5, `${docs.length} documents`);
    });
  }
});
