# The two commands of the README: `make demo` (the main job) and `make test` (the whole suite).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: demo test lint format bench-smoke clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

## Build the article's graph on the embedded engine, print answers, write the maps.
demo: $(VENV)/.installed
	$(BIN)/actorgraph demo

## Install what the tests need, then run the whole suite (Neo4j tests start their own server).
## In parallel (pytest-xdist): one process per core, at most 4, each with its own Neo4j;
## a test file stays on one process, so its module-scoped graphs are built once.
## TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --maxprocesses 4 --dist loadfile

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench-smoke: $(VENV)/.installed-dev
	$(BIN)/python bench/run_all.py --smoke

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache
