// Times the VS Code client outside VS Code: loading dist/client.js and calling
// activate() with a stand-in `vscode` module (a Proxy that accepts any call).
// Prints JSON: { requireMs, requireCpuMs, activateSyncMs, activateResolvedMs | null }.
// Usage: node bench/client-activation.cjs [bundle (default dist/client.js)]
// activateSyncMs is what blocks the extension host; activate() then awaits the
// language client's start (the server's spawn and initialize).
'use strict';
const Module = require('node:module');
const { join } = require('node:path');
const { performance } = require('node:perf_hooks');

function stub(name) {
  const target = function () {};
  return new Proxy(target, {
    get(_t, prop) {
      if (prop === 'then') return undefined; // not a thenable: `await stub` resolves at once
      if (prop === Symbol.toPrimitive) return () => name;
      if (prop === Symbol.iterator) return function* () {};
      if (prop === 'toString' || prop === 'valueOf') return () => name;
      return stub(`${name}.${String(prop)}`);
    },
    set: () => true,
    apply: () => stub(`${name}()`),
    construct: () => stub(`new ${name}`),
  });
}

const vscode = stub('vscode');
const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'vscode' ? vscode : load.call(this, request, ...rest);
};

const root = join(__dirname, '..');
const context = {
  subscriptions: [],
  asAbsolutePath: (p) => join(root, p),
  extensionPath: root,
  extensionUri: vscode.Uri,
  globalState: { get: () => undefined, update: async () => undefined },
  workspaceState: { get: () => undefined, update: async () => undefined },
};

const bundle = process.argv[2] ? require('node:path').resolve(process.argv[2]) : join(root, 'dist', 'client.js');
const c0 = process.cpuUsage();
const t0 = performance.now();
const ext = require(bundle);
const t1 = performance.now();
const cpu = process.cpuUsage(c0);
let resolved = null;
const p = Promise.resolve(ext.activate(context)).then(
  () => (resolved = performance.now() - t1),
  () => (resolved = null),
);
const t2 = performance.now();
Promise.race([p, new Promise((r) => setTimeout(r, 10000))]).then(() => {
  process.stdout.write(`${JSON.stringify({ requireMs: t1 - t0, requireCpuMs: (cpu.user + cpu.system) / 1000, activateSyncMs: t2 - t1, activateResolvedMs: resolved })}\n`);
  process.exit(0);
});
