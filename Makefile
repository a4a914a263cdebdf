# One virtualenv, made here; every target creates it if needed.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test check lint typecheck bench fuzz clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,postgres]'
	touch $(STAMP)

## Build the synthetic demo database (SQLite, ./khronika.db) and show it.
demo: $(STAMP)
	$(BIN)/khronika demo

## Run the whole test suite (PostgreSQL too when KHRONIKA_TEST_PG_URL is set).
test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check khronika tests bench
	$(BIN)/ruff format --check khronika tests bench

typecheck: $(STAMP)
	$(BIN)/mypy khronika

check: lint typecheck test

bench: $(STAMP)
	$(BIN)/python -m bench

## Coverage-guided fuzzing of every parser (atheris), FUZZ_SECONDS per target (default 60).
fuzz: $(STAMP)
	$(BIN)/pip install -q -e '.[fuzz]'
	$(BIN)/python -m bench.fuzz --seconds $(or $(FUZZ_SECONDS),60)

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
