# Two commands do all set-up on a fresh machine:
#   make run    install into .venv, migrate, load the example scenarios, serve on http://127.0.0.1:5000
#   make test   install test needs (Debian's Chromium and PostgreSQL included), then ruff and the whole pytest suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
SUDO := $(shell [ "$$(id -u)" = 0 ] || command -v sudo >/dev/null 2>&1 && [ "$$(id -u)" != 0 ] && echo sudo)

.PHONY: run serve test lint install install-test chromium postgres check clean screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# Browser tests drive Debian's Chromium (no browser download at run time).
chromium:
	@if [ -x /usr/bin/chromium ]; then echo "chromium: $$(/usr/bin/chromium --version 2>/dev/null)"; \
	else echo "installing Debian's chromium"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; fi

run: install
	$(BIN)/assistant db upgrade
	$(BIN)/assistant examples load
	$(BIN)/assistant users bootstrap
	$(BIN)/flask --app assistant run --host $(HOST) --port $(PORT)

# A production server (gunicorn, gunicorn.conf.py): several workers and threads; migrates, creates the first
# administrator on a fresh installation, and loads no examples into a production database (`assistant examples
# load` does, on request).
serve: install
	$(BIN)/assistant db upgrade
	$(BIN)/assistant users bootstrap
	rm -rf instance/prometheus && mkdir -p instance/prometheus
	PROMETHEUS_MULTIPROC_DIR=instance/prometheus ASSISTANT_BIND=$(HOST):$(PORT) $(BIN)/gunicorn -c gunicorn.conf.py

lint: install-test
	$(BIN)/ruff check .

check: install
	$(BIN)/assistant rules check

# The PostgreSQL suites start a throw-away cluster from Debian's package (tests/postgres.py): no service, no download.
postgres:
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then echo "postgresql: $$(ls -d /usr/lib/postgresql/*/ | tail -1)"; \
	else echo "installing Debian's postgresql"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql >/dev/null; fi

test: install-test chromium postgres
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

screenshots: install-test chromium
	$(BIN)/python docs/screenshots.py

# Benchmarks (issue 6): rule evaluation, the wizard under load (gunicorn + httpx), PDF/DOCX drafts, memory.
# Writes bench/results.json and bench/REPORT.md; about 8 minutes on a quiet 2-core machine, more when it is busy.
.PHONY: bench
$(VENV)/.installed-bench: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	touch $@

bench: $(VENV)/.installed-bench
	$(BIN)/python -m bench
