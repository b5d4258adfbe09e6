// Drives a real JupyterLab (with jupyterlab-lsp and ShapeLens found through its jupyter-lsp spec)
// in headless Chromium with Playwright and records what the notebook shows. Run by
// tests/editors/test_jupyterlab.py, which starts JupyterLab and asserts on the JSON written here.
//
// Environment: LAB_URL (JupyterLab base URL), NOTEBOOK (path of the notebook under the server's
// root), ARTIFACTS (folder for screenshots and result.json), PLAYWRIGHT_FROM (a package.json
// whose node_modules hold playwright-core: client-vscode's), CHROMIUM (default
// /usr/bin/chromium), STEP_TIMEOUT_MS (default 180000). Exit code 0 when every step passed, 1
// otherwise; result.json is written in both cases, with `failedStep` and `error` on failure.
//
// Every wait is on something the page shows (Playwright's waitFor*), never a fixed delay, with
// generous bounds for a loaded machine. A hover that did not open (the pointer arrived before a
// re-render moved the word) is asked for again, at the word's new place.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) {
    throw new Error(`${name} is not set`);
  }
  return value;
};
const { chromium } = createRequire(env('PLAYWRIGHT_FROM'))('playwright-core');
const url = env('LAB_URL');
const notebook = env('NOTEBOOK');
const artifacts = env('ARTIFACTS');
const executablePath = env('CHROMIUM', '/usr/bin/chromium');
const timeout = Number(env('STEP_TIMEOUT_MS', '180000'));
// How long one hover attempt may take before the pointer is moved away and back.
const hoverAttempt = Math.min(timeout, 20000);

const t0 = Date.now();
const result = { steps: [], timings: {}, console: [] };
const log = (message) => {
  const line = `[${((Date.now() - t0) / 1000).toFixed(1)}s] ${message}`;
  result.steps.push(line);
  console.log(line);
};
let currentStep = 'start';
const step = async (name, body) => {
  currentStep = name;
  const started = Date.now();
  const value = await body();
  result.timings[name] = (Date.now() - started) / 1000;
  log(`${name}: ok`);
  return value;
};
const shot = async (page, name) => {
  const target = path.join(artifacts, name);
  await page.screenshot({ path: target });
  log(`screenshot ${target}`);
};

/** Where each error squiggle is: its cell (1-based among all cells), line in the cell and text. */
const squiggles = () => {
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-Cell')];
  const found = [];
  cells.forEach((cell, index) => {
    const lines = [...cell.querySelectorAll('.cm-content .cm-line')];
    for (const mark of cell.querySelectorAll('.cm-lintRange-error')) {
      const line = mark.closest('.cm-line');
      found.push({ cell: index + 1, line: lines.indexOf(line) + 1, text: mark.textContent,
        lineText: line ? line.textContent : null });
    }
  });
  return found.length ? found : null;
};

/** The centre of `word` inside the first editor line of the notebook that contains `needle`. */
const wordCentre = ([needle, word]) => {
  for (const line of document.querySelectorAll('.jp-Notebook .jp-Cell .cm-line')) {
    let start = line.textContent.indexOf(needle);
    if (start < 0) {
      continue;
    }
    start += needle.indexOf(word);
    const walker = document.createTreeWalker(line, 4 /* NodeFilter.SHOW_TEXT */);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (start < node.data.length) {
        const range = document.createRange();
        range.setStart(node, start);
        range.setEnd(node, Math.min(node.data.length, start + word.length));
        const box = range.getBoundingClientRect();
        return box.width > 0 ? { x: box.x + box.width / 2, y: box.y + box.height / 2 } : null;
      }
      start -= node.data.length;
    }
  }
  return null;
};

/**
 * Hovers `word` (in the line containing `needle`) with Control held, as jupyterlab-lsp wants by
 * default, until a hover card containing `expected` shows; returns its text. The word is looked
 * up afresh on every attempt; `whileShown` runs while the card is up (a screenshot).
 */
