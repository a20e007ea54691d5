# dojobot — the two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# What running needs (the package and its dependencies), then what testing adds (the `dev`
# extra: pytest, mypy, ruff, schemathesis, selenium…). `make run` installs only the first.
RUN_STAMP  := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test setup services lint typecheck unit bench fuzz messages clean

$(RUN_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(RUN_STAMP)

$(TEST_STAMP): $(RUN_STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(TEST_STAMP)

setup: $(TEST_STAMP)

## run: set up and start dojobot on the embedded default (SQLite + Jitsi + terminal)
run: $(RUN_STAMP)
	$(BIN)/dojobot run

## test: set up and pass the whole suite (lint, types, tests, core coverage >= 90 %)
test: $(TEST_STAMP) services lint typecheck unit

## services: install the real services the tests start (PostgreSQL, Chromium)
services:
	bash scripts/ci/install-services.sh

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(TEST_STAMP)
	$(BIN)/mypy core adapters bot tests bench

unit: $(TEST_STAMP)
	$(BIN)/pytest --cov=core --cov-report=term --cov-fail-under=90

## bench: the scheduler-scale benchmark (prints a table; see BENCHMARKS.md)
bench: $(TEST_STAMP)
	$(BIN)/python -m bench.scheduler_scale

## fuzz: 20,250 hypothesis inputs (2,250 x 9 fuzz runs) through the grammar and every front end
fuzz: $(TEST_STAMP)
	DOJOBOT_FUZZ_EXAMPLES=2250 $(BIN)/pytest tests/fuzz -q -p no:cacheprovider

## messages: re-extract the marked texts and update every catalogue (see docs/i18n.md)
messages: $(RUN_STAMP)
	$(BIN)/python -m adapters.i18n.catalogue_files

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage
