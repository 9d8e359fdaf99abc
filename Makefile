# AIM3 Desk: every target sets itself up from a clean clone (system packages, .venv, install).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PYTEST := $(PY) -m pytest

.PHONY: run test test-slow test-all fuzz bench lint system-deps system-deps-gui system-deps-package package clean

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

# Checked on every run (the package stamp alone would not notice nsis removed later).
system-deps-package:
	@scripts/system-deps.sh package

run: system-deps-gui $(STAMP)
	$(PY) -m aim3desk

test: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PYTEST) -m "not slow"

# The slow suites: the package build/install/upgrade/remove test (root, ~1 minute) and the
# Windows installer compile with makensis (nsis comes from the package system deps).
test-slow: system-deps-package $(STAMP) $(VENV)/.package-stamp
	QT_QPA_PLATFORM=offscreen $(PYTEST) -m slow

# Every atheris target for FUZZ_INPUTS inputs each (a million each for the long proof):
# inputs, rate, findings and hangs per parser of outside data.
FUZZ_INPUTS ?= 100000
fuzz: system-deps $(STAMP)
	$(PY) tests/fuzz_runner.py --inputs $(FUZZ_INPUTS)

test-all: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PYTEST)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: system-deps-gui $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m benchmarks.run --write docs/benchmarks.md

clean:
	rm -rf $(VENV) build dist packaging/build packaging/dist .pytest_cache

# ---- Installers (issue 6). `make package` builds the PyInstaller folder and the .deb;
# PKG_VERSION=x.y.z overrides the Debian package version (upgrade tests), default __version__.
PKG_STAMP := $(VENV)/.package-stamp
PKG_VERSION ?=
PYINSTALLER_FLAGS := --noconfirm --clean --log-level WARN \
	--distpath packaging/dist --workpath packaging/build/pyinstaller

.PHONY: package-deb package-windows-check test-package screenshot-preferences

$(PKG_STAMP): pyproject.toml $(STAMP)
	@scripts/system-deps.sh package
	$(PY) -m pip install -q -e ".[test,package]"
	@touch $(PKG_STAMP)

package: $(PKG_STAMP)
	$(PY) -m PyInstaller $(PYINSTALLER_FLAGS) packaging/aim3desk.spec
	$(PY) packaging/linux/build_deb.py $(if $(PKG_VERSION),--version $(PKG_VERSION))

# The .deb alone, from an existing packaging/dist/aim3desk (seconds, not a minute).
package-deb: $(PKG_STAMP)
	$(PY) packaging/linux/build_deb.py $(if $(PKG_VERSION),--version $(PKG_VERSION))

# Compiles the Windows installer script with Debian's makensis against a stand-in payload.
package-windows-check: $(PKG_STAMP)
	QT_QPA_PLATFORM=offscreen $(PYTEST) tests/test_packaging.py -k nsis -v

# Builds, installs (dpkg -i, needs root), self-tests, upgrades and removes the package.
test-package: $(PKG_STAMP)
	QT_QPA_PLATFORM=offscreen $(PYTEST) tests/test_packaging.py tests/test_policy.py -v -s

screenshot-preferences: system-deps $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) packaging/screenshot_preferences.py shots/preferences.png
