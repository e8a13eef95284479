// Open the course website, served on localhost, with the network closed.
// Usage: node site.cjs job.json
//   job: {executablePath, screenshotDir, base, pages: [relative paths],
//         fold: {page, codeSelector, answerSelector}, search: {term}}
// Prints one JSON object: {pages: [...], fold: {...}, search: {...}}.
"use strict";
const path = require("path");
const { launch, closeNetwork, watchErrors, readJob } = require("./common.cjs");

// Wait until MathJax 2 (if the page loads it) has typeset everything.
async function mathjaxDone(page) {
  return page.evaluate(
    () =>
      new Promise((resolve) => {
        if (!window.MathJax || !window.MathJax.Hub || !window.MathJax.Hub.Queue) {
          return resolve({ loaded: false, typeset: 0, errors: 0 });
        }
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
}

async function open(context, url) {
  const page = await context.newPage();
  const errors = watchErrors(page);
  const bad = [];
  page.on("response", (response) => {
    if (response.status() >= 400) bad.push(`${response.status()} ${response.url()}`);
  });
  const response = await page.goto(url, { waitUntil: "load" });
  await page.waitForLoadState("networkidle");
  return { page, errors, bad, status: response ? response.status() : null };
}

async function inspectPage(context, base, relative) {
  const { page, errors, bad, status } = await open(context, base + relative);
  const math = await mathjaxDone(page);
  const details = await page.evaluate(() => {
    const images = [...document.querySelectorAll("img")].map((img) => ({
      src: img.getAttribute("src"),
      output: !!img.closest(".cell_output, .output"),
      complete: img.complete,
      naturalWidth: img.naturalWidth,
      alt: img.getAttribute("alt"),
    }));
    return {
      title: document.title,
      images,
      plotly: document.querySelectorAll(".plotly-graph-div").length,
      // plotly draws several <svg class="main-svg"> layers in one figure.
      plotlyDrawn: [...document.querySelectorAll(".plotly-graph-div")]
        .filter((div) => div.querySelector(".main-svg")).length,
      explorerNotes: document.querySelectorAll(".explorer-note").length,
      // Explorers whose static frame (the figure drawn when the lesson ran) loaded.
      explorerFrames: [...document.querySelectorAll(".explorer-note")].filter((note) => {
        const output = note.closest(".cell_output");
        return output && [...output.querySelectorAll("img")].some((img) => img.naturalWidth > 0);
      }).length,
      codeFolds: document.querySelectorAll("details.hide").length,
      answerFolds: document.querySelectorAll(".admonition.dropdown").length,
      widgetViews: document.querySelectorAll(
        "script[type='application/vnd.jupyter.widget-view+json'], .jupyter-widgets").length,
    };
  });
  await page.close();
  return { path: relative, status, errors, bad, math, ...details };
}

async function checkFolds(context, base, job, screenshotDir) {
  const { page, errors } = await open(context, base + job.fold.page);
  await mathjaxDone(page);
  const result = { page: job.fold.page, errors };

  // A hidden solution: myst-nb's <details> around the code ("hide-input").
  const code = page.locator("details.hide.above-input").first();
  result.label = (await code.locator("summary").first().innerText()).trim();
  result.codeBefore = {
    open: await code.evaluate((d) => d.open),
    visible: await code.locator("pre").first().isVisible(),
  };
  await code.locator("summary").first().scrollIntoViewIfNeeded();
  await code.locator("summary").first().click();
  await page.waitForTimeout(300);
  result.codeAfter = {
    open: await code.evaluate((d) => d.open),
    visible: await code.locator("pre").first().isVisible(),
    text: (await code.locator("pre").first().innerText()).slice(0, 200),
  };
  await page.screenshot({ path: path.join(screenshotDir, "site-fold-solution.png") });

  // A "think" answer: sphinx-togglebutton's dropdown admonition.
  const answer = page.locator(".admonition.dropdown").first();
  if ((await answer.count()) > 0) {
    const body = answer.locator("p:not(.admonition-title)").first();
    await answer.scrollIntoViewIfNeeded();
    result.answerBefore = { visible: await body.isVisible() };
    await answer.locator("button.toggle-button").first().click();
    await page.waitForTimeout(400);
    result.answerAfter = {
      visible: await body.isVisible(),
      text: (await body.innerText()).slice(0, 200),
    };
    await page.screenshot({ path: path.join(screenshotDir, "site-fold-answer.png") });
  }
  await page.close();
  return result;
}

async function checkSearch(context, base, job, screenshotDir) {
  // As a reader does it: the search field in the sidebar, type, Enter.
  const { page, errors } = await open(context, base + "index.html");
  const result = { term: job.search.term, errors };
  await page.locator(".search-button-field").first().click();
  const input = page.locator("input[name='q']:visible").first();
  await input.fill(job.search.term);
  await Promise.all([page.waitForNavigation(), input.press("Enter")]);
  result.url = page.url();
  await page.waitForFunction(
    () => {
      const summary = document.querySelector("#search-results .search-summary, #search-results p");
      return summary && /found|did not match/i.test(summary.innerText || "");
    },
    null,
    { timeout: 30000 },
  );
  result.summary = await page.locator("#search-results p").first().innerText();
  result.results = await page.evaluate(() =>
    [...document.querySelectorAll("#search-results ul.search li a")].map((a) => ({
      href: a.href,
      text: a.innerText,
    })),
  );
  await page.screenshot({ path: path.join(screenshotDir, "site-search.png") });
  if (result.results.length > 0) {
    const first = page.locator("#search-results ul.search li a").first();
    await Promise.all([page.waitForNavigation(), first.click()]);
    await page.waitForLoadState("networkidle");
    result.landed = {
      url: page.url(),
      highlighted: await page.locator("span.highlighted").count(),
      containsTerm: (await page.locator("article").first().innerText())
        .toLowerCase().includes(job.search.term.toLowerCase()),
    };
  }
  await page.close();
  return result;
}

async function screenshots(context, base, job, screenshotDir) {
  const shots = [];
  for (const [label, relative, selector] of job.screenshots) {
    const { page } = await open(context, base + relative);
    await mathjaxDone(page);
    if (selector) {
      const target = page.locator(selector).first();
      if ((await target.count()) > 0) await target.scrollIntoViewIfNeeded();
      await page.waitForTimeout(200);
    }
    const file = path.join(screenshotDir, `site-${label}.png`);
    await page.screenshot({ path: file });
    shots.push(file);
    await page.close();
  }
  return shots;
}

(async () => {
  const job = readJob();
  const browser = await launch(job.executablePath);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const blocked = await closeNetwork(context, [job.base, "data:", "blob:"]);
  const report = { blocked, pages: [] };
  try {
    for (const relative of job.pages) report.pages.push(await inspectPage(context, job.base, relative));
    report.fold = await checkFolds(context, job.base, job, job.screenshotDir);
    report.search = await checkSearch(context, job.base, job, job.screenshotDir);
    report.screenshots = await screenshots(context, job.base, job, job.screenshotDir);
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(report, null, 1));
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
