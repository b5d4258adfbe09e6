// Drives a real VS Code (code-server) in headless Chromium with Playwright and records what the
// workbench shows. Run by tests/editors/test_vscode.py, which starts code-server with the
// packaged extension installed and asserts on the JSON written here.
//
// Environment: CS_URL (code-server base URL), WORKSPACE (folder to open), FILE and NOTEBOOK (a
// Python file and a Jupyter notebook in it), ARTIFACTS (folder for screenshots and
// result.json), CHROMIUM (default /usr/bin/chromium), STEP_TIMEOUT_MS (default 180000). Exit
// code 0 when every step passed, 1 otherwise; result.json is written in both cases with
// `failedStep` and `error` on failure.
//
// Every wait is on something the page shows (Playwright's waitFor*), never a fixed delay, and
// the bounds are generous: a loaded machine may take many times longer than an idle one (the
// test must pass with every core busy). A hover that did not open (the pointer arrived before a
// re-render moved the word) is asked for again, at the word's new place.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) {
    throw new Error(`${name} is not set`);
  }
  return value;
};
const url = env('CS_URL');
const workspace = env('WORKSPACE');
const file = env('FILE');
const notebook = env('NOTEBOOK');
const artifacts = env('ARTIFACTS');
const executablePath = env('CHROMIUM', '/usr/bin/chromium');
const timeout = Number(env('STEP_TIMEOUT_MS', '180000'));
// How long one hover attempt may take before the pointer is moved away and back.
const hoverAttempt = Math.min(timeout, 20000);

const t0 = Date.now();
const result = { steps: [], timings: {} };
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

// Monaco renders spaces as U+00A0 in view lines.
const normalize = (text) => text.replace(/\u00a0/g, ' ');

/** The rendered line of the main editor whose text matches `pattern`. */
const editorLine = (page, pattern) =>
  page.locator('.editor-instance .monaco-editor .view-lines .view-line').filter({ hasText: pattern }).first();

/** The lines of the active editor group's editor, once one of them contains `needle`. */
async function activeEditorText(page, needle) {
  const handle = await page.waitForFunction((text) => {
    const lines = [...document.querySelectorAll('.editor-group-container.active .monaco-editor .view-line')]
      .map((el) => ({ top: parseFloat(el.style.top || '0'), text: el.textContent.replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text);
    return lines.some((l) => l.includes(text)) ? lines : null;
  }, needle);
  return handle.jsonValue();
}

/**
 * Hovers the point `locate()` returns (looked up afresh on every attempt) until `hover`, a
 * locator of the hover widget with the expected text, is visible; returns its text.
 */
async function hoverUntil(page, locate, hover) {
  const deadline = Date.now() + timeout;
  for (let attempt = 1; ; attempt++) {
    await page.mouse.move(5, 5);
    const point = await locate();
    await page.mouse.move(point.x, point.y, { steps: 2 });
    try {
      await hover.waitFor({ timeout: Math.max(1000, Math.min(hoverAttempt, deadline - Date.now())) });
      if (attempt > 1) {
        log(`hover opened on attempt ${attempt}`);
      }
      return normalize(await hover.innerText());
    } catch (err) {
      if (Date.now() >= deadline) {
        throw err;
      }
    }
  }
}

async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout });
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ state: 'visible', timeout });
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden', timeout });
}

