// The explorers under ipywidgets 7's own front end: the classic Notebook 6
// with widgetsnbextension 3 (the generation Colab's widget manager serves).
// Opens a notebook, runs all cells, then in each explorer moves its first
// slider to its maximum with the keyboard (End key, as a person can) and waits
// until the figure (the PNG in the explorer's Output widget) changes.
// The classic notebook's Output widget is a `.jupyter-widgets-output-area`
// (JupyterLab's is a `.widget-output`). With job.screenshots set, each
// explorer's cell is saved before and after the move as <explorer>-before/after.png.
// Usage: node classic_widgets.cjs job.json  ->  prints one JSON report.
"use strict";
const path = require("path");
const { launch, closeNetwork, watchErrors, readJob } = require("./common.cjs");

// The figure: the image in the explorer's Output widget.
const IMAGE = ".jupyter-widgets-output-area img";

async function main() {
  const job = readJob(); // {chromium, origin, url, explorers, timeoutMs, screenshots}
  const browser = await launch(job.chromium);
  const report = { explorers: [], errors: [], blocked: [] };
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    report.blocked = await closeNetwork(context, [job.origin]);
    const page = await context.newPage();
    report.errors = watchErrors(page);
    // On page load the widget manager asks the fresh kernel for the widgets it
    // already has: first through the "jupyter.widget.control" comm, which the
    // kernel only knows once ipywidgets is imported (hence the kernel's
    // "No such comm target registered"), then, falling back, through
    // comm_info. Cells run before that ends race with it: the manager creates
    // their models a second time and no widget shows. A person opens the
    // notebook and then runs it; so does this driver.
    const restoring = new Promise((resolve) => {
      page.on("console", (message) => {
        if (message.text().includes("fallback to fetching individual model state")) resolve();
      });
    });
    await page.goto(job.url, { waitUntil: "load", timeout: job.timeoutMs });
    await page.waitForFunction(
      () => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel &&
        Jupyter.notebook.kernel.is_connected() && Jupyter.notebook.kernel.widget_manager,
      null, { timeout: job.timeoutMs },
    );
    report.restoreSeen = await Promise.race([
      restoring.then(() => true),
      new Promise((resolve) => setTimeout(() => resolve(false), job.timeoutMs / 2)),
    ]);
    // One more round trip on the shell channel: its reply comes after that of
    // the manager's comm_info request, sent before it.
    await page.evaluate(() => new Promise((resolve) => Jupyter.notebook.kernel.kernel_info(resolve)));
    report.frontend = await page.evaluate(() => ({
      notebook: Jupyter.version,
      widgets: Boolean(document.querySelector("script[src*='jupyter-js-widgets']")) ||
        Boolean(window.require && window.require.defined &&
          window.require.defined("nbextensions/jupyter-js-widgets/extension")),
    }));
    await page.evaluate(() => Jupyter.notebook.execute_all_cells());
    // Every cell ran (a number in its prompt) before a slider is touched.
    await page.waitForFunction(
      () => Jupyter.notebook.get_cells().every((cell) => cell.cell_type !== "code" ||
        typeof cell.input_prompt_number === "number"),
      null, { timeout: job.timeoutMs * job.explorers.length },
    );
    const cells = page.locator(".cell.code_cell");
    for (let index = 0; index < job.explorers.length; index += 1) {
      const cell = cells.nth(index);
      const entry = { explorer: job.explorers[index] };
      report.explorers.push(entry);
      const image = cell.locator(IMAGE).first();
      const handle = cell.locator(".widget-hslider .ui-slider-handle").first();
      const readout = cell.locator(".widget-hslider .widget-readout").first();
      try {
        await image.waitFor({ state: "visible", timeout: job.timeoutMs });
        await handle.waitFor({ state: "visible", timeout: job.timeoutMs });
        entry.label = await cell.locator(".widget-hslider .widget-label").first().innerText();
        entry.before = { readout: await readout.innerText(), src: await image.getAttribute("src") };
        await screenshot(cell, job, `${entry.explorer}-before`);
        await handle.press("End"); // focuses the handle, then presses the key
        await page.waitForFunction(
          ([cellIndex, before, selector]) => {
            const cellNode = document.querySelectorAll(".cell.code_cell")[cellIndex];
            const img = cellNode && cellNode.querySelector(selector);
            return img && img.getAttribute("src") && img.getAttribute("src") !== before;
          },
          [index, entry.before.src, IMAGE],
          { timeout: job.timeoutMs },
        );
        entry.after = {
          readout: await readout.innerText(),
          src: await cell.locator(IMAGE).first().getAttribute("src"),
        };
        await screenshot(cell, job, `${entry.explorer}-after`);
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

async function screenshot(cell, job, name) {
  if (job.screenshots) {
    await cell.screenshot({ path: path.join(job.screenshots, `${name}.png`) });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
