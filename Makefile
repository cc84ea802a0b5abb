# Everything a reader, contributor or CI needs, from a fresh clone:
#   make serve   install the runtime group, then serve the site on http://127.0.0.1:8000
#   make test    install the test group, then run the whole test suite
# Installs are stamped, so repeated runs skip what is already up to date. Python
# dependencies come in locked groups (requirements/<group>.txt, every package pinned
# with its hashes): runtime (build and serve), books (runtime + the PDF and EPUB makers)
# and test (books + the suite's tools).
# Lighthouse, used only by `make audit`, has its own npm folder (scripts/lighthouse/).

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/pip install --quiet --disable-pip-version-check --require-hashes
RUNTIME_STAMP := $(VENV)/.runtime
TEST_STAMP    := $(VENV)/.test
BOOKS_STAMP   := $(VENV)/.books
NODE_STAMP    := node_modules/.installed
AUDIT_STAMP   := scripts/lighthouse/node_modules/.installed
APT_STAMP     := .cache/apt.installed
FONT_STAMP    := .cache/fonts.installed

.PHONY: help install serve build register test books lint lock links-external audit bench contact-sheet clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found (Python 3.11 is required)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(RUNTIME_STAMP): requirements/runtime.txt | $(BIN)/python
	$(PIP) -r requirements/runtime.txt
	touch $@

$(BOOKS_STAMP): requirements/books.txt | $(BIN)/python
	$(PIP) -r requirements/books.txt
	touch $@ $(RUNTIME_STAMP)

$(TEST_STAMP): requirements/test.txt | $(BIN)/python
	$(PIP) -r requirements/test.txt
	touch $@ $(BOOKS_STAMP) $(RUNTIME_STAMP)

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "error: npm not found (Node.js 20 or newer is required; .nvmrc names the version CI uses)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(AUDIT_STAMP): scripts/lighthouse/package.json scripts/lighthouse/package-lock.json
	cd scripts/lighthouse && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Chromium and CJK fonts from Debian, only the ones missing (the tests drive the
# system Chromium; Playwright's own browser download is never used). Needs root or sudo.
# The books (make books) also need epubcheck, poppler's pdftotext (their checks) and
# Pango (WeasyPrint lays out the PDF with it). Rechecked when this file changes.
$(APT_STAMP): Makefile
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	command -v epubcheck >/dev/null || missing="$$missing epubcheck"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0" || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	if [ -n "$$missing" ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  echo "installing from apt:$$missing"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@mkdir -p $(dir $@) && touch $@

# The build draws link-preview pictures in Noto Sans CJK (macros/outputs/ogimage.py): the font
# only, for `make build` and `make serve` (`make test` gets it with Chromium above).
$(FONT_STAMP):
	@fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); echo "installing from apt: fonts-noto-cjk"; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends fonts-noto-cjk; }
	@mkdir -p $(dir $@) && touch $@

install: $(RUNTIME_STAMP) $(NODE_STAMP) $(FONT_STAMP)  ## install the runtime group (Python and Node, pinned)

serve: install  ## install, then serve on http://127.0.0.1:8000 with live reload
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: install  ## strict build into site/ (dated by the last commit: reproducible)
	SOURCE_DATE_EPOCH=$$(git log -1 --format=%ct 2>/dev/null || echo 0) $(BIN)/mkdocs build --strict

register: build  ## add newly published pages (and their answer anchors) to docs/data/urls.yml
	$(BIN)/python -m scripts.url_registry update site

test: $(TEST_STAMP) $(NODE_STAMP) $(APT_STAMP)  ## install everything, then run the whole test suite
	$(BIN)/python -m pytest -n 2 --dist loadgroup

books: $(BOOKS_STAMP) build $(APT_STAMP)  ## the handbook as PDF (A4, phone) and EPUB into site/downloads/, checked; linked from the home page
	SOURCE_DATE_EPOCH=$$(git log -1 --format=%ct 2>/dev/null || echo 0) $(BIN)/python -m scripts.books site --check --link-pages

lint: $(TEST_STAMP)  ## ruff (lint + format check) and mypy on macros/: the PR workflow's lint job
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

lock:  ## re-resolve requirements/*.txt after editing requirements/*.in (needs PyPI)
	test -x .cache/piptools/bin/pip-compile || { $(PYTHON) -m venv .cache/piptools \
	  && .cache/piptools/bin/pip install --quiet pip-tools==7.7.0; }
	cd requirements && for group in runtime books test; do \
	  CUSTOM_COMPILE_COMMAND="make lock" ../.cache/piptools/bin/pip-compile --quiet --generate-hashes \
	    --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links -o $$group.txt $$group.in; done

links-external: build $(TEST_STAMP)  ## opt-in: check external links with lychee (needs network; never part of `make test`)
	@mkdir -p reports
	$(BIN)/lychee --config lychee.toml --root-dir "$(CURDIR)/site" --format markdown \
	  --output reports/external-links.md 'site/**/*.html'

contact-sheet: build $(TEST_STAMP) $(APT_STAMP)  ## screenshots of every page at phone/tablet/desktop, both palettes → reports/contact-sheet/
	$(BIN)/python -m scripts.contact_sheet site --out reports/contact-sheet

audit: build $(AUDIT_STAMP) $(APT_STAMP)  ## Lighthouse (mobile + desktop) and page weight for every page, median of 3 runs
	$(BIN)/python -m scripts.audit site --runs 3

bench: install  ## build time of 1,000 synthetic pages vs a plain mkdocs-material config, and serve rebuild
	$(BIN)/python -m scripts.bench_build --pages 1000 --runs 3 --serve

clean:  ## remove build output and caches (keeps installs)
	rm -rf site .cache/build .cache/og .pytest_cache
