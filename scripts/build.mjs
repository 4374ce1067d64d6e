// Bundles the CLI, the language server and the VS Code client into dist/ with
// esbuild (the list: scripts/bundles.mjs), dependencies inlined, so the .vsix
// and the npm package run without node_modules.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundles, commonOptions } from './bundles.mjs';

// The schemas compiled ahead of time (scripts/gen-validators.ts) replace
// server/src/rules/schema/precompiled.ts in the bundles.
const validators = resolve('.cache/gen/validators.js');
const gen = spawnSync(process.execPath, ['--import', 'tsx', join('scripts', 'gen-validators.ts'), validators], { stdio: 'inherit' });
if (gen.status !== 0) process.exit(gen.status ?? 1);
const precompiled = {
  name: 'precompiled-validators',
  setup(b) {
    b.onResolve({ filter: /[\\/]precompiled$/ }, (args) => (args.resolveDir.endsWith(join('rules', 'schema')) ? { path: validators } : undefined));
  },
};

const common = { ...commonOptions(process.argv.includes('--minify')), plugins: [precompiled] };

await Promise.all(bundles.filter((b) => existsSync(b.entryPoints[0])).map(({ client, ...b }) => build({ ...common, ...b })));
