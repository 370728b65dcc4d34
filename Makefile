# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo test lint typecheck clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Run a simulated 30-person workshop on SQLite + the console adapter; no tokens, no network.
demo: $(STAMP)
	$(VENV)/bin/cityneeds demo --participants 30 --out demo-out

lint: $(STAMP)
	$(VENV)/bin/ruff check bot flows storage tests bench
	$(VENV)/bin/ruff format --check bot flows storage tests bench

typecheck: $(STAMP)
	$(VENV)/bin/mypy

## Lint, type-check and run the whole suite (SQLite and PostgreSQL).
test: lint typecheck
	$(VENV)/bin/python -m pytest -q

clean:
	rm -rf $(VENV) demo-out .pytest_cache .mypy_cache .ruff_cache
