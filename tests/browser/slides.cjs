// Open slide decks from disk with the network off; report what reveal.js did.
// Usage: node slides.cjs job.json   (job: {executablePath, screenshotDir, decks: [path]})
// Prints one JSON object: {decks: [{path, ready, total, ...}]}.
"use strict";
const path = require("path");
const { launch, closeNetwork, watchErrors, readJob } = require("./common.cjs");

async function inspectDeck(browser, deckPath, screenshotDir) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, offline: true });
  const blocked = await closeNetwork(context, ["file://", "data:"]);
  const page = await context.newPage();
  const errors = watchErrors(page);
  const name = path.basename(deckPath).replace(/\.slides\.html$/, "");
  const result = { path: deckPath, blocked, errors, screenshots: [] };

  await page.goto("file://" + deckPath);
  // reveal.js is loaded through require.js (an AMD module, no window.Reveal):
  // it marks the .reveal element "ready" once initialised.
  await page.waitForSelector(".reveal.ready", { timeout: 30000 });
  const reveal = await page.evaluate(
    () =>
      new Promise((resolve) =>
        require(["reveal.js/dist/reveal.js"], (Reveal) => {
          const slides = Reveal.getSlides();
          const figures = [];
          slides.forEach((slide) => {
            const image = slide.querySelector(".jp-OutputArea-output img");
            if (image) figures.push(Reveal.getIndices(slide));
          });
          resolve({
            all: slides.map((slide) => Reveal.getIndices(slide)),
            ready: Reveal.isReady(),
            total: Reveal.getTotalSlides(),
            horizontal: Reveal.getHorizontalSlides().length,
            figures,
            notes: document.querySelectorAll("aside.notes").length,
          });
        }),
      ),
  );
  Object.assign(result, reveal);

  // Wait for MathJax to finish typesetting, then count formulas and errors.
  result.mathjax = await page.evaluate(
    () =>
      new Promise((resolve) => {
        if (!window.MathJax || !window.MathJax.Hub) return resolve({ loaded: false });
        window.MathJax.Hub.Queue(() =>
          resolve({
            loaded: true,
            typeset: document.querySelectorAll(".MathJax_SVG").length,
            errors: document.querySelectorAll(".MathJax_SVG merror, .MathJax_SVG [data-mjx-error]").length
              + (document.body.innerText.includes("Math Processing Error") ? 1 : 0),
          }),
        );
      }),
  );

  const go = (indices) => page.evaluate(({ h, v }) => new Promise((resolve) =>
    require(["reveal.js/dist/reveal.js"], (Reveal) => { Reveal.slide(h, v); resolve(); })), indices);

  async function shoot(indices, label) {
    await go(indices);
    await page.waitForTimeout(300);
    // A slide taller than the screen scrolls (reveal_scroll): scroll its own
    // scroll box (never the page) to the first figure, as the presenter would.
    const image = await page.evaluate((scroll) => {
      const slide = [...document.querySelectorAll(".slides section.present")].pop();
      const img = slide.querySelector(".jp-OutputArea-output img");
      if (!img) return null;
      const style = getComputedStyle(slide).overflowY;
      if (scroll && (style === "scroll" || style === "auto")) {
        slide.scrollTop += img.getBoundingClientRect().top - slide.getBoundingClientRect().top - 20;
      }
      const rect = img.getBoundingClientRect();
      return { x: rect.x, y: rect.y, width: rect.width, height: rect.height,
               complete: img.complete, naturalWidth: img.naturalWidth };
    }, label.startsWith("figure"));
    await page.waitForTimeout(100);
    const file = path.join(screenshotDir, `slides-${name}-${label}.png`);
    await page.screenshot({ path: file });
    result.screenshots.push({ file, label, indices, image });
  }

  // The first slide with a typeset formula.
  result.math = await page.evaluate(() => new Promise((resolve) =>
    require(["reveal.js/dist/reveal.js"], (Reveal) => {
      const slide = Reveal.getSlides().find((s) => s.querySelector(".MathJax_SVG svg"));
      resolve(slide ? Reveal.getIndices(slide) : null);
    })));

  // Visit every slide: which ones are taller than the slide area (they scroll)?
  result.tall = [];
  for (const indices of result.all) {
    await go(indices);
    const tall = await page.evaluate(() => {
      const slide = [...document.querySelectorAll(".slides section.present")].pop();
      return slide.scrollHeight > slide.clientHeight + 2;
    });
    if (tall) result.tall.push(indices);
  }

  await shoot({ h: 0, v: 0 }, "title");
  if (result.math) await shoot(result.math, "math");
  for (const [number, indices] of result.figures.entries()) {
    await shoot(indices, `figure${number + 1}`);
  }
  await context.close();
  return result;
}

(async () => {
  const job = readJob();
  const browser = await launch(job.executablePath);
  const decks = [];
  try {
    for (const deck of job.decks) decks.push(await inspectDeck(browser, deck, job.screenshotDir));
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify({ decks }, null, 1));
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
