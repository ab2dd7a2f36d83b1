# Two commands matter: `make run` (demo app on http://127.0.0.1:8000; `make run PORT=8080`
# HOST=… to change) and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
DVK := $(VENV)/bin/dvk
HOST ?= 127.0.0.1
PORT ?= 8000
VAR_DIR := $(or $(DVK_VAR_DIR),var)

.PHONY: install install-test run worker test test-fast soak lint-imports lock messages bench clean

install: $(VENV)/.installed

# uv is bootstrapped with pip inside the venv, so nothing global is needed.
$(VENV)/.installed: requirements.lock pyproject.toml package.json
	test -x $(PY) || python3 -m venv $(VENV)
	test -x $(UV) || $(PY) -m pip install --quiet uv
	$(UV) pip install --quiet --python $(PY) -r requirements.lock
	$(UV) pip install --quiet --python $(PY) --no-deps -e .
	$(MAKE) --no-print-directory assets
	touch $@

# Front-end packages come from the npm registry at install time; no CDN at run time.
.PHONY: assets
assets:
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --silent --no-audit --no-fund >/dev/null && \
	  mkdir -p src/dvk/static_build/vendor && \
	  cp node_modules/chart.js/dist/chart.umd.min.js src/dvk/static_build/vendor/chart.umd.min.js; \
	else echo "npm not found: charts will be replaced by tables"; fi

install-test: $(VENV)/.installed-test

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.lock
	$(UV) pip install --quiet --python $(PY) -r requirements-test.lock
	touch $@

# DEBUG is on for the development server only; every other command runs as in production.
run: install
	mkdir -p $(VAR_DIR)
	$(DVK) migrate --no-input
	$(DVK) seed_demo --if-empty
	$(DVK) demo_logins --addr $(HOST):$(PORT)
	@trap 'kill 0' EXIT; $(DVK) db_worker --queue-name '*' >$(VAR_DIR)/worker.log 2>&1 & \
	DEBUG=1 $(DVK) runserver $(HOST):$(PORT)

worker: install
	$(DVK) db_worker --queue-name '*'

# The suite keeps its local state (generated secret key, static root) in a throw-away var dir.
TEST_VAR = tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && DVK_VAR_DIR=$${DVK_VAR_DIR:-$$tmp}

# Imports between apps flow one way (docs/architecture.md; contract in pyproject.toml).
lint-imports: install-test
	@set -o pipefail; $(VENV)/bin/lint-imports --no-cache | sed -n "/^Contracts/,$$ p"

test: install-test lint-imports
	@$(TEST_VAR) $(PY) -m pytest -n 2 --dist loadfile -q -m "not soak" $(PYTEST_ARGS)

test-fast: install-test lint-imports
	@$(TEST_VAR) $(PY) -m pytest -q -m "not browser and not slow and not soak" $(PYTEST_ARGS)

# The long fuzzing run (tests/fuzz under the hypothesis "soak" profile), more SIGKILLs during an
# import, then the load test (bench/soak.py: 50 users, 5 minutes, gunicorn + locust) on its own
# database (SOAK_DATABASE_URL; default a fresh SQLite file). Not part of `make test`.
soak: install-test
	@$(TEST_VAR) HYPOTHESIS_PROFILE=soak DVK_KILLS=$${DVK_KILLS:-10} $(PY) -m pytest -q \
	  tests/fuzz $(PYTEST_ARGS)
	@mkdir -p $(VAR_DIR) && $(TEST_VAR) && export DVK_VAR_DIR && \
	  DATABASE_URL=$${SOAK_DATABASE_URL:-sqlite:///$$DVK_VAR_DIR/soak.sqlite3} $(PY) bench/soak.py \
	  --json $(VAR_DIR)/soak.json

# Recompile the locks after changing pyproject.toml (exact pins with hashes, no index URLs).
lock:
	$(UV) pip compile --quiet --python-version 3.11 --generate-hashes pyproject.toml -o requirements.lock
	$(UV) pip compile --quiet --python-version 3.11 --generate-hashes --extra test pyproject.toml -o requirements-test.lock

messages:
	for app in src/dvk/*/; do if [ -d $$app/locale ]; then (cd $$app && ../../../$(DVK) makemessages -l en -l vi --no-obsolete >/dev/null && ../../../$(DVK) compilemessages >/dev/null); fi; done

bench: install-test
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var node_modules src/dvk/static_build
