// The bundles scripts/build.mjs writes to dist/, with their esbuild options;
// shared with the benchmark (bench/client.ts), which builds the client's
// bundles as `npm run package` does.

/** esbuild options common to every bundle; `minify` is the packaged (.vsix) build. */
export function commonOptions(minify) {
  return {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // the packaged build (--minify) ships without source maps
    sourcemap: minify ? false : 'linked',
    minify,
    logLevel: 'warning',
    legalComments: 'none',
  };
}

/** One file each, dependencies inlined, so the .vsix and the npm package run without node_modules. Paths relative to the repository root. */
export const bundles = [
  { entryPoints: ['server/src/cli/bin.ts'], outfile: 'dist/cli.js' },
  // bin/kube-expose.js and dist/server.js load the two large bundles through V8's code cache
  { entryPoints: ['server/src/cli/load.ts'], outfile: 'dist/load.js' },
  { entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server-main.js' },
  { entryPoints: ['server/src/lsp/entry.ts'], outfile: 'dist/server.js' },
  // The extension's entry (package.json "main"), kept small: it requires
  // ./languageclient.js (vscode-languageclient, a bundle of its own) only after
  // activation. Both ship in the .vsix ("files": dist/*.js).
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode', './languageclient.js'], client: true },
  { entryPoints: ['client/src/languageclient.ts'], outfile: 'dist/languageclient.js', external: ['vscode'], client: true },
];
