// Print First Neuron decks to PDF: Chromium opens each deck's reveal.js
// ?print-pdf view from disk, with the network closed, and prints it with the
// page size reveal.js sets (1280 x 720 px, one page per slide).
// Usage: node slides_pdf.cjs '{"executablePath": "/usr/bin/chromium", "decks": ["/abs/deck.slides.html"]}'
"use strict";
const path = require("path");
const { chromium } = require(path.join(__dirname, "node_modules", "playwright-core"));

async function printDeck(browser, deck) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, offline: true });
  const blocked = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file://") || url.startsWith("data:")) return route.continue();
    blocked.push(url);
    return route.abort("internetdisconnected");
  });
  const page = await context.newPage();
  await page.goto("file://" + deck + "?print-pdf");
  await page.waitForFunction(() => document.documentElement.dataset.pdfReady === "true", null, {
    timeout: 60000,
  });
  await page.evaluate(() => document.fonts.ready);
  const target = deck.replace(/\.html$/, ".pdf");
  await page.pdf({ path: target, preferCSSPageSize: true, printBackground: true });
  await context.close();
  if (blocked.length) throw new Error(`${deck} requested the network: ${blocked.join(", ")}`);
  return target;
}

(async () => {
  const job = JSON.parse(process.argv[2]);
  const browser = await chromium.launch({
    executablePath: job.executablePath,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
           "--disable-background-networking", "--disable-component-update"],
  });
  try {
    for (const deck of job.decks) console.log(await printDeck(browser, deck));
  } finally {
    await browser.close();
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
