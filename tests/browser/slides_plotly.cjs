// An interactive plotly figure on a slide deck opened from disk, offline:
// it renders, a drag zooms it, and hovering shows a value.
// Usage: node slides_plotly.cjs job.json   job: {executablePath, deck, screenshotDir}
"use strict";
const path = require("path");
const { launch, closeNetwork, watchErrors, readJob, zoomAndHover } = require("./common.cjs");

async function main(job) {
  const result = {};
  const browser = await launch(job.executablePath);
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, offline: true });
  result.blocked = await closeNetwork(context, ["file://", "data:"]);
  const page = await context.newPage();
  result.errors = watchErrors(page);
  try {
    await page.goto("file://" + job.deck);
    await page.waitForFunction(() => document.documentElement.dataset.deckReady === "true", null,
                               { timeout: 60000 });
    const index = await page.evaluate(() => {
      const sections = [...document.querySelectorAll(".reveal .slides > section")];
      return sections.findIndex((s) => s.querySelector(".fn-plotly"));
    });
    result.slide = index;
    if (index < 0) throw new Error("no slide holds a plotly figure");
    await page.evaluate((h) => Reveal.slide(h, 0, -1), index);
    const plot = page.locator(".reveal .slides > section.present .fn-plotly");
    await page.waitForSelector(".reveal .slides > section.present .fn-plotly .main-svg", { timeout: 30000 });
    const box = await plot.boundingBox();
    result.inside = box.x >= 0 && box.y >= 0 && box.x + box.width <= 1281 && box.y + box.height <= 721;
    Object.assign(result, await zoomAndHover(page, plot));
    const file = path.join(job.screenshotDir, "slides-plotly.png");
    await page.screenshot({ path: file });
    result.screenshot = file;
  } catch (error) {
    result.error = String(error.stack || error);
  } finally {
    await browser.close();
  }
  return result;
}

main(readJob()).then((result) => process.stdout.write(JSON.stringify(result)))
  .catch((error) => { console.error(error); process.exit(1); });
