# Everything a reader, contributor or CI needs, from a fresh clone:
#   make serve   install everything, then serve the site on http://127.0.0.1:8000
#   make test    install everything, then run the whole test suite
# Installs are stamped, so repeated runs skip what is already up to date.

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
PY_STAMP   := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
APT_STAMP  := .cache/apt.installed

.PHONY: help install serve build register test books links-external audit bench contact-sheet clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(PY_STAMP): requirements.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found (Python 3.11 is required)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "error: npm not found (Node 20 is required)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Chromium and CJK fonts from Debian (Playwright's own browser download does not work
# here), only the ones missing. Needs root (or sudo). The books (make books) also need
# epubcheck, poppler's pdftotext (their checks) and Pango (WeasyPrint lays out the PDF with
# it). Rechecked when this file changes.
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

install: $(PY_STAMP) $(NODE_STAMP)  ## install Python and Node dependencies (pinned)

serve: install  ## install, then serve on http://127.0.0.1:8000 with live reload
	NO_MKDOCS_2_WARNING=1 DISABLE_MKDOCS_2_WARNING=true $(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: install  ## strict build into site/ (dated by the last commit: reproducible)
	SOURCE_DATE_EPOCH=$$(git log -1 --format=%ct 2>/dev/null || echo 0) NO_MKDOCS_2_WARNING=1 DISABLE_MKDOCS_2_WARNING=true $(BIN)/mkdocs build --strict

register: build  ## add newly published pages (and their answer anchors) to docs/data/urls.yml
	$(BIN)/python scripts/url_registry.py update site

test: install $(APT_STAMP)  ## install everything, then run the whole test suite
	NO_MKDOCS_2_WARNING=1 DISABLE_MKDOCS_2_WARNING=true $(BIN)/python -m pytest -n 2 --dist loadgroup

books: build $(APT_STAMP)  ## the handbook as PDF (A4, phone) and EPUB into site/downloads/, checked; linked from the home page
	SOURCE_DATE_EPOCH=$$(git log -1 --format=%ct 2>/dev/null || echo 0) $(BIN)/python scripts/books.py site --check --link-pages

links-external: build  ## opt-in: check external links (needs network; never part of `make test`)
	$(BIN)/python scripts/check_external_links.py site

contact-sheet: build $(APT_STAMP)  ## screenshots of every page at phone/tablet/desktop, both palettes → reports/contact-sheet/
	$(BIN)/python scripts/contact_sheet.py site --out reports/contact-sheet

audit: build  ## Lighthouse (mobile + desktop) and page weight for every page, median of 3 runs
	$(BIN)/python scripts/audit.py site --runs 3

bench: install  ## build time of 1,000 synthetic pages vs a plain mkdocs-material config, and serve rebuild
	$(BIN)/python scripts/bench_build.py --pages 1000 --runs 3 --serve

clean:  ## remove build output and caches (keeps installs)
	rm -rf site .cache/build .pytest_cache
