# Two commands: `make run` and `make test`. Both build .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run demo test lint bench clean bundle smoke lock archive

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/python main.py $(ARGS)

demo: $(STAMP)
	$(BIN)/python main.py --demo $(ARGS)

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/run_all.py

# The installable app: a one-folder PyInstaller bundle in dist/baseline, built in its own
# environment from exact, hash-checked versions (packaging/requirements-bundle.lock).
LOCK := packaging/requirements-bundle.lock
BUNDLE_VENV := build/bundle-venv
BUNDLE_STAMP := $(BUNDLE_VENV)/.locked-stamp

$(BUNDLE_STAMP): $(LOCK)
	@test -x $(BUNDLE_VENV)/bin/python || $(PYTHON) -m venv $(BUNDLE_VENV)
	$(BUNDLE_VENV)/bin/python -m pip install --quiet --disable-pip-version-check \
		--require-hashes --no-deps -r $(LOCK)
	@touch $(BUNDLE_STAMP)

bundle: $(BUNDLE_STAMP)
	$(BUNDLE_VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN \
		--distpath dist --workpath build/pyinstaller packaging/baseline.spec
	cp packaging/linux/* dist/baseline/ 2>/dev/null || true
	@du -sh dist/baseline

# The download for Linux users: dist/baseline-<version>-linux-<arch>.tar.gz (after make bundle).
archive:
	@version=$$($(PYTHON) -c "from desktop.version import __version__; print(__version__)"); \
	tar -C dist -czf dist/baseline-$$version-linux-$$(uname -m).tar.gz baseline && \
	ls -l dist/baseline-$$version-linux-$$(uname -m).tar.gz

# Runs the bundle moved elsewhere, in a clean environment (what .ci/run checks).
smoke:
	$(PYTHON) packaging/smoke_test.py dist/baseline

# Re-pin after changing dependencies in pyproject.toml: exact versions with hashes, for every OS.
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra bundle --universal --generate-hashes \
		--python-version 3.11 -o $(LOCK)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
