# probation-inspections: `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
JOBS ?=

.DEFAULT_GOAL := help
.PHONY: help venv reports test test-fast browser validate lab bench bench-draft bench-load screenshots clean \
	lint environment wheel release

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

venv: $(STAMP) ## Create .venv from requirements.lock (done by every target that needs it)

reports: $(STAMP) ## Validate the curated data and build every report into reports/
	$(BIN)/probation-inspections build $(if $(JOBS),--jobs $(JOBS))

# Two workers, each taking whole test files, so a file's build is made once; files are handed
# out in the order of collection, longest first (tests/conftest.py).
PYTEST := $(BIN)/python -m pytest -n 2 --dist loadfile --no-loadscope-reorder

test: $(STAMP) browser lint ## Run the whole test suite (lint, unit, expectations, notebooks, build, browser)
	$(PYTEST)

test-fast: $(STAMP) ## Run the quick tests only: no build, browser or slow test (about a minute)
	$(PYTEST) -m "not slow and not browser and not build"

# The browser check opens the pages in Debian's Chromium (driven by playwright, which never
# downloads a browser of its own) and runs axe-core on each, from npm at the version pinned in
# tests/browser/package-lock.json. Both are installed here when missing and the machine allows.
AXE := tests/browser/node_modules/axe-core/axe.min.js

browser: $(AXE) ## Install Chromium (Debian, as root) and axe-core (npm) for the browser check
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing chromium (Debian package) for the browser check"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "chromium is missing: install Debian's chromium package to run the browser check"; \
	fi

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null; then \
	  cd tests/browser && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/axe-core/axe.min.js; \
	else echo "npm is missing: install Node.js and npm to run the accessibility check"; fi

validate: $(STAMP) ## Validate the curated data only
	$(BIN)/probation-inspections validate

LINTED := src tests benchmarks scripts setup.py

lint: $(STAMP) ## Check formatting and lint with ruff, type-check the package with mypy
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/mypy src/probation_inspections

lab: $(STAMP) ## Open JupyterLab on the project's environment
	$(BIN)/jupyter lab notebooks/

environment: ## Write environment.yml (conda, Binder) from requirements.lock, every package pinned
	$(PYTHON) scripts/environment_yml.py > environment.yml.tmp && mv environment.yml.tmp environment.yml

bench: $(STAMP) ## Run the build benchmark
	$(BIN)/python benchmarks/build.py

screenshots: $(STAMP) browser ## Screenshots of the built site (after make reports) into docs/screenshots
	$(BIN)/python scripts/screenshots.py docs/screenshots

bench-load: $(STAMP) ## Time the first load() of a fresh clone against the next one
	$(BIN)/python benchmarks/load.py

wheel: $(STAMP) ## Build the wheel (with the data and notebooks) into dist/
	$(BIN)/python -m pip wheel --no-deps --quiet -w dist .
	@ls -l dist/*.whl

release: $(STAMP) ## Export the data release and zip it: dist/probation-inspections-data-<version>.zip
	@version=$$($(BIN)/python -c "import probation_inspections as p; print(p.__version__)"); \
	$(BIN)/probation-inspections export "dist/probation-inspections-data-$$version" --archive && \
	ls -l "dist/probation-inspections-data-$$version.zip"

bench-draft: $(STAMP) ## Measure the drafter against the curated seed folders (needs ../shared/seeds)
	$(BIN)/python benchmarks/draft.py

clean: ## Remove build products (reports/, data/processed/, dist/, build/), keep curated data
	rm -rf reports/* data/processed dist build
	touch reports/.gitkeep
