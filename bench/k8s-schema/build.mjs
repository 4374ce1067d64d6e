// Builds the Kubernetes JSON Schema that the benchmark gives yaml-language-server
// (it cannot download yannh/kubernetes-json-schema here). Source: the OpenAPI
// models generated into @kubernetes/client-node (dist/gen/models: property names,
// types and formats from `attributeTypeMap`, descriptions and required-ness from
// the .d.ts), and the kind → group/version mapping from its API classes
// (dist/gen/apis: every create* method's path and body type).
//
// The result mirrors the layout of `<version>-standalone-strict/all.json`: a root
// `oneOf` over every creatable kind, object definitions with
// `additionalProperties: false`, plus an apiVersion/kind enum on each kind.
//
// Usage (needs network once, to fetch the package; the output is committed):
//   npm pack @kubernetes/client-node --pack-destination /tmp && tar xzf /tmp/kubernetes-client-node-*.tgz -C /tmp
//   node bench/k8s-schema/build.mjs /tmp/package
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = process.argv[2];
if (!pkg) {
  console.error('usage: node bench/k8s-schema/build.mjs <unpacked @kubernetes/client-node folder>');
  process.exit(2);
}
const version = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')).version;
const modelsDir = join(pkg, 'dist/gen/models');
const apisDir = join(pkg, 'dist/gen/apis');

const unescape = (s) => s.replace(/\\(['"])/g, '$1').replace(/\s+/g, ' ').trim();

/** model name -> { description, props: [{name, type, format, description, required}] } */
const models = new Map();
for (const f of readdirSync(modelsDir)) {
  if (!f.endsWith('.js') || f === 'all.js' || f === 'ObjectSerializer.js') continue;
  const name = f.slice(0, -3);
  const js = readFileSync(join(modelsDir, f), 'utf8');
  const m = /attributeTypeMap = (\[[\s\S]*?\n\]);/.exec(js);
  if (!m) continue;
  const attrs = JSON.parse(m[1]);
  const dts = readFileSync(join(modelsDir, `${name}.d.ts`), 'utf8');
  const classDoc = /\/\*\*\n\* ([\s\S]*?)\n\*\/\nexport declare class/.exec(dts);
  const props = attrs.map((a) => {
    const re = new RegExp(`(?:/\\*\\*\\n\\s*\\* ((?:(?!\\*/)[\\s\\S])*?)\\n\\s*\\*/\\n)?\\s*'${a.name.replace(/[$]/g, '\\$')}'(\\??):`);
    const d = re.exec(dts);
    return { name: a.baseName, type: a.type, format: a.format, description: d?.[1] ? unescape(d[1]) : undefined, required: d ? d[2] !== '?' : false };
  });
  models.set(name, { description: classDoc ? unescape(classDoc[1]) : undefined, props });
}

/** kind model -> { group, version, kind } */
const kinds = new Map();
for (const f of readdirSync(apisDir)) {
  if (!f.endsWith('.js')) continue;
  const js = readFileSync(join(apisDir, f), 'utf8');
  const re = /async create(?:Namespaced)?(\w+)\([^)]*\) \{[\s\S]*?const localVarPath = '([^']+)'[\s\S]*?serialize\(body, "(\w+)"/g;
  for (let m; (m = re.exec(js)); ) {
    const [, kind, path, model] = m;
    const pm = /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))\//.exec(path);
    if (!pm || !models.has(model)) continue;
    const group = pm[1] ? '' : pm[2];
    const ver = pm[1] ?? pm[3];
    if (!models.get(model).props.some((p) => p.name === 'kind')) continue; // subresources (Binding, Eviction) keep theirs
    kinds.set(model, { group, version: ver, kind: models.get(model).props.some((p) => p.name === 'kind') ? kindOf(model) : kind });
  }
}
function kindOf(model) {
  return model.replace(/^(?:[A-Z][a-z]+)?V\d+(?:(?:alpha|beta)\d+)?/, '');
}

function typeSchema(type, format) {
  let m;
  if ((m = /^Array<(.+)>$/.exec(type))) return { type: 'array', items: typeSchema(m[1], format) };
  if ((m = /^\{ \[key: string\]: (.+); \}$/.exec(type))) return { type: 'object', additionalProperties: typeSchema(m[1], format) };
  switch (type) {
    case 'string':
      return format && format !== '' ? { type: 'string', format } : { type: 'string' };
    case 'number':
      return format === 'int32' || format === 'int64' ? { type: 'integer', format } : { type: 'number', ...(format ? { format } : {}) };
    case 'boolean':
      return { type: 'boolean' };
    case 'Date':
      return { type: 'string', format: 'date-time' };
    case 'IntOrString':
      return { oneOf: [{ type: 'string' }, { type: 'integer' }] };
    case 'any':
    case 'object':
      return {};
    default:
      if (models.has(type)) return { $ref: `#/definitions/${type}` };
      return {};
  }
}

const definitions = {};
for (const [name, m] of models) {
  const properties = {};
  for (const p of m.props) {
    const s = typeSchema(p.type, p.format);
    properties[p.name] = s.$ref ? (p.description ? { description: p.description, allOf: [s] } : s) : { ...(p.description ? { description: p.description } : {}), ...s };
  }
  const def = { ...(m.description ? { description: m.description } : {}), type: 'object', properties, additionalProperties: false };
  const required = m.props.filter((p) => p.required).map((p) => p.name);
  if (required.length) def.required = required;
  const gvk = kinds.get(name);
  if (gvk) {
    const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
    def.properties.apiVersion = { ...def.properties.apiVersion, enum: [apiVersion] };
    def.properties.kind = { ...def.properties.kind, enum: [gvk.kind] };
    def['x-kubernetes-group-version-kind'] = [{ group: gvk.group, version: gvk.version, kind: gvk.kind }];
  }
  definitions[name] = def;
}
const schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $comment: `Built by bench/k8s-schema/build.mjs from @kubernetes/client-node ${version} (Kubernetes OpenAPI models): ${kinds.size} kinds, ${models.size} definitions.`,
  oneOf: [...kinds.keys()].sort().map((k) => ({ $ref: `#/definitions/${k}` })),
  definitions,
};
const json = JSON.stringify(schema);
const out = join(dirname(fileURLToPath(import.meta.url)), 'kubernetes-strict.json.gz');
writeFileSync(out, gzipSync(json, { level: 9 }));
console.log(`${kinds.size} kinds, ${models.size} definitions, ${(json.length / 1e6).toFixed(1)} MB JSON -> ${out}`);
