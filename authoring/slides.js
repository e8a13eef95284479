// Start a First Neuron deck: typeset every formula once, then start reveal.js.
// MathJax runs before reveal.js lays the slides out and never again, so a
// formula does not flicker when its slide is shown a second time.
(function () {
  "use strict";
  var root = document.documentElement;

  // Interactive plotly figures are drawn when their slide is shown (plotly
  // measures its container, which a hidden slide does not have), or all at
  // once for the PDF.
  function drawPlotly(scope) {
    if (!window.Plotly || !scope) return;
    scope.querySelectorAll(".fn-plotly:not([data-drawn])").forEach(function (node) {
      var spec = JSON.parse(node.querySelector("script").textContent);
      var layout = Object.assign({}, spec.layout || {}, {
        width: Number(node.dataset.width),
        height: Number(node.dataset.height),
        autosize: false,
        font: { size: 22 },
        hoverlabel: { font: { size: 20 } },
        title: Object.assign({}, (spec.layout || {}).title || {}, { font: { size: 26 } }),
      });
      node.dataset.drawn = "true";
      window.Plotly.newPlot(node, spec.data, layout, { displaylogo: false, responsive: false });
    });
  }

  function start() {
    root.classList.remove("fn-typesetting");
    Reveal.on("ready", function (event) {
      drawPlotly(Reveal.isPrintView() ? document : event.currentSlide);
    });
    Reveal.on("slidechanged", function (event) {
      drawPlotly(event.currentSlide);
    });
    Reveal.on("pdf-ready", function () {
      root.dataset.pdfReady = "true";
    });
    Reveal.initialize({
      // The canvas is the 1280 x 720 screen: no margin, so a 16:9 screen of
      // any size shows the slide scaled as a whole (x 1.5 at 1920 x 1080).
      width: 1280,
      height: 720,
      margin: 0,
      minScale: 0.1,
      maxScale: 4,
      center: false,
      display: "flex",
      hash: true,
      slideNumber: "c/t",
      controls: false, // a clicker or the arrow keys; the arrows would cover the slide number
      transition: "none",
      backgroundTransition: "none",
      // The PDF has one page per slide, every fragment shown.
      pdfSeparateFragments: false,
      plugins: window.RevealNotes ? [window.RevealNotes] : [],
    }).then(function () {
      root.dataset.deckReady = "true";
    });
  }

  if (window.MathJax && window.MathJax.Hub) {
    window.MathJax.Hub.Queue(
      ["Typeset", window.MathJax.Hub, document.querySelector(".reveal .slides")],
      start,
    );
  } else {
    start();
  }
})();
