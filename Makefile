# Delegation Desk — `make run` opens the app on demo data, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DB ?= data/delegation.duckdb
PORT ?= 8501
PIP := $(PY) -m pip install --quiet --disable-pip-version-check

.PHONY: run test test-fast lint format demo samples clean browser-deps mail-deps bench

$(VENV)/.run-installed: requirements.txt constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.txt -c constraints.txt
	touch $@

$(VENV)/.dev-installed: $(VENV)/.run-installed requirements-dev.txt
	$(PIP) -r requirements-dev.txt -c constraints.txt
	touch $@

# The demo database is made once; delete the file (or run `make demo`) to start again.
$(DB): | $(VENV)/.run-installed
	$(PY) -m delegation demo --db $(DB)

run: $(VENV)/.run-installed $(DB)
	$(PY) -m delegation serve --db $(DB) --port $(PORT)

# The browser test drives Debian's Chromium (Playwright's own browser download is not available);
# CJK fonts let it render Chinese. Installed once, when missing (needs root, as on CI).
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
		echo "Installing Debian's chromium and CJK fonts for the browser test"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

# The mail tests start their own Debian dovecot (own config, ports and folders on 127.0.0.1; never the
# system service). Installed once, when missing (needs root, as on CI).
mail-deps:
	@if [ ! -x /usr/sbin/dovecot ]; then \
		echo "Installing Debian's dovecot IMAP server for the mail tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd >/dev/null; \
	fi

# On both cores (pytest-xdist), a test file to a worker: its module fixtures (a demo database, an
# app server, the browser) are made once.
test: $(VENV)/.dev-installed browser-deps mail-deps
	$(PY) -m pytest -n 2 --dist loadfile

# The quick loop while working: everything but the browser, the mail servers and the bench.
test-fast: $(VENV)/.dev-installed
	$(PY) -m pytest -n 2 --dist loadfile -m "not browser and not server and not bench"

lint: $(VENV)/.dev-installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports

format: $(VENV)/.dev-installed
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

demo: $(VENV)/.run-installed
	$(PY) -m delegation demo --db $(DB) --replace

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# Benchmarks (not tests): ratios against what a user would otherwise reach for → bench/RESULTS.md
bench: $(VENV)/.dev-installed browser-deps
	$(PY) bench/run.py

samples: $(VENV)/.run-installed
	$(PY) tests/sample_forms.py
