# First Neuron: the two commands of the README, and a few for authors.
#   make course          set up a virtual environment and open the course in JupyterLab
#   make test            set up a virtual environment and run every test
# For authors:
#   make notebooks       rebuild notebooks/ and solutions/ from authoring/lessons/
#   make run-notebooks   run every notebook top to bottom (per-cell timeout, never hangs)
#   make slides | benchmark | lint
#   make locks           regenerate requirements/lock-py3XX.txt after editing requirements.txt
#   make test-colab-previous   the Colab-like test for Colab's previous runtime too
#
# Any supported Python works: make PYTHON=python3.13 test
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin
# The Pythons the course supports; each has a full, exact lock file.
SUPPORTED_PYTHONS = 3.11 3.12 3.13
PYTHON_VERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
LOCK = requirements/lock-py$(subst .,,$(PYTHON_VERSION)).txt
# Seconds one notebook cell may run before `make run-notebooks` stops it.
CELL_TIMEOUT ?= 120

.PHONY: course test setup check-python browser-deps notebooks run-notebooks slides \
	benchmark lint locks test-colab-previous site

course: setup
	$(BIN)/jupyter lab notebooks/

test: setup browser-deps
	$(BIN)/python -m pytest -n 2 --dist loadfile --durations=15

setup: check-python $(VENV)/.installed

# One clear sentence instead of a pip traceback.
check-python:
	@if [ -z "$(PYTHON_VERSION)" ]; then \
	  echo "First Neuron needs Python $(firstword $(SUPPORTED_PYTHONS))-$(lastword $(SUPPORTED_PYTHONS)), but '$(PYTHON)' does not run; install one and run e.g. make PYTHON=python3.12 $(MAKECMDGOALS)" >&2; \
	  exit 1; \
	fi
	@case " $(SUPPORTED_PYTHONS) " in *" $(PYTHON_VERSION) "*) ;; *) \
	  echo "First Neuron supports Python $(SUPPORTED_PYTHONS) and '$(PYTHON)' is Python $(PYTHON_VERSION): install one of those and run e.g. make PYTHON=python3.12 $(MAKECMDGOALS)" >&2; \
	  exit 1;; esac
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { \
	  echo "Python $(PYTHON_VERSION) here cannot create virtual environments: install its venv module (Debian/Ubuntu: apt-get install python$(PYTHON_VERSION)-venv) and run make again" >&2; \
	  exit 1; }

# requirements.txt names what the course needs; the lock file of this Python
# pins every package installed (dependencies of dependencies too).
$(VENV)/.installed: requirements.txt pyproject.toml $(LOCK)
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt -c $(LOCK)
	$(PYTHON_LAB_SETTINGS)
	touch $@

# JupyterLab without the news pop-up ("Would you like to receive official
# Jupyter news?"): a settings override inside the virtual environment.
PYTHON_LAB_SETTINGS = mkdir -p $(VENV)/share/jupyter/lab/settings && \
	printf '%s\n' '{"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": false}}' \
	> $(VENV)/share/jupyter/lab/settings/overrides.json

# Chromium (Debian) and playwright-core (npm) for the browser tests. Without
# root it says what to install and the browser tests skip; with CI=true it fails.
browser-deps:
	bash authoring/install_browser_deps.sh

notebooks: setup
	$(BIN)/python authoring/build.py

run-notebooks: setup
	$(BIN)/python authoring/notebook_execution.py --timeout $(CELL_TIMEOUT) notebooks/*.ipynb solutions/*.ipynb

slides: setup browser-deps
	$(BIN)/python authoring/slides.py

# The course website in build/site/html (lessons executed once; MathJax from node_modules).
site: setup browser-deps
	$(BIN)/python authoring/website.py

benchmark: setup
	$(BIN)/python benchmarks/benchmark.py

lint: setup
	$(BIN)/ruff check .

# Full, exact pins for every supported Python, resolved from requirements.txt
# by uv (installed in .venv by requirements.txt). For Linux x86_64 wheels; on
# other platforms a package missing from a lock file simply floats.
# Needs only uv, not an up-to-date .venv: requirements.txt may have just changed.
locks: check-python
	test -x $(BIN)/uv || { $(PYTHON) -m venv $(VENV) && $(BIN)/python -m pip install --quiet \
	  "$$(grep -E '^uv==' requirements.txt)"; }
	for version in $(SUPPORTED_PYTHONS); do \
	  $(BIN)/uv pip compile requirements.txt --quiet --python-version $$version \
	    --python-platform x86_64-manylinux_2_28 --no-emit-package first-neuron \
	    --custom-compile-command "make locks" \
	    -o requirements/lock-py$$(echo $$version | tr -d .).txt || exit 1; \
	done

test-colab-previous: setup
	FIRST_NEURON_COLAB_PREVIOUS=1 $(BIN)/python -m pytest -p no:xdist -m colab tests/test_colab.py
