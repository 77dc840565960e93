# Two commands do all set-up: `make run` opens the kiosk, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CONSTRAINTS := requirements/constraints.txt
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run serve test lint bench bundle screenshots clean bytecode

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): $(BIN)/python pyproject.toml $(CONSTRAINTS)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS) -e .
	touch $@

$(TEST_STAMP): $(RUN_STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS) -e ".[test]"
	touch $@

# The project's own modules compiled ahead, as pip does for installed packages: every start (a kiosk, each
# `advisor check`) then skips compiling them, even where PYTHONDONTWRITEBYTECODE is set. Quick when current.
bytecode: $(RUN_STAMP)
	@$(BIN)/python -m compileall -q advisor ui > /dev/null

run: bytecode
	$(BIN)/advisor kiosk

serve: bytecode
	$(BIN)/advisor serve

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint bytecode
	@. tests/helpers/ensure-postgres.sh && . tests/helpers/ensure-chromium.sh && . tests/helpers/ensure-axe.sh && QT_QPA_PLATFORM=offscreen $(BIN)/pytest

bench: $(TEST_STAMP) bytecode
	@. tests/helpers/ensure-postgres.sh && QT_QPA_PLATFORM=offscreen $(BIN)/python benchmarks/run.py $(BENCH)

# A one-folder bundle of the kiosk (PyInstaller), checked by rendering its first screen headless.
DIST ?= dist
BUILD ?= build
bundle: $(RUN_STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c $(CONSTRAINTS) -e ".[bundle]"
	$(BIN)/pyinstaller packaging/advisor.spec --noconfirm --distpath $(DIST) --workpath $(BUILD)/pyinstaller --log-level ERROR
	mkdir -p $(BUILD)
	QT_QPA_PLATFORM=offscreen ADVISOR_DATA_DIR=$(BUILD)/bundle-data $(DIST)/advisor/advisor kiosk --screenshot $(BUILD)/bundle-first-screen.png
	@echo "bundle: $(DIST)/advisor/advisor (first screen: $(BUILD)/bundle-first-screen.png)"

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis dist build
