// The explorers under ipywidgets 7's own front end: the classic Notebook 6
// with widgetsnbextension 3 (the generation Colab's widget manager serves).
// Opens a notebook, runs all cells, then in each explorer moves its first
// slider to its maximum with the keyboard (End key, as a person can) and waits
// until the figure (the PNG in the explorer's Output widget) changes.
// Usage: node classic_widgets.cjs job.json  ->  prints one JSON report.
"use strict";
const { launch, closeNetwork, watchErrors, readJob } = require("./common.cjs");

async function main() {
  const job = readJob(); // {chromium, url, explorers, timeoutMs}
  const browser = await launch(job.chromium);
  const report = { explorers: [], errors: [], blocked: [] };
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    report.blocked = await closeNetwork(context, [job.origin]);
    const page = await context.newPage();
    report.errors = watchErrors(page);
    await page.goto(job.url, { waitUntil: "load", timeout: job.timeoutMs });
    await page.waitForFunction(
      () => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel &&
        Jupyter.notebook.kernel.is_connected(),
      null, { timeout: job.timeoutMs },
    );
    report.frontend = await page.evaluate(() => ({
      notebook: Jupyter.version,
      widgets: Boolean(document.querySelector("script[src*='jupyter-js-widgets']")) ||
        Boolean(window.require && window.require.defined &&
          window.require.defined("nbextensions/jupyter-js-widgets/extension")),
    }));
    await page.evaluate(() => Jupyter.notebook.execute_all_cells());
    const cells = page.locator(".cell.code_cell");
    for (let index = 0; index < job.explorers.length; index += 1) {
      const cell = cells.nth(index);
      const entry = { explorer: job.explorers[index] };
      report.explorers.push(entry);
      const image = cell.locator(".widget-output img").first();
      const handle = cell.locator(".widget-hslider .ui-slider-handle").first();
      const readout = cell.locator(".widget-hslider .widget-readout").first();
      try {
        await image.waitFor({ state: "visible", timeout: job.timeoutMs });
        await handle.waitFor({ state: "visible", timeout: job.timeoutMs });
        entry.label = await cell.locator(".widget-hslider .widget-label").first().innerText();
        entry.before = { readout: await readout.innerText(), src: await image.getAttribute("src") };
        await handle.focus();
        await page.keyboard.press("End");
        await page.waitForFunction(
          ([cellIndex, before]) => {
            const cellNode = document.querySelectorAll(".cell.code_cell")[cellIndex];
            const img = cellNode && cellNode.querySelector(".widget-output img");
            return img && img.getAttribute("src") && img.getAttribute("src") !== before;
          },
          [index, entry.before.src],
          { timeout: job.timeoutMs },
        );
        entry.after = {
          readout: await readout.innerText(),
          src: await cell.locator(".widget-output img").first().getAttribute("src"),
        };
        entry.changed = entry.after.src !== entry.before.src;
      } catch (error) {
        entry.error = String(error).split("\n")[0];
      }
      // The PNGs themselves are long: keep only their length and a short prefix.
      for (const key of ["before", "after"]) {
        if (entry[key] && entry[key].src) {
          entry[key].srcLength = entry[key].src.length;
          entry[key].src = entry[key].src.slice(0, 40);
        }
      }
    }
  } finally {
    await browser.close();
  }
  console.log(JSON.stringify(report));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
