// The baseline for `kube-expose check`: read every *.yaml/*.yml file under a
// folder and parse it with `yaml` (parseAllDocuments), nothing else.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

let files = 0;
let docs = 0;
(function walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (/\.ya?ml$/.test(e.name)) {
      files++;
      const parsed = parseAllDocuments(readFileSync(p, 'utf8'));
      docs += Array.isArray(parsed) ? parsed.length : 0;
    }
  }
})(process.argv[2]);
console.log(JSON.stringify({ files, docs }));
