# AIM3 Desk: every target sets itself up from a clean clone (system packages, .venv, install).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PYTEST := $(PY) -m pytest

.PHONY: run test test-slow test-all bench lint system-deps system-deps-gui package clean

$(STAMP): pyproject.toml
	@scripts/system-deps.sh base
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[test]"
	@touch $(STAMP)

system-deps:
	@scripts/system-deps.sh base

system-deps-gui:
	@scripts/system-deps.sh gui

run: system-deps-gui $(STAMP)
	$(PY) -m aim3desk

test: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PYTEST) -m "not slow"

test-slow: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PYTEST) -m slow

test-all: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PYTEST)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: system-deps-gui $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks.run --write docs/benchmarks.md

clean:
	rm -rf $(VENV) build dist packaging/build packaging/dist .pytest_cache
