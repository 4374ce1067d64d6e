// Bundles the CLI, the language server and the VS Code client into dist/ with
// esbuild (the list: scripts/bundles.mjs), dependencies inlined, so the .vsix
// and the npm package run without node_modules.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { bundles, commonOptions } from './bundles.mjs';

const common = commonOptions(process.argv.includes('--minify'));

await Promise.all(bundles.filter((b) => existsSync(b.entryPoints[0])).map(({ client, ...b }) => build({ ...common, ...b })));
