# First Neuron: the two commands of the README, and a few for authors.
#   make course   set up a virtual environment and open the course in JupyterLab
#   make test     set up a virtual environment and run every test
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: course test setup browser-deps notebooks slides benchmark lint site

course: setup
	$(BIN)/jupyter lab notebooks/

test: setup browser-deps
	$(BIN)/python -m pytest -n 2 --dist loadfile

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

# Chromium (Debian) and playwright-core (npm) for the browser tests.
browser-deps:
	bash authoring/install_browser_deps.sh

notebooks: setup
	$(BIN)/python authoring/build.py

slides: setup browser-deps
	$(BIN)/python authoring/slides.py

# The course website in build/site/html (lessons executed once; MathJax from node_modules).
site: setup browser-deps
	$(BIN)/python authoring/website.py

benchmark: setup
	$(BIN)/python benchmarks/benchmark.py

lint: setup
	$(BIN)/ruff check .
