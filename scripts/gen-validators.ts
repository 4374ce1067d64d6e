// Compiles every schema reference the `schema` rule uses into one CommonJS
// module (ajv standalone code), so the bundles never run ajv's compiler.
// Usage: node --import tsx scripts/gen-validators.ts <out.js>
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Ajv, { _ } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { AJV_OPTIONS, configureAjv } from '../server/src/rules/schema/ajvSetup';
import { SCHEMA_REFS } from '../server/src/rules/schema/validator';

const out = process.argv[2];
if (!out) throw new Error('usage: gen-validators.ts <out.js>');
const formats = join(__dirname, '..', 'server', 'src', 'rules', 'schema', 'ajvSetup.ts');
// Compiled once here, so the options can favour the validators' speed over the compile's:
// shared definitions inlined, ajv's code optimisation on (the first check of a resource
// kind runs about a third faster; bundles grow by ~5 KB).
const ajv = configureAjv(new Ajv({ ...AJV_OPTIONS, inlineRefs: true, code: { ...AJV_OPTIONS.code, optimize: true, source: true, formats: _`require(${formats}).AJV_FORMATS` } }));
const refs = [...new Set(Object.values(SCHEMA_REFS))];
const names = Object.fromEntries(refs.map((ref, i) => [`v${i}`, ref]));
for (const ref of refs) if (!ajv.getSchema(ref)) throw new Error(`schema ${ref} not found`);
const code = standaloneCode(ajv, names);
const table = refs.map((ref, i) => `  ${JSON.stringify(ref)}: exports.v${i},`).join('\n');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${code}\nexports.PRECOMPILED = {\n${table}\n};\n`);
