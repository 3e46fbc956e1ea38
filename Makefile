# The book's commands. `make serve` and `make test` set up everything they need
# (Python venv, pinned npm packages, Chromium) and then serve the site / run all tests.

SHELL := /bin/bash
export NO_MKDOCS_2_WARNING := 1
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# The build tools need Python 3.12 (pyodide-build needs >= 3.12; requirements.lock is
# resolved for 3.12, the Python of Pyodide 0.27): use the first 3.12 found.
PYTHON312 := $(shell for p in python3.12 $$HOME/.pyenv/versions/3.12*/bin/python3 /usr/local/bin/python3.12 /usr/bin/python3.12 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' >/dev/null 2>&1 && { command -v $$p; break; }; done)

.PHONY: setup serve test test-fast site bench clean

setup: $(VENV)/.installed node_modules/.installed system-packages

$(VENV)/.installed: pyproject.toml requirements.lock
	@test -n "$(PYTHON312)" || { echo "Python 3.12 is needed (pyodide-build and requirements.lock); install it, e.g. pyenv install 3.12"; exit 1; }
	$(PY) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null || { rm -rf $(VENV); $(PYTHON312) -m venv $(VENV); }
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

system-packages:
	@command -v chromium >/dev/null 2>&1 && fc-list :lang=zh | grep -q . || { \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

site: setup
	$(PY) -m mkdocs build --strict

serve: setup
	$(PY) -m mkdocs serve --strict -a $(HOST):$(PORT)

test: setup
	$(PY) -m pytest

test-fast: setup
	$(PY) -m pytest -m "not browser"

# `make bench RUNS=5 BEFORE=<rev>`: BEFORE also builds and measures the site of that git
# revision (in the worktree ../wt-before) in the same run, side by side.
RUNS ?= 5
BEFORE ?=
BENCH_SITES := $(if $(BEFORE),--before $(BEFORE))
bench: setup
	$(PY) -m benchmarks.bench_nnbook
	$(PY) -m benchmarks.bench_browser --runs $(RUNS) $(BENCH_SITES)
	$(PY) -m benchmarks.bench_demos $(BENCH_SITES)

clean:
	rm -rf site .cache
