# The two commands a fresh machine needs are `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo demo-venv test soak fleet venv lint typecheck translations bench clean

# Every first-party package, editable: the same environment CI and generated-project
# tests run in (a generated project's apps import the themes and modules).
PACKAGES := quickscale_core quickscale_cli $(wildcard quickscale_themes/*) $(wildcard quickscale_modules/*)

$(BIN)/quickscale: requirements-dev.txt $(addsuffix /pyproject.toml,$(PACKAGES))
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt $(addprefix -e ./,$(PACKAGES))
	@touch $@

venv: $(BIN)/quickscale

# The demo's own light venv, in the demo's directory: the CLI and core only, editable,
# none of the test toolchain (`make demo` stays under a minute on a fresh machine).
DEMO_DIR ?= demo
DEMO_VENV := $(DEMO_DIR)/.venv

$(DEMO_VENV)/bin/quickscale: quickscale_core/pyproject.toml quickscale_cli/pyproject.toml
	@echo "Installing the quickscale CLI and core into $(DEMO_VENV)…"
	@$(PYTHON) -m venv $(DEMO_VENV)
	@$(DEMO_VENV)/bin/pip install --quiet -e ./quickscale_core -e ./quickscale_cli
	@touch $@

demo-venv: $(DEMO_VENV)/bin/quickscale

## Create a demo project from this checkout and serve it on http://127.0.0.1:8000 (SQLite;
## `make demo PORT=8001` for another port). The port is checked before anything is made.
demo:
	@scripts/demo --check-port
	@$(MAKE) --silent --no-print-directory demo-venv
	@DEMO_DIR='$(DEMO_DIR)' QUICKSCALE='$(abspath $(DEMO_VENV))/bin/quickscale' scripts/demo

## Run every test: unit, end-to-end (PostgreSQL and Chromium when available), lint, types.
test: venv
	scripts/run-tests

## On demand, not in CI: long lifecycle walks (QUICKSCALE_WALK_SEEDS, QUICKSCALE_WALK_STEPS;
## 200 steps by default) and every on/off combination of the modules on both themes.
soak: venv
	cd tests && QUICKSCALE_SOAK=1 ../$(BIN)/python -m pytest -q -s -p no:cacheprovider \
		e2e/test_lifecycle.py e2e/test_combinations.py

## On demand, not in CI: the fleet test on every release's project (CI runs the two
## newest); `.venv/bin/python scripts/fleet-fixture X.Y.Z` adds a release's
## (tests/e2e/fleet/README.md).
fleet: venv
	cd tests && QUICKSCALE_FLEET=all ../$(BIN)/python -m pytest -q -p no:cacheprovider \
		e2e/test_fleet.py

lint: venv
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

typecheck: venv
	$(BIN)/mypy

## The components' translations: every user-facing string marked, every catalogue complete
## and fresh (`scripts/translations` remakes them; needs GNU gettext). `make test` checks it too.
translations: venv
	VENV='$(VENV)' scripts/translations --check

bench: venv
	scripts/run-benchmarks

clean:
	rm -rf $(VENV) demo .artifacts
