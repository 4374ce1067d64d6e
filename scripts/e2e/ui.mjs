#!/usr/bin/env node
// The browser-level test, as a person sees it: the packaged kube-expose.vsix is
// installed into code-server, a broken manifest is opened, and the squiggle, the
// Problems entry, the hover, the light bulb menu (Ctrl+.), the fixed file, the
// traffic-path hover of a targetPort and selector completion are checked on
// screen. A screenshot of each step goes to test-results/e2e/ui/.
//
// Usage: node scripts/e2e/ui.mjs [--no-package] [--docs-images] [--keep]
//   --no-package     use the existing kube-expose.vsix instead of running `npm run package`
//   --docs-images    also copy one screenshot per feature to docs/images/ (for the README)
//   KUBE_EXPOSE_VSIX=/path/x.vsix   install that .vsix (implies --no-package)
// Exit: 0 every step passed, 1 a step failed, 2 the run itself failed.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cleanupAll, countLine, CS_BIN, ensureInstalled, FIXTURE_WORKSPACE, isolatedEnv, launchBrowser, log, removeScratch, RESULTS_DIR, ROOT, run, scratch, startCodeServer, watchdog } from './lib.mjs';

const args = process.argv.slice(2);
const keep = args.includes('--keep') || process.env.KEEP_STATE === '1';
const OUT = path.join(RESULTS_DIR, 'ui');
const STEP_TIMEOUT = Number(process.env.E2E_STEP_TIMEOUT_MS || 45_000);
const FILE = 'web.yaml';
const RULE = 'service-selector-no-match';
const MESSAGE = 'Service web selects no pods';
const FIX_TITLE = 'Change selector to app=web-frontend';

/** Screenshots copied to docs/images/ with --docs-images: one per feature. */
const DOCS_IMAGES = {
  '2-squiggle.png': 'vscode-diagnostic-squiggle.png',
  '3-problems.png': 'vscode-problems-panel.png',
  '4-hover.png': 'vscode-diagnostic-hover.png',
  '5-quick-fix-menu.png': 'vscode-quick-fix-menu.png',
  '6-fixed.png': 'vscode-after-quick-fix.png',
  '7-traffic-path-hover.png': 'vscode-hover-traffic-path.png',
  '8-completion.png': 'vscode-completion-selector.png',
};

/** `npm run package`; if vsce refuses the project layout, a staged copy with the same .vscodeignore is packed instead. */
function packageVsix() {
  const vsix = path.join(ROOT, 'kube-expose.vsix');
  if (process.env.KUBE_EXPOSE_VSIX) return path.resolve(process.env.KUBE_EXPOSE_VSIX);
  if (args.includes('--no-package')) {
    if (!fs.existsSync(vsix)) throw new Error('--no-package: kube-expose.vsix does not exist');
    return vsix;
  }
  fs.rmSync(vsix, { force: true });
  try {
    run('npm', ['run', '--silent', 'package'], { stdio: ['ignore', 'inherit', 'pipe'] });
  } catch (e) {
    const why = String(e.stderr ?? '').split('\n').find((l) => /ERROR/.test(l)) ?? e.message;
    console.log(`WARNING: \`npm run package\` failed (${why.trim()}); packing a staged copy of the extension instead.`);
    packStaged(vsix);
  }
  if (!fs.existsSync(vsix)) throw new Error('kube-expose.vsix was not produced');
  return vsix;
}

