"""Sphinx configuration of the First Neuron website (Sphinx + myst-nb + sphinx-book-theme).

authoring/website.py copies this file into build/site/src together with the
executed lessons and the pages made from site/*.md; build the site with
``make site``, not by running Sphinx here.
"""

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
SITE = json.loads((HERE / "site.json").read_text()) if (HERE / "site.json").exists() else {}

project = "First Neuron"
author = "the First Neuron authors"
copyright = "the First Neuron authors, MIT licence"

extensions = ["myst_nb", "sphinx_togglebutton", "sphinx.ext.githubpages"]
exclude_patterns = ["_downloads_src/**", "_extra/**", "**.ipynb_checkpoints", "site.json"]

# The lessons were executed once by authoring/website.py; render their outputs as they are.
nb_execution_mode = "off"
# No widget manager from a CDN: explorers are shown as static figures instead.
nb_ipywidgets_js = {}
nb_merge_streams = True

myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "attrs_inline"]
# Anchors for headings down to ###, so glossary.md#rheobase links resolve.
myst_heading_anchors = 3
myst_update_mathjax = False
# Lessons may skip a heading level; that is not worth a warning on the site.
suppress_warnings = ["myst.header"]

# MathJax 2 from a local copy (authoring/website.py copies it into _static): no CDN.
mathjax_path = "mathjax/MathJax.js?config=TeX-AMS_SVG-full,Safe"
mathjax3_config = None
mathjax2_config = {
    "tex2jax": {"inlineMath": [["\\(", "\\)"]], "displayMath": [["\\[", "\\]"]]},
    "SVG": {"font": "TeX"},
    "showMathMenu": False,
    "messageStyle": "none",
}

html_theme = "sphinx_book_theme"
html_title = "First Neuron"
html_static_path = ["_static"]
html_extra_path = ["_extra"] if (HERE / "_extra").exists() else []
html_css_files = ["site.css"]
html_last_updated_fmt = None
html_copy_source = True
html_show_sourcelink = False
# A fixed light theme: with none stored yet, pydata-sphinx-theme logs a console error.
html_context = {"default_mode": "light"}
html_theme_options = {
    "repository_url": SITE.get("repository", ""),
    "repository_branch": SITE.get("ref", "main"),
    "use_repository_button": bool(SITE.get("repository")),
    "use_download_button": True,
    "use_fullscreen_button": False,
    "home_page_in_toc": True,
    "show_toc_level": 2,
    # Nothing loaded from elsewhere: no launch buttons (the pages have their own
    # Colab links), no web analytics.
    "launch_buttons": {},
    "navigation_with_keys": False,
}


def add_plotly(app, pagename, templatename, context, doctree):
    """Load the local plotly.js only on pages that draw plotly figures."""
    if "plotly-graph-div" in context.get("body", ""):
        app.add_js_file("plotly.min.js", priority=200)


def setup(app):
    app.connect("html-page-context", add_plotly)
