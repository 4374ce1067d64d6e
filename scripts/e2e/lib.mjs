// Shared plumbing of the code-server runners: install check, free port, scratch
// state, starting code-server and headless chromium, and stopping every process
// they started — on success, on failure, on Ctrl+C and on the watchdog.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CACHE = process.env.KUBE_EXPOSE_E2E_CACHE || path.join(ROOT, '.cache/e2e');
export const CS_VERSION = process.env.CS_VERSION || '4.100.3';
export const CS_BIN = process.env.CS_BIN || path.join(CACHE, 'code-server/node_modules/.bin/code-server');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const RESULTS_DIR = path.join(ROOT, 'test-results/e2e');
export const FIXTURE_WORKSPACE = path.join(ROOT, 'test/e2e/fixtures/workspace');

const t0 = Date.now();
export function log(msg) {
  console.log(`[e2e ${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${msg}`);
}

/** Installs code-server (and the Debian packages) through scripts/e2e/install.sh when missing. */
export function ensureInstalled() {
  const marker = path.join(CACHE, 'code-server', `.installed-${CS_VERSION}`);
  const haveApt = fs.existsSync(CHROMIUM);
  if (process.env.CS_BIN || (fs.existsSync(marker) && fs.existsSync(CS_BIN) && haveApt)) return;
  log('code-server or chromium missing: running scripts/e2e/install.sh');
  execFileSync('bash', [path.join(ROOT, 'scripts/e2e/install.sh')], { stdio: 'inherit', env: { ...process.env, KUBE_EXPOSE_E2E_CACHE: CACHE } });
}

export function run(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { cwd: ROOT, stdio: 'inherit', ...opts });
}

/** A port nobody listens on right now (the OS picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Scratch state for one run: user data, extensions, XDG dirs, chromium profile, a copy of the workspace. */
export function scratch(name, workspaceSource = FIXTURE_WORKSPACE) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kube-expose-${name}-`));
  const s = {
    dir,
    userData: path.join(dir, 'user-data'),
    extensions: path.join(dir, 'extensions'),
    xdg: path.join(dir, 'xdg'),
    chromium: path.join(dir, 'chromium'),
    workspace: path.join(dir, 'workspace'),
  };
  for (const d of [s.userData, s.extensions, s.xdg, s.chromium]) fs.mkdirSync(d, { recursive: true });
  fs.cpSync(workspaceSource, s.workspace, { recursive: true });
  fs.mkdirSync(path.join(s.userData, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(s.userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'security.workspace.trust.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'extensions.ignoreRecommendations': true,
        'update.mode': 'none',
        'chat.disableAIFeatures': true,
        'git.enabled': false,
        'editor.hover.delay': 300,
        'window.commandCenter': false,
      },
      null,
      2,
    ),
  );
  return s;
}

/** code-server and chromium write config, logs, crash reports and dconf under $XDG_*: keep all in scratch. */
export function isolatedEnv(s, extra = {}) {
  return { ...process.env, XDG_CONFIG_HOME: s.xdg, XDG_DATA_HOME: s.xdg, XDG_CACHE_HOME: s.xdg, XDG_STATE_HOME: s.xdg, ...extra };
}

// ---- process bookkeeping: everything started is stopped, whatever happens
const cleanups = [];
let cleaning;
export function onCleanup(fn) {
  cleanups.push(fn);
}
export async function cleanupAll() {
  cleaning ??= (async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (e) {
        console.error(`cleanup: ${e?.message ?? e}`);
      }
    }
  })();
  return cleaning;
}
const groups = new Set();
process.on('exit', () => {
  // last resort (synchronous): no code-server outlives the runner
  for (const pid of groups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {}
  }
});
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    console.error(`\n${sig}: stopping code-server and chromium`);
    void cleanupAll().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  });
}

/** Fails the run after `ms` (cleanup included), so CI never hangs on a stuck browser. */
export function watchdog(ms, what) {
  const t = setTimeout(() => {
    console.error(`${what}: timed out after ${Math.round(ms / 1000)} s`);
    void cleanupAll().finally(() => process.exit(2));
  }, ms);
  t.unref();
  return t;
}

function killGroup(proc, signal) {
  try {
    process.kill(-proc.pid, signal);
  } catch {}
}

/**
 * Starts code-server on 127.0.0.1 on a free port (retrying when another process takes the port first).
 * Returns { port, authority, url(folder, payload), proc, stop() }.
 */
export async function startCodeServer(s, { env = {}, logFile } = {}) {
  let lastError;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    const authority = `127.0.0.1:${port}`;
    const out = fs.openSync(logFile ?? path.join(s.dir, 'code-server.log'), 'a');
    const proc = spawn(
      CS_BIN,
      [
        '--auth', 'none',
        '--bind-addr', authority,
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        '--user-data-dir', s.userData,
        '--extensions-dir', s.extensions,
      ],
      // its own process group: the extension host and the language server it starts go down with it
      { env: isolatedEnv(s, env), stdio: ['ignore', out, out], detached: true },
    );
    fs.closeSync(out);
    groups.add(proc.pid);
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    const stop = async () => {
      if (proc.exitCode === null && proc.signalCode === null) {
        // the leader first: code-server stops its extension hosts (and they their language
        // servers) and reaps them; whatever is left of the group is killed after it
        try {
          proc.kill('SIGTERM');
        } catch {}
        const done = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 5000))]);
        if (!done) killGroup(proc, 'SIGKILL');
      }
      // children (extension host, language server) may outlive the leader for a moment
      killGroup(proc, 'SIGKILL');
      groups.delete(proc.pid);
    };
    const t = Date.now();
    let ready = false;
    while (Date.now() - t < 30_000) {
      if (proc.exitCode !== null || proc.signalCode !== null) break;
      try {
        if ((await fetch(`http://${authority}/healthz`)).ok) {
          ready = true;
          break;
        }
      } catch {}
      await new Promise((r) => setTimeout(r, 100));
    }
    if (ready) {
      onCleanup(stop);
      log(`code-server ${CS_VERSION} listening on ${authority} (ready in ${Date.now() - t} ms)`);
      return {
        port,
        authority,
        proc,
        stop,
        remote: (p) => `vscode-remote://${authority}${p}`,
        url(folder, payload) {
          const q = [`folder=${encodeURIComponent(folder)}`];
          if (payload) q.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
          return `http://${authority}/?${q.join('&')}`;
        },
      };
    }
    await stop();
    lastError = new Error(`code-server did not start on ${authority} (attempt ${attempt}); see ${path.join(s.dir, 'code-server.log')}`);
    log(lastError.message);
  }
  throw lastError;
}

/** Headless Debian chromium through playwright-core (no browser download). */
export async function launchBrowser(s, { viewport = { width: 1400, height: 860 } } = {}) {
  const { chromium } = await import('playwright-core');
  const context = await chromium.launchPersistentContext(s.chromium, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    env: isolatedEnv(s),
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  onCleanup(async () => {
    await Promise.race([context.close().catch(() => {}), new Promise((r) => setTimeout(r, 10_000))]);
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}

export function removeScratch(s, keep) {
  if (keep) {
    log(`scratch state kept: ${s.dir}`);
    return;
  }
  try {
    fs.rmSync(s.dir, { recursive: true, force: true });
  } catch {}
}

/** The plain closing line CI counts. */
export function countLine(label, passed, failed, skipped = 0) {
  return `${label}: ${passed} passed, ${failed} failed, ${skipped} skipped`;
}

/** Builds dist/ (the extension and server bundles). */
export function buildProject() {
  run(process.execPath, ['scripts/build.mjs']);
}