async function hoverWord(page, needle, word, expected, whileShown = async () => undefined) {
  const hover = page.locator('.lsp-hover', { hasText: expected }).first();
  const deadline = Date.now() + timeout;
  try {
    for (let attempt = 1; ; attempt++) {
      await page.keyboard.up('Control');
      await page.mouse.move(5, 5);
      await hover.waitFor({ state: 'detached' });
      const handle = await page.waitForFunction(wordCentre, [needle, word]);
      const point = await handle.jsonValue();
      await page.keyboard.down('Control');
      await page.mouse.move(point.x, point.y, { steps: 2 });
      try {
        await hover.waitFor({ timeout: Math.max(1000, Math.min(hoverAttempt, deadline - Date.now())) });
        if (attempt > 1) {
          log(`hover opened on attempt ${attempt}`);
        }
        const text = (await hover.innerText()).trim();
        await whileShown();
        return text;
      } catch (err) {
        if (Date.now() >= deadline) {
          throw err;
        }
      }
    }
  } finally {
    await page.keyboard.up('Control');
  }
}

async function main() {
  fs.mkdirSync(artifacts, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'shapelens-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport: { width: 1200, height: 640 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(timeout);
  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  page.on('console', (msg) => {
    if (['error', 'warning'].includes(msg.type())) {
      result.console.push(`${msg.type()}: ${msg.text()}`.slice(0, 500));
    }
  });
  try {
    await step('notebook open', async () => {
      // `reset`: no saved workspace layout; the notebook opens alone in the main area.
      await page.goto(`${url}/lab/tree/${encodeURI(notebook)}?reset`, { waitUntil: 'domcontentloaded' });
      await page.locator('.jp-Notebook .jp-Cell .cm-line', { hasText: 'tf.matmul' }).first().waitFor();
      // Collapse the left side bar for a wider notebook in the screenshot.
      const files = page.locator('.jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current');
      if (await files.count()) {
        await files.first().click();
        await page.locator('#filebrowser').waitFor({ state: 'hidden' });
      }
    });

    result.status = await step('language server ready', async () => {
      const item = page.locator('.lsp-statusbar-item', { hasText: 'Fully initialized' }).first();
      await item.waitFor();
      return (await item.innerText()).trim();
    });

    result.squiggles = await step('squiggle', async () => {
      const handle = await page.waitForFunction(squiggles);
      return handle.jsonValue();
    });

    result.hover = await step('hover', async () => {
      return hoverWord(page, 'flat = tf.reshape', 'flat', '(32, 784)');
    });

    result.hoverAcross = await step('hover across cells', async () => {
      // `images` in cell 5 was made in cell 3: the card names that cell, not a line of the
      // virtual document jupyterlab-lsp sends.
      return hoverWord(page, 'flat = tf.reshape(images', 'images', '(32, 28, 28)',
        () => shot(page, 'jupyterlab.png'));
    });

    result.panel = await step('diagnostics panel', async () => {
      // Through the command palette, as a person would.
      await page.keyboard.press('Control+Shift+C');
      const input = page.locator('#command-palette .lm-CommandPalette-input, .jp-ModalCommandPalette input').first();
      await input.waitFor();
      await input.fill('Show diagnostics panel');
      const item = page.locator('.lm-CommandPalette-item', { hasText: 'Show diagnostics panel' }).first();
      await item.waitFor();
      await item.click();
      const row = page.locator('.lsp-diagnostics-listing tbody tr', { hasText: 'SL102' }).first();
      await row.waitFor();
      const headers = await page.locator('.lsp-diagnostics-listing thead th').allInnerTexts();
      const cells = await row.locator('td').allInnerTexts();
      // Every diagnostic of the notebook is listed, so this also counts those of other cells.
      result.panelRows = await page.locator('.lsp-diagnostics-listing tbody tr').count();
      result.squigglesAtEnd = await page.evaluate(squiggles);
      return Object.fromEntries(headers.map((h, i) => [h.trim(), (cells[i] ?? '').trim()]));
    });

    result.ok = true;
  } catch (err) {
    result.ok = false;
    result.failedStep = currentStep;
    result.error = String(err?.message ?? err);
    log(`FAILED at ${currentStep}: ${result.error}`);
    await shot(page, 'failure.png').catch(() => undefined);
    process.exitCode = 1;
  } finally {
    result.pageErrors = pageErrors;
    result.seconds = (Date.now() - t0) / 1000;
    fs.writeFileSync(path.join(artifacts, 'result.json'), JSON.stringify(result, null, 2));
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
