// Open every slide deck from disk with the network closed and measure every
// slide as a lecture-hall screen shows it.
// Usage: node slides.cjs job.json
//   job: {executablePath, screenshotDir, decks: [path], viewports: [[w, h]],
//         minTextFraction, minCodeFraction, minFigureTextPx}
// Prints one JSON object: {decks: [{path, name, viewports: [{...}]}]}.
"use strict";
const path = require("path");
const { launch, closeNetwork, watchErrors, readJob } = require("./common.cjs");

// Runs in the page: measure the slide now shown. `limits` are the stated
// sizes; text sizes are compared as a fraction of the screen height.
function measureSlide(limits) {
  const W = window.innerWidth;
  const H = window.innerHeight;
  const scale = Reveal.getScale();
  const section = Reveal.getCurrentSlide();
  const title = (section.querySelector(".fn-title") || section).textContent.trim().slice(0, 60);
  const problems = [];
  const inside = (r) => r.left >= -1 && r.top >= -1 && r.right <= W + 1 && r.bottom <= H + 1;
  const describe = (el) =>
    `<${el.tagName.toLowerCase()}${el.className && typeof el.className === "string" ? "." + el.className.split(" ")[0] : ""}> "${(el.textContent || el.alt || "").trim().slice(0, 40)}"`;
  if (section.scrollHeight > section.clientHeight + 1 || section.scrollWidth > section.clientWidth + 1) {
    problems.push(`content taller or wider than the slide (${section.scrollWidth}x${section.scrollHeight} in ${section.clientWidth}x${section.clientHeight} canvas px)`);
  }
  if (!inside(section.getBoundingClientRect())) problems.push("the slide is not inside the screen");
  const visible = (el) =>
    el.checkVisibility({ opacityProperty: true, visibilityProperty: true }) &&
    !el.closest("aside.notes, script, style, .MathJax_Preview, .MJX_Assistive_MathML");
  const sizes = { text: Infinity, code: Infinity };
  for (const el of section.querySelectorAll("*")) {
    if (!visible(el)) continue;
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 && rect.height === 0) continue;
    if (!inside(rect)) problems.push(`outside the screen: ${describe(el)} (bottom ${Math.round(rect.bottom)} of ${H}, right ${Math.round(rect.right)} of ${W})`);
    const ownText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!ownText || el.closest(".MathJax_SVG, .MathJax_SVG_Display, sub, sup, svg")) continue;
    const px = parseFloat(getComputedStyle(el).fontSize) * scale;
    const kind = el.closest("pre, code") ? "code" : "text";
    sizes[kind] = Math.min(sizes[kind], px);
    const need = (kind === "code" ? limits.minCodeFraction : limits.minTextFraction) * H;
    if (px < need - 0.5) problems.push(`${kind} ${px.toFixed(1)} px < ${need.toFixed(1)} px: ${describe(el)}`);
  }
  const figures = [];
  for (const img of section.querySelectorAll("img")) {
    if (!visible(img)) continue;
    const rect = img.getBoundingClientRect();
    const shown = rect.width / (img.naturalWidth || 1); // screen px per image px
    const font = parseFloat(img.dataset.minFontPx || "NaN") * shown / scale; // canvas px
    figures.push({ x: rect.x, y: rect.y, width: rect.width, height: rect.height,
                   complete: img.complete, naturalWidth: img.naturalWidth, fontPx: font });
    if (!img.complete || !img.naturalWidth) problems.push(`figure did not load: ${describe(img)}`);
    if (!inside(rect)) problems.push(`figure not fully visible: ${describe(img)}`);
    if (!(font >= limits.minFigureTextPx - 0.5)) {
      problems.push(`figure text ${font.toFixed(1)} canvas px < ${limits.minFigureTextPx}: ${describe(img)}`);
    }
  }
  return { title, problems, figures, sizes, kind: section.className };
}

