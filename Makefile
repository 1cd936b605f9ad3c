# ML System Design Field Guide — every set-up step lives here, so a fresh machine needs only
# python3, node/npm and (for the browser checks) apt. Stamps under .make/ record what was
# installed from which lockfile, so a second run skips work whose lockfile did not change.
#
#   make serve    build and serve the site on http://127.0.0.1:8000 (live reload)
#   make test     install everything, run every check and the test suite
#
# Other targets: build, check, offline, pdf, audit, test-fast, case-study, bench, lock, clean, distclean.
# `make help` lists them.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MKDOCS := $(VENV)/bin/mkdocs
STAMPS := .make
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# pytest-xdist workers for `make test` (tests sharing the served site or the PDF stay on one worker).
PYTEST_WORKERS ?= 2
REPORTS := reports

export NO_MKDOCS_2_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help install serve build offline check test test-fast audit pdf bench lock clean distclean chromium case-study

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# --- installation -------------------------------------------------------------------------

$(STAMPS)/venv: requirements.txt
	@mkdir -p $(STAMPS)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { \
	  echo "error: could not create $(VENV); on Debian/Ubuntu run: sudo apt-get install python3-venv" >&2; exit 1; }
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements.txt
	@touch $@

$(STAMPS)/npm: package-lock.json package.json
	@mkdir -p $(STAMPS)
	@command -v npm >/dev/null || { echo "error: npm not found; install Node.js 20+ (e.g. sudo apt-get install nodejs npm)" >&2; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

install: $(STAMPS)/venv $(STAMPS)/npm ## Create .venv, install pinned Python and npm packages

# Debian's Chromium drives the browser checks (playwright's own browser download is not used).
# poppler-utils' pdftotext reads the PDF's text layer in the PDF tests in seconds (pypdf, their
# fallback, takes minutes); it is installed alongside when run as root and never required.
chromium: ## Make sure Debian's Chromium is installed (installs it, and pdftotext, when run as root)
	@have_chromium=0; if command -v chromium >/dev/null || [ -n "$${CHROMIUM:-}" ]; then have_chromium=1; fi; \
	if [ $$have_chromium = 1 ] && command -v pdftotext >/dev/null; then exit 0; fi; \
	if [ $$have_chromium = 0 ] && [ "$$(id -u)" = 0 ]; then \
	  echo "Installing Debian's chromium and poppler-utils (needed for diagram, browser and PDF checks)..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-liberation fonts-dejavu-core poppler-utils >/dev/null; \
	elif [ $$have_chromium = 0 ]; then \
	  echo "error: Chromium is missing. Run: sudo apt-get install -y chromium fonts-liberation fonts-dejavu-core poppler-utils" >&2; exit 1; \
	elif [ "$$(id -u)" = 0 ]; then \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends poppler-utils >/dev/null; } \
	    || echo "warning: could not install poppler-utils; the PDF tests read the PDF with pypdf instead (slower)" >&2; \
	fi

# --- site ---------------------------------------------------------------------------------

serve: install ## Build and serve the site on http://127.0.0.1:8000 with live reload
	$(MKDOCS) serve --dev-addr $(HOST):$(PORT)

build: install ## Build the site into site/ with --strict (any warning fails)
	$(MKDOCS) build --strict --clean

offline: install ## Build the offline copy into dist/offline/ (open dist/offline/index.html from disk)
	@mkdir -p $(REPORTS)
	$(MKDOCS) build --strict --clean -f mkdocs.offline.yml 2>&1 | tee $(REPORTS)/build-offline.log
	@echo "Offline site: dist/offline/index.html"

pdf: build chromium ## Print the whole guide to dist/ml-system-design-field-guide.pdf, and the cheat sheet beside it (PAPER=a4|letter)
	$(PY) scripts/build_pdf.py --site site --paper $(or $(PAPER),a4)

case-study: install ## Start a new case study from the template (asks for title, tags, difficulty; ARGS="--title ...")
	$(PY) scripts/new_case_study.py $(ARGS)

# --- checks -------------------------------------------------------------------------------

# Every check runs even when an earlier one fails, so one run lists every problem; the links need
# the built site, so they are skipped (and the run fails) when the strict build does.
check: install chromium ## Content and consistency checks, strict build, then the diagram and link validators
	@status=0; \
	$(PY) scripts/check_content.py || status=1; \
	$(PY) scripts/check_consistency.py || status=1; \
	mkdir -p $(REPORTS); \
	if $(MKDOCS) build --strict --clean 2>&1 | tee $(REPORTS)/build-site.log; then built=1; else built=0; status=1; fi; \
	$(PY) scripts/check_diagrams.py || status=1; \
	if [ $$built = 1 ]; then $(PY) scripts/check_links.py --site site || status=1; \
	else echo "links: skipped, because the strict build failed (its WARNING lines are above)"; fi; \
	if [ $$status != 0 ]; then echo "make check: FAILED; each problem is listed above as file:line: message" >&2; fi; \
	exit $$status

# pytest reuses the two strict builds just made (their output and logs), rather than building again.
test: check offline ## Install everything, run every check and the test suite
	@status=0; FG_SITE_DIR=site FG_SITE_LOG=$(REPORTS)/build-site.log \
	  FG_OFFLINE_DIR=dist/offline FG_OFFLINE_LOG=$(REPORTS)/build-offline.log \
	  $(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 5 ]; then echo "error: pytest collected no tests" >&2; fi; exit $$status

test-fast: install ## The edit loop: content and consistency checks and the tests that need no build or browser
	@status=0; \
	$(PY) scripts/check_content.py || status=1; \
	$(PY) scripts/check_consistency.py || status=1; \
	$(VENV)/bin/pytest -q -m "not slow" -n $(PYTEST_WORKERS) -p no:cacheprovider $(PYTEST_ARGS) || status=1; \
	exit $$status

# Lighthouse and axe-core (tools/audit/package-lock.json) against the budget in audit.yml; CI runs it
# after `make test` (.ci/run). Report: reports/audit/audit.md and audit.json.
$(STAMPS)/audit: tools/audit/package-lock.json tools/audit/package.json
	@mkdir -p $(STAMPS)
	npm ci --prefix tools/audit --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

audit: build chromium $(STAMPS)/audit ## Lighthouse (mobile and desktop) and axe-core on key pages, against audit.yml's budget
	$(PY) scripts/audit_site.py --site site $(AUDIT_ARGS)

bench: install chromium ## Measure build time, page weight, check and PDF timings (figures for issue notes)
	$(PY) scripts/bench_site.py
	$(PY) scripts/bench_checks.py
	$(PY) scripts/bench_pdf.py

# --- maintenance --------------------------------------------------------------------------

lock: $(STAMPS)/venv ## Re-pin requirements.txt from requirements.in (with hashes)
	$(PY) -m pip install --quiet pip-tools
	$(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	  --no-emit-index-url --no-emit-find-links -o requirements.txt requirements.in

clean: ## Remove built output (site/, dist/, reports/)
	rm -rf site dist reports .pytest_cache

distclean: clean ## Also remove .venv, node_modules and install stamps
	rm -rf $(VENV) node_modules $(STAMPS)