async function main() {
  fs.mkdirSync(artifacts, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'shapelens-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(timeout);
  const pageErrors = [];
  page.on('pageerror', (err) => pageErrors.push(String(err)));
  try {
    await step('workbench', async () => {
      await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`, { waitUntil: 'domcontentloaded' });
      await page.locator('.monaco-workbench').waitFor();
    });

    await step('open file', async () => {
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: file }).first().click();
      await editorLine(page, 'noise = tf.reshape').waitFor();
      // Hide the side bar: a wider editor for the screenshots.
      await page.keyboard.press('Control+B');
      await page.locator('.explorer-folders-view').waitFor({ state: 'hidden' });
    });

    result.status = await step('status bar ready', async () => {
      const item = page.locator('.statusbar-item', { hasText: 'ShapeLens' }).first();
      const ready = page.locator('.statusbar-item', { hasText: 'ShapeLens: ready' }).first();
      // A server that cannot start says so at once: fail then, with its reason in the log.
      const failed = page.locator('.statusbar-item', { hasText: 'ShapeLens: error' }).first();
      await ready.or(failed).waitFor();
      const text = normalize(await item.innerText()).trim();
      if (!(await ready.isVisible())) {
        throw new Error(`the status bar says ${JSON.stringify(text)} (see ShapeLens*.log)`);
      }
      return text;
    });

    result.squiggles = await step('squiggle', async () => {
      const squiggle = page.locator('.editor-instance .monaco-editor .squiggly-error');
      await squiggle.first().waitFor();
      return squiggle.count();
    });

    result.inlayHint = await step('inlay hint', async () => {
      // Lines are re-rendered at will: look them up afresh on every poll.
      const handle = await page.waitForFunction(() => {
        const lines = [...document.querySelectorAll('.editor-instance .monaco-editor .view-line')]
          .map((el) => el.textContent.replace(/\u00a0/g, ' '));
        return lines.find((l) => l.startsWith('images') && l.includes('(32, 28, 28, 1) =')) ?? null;
      });
      return handle.jsonValue();
    });

    result.problems = await step('problems panel', async () => {
      await page.keyboard.press('Control+Shift+M');
      const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'SL101' }).first();
      await row.waitFor();
      return (await page.locator('.markers-panel .monaco-list-row').allInnerTexts()).map(normalize);
    });

    result.hover = await step('hover', async () => {
      // Hover the assignment target `features` (the first token of its line).
      const token = editorLine(page, /^features/).locator('span > span').first();
      const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: '(32, 784)' }).first();
      const text = await hoverUntil(page, async () => {
        const box = await token.boundingBox();
        return { x: box.x + 4, y: box.y + box.height / 2 };
      }, hover);
      await shot(page, 'hover.png');
      return text;
    });

    result.settingsChange = await step('settings change', async () => {
      // Turn `shapelens.enable` off and on again in the Settings editor, as a person would. No
      // restart: the client sends workspace/didChangeConfiguration, the server re-reads.
      await page.keyboard.press('Control+,');
      const search = page.locator('.settings-editor .search-container .monaco-editor').first();
      await search.click();
      await page.keyboard.type('shapelens.enable');
      const item = page.locator('.settings-editor .setting-item-bool', { hasText: 'Turn ShapeLens on or off' }).first();
      const checkbox = item.locator('.setting-value-checkbox').first();
      await checkbox.waitFor();
      const problems = page.locator('.markers-panel .monaco-list-row', { hasText: 'SL101' }).first();
      await checkbox.click();
      await problems.waitFor({ state: 'detached' });
      const off = normalize(await page.locator('.markers-panel').innerText());
      await checkbox.click();
      await problems.waitFor();
      await page.keyboard.press('Control+W'); // close the Settings editor
      await editorLine(page, /^noise/).waitFor();
      await page.locator('.editor-instance .monaco-editor .squiggly-error').first().waitFor();
      const status = normalize(await page.locator('.statusbar-item', { hasText: 'ShapeLens' }).first().innerText());
      return { problemsWhenOff: off.trim(), status: status.trim() };
    });

    result.quickFix = await step('quick fix', async () => {
      await page.mouse.move(5, 5);
      await page.keyboard.press('Escape');
      const line = editorLine(page, /^noise/);
      await line.click();
      const bulb = page.locator('.lightBulbWidget .codicon, .codicon-light-bulb, .codicon-lightbulb-autofix').first();
      await bulb.waitFor();
      await bulb.click();
      const action = page.locator('.action-widget .monaco-list-row', { hasText: 'Ignore SL101 on this line' }).first();
      await action.waitFor();
      const offered = (await page.locator('.action-widget .monaco-list-row').allInnerTexts()).map(normalize);
      await shot(page, 'quick-fix.png');
      await action.click();
      const fixed = editorLine(page, '# shapelens: ignore[SL101]');
      await fixed.waitFor();
      await page.locator('.editor-instance .monaco-editor .squiggly-error').first().waitFor({ state: 'detached' });
      await page.locator('.markers-panel .monaco-list-row', { hasText: 'SL101' }).first().waitFor({ state: 'detached' });
      return { offered, lineAfter: normalize(await fixed.textContent()) };
    });

    result.shapesView = await step('show shapes command', async () => {
      await runCommand(page, 'ShapeLens: Show Shapes of This File');
      await page.locator('.tab', { hasText: `${file} (shapes)` }).first().waitFor();
      const lines = await activeEditorText(page, 'logits');
      await shot(page, 'shapes.png');
      return lines;
    });

    result.modelSummary = await step('model summary command', async () => {
      // Back to the source file, cursor inside the model's definition (on `Flatten`).
      await page.locator('.tab', { hasText: file }).filter({ hasNotText: '(shapes)' }).first().click();
      await editorLine(page, 'layers.Flatten()').click();
      await runCommand(page, 'ShapeLens: Show Model Summary');
      const tab = page.locator('.tab', { hasText: '(model summary)' }).first();
      const note = page.locator('.notifications-toasts .notification-toast', { hasText: 'ShapeLens' }).first();
      await tab.or(note).waitFor();
      if (await tab.isVisible()) {
        const lines = await activeEditorText(page, 'Output shape');
        await shot(page, 'model-summary.png');
        await page.keyboard.press('Control+W');
        return { kind: 'document', lines };
      }
      return { kind: 'notification', text: normalize(await note.innerText()) };
    });

    result.output = await step('status bar opens output', async () => {
      await page.locator('.statusbar-item', { hasText: 'ShapeLens' }).first().click();
      // The output view scrolls to its end, and only the lines in view are rendered: with more
      // lines than fit (a loaded machine logs more), the first one is not in the page. Wait for
      // our channel's lines, then go to its top, as a person scrolls up. (Monaco renders spaces
      // as U+00A0, which \s matches.)
      const lines = page.locator('.panel .monaco-editor .view-line');
      const ours = lines.filter({ hasText: /\[info\]\s+analysed\s+\S+\s+v\d+\s+in\s+\d+\s+ms/ }).first();
      await ours.waitFor();
      await ours.click();
      await page.keyboard.press('Control+Home');
      const line = lines.filter({ hasText: 'Python interpreter:' }).first();
      await line.waitFor();
      return normalize(await line.textContent());
    });

    result.notebook = await step('notebook', async () => {
      // Open the .ipynb with Quick Open in a single editor group: VS Code's built-in ipynb
      // support shows it in the notebook editor (no Jupyter extension, no kernel), and the
      // client syncs its cells to the server.
      await runCommand(page, 'View: Single Column Editor Layout');
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible' });
      await input.fill(notebook);
      await page.locator('.quick-input-widget .monaco-list-row', { hasText: notebook }).first().waitFor();
      await page.keyboard.press('Enter');
      await input.waitFor({ state: 'hidden' });
      await page.locator('.notebook-editor').first().waitFor();
      await page.locator('.tab.active', { hasText: notebook }).waitFor();
      // The Problems panel lists the SL202 entry under the notebook.
      await page.keyboard.press('Control+Shift+M');
      const rows = page.locator('.markers-panel .monaco-list-row');
      await rows.filter({ hasText: 'SL202' }).first().waitFor();
      await rows.filter({ hasText: notebook }).first().waitFor();
      const problems = (await rows.allInnerTexts()).map(normalize);
      // Bring the last cells into view as a keyboard user would: select a cell (Escape leaves
      // its editor), then Ctrl+End focuses the last cell. The model's cell comes just before
      // it (cell 7: `%%time`, then `model = keras.Sequential([...])`).
      await page.locator('.notebook-editor .code-cell-row .monaco-editor .view-line').first().click();
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+End');
      const modelCell = page.locator('.notebook-editor .code-cell-row', { hasText: 'model = keras.Sequential' }).first();
      await modelCell.locator('.monaco-editor .squiggly-error').first().waitFor();
      const squiggles = await modelCell.locator('.monaco-editor .squiggly-error').count();
      // Hover `images` in `keras.Input(shape=images.shape[1:])`: its shape comes from cell 5.
      // Lines are tokenised at will, so find the word's characters and measure them with a
      // DOM range, looking the line up afresh on every poll.
      const locate = async () => (await page.waitForFunction(() => {
        const needle = 'keras.Input(shape=images';
        for (const line of document.querySelectorAll('.notebook-editor .code-cell-row .monaco-editor .view-line')) {
          const at = line.textContent.indexOf(needle);
          if (at < 0) {
            continue;
          }
          let start = at + needle.length - 'images'.length;
          const walker = document.createTreeWalker(line, 4 /* NodeFilter.SHOW_TEXT */);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            if (start < node.data.length) {
              const range = document.createRange();
              range.setStart(node, start);
              range.setEnd(node, Math.min(node.data.length, start + 'images'.length));
              const box = range.getBoundingClientRect();
              return box.width > 0 ? { x: box.x + box.width / 2, y: box.y + box.height / 2 } : null;
            }
            start -= node.data.length;
          }
        }
        return null;
      })).jsonValue();
      const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: '(32, 28, 28)' }).first();
      const hoverText = await hoverUntil(page, locate, hover);
      await shot(page, 'notebook.png');
      return { squiggles, problems, hover: hoverText };
    });

    await shot(page, 'final.png');
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
