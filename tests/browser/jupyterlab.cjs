// Work through a student lesson in JupyterLab the way a learner does.
// Usage: node jupyterlab.cjs job.json
//   job: {executablePath, baseUrl, token, notebook (path below the server root),
//         name, screenshotDir}
// Opens the notebook, runs every cell from the Run menu, then moves the first
// slider of every explorer with the keyboard and reads the figure before and
// after. Prints one JSON object (with "error" if a step failed).
"use strict";
const path = require("path");
const { launch, closeNetwork, watchErrors, readJob } = require("./common.cjs");

const RUN_TIMEOUT = 240000; // ms for "Run All Cells"
const REDRAW_TIMEOUT = 30000; // ms for a figure to change after a slider moved

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
    const url = `${job.baseUrl}/lab/tree/${job.notebook}?token=${job.token}`;
    await page.goto(url);
    await page.waitForSelector(".jp-NotebookPanel .jp-Cell", { timeout: 90000 });
    await page.waitForSelector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', { timeout: 90000 });
    await shot(page, "opened");

    // Cells whose source is collapsed show a placeholder with their first line.
    result.placeholders = await page.$$eval(".jp-Notebook .jp-InputPlaceholder", (nodes) =>
      nodes.map((node) => node.innerText.trim()));
    const solution = page.locator(".jp-Cell", {
      has: page.locator(".jp-InputPlaceholder", { hasText: "Solution" }),
    }).first();
    if (await solution.count()) {
      await solution.scrollIntoViewIfNeeded();
      await shot(page, "hidden-solution");
    }

    // Run > Run All Cells, as a learner would.
    const started = Date.now();
    await page.click('.lm-MenuBar-itemLabel:text-is("Run")');
    await page.click('.lm-Menu-itemLabel:text-is("Run All Cells")');
    await page.waitForFunction(() => {
      const prompts = [...document.querySelectorAll(".jp-Notebook .jp-CodeCell .jp-InputPrompt")]
        .map((node) => node.textContent.trim()).filter((text) => text);
      const indicator = document.querySelector(".jp-Notebook-ExecutionIndicator");
      return prompts.length > 0 && prompts.every((text) => /^\[\d+\]:$/.test(text))
        && indicator && indicator.dataset.status === "idle";
    }, null, { timeout: RUN_TIMEOUT, polling: 500 });
    result.runAllSeconds = (Date.now() - started) / 1000;
    result.prompts = await page.$$eval(".jp-Notebook .jp-CodeCell .jp-InputPrompt", (nodes) =>
      nodes.map((node) => node.textContent.trim()));
    result.tracebacks = await page.$$eval(".jp-Notebook .jp-OutputArea-output", (nodes) =>
      nodes.map((node) => node.innerText).filter((text) => text.includes("Traceback")));
    result.placeholdersAfterRun = await page.$$eval(".jp-Notebook .jp-InputPlaceholder", (nodes) => nodes.length);

    // Every explorer: a widget box holding sliders and an Output with the figure.
    const explorers = page.locator(".jp-Notebook .widget-vbox", { has: page.locator(".widget-slider") })
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
    await page.evaluate(() => document.querySelector(".jp-Notebook .jp-WindowedPanel-outer, .jp-Notebook")
      .scrollTo(0, 0));
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
