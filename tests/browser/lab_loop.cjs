// The exercise loop and an interactive plotly figure, as a learner meets them in JupyterLab.
// Usage: node lab_loop.cjs job.json
//   job: {executablePath, baseUrl, token, notebook, name, screenshotDir,
//         exerciseCell, checkCell, nextCell, fixedSource}
// 1. Run All with a wrong answer in the exercise cell: read the check's output.
// 2. Replace the exercise with a correct answer, run it, run the check again,
//    run the cell after it: read both outputs.
// 3. The plotly figure: drag to zoom (the x range changes), hover (a label shows).
// Prints one JSON object (with "error" if a step failed).
"use strict";
const path = require("path");
const { launch, closeNetwork, watchErrors, readJob, zoomAndHover, runAllCells } = require("./common.cjs");

const NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook";

async function cellOutput(page, index) {
  return page.evaluate(([notebook, i]) => {
    const cell = document.querySelectorAll(`${notebook} .jp-Cell`)[i];
    const area = cell && cell.querySelector(".jp-OutputArea");
    return area ? area.innerText : "";
  }, [NOTEBOOK, index]);
}

async function runInPlace(page, index) {
  const cell = page.locator(`${NOTEBOOK} .jp-Cell`).nth(index);
  await cell.scrollIntoViewIfNeeded();
  await cell.locator(".cm-content").click();
  const before = await cell.locator(".jp-InputPrompt").innerText();
  await page.keyboard.press("Control+Enter");
  // Wait for a new execution count.
  await page.waitForFunction(([notebook, i, old]) => {
    const prompt = document.querySelectorAll(`${notebook} .jp-Cell`)[i].querySelector(".jp-InputPrompt");
    const text = prompt.textContent.trim();
    return /^\[\d+\]:$/.test(text) && text !== old;
  }, [NOTEBOOK, index, before.trim()], { timeout: 60000, polling: 200 });
}

async function main(job) {
  const result = { screenshots: [] };
  const shot = async (target, label) => {
    const file = path.join(job.screenshotDir, `lab-loop-${label}.png`);
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
    await page.goto(`${job.baseUrl}/lab/workspaces/${job.name}/tree/${job.notebook}?reset&token=${job.token}`);
    await page.waitForSelector(`${NOTEBOOK} .jp-Cell`, { timeout: 90000 });
    await page.waitForFunction(() => [...document.querySelectorAll(".jp-StatusBar-TextItem")]
      .some((node) => /\|\s*Idle/.test(node.textContent)), null, { timeout: 90000, polling: 250 });

    await runAllCells(page, NOTEBOOK, 120000);
    result.checkWrong = await cellOutput(page, job.checkCell);
    result.nextWrong = await cellOutput(page, job.nextCell);
    await page.locator(`${NOTEBOOK} .jp-Cell`).nth(job.checkCell).scrollIntoViewIfNeeded();
    await shot(page, "wrong");

    // The learner fixes the exercise and runs it, then the check, then the next cell.
    const exercise = page.locator(`${NOTEBOOK} .jp-Cell`).nth(job.exerciseCell);
    await exercise.scrollIntoViewIfNeeded();
    await exercise.locator(".cm-content").click();
    await page.keyboard.press("Control+A");
    await page.keyboard.insertText(job.fixedSource);
    await runInPlace(page, job.exerciseCell);
    await runInPlace(page, job.checkCell);
    await runInPlace(page, job.nextCell);
    result.checkFixed = await cellOutput(page, job.checkCell);
    result.nextFixed = await cellOutput(page, job.nextCell);
    await shot(page, "fixed");

    // The plotly figure: rendered, zoomed by a drag, read by hovering.
    const plot = page.locator(`${NOTEBOOK} .js-plotly-plot`).first();
    await plot.scrollIntoViewIfNeeded();
    await page.waitForSelector(`${NOTEBOOK} .js-plotly-plot .main-svg`, { timeout: 30000 });
    Object.assign(result, await zoomAndHover(page, plot));
    await shot(plot, "plotly");
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
