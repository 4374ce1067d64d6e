// Times the VS Code client outside VS Code: loading dist/client.js and calling
// activate() with a stand-in `vscode` module (a Proxy that accepts any call).
// Prints JSON: { requireMs, requireCpuMs, activateSyncMs, activateResolvedMs | null, activateError?,
// deferredRequireCpuMs? }.
// Usage: node bench/client-activation.cjs [bundle (default dist/client.js)]
// activateSyncMs is what blocks the extension host; activate() then awaits the
// language client's start (the server's spawn and initialize).
// deferredRequireCpuMs: CPU time of loading languageclient.js (vscode-languageclient)
// from beside the bundle, when there is one: the client loads it after activation,
// in the next turn of the event loop, so it is not part of activation, but it is
// still work done in the extension host. It is timed here after activate() has
// resolved, before the client's own deferred start would run.
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

// The module object itself: esbuild's `import * as vscode` copies the module's
// own enumerable properties (`__toESM`), so the stand-in lists the API's
// top-level names (from @types/vscode) as its own; a bare Proxy over a function
// has none, and activate() would throw at `vscode.window` before doing anything.
function apiNames() {
  try {
    const dts = require('node:fs').readFileSync(require.resolve('@types/vscode/index.d.ts'), 'utf8');
    return [...new Set([...dts.matchAll(/^\texport (?:namespace|class|enum|const|let|function) ([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]))];
  } catch {
    return ['version', 'Uri', 'Position', 'Range', 'Location', 'ThemeColor', 'StatusBarAlignment', 'CodeActionKind', 'SnippetString', 'Disposable', 'EventEmitter', 'commands', 'window', 'workspace', 'languages', 'env', 'extensions'];
  }
}
const names = apiNames();
const members = new Map(names.map((n) => [n, stub(`vscode.${n}`)]));
const vscode = new Proxy(
  {},
  {
    get(_t, prop) {
      if (prop === '__esModule' || prop === 'then' || prop === 'default') return undefined; // a plain CommonJS object, like the real module
      if (typeof prop === 'symbol') return undefined;
      if (!members.has(prop)) members.set(prop, stub(`vscode.${prop}`));
      return members.get(prop);
    },
    has: (_t, prop) => typeof prop === 'string' && names.includes(prop),
    ownKeys: () => names,
    getOwnPropertyDescriptor: (_t, prop) => (names.includes(prop) ? { configurable: true, enumerable: true, writable: false, value: members.get(prop) } : undefined),
  },
);
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
let activateError;
let ret;
try {
  ret = ext.activate(context);
} catch (e) {
  ret = Promise.reject(e);
}
const t2 = performance.now();
const p = Promise.resolve(ret).then(
  () => (resolved = performance.now() - t1),
  (e) => (activateError = String(e?.stack ?? e).split('\n').slice(0, 2).join(' ')),
);
Promise.race([p, new Promise((r) => setTimeout(r, 10000))]).then(() => {
  let deferredRequireCpuMs;
  const deferred = join(require('node:path').dirname(bundle), 'languageclient.js');
  if (require('node:fs').existsSync(deferred)) {
    const d0 = process.cpuUsage();
    require(deferred);
    const d = process.cpuUsage(d0);
    deferredRequireCpuMs = (d.user + d.system) / 1000;
  }
  process.stdout.write(`${JSON.stringify({ requireMs: t1 - t0, requireCpuMs: (cpu.user + cpu.system) / 1000, activateSyncMs: t2 - t1, activateResolvedMs: resolved, ...(activateError ? { activateError } : {}), deferredRequireCpuMs })}\n`);
  process.exit(0);
});
