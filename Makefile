# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo test lint typecheck bench profile clean

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
	$(VENV)/bin/lint-imports

typecheck: $(STAMP)
	$(VENV)/bin/mypy

## Lint (ruff, import contracts), type-check (mypy strict) and run the whole suite (SQLite and PostgreSQL).
# Three workers on two cores: most tests wait on sockets, subprocesses and timers, not the CPU.
test: lint typecheck
	$(VENV)/bin/python -m pytest -q -n 3

BENCH_STAMP := $(VENV)/.bench-stamp

$(BENCH_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

## Benchmarks: ingestion, fan-out, digest and CLI start-up on SQLite (and PostgreSQL when reachable).
bench: $(STAMP)
	$(PY) -m bench.ingest
	$(PY) -m bench.fanout
	$(PY) -m bench.digest
	$(PY) -m bench.startup

## Where the ingestion time goes (py-spy, all threads).
profile: $(BENCH_STAMP)
	$(PY) -m bench.profile

clean:
	rm -rf $(VENV) demo-out .pytest_cache .mypy_cache .ruff_cache
