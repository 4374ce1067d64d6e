// Bundles the CLI, the language server and the VS Code client into dist/ with
// esbuild: one file each, dependencies inlined, so the .vsix and the npm
// package run without node_modules.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

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

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // the packaged build (--minify) ships without source maps
  sourcemap: process.argv.includes('--minify') ? false : 'linked',
  minify: process.argv.includes('--minify'),
  logLevel: 'warning',
  legalComments: 'none',
  plugins: [precompiled],
};

const entries = [
  { entryPoints: ['server/src/cli/bin.ts'], outfile: 'dist/cli.js' },
  { entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
].filter((e) => existsSync(e.entryPoints[0]));

await Promise.all(entries.map((e) => build({ ...common, ...e })));
