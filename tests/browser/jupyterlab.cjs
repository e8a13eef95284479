// Work through a student lesson in JupyterLab the way a learner does.
// Usage: node jupyterlab.cjs job.json
//   job: {executablePath, baseUrl, token, notebook (path below the server root),
//         name, screenshotDir}
// Opens the notebook, runs every cell from the Run menu, then moves the first
// slider of every explorer with the keyboard and reads the figure before and
// after. Prints one JSON object (with "error" if a step failed).
"use strict";
const path = require("path");
const { launch, closeNetwork, watchErrors, readJob, runAllCells } = require("./common.cjs");

const RUN_TIMEOUT = 240000; // ms for "Run All Cells"
const REDRAW_TIMEOUT = 30000; // ms for a figure to change after a slider moved
const NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook"; // the lesson's tab

async function main(job) {
  const result = { screenshots: [], explorers: [] };
  const shot = async (target, label) => {
    const file = path.join(job.screenshotDir, `lab-${job.name}-${label}.png`);
    await target.screenshot({ path: file });
    result.screenshots.push(file);
  };
  const browser = await launch(job.executablePath);
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const local = new URL(job.baseUrl);
  result.blocked = await closeNetwork(context, [
    `http://${local.host}/`, `ws://${local.host}/`, "data:", "blob:",
  ]);
  const page = await context.newPage();
  result.errors = watchErrors(page);
  try {
    // Open the lesson; the token in the URL logs in.
    // A workspace of its own (reset), so tabs left open by an earlier lesson are not restored.
    const url = `${job.baseUrl}/lab/workspaces/${job.name}/tree/${job.notebook}?reset&token=${job.token}`;
    await page.goto(url);
    await page.waitForSelector(`${NOTEBOOK} .jp-Cell`, { timeout: 90000 });
    // The kernel is connected when the status bar says "Python 3 (ipykernel) | Idle"
    // (the toolbar's indicator says idle before the kernel is there).
    await page.waitForFunction(() => [...document.querySelectorAll(".jp-StatusBar-TextItem")]
      .some((node) => /\|\s*Idle/.test(node.textContent)), null, { timeout: 90000, polling: 250 });
    await shot(page, "opened");

    // Cells whose source is collapsed show a placeholder with their first line.
    result.placeholders = await page.$$eval(`${NOTEBOOK} .jp-InputPlaceholder`, (nodes) =>
      nodes.map((node) => node.textContent.trim()));
    const solution = page.locator(`${NOTEBOOK} .jp-Cell`, {
      has: page.locator(".jp-InputPlaceholder", { hasText: "Solution" }),
    }).first();
    if (await solution.count()) {
      await solution.scrollIntoViewIfNeeded();
      await shot(page, "hidden-solution");
    }

    // Run > Run All Cells, as a learner would (see runAllCells).
    const started = Date.now();
    result.runAllAttempts = await runAllCells(page, NOTEBOOK, RUN_TIMEOUT);
    result.runAllSeconds = (Date.now() - started) / 1000;
    result.prompts = await page.$$eval(`${NOTEBOOK} .jp-CodeCell .jp-InputPrompt`, (nodes) =>
      nodes.map((node) => node.textContent.trim()));
    result.tracebacks = await page.$$eval(`${NOTEBOOK} .jp-OutputArea-output`, (nodes) =>
      nodes.map((node) => node.textContent).filter((text) => text.includes("Traceback")));
    result.placeholdersAfterRun = await page.$$eval(`${NOTEBOOK} .jp-InputPlaceholder`, (nodes) => nodes.length);

    // Every explorer: a widget box holding sliders and an Output with the figure.
    const explorers = page.locator(`${NOTEBOOK} .widget-vbox`, { has: page.locator(".widget-slider") })
      .filter({ has: page.locator(".widget-output img") });
    const count = await explorers.count();
    for (let index = 0; index < count; index++) {
      const explorer = explorers.nth(index);
      const image = explorer.locator(".widget-output img").first();
      const readout = explorer.locator(".widget-readout").first();
      const found = { index, label: await explorer.locator(".widget-slider .widget-label").first().innerText() };
      await explorer.scrollIntoViewIfNeeded();
      await shot(explorer, `explorer${index + 1}-before`);
      found.before = await image.getAttribute("src");
      found.readoutBefore = (await readout.innerText()).trim();
      // Focus the slider's handle and press the arrow keys (left if already at the maximum).
      await explorer.locator(".widget-slider .noUi-handle").first().focus();
      for (const key of ["ArrowRight", "ArrowRight", "ArrowRight", "ArrowLeft", "ArrowLeft", "ArrowLeft", "ArrowLeft", "ArrowLeft", "ArrowLeft"]) {
        await page.keyboard.press(key);
        await page.waitForTimeout(100);
        if ((await readout.innerText()).trim() !== found.readoutBefore) break;
      }
      found.readoutAfter = (await readout.innerText()).trim();
      try {
        await page.waitForFunction(
          ([node, before]) => {
            const img = node.querySelector(".widget-output img");
            return img && img.getAttribute("src") !== before && img.complete;
          },
          [await explorer.elementHandle(), found.before],
          { timeout: REDRAW_TIMEOUT, polling: 200 },
        );
      } catch (error) {
        found.redrawError = String(error).split("\n")[0];
      }
      await page.waitForTimeout(300);
      found.after = await image.getAttribute("src");
      await shot(explorer, `explorer${index + 1}-after`);
      result.explorers.push(found);
    }
    await page.evaluate((notebook) => document.querySelector(`${notebook} .jp-Cell`).scrollIntoView(), NOTEBOOK);
    await shot(page, "ran");
  } catch (error) {
    result.error = String(error.stack || error);
    try { await shot(page, "failure"); } catch (_) { /* the page may be gone */ }
  } finally {
    await browser.close();
  }
  return result;
}

main(readJob()).then((result) => process.stdout.write(JSON.stringify(result)))
  .catch((error) => { console.error(error); process.exit(1); });
