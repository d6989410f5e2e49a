# budgetwh: `make` lists the targets. Every target sets up what it needs (venv, packages) by itself.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
LOCK := constraints.txt
WAREHOUSE ?= warehouse.duckdb
PYTEST_ARGS ?=

.DEFAULT_GOAL := help

help: ## list the targets
	@grep -hE '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml $(LOCK)
	@command -v $(PYTHON) >/dev/null || { echo "needs $(PYTHON) on PATH (set PYTHON=...)" >&2; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q "$$(grep '^uv==' $(LOCK))"  # uv installs the pins in ~7 s; pip takes ~85 s
	$(VENV)/bin/uv pip install -q --python $(PY) -c $(LOCK) -e '.[dev]'
	$(PY) -m pip check
	touch $(STAMP)

venv: $(STAMP) ## create .venv and install the project with the versions constraints.txt pins

lock: $(STAMP) ## re-resolve constraints.txt after a change to pyproject.toml's dependencies (UPGRADE=1: newest allowed)
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --python-version 3.11 --quiet \
	  --custom-compile-command "make lock" $(if $(UPGRADE),--upgrade) -o $(LOCK)

# Superset has a venv of its own: its pins (Flask, SQLAlchemy 1.4, …) conflict with Airflow's.
SUPERSET_VENV := .venv-superset
SUPERSET_STAMP := $(SUPERSET_VENV)/.installed
$(SUPERSET_STAMP): bi/superset/requirements.txt
	@command -v $(PYTHON) >/dev/null || { echo "needs $(PYTHON) on PATH (set PYTHON=...)" >&2; exit 1; }
	test -x $(SUPERSET_VENV)/bin/python || $(PYTHON) -m venv $(SUPERSET_VENV)
	$(SUPERSET_VENV)/bin/python -m pip install -q uv==0.13.8  # installs the 150 pins in ~40 s; pip takes minutes
	$(SUPERSET_VENV)/bin/uv pip install -q --python $(SUPERSET_VENV)/bin/python --no-deps -r bi/superset/requirements.txt
	$(SUPERSET_VENV)/bin/python -m pip check
	touch $(SUPERSET_STAMP)

superset-venv: $(SUPERSET_STAMP) ## Apache Superset (pinned, bi/superset/requirements.txt) in .venv-superset

demo: $(STAMP) ## the main job on the embedded default: bundled samples → warehouse.duckdb, with findings
	$(VENV)/bin/budgetwh demo --warehouse $(WAREHOUSE)

test: $(STAMP) $(SUPERSET_STAMP) system-packages ## the whole test suite (what CI runs)
	$(PY) -m pytest -q -n 2 --dist loadgroup $(PYTEST_ARGS)

# The fast tier, for every commit: the unit tests that build no warehouse (generator, interpretation,
# the text reader, the rule catalogue and hints, the configuration), none marked slow, shared or
# services, and the seeds end to end (extract → load → dbt → rules → contract).
CHECK_TESTS := tests/generator tests/interpret tests/readers/test_text_reader.py tests/extractors \
	tests/expectations/test_catalogue.py tests/expectations/test_hints.py tests/e2e/test_run_seeds.py
check: $(STAMP) ## fast tier (for every commit): unit tests and the seeds end to end
	$(PY) -m pytest -q -n 2 --dist loadgroup -m "not slow and not shared and not services" \
	  $(CHECK_TESTS) $(PYTEST_ARGS)

bench: $(STAMP) ## benchmarks: extraction and end-to-end throughput, memory (prints figures and JSON lines)
	$(PY) -m bench

# SQL files sqlfluff checks: every .sql of the repository (.sqlfluff; dbt_project/.sqlfluff for the dbt
# project, macros/.sqlfluff for its macros)
SQL_LINTED := $(wildcard expectations/*.sql) extractors/load.sql $(wildcard expectations/rules/*.sql)
lint: $(STAMP) ## ruff, sqlfluff, mypy over extractors/ and expectations/ (what CI runs before the tests)
	$(VENV)/bin/ruff check extractors expectations dags tests bench
	$(VENV)/bin/sqlfluff lint --processes 2 $(SQL_LINTED)
	cd dbt_project && ../$(VENV)/bin/sqlfluff lint --processes 2 models tests macros
	$(VENV)/bin/mypy

SYSTEM_PACKAGES := chromium fonts-wqy-microhei
system-packages: ## Debian packages the tests use: headless Chromium (Data Docs), a CJK font (rasterising scans)
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing $$missing (apt)"; apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "not installed: $$missing; the tests that need them skip, saying so" >&2; fi; fi

clean: ## remove build outputs and local warehouses (keeps .venv)
	rm -rf build dbt_project/target dbt_project/logs .pytest_cache $(WAREHOUSE) $(WAREHOUSE).*

.PHONY: help venv superset-venv lock demo test check bench lint system-packages clean
