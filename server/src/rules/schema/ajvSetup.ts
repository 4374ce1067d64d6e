// How our JSON Schemas are compiled: the ajv options, our string formats and
// keywords. Shared by the runtime compile (engine tests run from source) and
// scripts/gen-validators.ts, which compiles the schemas once at build time into
// the bundles (compiling at run time took ~100-200 ms on a server's first open).
import type Ajv from 'ajv';
import { _, type KeywordCxt, type Options } from 'ajv';
import common from '../../../../schemas/common.schema.json';
import endpoints from '../../../../schemas/endpoints.schema.json';
import endpointslice from '../../../../schemas/endpointslice.schema.json';
import ingressclass from '../../../../schemas/ingressclass.schema.json';
import ingress from '../../../../schemas/ingress.schema.json';
import pod from '../../../../schemas/pod.schema.json';
import service from '../../../../schemas/service.schema.json';
import workloads from '../../../../schemas/workloads.schema.json';
import { FORMATS } from './formats';

// Our schemas are checked by the tests, so the meta-schema is not compiled;
// shared definitions stay separate functions instead of being inlined into
// every kind, which keeps the compile short.
export const AJV_OPTIONS: Options = { allErrors: true, strict: false, verbose: true, validateSchema: false, inlineRefs: false, code: { optimize: false } };

/** ajv format definitions by name (`optional-<name>` also accepts ''); the generated code requires this module for them. */
export const AJV_FORMATS: Record<string, { type: 'string'; validate: (s: string) => boolean }> = {};
for (const [name, f] of Object.entries(FORMATS)) {
  AJV_FORMATS[name] = { type: 'string', validate: (s: string) => f.check(s).length === 0 };
  AJV_FORMATS[`optional-${name}`] = { type: 'string', validate: (s: string) => s === '' || f.check(s).length === 0 };
}

export function configureAjv(a: Ajv): Ajv {
  for (const [name, def] of Object.entries(AJV_FORMATS)) a.addFormat(name, def);
  // `x-misplaced: {key: hint}`: a field that belongs elsewhere (e.g. `hostPort` on a
  // Service port). Generated code, so the build can compile it ahead of time.
  a.addKeyword({
    keyword: 'x-misplaced',
    type: 'object',
    schemaType: 'object',
    code(cxt: KeywordCxt) {
      const { gen, data, schema, parentSchema } = cxt;
      for (const [key, hint] of Object.entries(schema as Record<string, string>)) {
        const rename: string | undefined = parentSchema?.['x-rename']?.[key];
        gen.if(_`Object.prototype.hasOwnProperty.call(${data}, ${key})`, () => {
          cxt.error(true, { key, hint, rename: rename ?? _`undefined` });
        });
      }
    },
    error: {
      message: ({ params }) => _`${params.hint}`,
      params: ({ params }) => _`{key: ${params.key}, hint: ${params.hint}, rename: ${params.rename}}`,
    },
  });
  // annotations read when writing messages
  a.addVocabulary(['x-messages', 'x-required', 'x-range', 'x-rename', 'x-empty', 'x-int-or-string']);
  for (const s of [common, service, ingress, ingressclass, endpoints, endpointslice, pod, workloads]) a.addSchema(s as object);
  return a;
}
