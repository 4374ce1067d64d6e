// Regenerates the rule table in README.md from the rule modules:
//   npx tsx scripts/gen-readme-rules.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { ALL_RULES } from '../server/src/index';

const rows = ALL_RULES.map((r) => `| [${r.id}](docs/rules/${r.id}.md) | ${r.severity} | ${r.fixable ? 'yes' : ''} | ${r.description.replace(/\|/g, '\\|')} |`);
const table = ['| rule | default | fix | what it catches |', '|---|---|---|---|', ...rows].join('\n');
const readme = readFileSync('README.md', 'utf8');
const next = readme.replace(/<!-- rules:start -->[\s\S]*<!-- rules:end -->/, `<!-- rules:start -->\n${table}\n<!-- rules:end -->`);
writeFileSync('README.md', next);
console.log(`README.md: ${ALL_RULES.length} rules`);
