# The two commands a fresh machine needs are `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test venv lint typecheck bench clean

# Every first-party package, editable: the same environment CI and generated-project
# tests run in (a generated project's apps import the themes and modules).
PACKAGES := quickscale_core quickscale_cli $(wildcard quickscale_themes/*) $(wildcard quickscale_modules/*)

$(BIN)/quickscale: requirements-dev.txt $(addsuffix /pyproject.toml,$(PACKAGES))
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt $(addprefix -e ./,$(PACKAGES))
	@touch $@

venv: $(BIN)/quickscale

## Create a demo project from this checkout and serve it on http://127.0.0.1:8000 (SQLite).
demo: venv
	scripts/demo

## Run every test: unit, end-to-end (PostgreSQL and Chromium when available), lint, types.
test: venv
	scripts/run-tests

lint: venv
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

typecheck: venv
	$(BIN)/mypy

bench: venv
	scripts/run-benchmarks

clean:
	rm -rf $(VENV) demo .artifacts
