// Bundles the CLI, the language server and the VS Code client into dist/ with
// esbuild: one file each, dependencies inlined, so the .vsix and the npm
// package run without node_modules.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';

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
};

const entries = [
  { entryPoints: ['server/src/cli/bin.ts'], outfile: 'dist/cli.js' },
  { entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
].filter((e) => existsSync(e.entryPoints[0]));

await Promise.all(entries.map((e) => build({ ...common, ...e })));
