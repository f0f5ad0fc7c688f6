# Two commands do the whole set-up on a fresh machine:
#   make demo   crawl the bundled offline site, extract, print the facts by unit and year
#   make test   the test suite (installs Chromium and Redis from Debian when missing)
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test system-deps install clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	# The stock pip (23.x) mis-resolves lxml[html_clean] for trafilatura: upgrade it first.
	$(BIN)/pip install -q -U pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

system-deps:
	@if ! command -v chromium >/dev/null || ! command -v redis-server >/dev/null || ! fc-list 2>/dev/null | grep -qi dejavu; then \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-driver redis-server fonts-dejavu-core fontconfig >/dev/null; \
	fi

demo: $(VENV)/.installed
	rm -f demo.db demo.db-wal demo.db-shm
	$(BIN)/parindex demo --db demo.db --format table

test: $(VENV)/.installed system-deps
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) demo.db* test-output .pytest_cache
