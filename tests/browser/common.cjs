// Shared by the browser drivers: launch Debian's Chromium through
// playwright-core (no browser download) with the network closed.
"use strict";
const path = require("path");

const ROOT = path.resolve(__dirname, "..", "..");
const { chromium } = require(path.join(ROOT, "authoring", "node_modules", "playwright-core"));

// Flags that keep Chromium quiet on a machine without network: no background
// services, no component updates, no QUIC; --no-sandbox because CI runs as root.
const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
  // Nothing resolves except the loopback server of the JupyterLab test.
  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
];

async function launch(executablePath) {
  return chromium.launch({ executablePath, headless: true, args: FLAGS });
}

// Abort every request that is not for one of `allowedPrefixes` and remember it.
async function closeNetwork(context, allowedPrefixes) {
  const blocked = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (allowedPrefixes.some((prefix) => url.startsWith(prefix))) {
      return route.continue();
    }
    blocked.push(url);
    return route.abort("internetdisconnected");
  });
  return blocked;
}

// Collect uncaught page errors and console errors.
function watchErrors(page) {
  const errors = [];
  page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  page.on("requestfailed", (request) =>
    errors.push(`requestfailed: ${request.url()} ${request.failure() && request.failure().errorText}`),
  );
  return errors;
}

function readJob() {
  const job = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
  return job;
}

// Drag across the middle of a plotly figure to zoom, then hover: returns the x
// range before and after, and the hover label's text ("" if none appeared).
async function zoomAndHover(page, plot) {
  const range = () => plot.evaluate((node) => node._fullLayout.xaxis.range.slice());
  const result = { rangeBefore: await range() };
  const drag = await plot.locator(".nsewdrag").first().boundingBox();
  const y = drag.y + drag.height / 2;
  await page.mouse.move(drag.x + drag.width * 0.2, y);
  await page.mouse.down();
  await page.mouse.move(drag.x + drag.width * 0.3, y, { steps: 8 });
  await page.mouse.move(drag.x + drag.width * 0.35, y, { steps: 8 });
  await page.mouse.up();
  await page.waitForTimeout(500);
  result.rangeAfter = await range();
  await page.mouse.move(drag.x + drag.width * 0.5, y, { steps: 4 });
  await page.mouse.move(drag.x + drag.width * 0.52, y, { steps: 4 });
  try {
    const label = plot.locator(".hoverlayer .hovertext").first();
    await label.waitFor({ timeout: 5000 });
    // SVG text has no innerText: read its textContent.
    result.hover = await label.evaluate((node) => node.textContent);
  } catch (error) {
    result.hover = "";
  }
  return result;
}

// Run > Run All Cells, as a learner would, and wait until the notebook is done
// (finished, or stopped at an error: the cells after it stay "[ ]:"). Right
// after the kernel reports idle, JupyterLab sometimes ignores the command (the
// session is not wired up yet): if no cell starts within 15 s, choose it again.
// Returns how many times it was chosen.
async function runAllCells(page, notebook, timeout) {
  let attempts = 0;
  for (let attempt = 1; attempt <= 3; attempt++) {
    attempts = attempt;
    await page.click('.lm-MenuBar-itemLabel:text-is("Run")');
    await page.click('.lm-Menu-itemLabel:text-is("Run All Cells")');
    try {
      await page.waitForFunction((nb) =>
        [...document.querySelectorAll(`${nb} .jp-CodeCell .jp-InputPrompt`)]
          .some((node) => /^\[(\*|\d+)\]:$/.test(node.textContent.trim())),
      notebook, { timeout: 15000, polling: 250 });
      break;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
  await page.waitForFunction((nb) => {
    const prompts = [...document.querySelectorAll(`${nb} .jp-CodeCell .jp-InputPrompt`)]
      .map((node) => node.textContent.trim()).filter((text) => text);
    const indicator = document.querySelector(".jp-Notebook-ExecutionIndicator");
    return prompts.some((text) => /^\[\d+\]:$/.test(text)) && !prompts.includes("[*]:")
      && indicator && indicator.dataset.status === "idle";
  }, notebook, { timeout, polling: 500 });
  return attempts;
}

module.exports = { launch, closeNetwork, watchErrors, readJob, zoomAndHover, runAllCells };