async function inspect(browser, deckPath, viewport, job, shots) {
  const [width, height] = viewport;
  const context = await browser.newContext({ viewport: { width, height }, offline: true });
  const blocked = await closeNetwork(context, ["file://", "data:"]);
  const page = await context.newPage();
  const errors = watchErrors(page);
  const result = { width, height, blocked, errors, slides: [], screenshots: [] };
  await page.goto("file://" + deckPath);
  await page.waitForFunction(() => document.documentElement.dataset.deckReady === "true", null,
                             { timeout: 60000 });
  // From now on nothing may typeset again (that is what made formulas flicker).
  Object.assign(result, await page.evaluate(() => {
    window.__retypeset = 0;
    new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (node.nodeType === 1 && /MathJax/.test(node.className || "")) window.__retypeset += 1;
        }
      }
    }).observe(document.querySelector(".reveal .slides"), { childList: true, subtree: true });
    // Text as written: a typeset formula as its TeX source ($...$), not its drawing.
    const text = (el) => {
      if (!el) return "";
      const copy = el.cloneNode(true);
      copy.querySelectorAll(".MathJax_SVG, .MathJax_SVG_Display, .MathJax_Preview").forEach((n) => n.remove());
      copy.querySelectorAll('script[type^="math/tex"]').forEach((n) => n.replaceWith(`$${n.textContent}$`));
      return copy.textContent.trim();
    };
    const sections = [...document.querySelectorAll(".reveal .slides > section")];
    return {
      ready: Reveal.isReady(),
      total: Reveal.getTotalSlides(),
      typeset: document.querySelectorAll(".MathJax_SVG, .MathJax_SVG_Display").length,
      mathErrors: document.querySelectorAll(".MathJax_SVG merror, .MathJax_SVG [data-mjx-error]").length
        + (document.body.innerText.includes("Math Processing Error") ? 1 : 0),
      sectionsWithoutNotes: sections
        .filter((s) => s.classList.contains("fn-slide-divider"))
        .filter((s) => !/^\(\d+(\.\d+)?\s*min\b/.test(text(s.querySelector("aside.notes"))))
        .map((s) => ({ title: text(s.querySelector(".fn-title")),
                       notes: text(s.querySelector("aside.notes")).slice(0, 40) })),
      exercisesWithoutTimebox: sections
        .filter((s) => s.classList.contains("fn-slide-exercise"))
        .filter((s) => !/^\d+(\.\d+)? min$/.test(text(s.querySelector(".fn-timebox"))))
        .map((s) => text(s.querySelector(".fn-title > span"))),
      kinds: sections.map((s) => s.className),
    };
  }));
  const limits = {
    minTextFraction: job.minTextFraction,
    minCodeFraction: job.minCodeFraction,
    minFigureTextPx: job.minFigureTextPx,
  };
  const name = path.basename(deckPath).replace(/\.slides\.html$/, "");
  for (let index = 0; index < result.total; index += 1) {
    // As the slide opens (no fragment shown), then with every fragment shown.
    await page.evaluate((h) => Reveal.slide(h, 0, -1), index);
    const opened = await page.evaluate(measureSlide, limits);
    const label = shots(index, opened.kind, result.width);
    const shoot = async (suffix, figures) => {
      const file = path.join(job.screenshotDir,
        `${name}-${String(index + 1).padStart(3, "0")}-${label}${suffix}-${width}x${height}.png`);
      await page.screenshot({ path: file });
      result.screenshots.push({ file, label: label + suffix, index, figures });
    };
    if (label) await shoot("", opened.figures);
    const fragments = await page.evaluate(() => {
      let count = 0;
      while (Reveal.nextFragment()) count += 1;
      return count;
    });
    if (fragments) await page.waitForTimeout(400); // the fragments' fade
    const revealed = fragments ? await page.evaluate(measureSlide, limits) : opened;
    if (label && fragments) await shoot("-revealed", revealed.figures);
    const problems = [...new Set([...opened.problems, ...revealed.problems])];
    result.slides.push({ index, title: opened.title, kind: opened.kind, fragments, problems,
                         figures: revealed.figures, sizes: revealed.sizes });
  }
  // Back to slides already shown: no formula may be typeset again.
  for (let index = 0; index < Math.min(result.total, 40); index += 1) {
    await page.evaluate((h) => Reveal.slide(h, 0), index);
  }
  await page.waitForTimeout(300);
  result.retypeset = await page.evaluate(() => window.__retypeset);
  await context.close();
  return result;
}

// A few screenshots per deck: the title, the first slide of each kind.
function shotPicker() {
  const seen = new Set();
  return (index, kind, width) => {
    const wanted = ["fn-slide-title", "fn-slide-agenda", "fn-slide-figure", "fn-slide-exercise",
                    "fn-slide-solution", "fn-slide-predict", "fn-slide-explorer", "fn-slide-divider"];
    const match = wanted.find((k) => kind.split(" ").includes(k));
    if (!match || (width !== 1280 && match !== "fn-slide-figure")) return null;
    if (seen.has(match)) return null;
    seen.add(match);
    return match.replace("fn-slide-", "");
  };
}

(async () => {
  const job = readJob();
  const browser = await launch(job.executablePath);
  const decks = [];
  try {
    for (const deck of job.decks) {
      const viewports = [];
      for (const viewport of job.viewports) {
        viewports.push(await inspect(browser, deck, viewport, job, shotPicker()));
      }
      decks.push({ path: deck, viewports });
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify({ decks }, null, 1));
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