/** The extension's shipped files (what .vscodeignore lets through) in a scratch folder, packed there. */
function packStaged(vsix) {
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-expose-vsix-'));
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    delete pkg.files; // vsce refuses "files" next to .vscodeignore
    delete pkg.scripts; // dist/ is built already (minified by the failed `npm run package`)
    fs.writeFileSync(path.join(stage, 'package.json'), JSON.stringify(pkg, null, 2));
    for (const p of ['.vscodeignore', 'dist', 'schemas', 'snippets', 'images', 'docs/rules', 'README.md', 'CHANGELOG.md', 'LICENSE']) {
      if (fs.existsSync(path.join(ROOT, p))) fs.cpSync(path.join(ROOT, p), path.join(stage, p), { recursive: true });
    }
    run(path.join(ROOT, 'node_modules/.bin/vsce'), ['package', '--no-dependencies', '--out', vsix], { cwd: stage, stdio: ['ignore', 'ignore', 'inherit'] });
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

async function main() {
  const tStart = Date.now();
  ensureInstalled();
  fs.rmSync(OUT, { recursive: true, force: true });
  fs.mkdirSync(OUT, { recursive: true });

  const steps = [];
  const metrics = {};
  let page;
  const step = async (name, fn) => {
    const t = Date.now();
    try {
      await fn();
      metrics[`${name}Ms`] = Date.now() - t;
      steps.push({ name, ok: true });
      log(`ok   ${name} (${Date.now() - t} ms)`);
    } catch (e) {
      steps.push({ name, ok: false, error: e });
      log(`FAIL ${name}: ${e?.message ?? e}`);
      if (page) await page.screenshot({ path: path.join(OUT, 'failure.png') }).catch(() => {});
      throw e;
    }
  };
  // (a short pause first: hovers and menus fade in)
  const shot = async (name) => {
    await page.waitForTimeout(400);
    await page.screenshot({ path: path.join(OUT, name) });
  };

  const s = scratch('ui', path.join(FIXTURE_WORKSPACE, 'selector'));
  let failed = false;
  try {
    let vsix;
    await step('package the .vsix', async () => {
      vsix = packageVsix();
      metrics.vsixBytes = fs.statSync(vsix).size;
    });
    watchdog(240_000, 'ui test');
    await step('install the .vsix into code-server', async () => {
      const out = execFileSync(CS_BIN, ['--user-data-dir', s.userData, '--extensions-dir', s.extensions, '--install-extension', vsix], {
        env: isolatedEnv(s),
        encoding: 'utf8',
      });
      if (!/successfully installed/i.test(out)) throw new Error(`unexpected install output: ${out}`);
    });

    const cs = await startCodeServer(s);
    // tall enough for the whole manifest above an open Problems panel
    ({ page } = await launchBrowser(s, { viewport: { width: 1280, height: 1080 } }));
    page.setDefaultTimeout(STEP_TIMEOUT);

    await step('workbench shows the folder', async () => {
      await page.goto(cs.url(s.workspace));
      await page.waitForSelector('.monaco-workbench');
      await page.waitForSelector('.explorer-folders-view .monaco-list-row');
      await shot('1-workbench.png');
    });

    const editor = page.locator('.editor-instance .monaco-editor').first();
    const squiggle = editor.locator('.squiggly-warning').first();
    await step('open the manifest and see the squiggle', async () => {
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: FILE }).first().click();
      await page.waitForSelector(`.tabs-container .tab.active[aria-label*="${FILE}"]`);
      await squiggle.waitFor();
      metrics.statusBarProblems = await page.locator('[id="status.problems"]').getAttribute('aria-label').catch(() => null);
      if (!/Warnings: 1/.test(metrics.statusBarProblems ?? '')) throw new Error(`status bar says ${metrics.statusBarProblems}`);
      await shot('2-squiggle.png');
    });

    await step('the Problems panel lists the finding', async () => {
      await page.keyboard.press('Control+Shift+M');
      const row = page.locator('.markers-panel .monaco-list-row', { hasText: MESSAGE }).first();
      await row.waitFor();
      metrics.problemsRows = (await page.locator('.markers-panel .monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
      const text = (await row.innerText()).replace(/\s+/g, ' ');
      if (!text.includes(RULE) || !text.includes('kube-expose')) throw new Error(`Problems row lacks source/code: ${text}`);
      await shot('3-problems.png');
    });

    await step('hovering the squiggle shows the message', async () => {
      // close the panel again so the editor has room, then hover the squiggle
      await page.keyboard.press('Control+Shift+M');
      await page.locator('.markers-panel').waitFor({ state: 'hidden' }).catch(() => {});
      const box = await squiggle.boundingBox();
      if (!box) throw new Error('the squiggle is not on screen');
      await page.mouse.move(box.x + 2, box.y + box.height / 2);
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
      const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: MESSAGE }).first();
      await hover.waitFor();
      metrics.hoverText = (await hover.innerText()).replace(/\s+/g, ' ').trim();
      if (!metrics.hoverText.includes(RULE)) throw new Error(`hover lacks the rule id: ${metrics.hoverText}`);
      await shot('4-hover.png');
    });

    await step('Ctrl+. on the squiggle offers the quick fix', async () => {
      await page.mouse.move(5, 5);
      await page.keyboard.press('Escape');
      const box = await squiggle.boundingBox();
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await page.keyboard.press('Control+.');
      const item = page.locator('.action-widget .monaco-list-row', { hasText: FIX_TITLE }).first();
      await item.waitFor();
      metrics.quickFixItems = (await page.locator('.action-widget .monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()).filter(Boolean);
      await shot('5-quick-fix-menu.png');
    });

    await step('applying it leaves the file clean', async () => {
      // keyboard, as a person would: move the focus to the fix, Enter (the menu opens on the preferred fix)
      const focused = page.locator('.action-widget .monaco-list-row.focused');
      for (let i = 0; i < 12 && !((await focused.getAttribute('aria-label').catch(() => '')) ?? '').startsWith(FIX_TITLE); i++) {
        await page.keyboard.press('ArrowDown');
      }
      await page.keyboard.press('Enter');
      await editor.locator('.squiggly-warning, .squiggly-error, .squiggly-info').first().waitFor({ state: 'detached' });
      const lines = (await editor.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
      if (!/selector:\s*\n\s*app: web-frontend/.test(lines)) throw new Error(`the selector was not changed:\n${lines}`);
      await page.keyboard.press('Control+S');
      await page.waitForSelector(`.tabs-container .tab.active[aria-label*="${FILE}"]:not(.dirty)`);
      await page.keyboard.press('Control+Shift+M');
      await page.locator('.markers-panel').getByText('No problems have been detected in the workspace.').waitFor();
      metrics.statusBarAfter = await page.locator('[id="status.problems"]').getAttribute('aria-label').catch(() => null);
      await shot('6-fixed.png');
      const saved = fs.readFileSync(path.join(s.workspace, FILE), 'utf8');
      if (!/selector:\n\s+app: web-frontend\n/.test(saved)) throw new Error('the saved file does not have the fixed selector');
    });

    // Below the squiggles: what the editor tells about a clean manifest (issue 4).
    /** The on-screen box of `token` in the lowest visible line matching `line`. */
    const tokenBox = async (line, token) => {
      let best;
      for (const l of await editor.locator('.view-line', { hasText: line }).all()) {
        const b = await l.boundingBox();
        if (b && (!best || b.y > best.b.y)) best = { l, b };
      }
      if (!best) throw new Error(`no line matching ${line} on screen`);
      const span = best.l.locator('span span', { hasText: token }).last();
      const box = await span.boundingBox();
      if (!box) throw new Error(`"${token}" is not on screen`);
      return box;
    };

    await step('hovering a targetPort shows where the traffic lands', async () => {
      await page.keyboard.press('Control+Shift+M'); // hide the Problems panel
      const box = await tokenBox(/targetPort:\s+http/, /^http$/); // Monaco renders spaces as U+00A0: \s matches both
      await page.mouse.move(box.x + 1, box.y + box.height / 2);
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
      const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: '8080' }).first();
      await hover.waitFor();
      metrics.trafficHover = (await hover.innerText()).replace(/\s+/g, ' ').trim();
      if (!/web-frontend/.test(metrics.trafficHover)) throw new Error(`the hover does not name the workload: ${metrics.trafficHover}`);
      await shot('7-traffic-path-hover.png');
    });

    await step('Ctrl+Space in the selector offers the pod labels', async () => {
      await page.mouse.move(5, 5);
      await page.keyboard.press('Escape');
      const box = await tokenBox(/^\s*app:\s+web-frontend\s*$/, /web-frontend/);
      await page.mouse.click(box.x + box.width - 1, box.y + box.height / 2);
      await page.keyboard.press('End');
      await page.keyboard.press('Control+Space');
      const item = page.locator('.suggest-widget.visible .monaco-list-row', { hasText: 'web-frontend' }).first();
      await item.waitFor();
      metrics.completionItems = (await page.locator('.suggest-widget.visible .monaco-list-row').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
      await shot('8-completion.png');
      await page.keyboard.press('Escape');
    });
  } catch {
    failed = true;
  } finally {
    await cleanupAll();
    removeScratch(s, keep || failed);
  }

  if (!failed && args.includes('--docs-images')) {
    const dir = path.join(ROOT, 'docs/images');
    fs.mkdirSync(dir, { recursive: true });
    for (const [from, to] of Object.entries(DOCS_IMAGES)) fs.copyFileSync(path.join(OUT, from), path.join(dir, to));
    log(`copied ${Object.keys(DOCS_IMAGES).length} screenshots to docs/images/`);
  }
  metrics.totalMs = Date.now() - tStart;
  metrics.steps = steps.map((x) => ({ name: x.name, ok: x.ok, ...(x.error ? { error: String(x.error?.message ?? x.error) } : {}) }));
  fs.writeFileSync(path.join(OUT, 'metrics.json'), JSON.stringify(metrics, null, 2));
  const passed = steps.filter((x) => x.ok).length;
  const bad = steps.length - passed;
  const TOTAL_STEPS = 10;
  log(`screenshots and metrics.json in ${path.relative(ROOT, OUT)}/`);
  console.log(countLine('ui', passed, bad, Math.max(0, TOTAL_STEPS - steps.length)));
  return bad ? 1 : 0;
}

main().then(
  (status) => process.exit(status),
  async (e) => {
    console.error(e?.stack ?? e);
    await cleanupAll();
    console.log(countLine('ui', 0, 1, 0));
    process.exit(2);
  },
);
