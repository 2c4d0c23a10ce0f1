# pmo-assess: two commands on a fresh machine — `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint format typecheck bench install clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "pmo-assess needs Python 3.11 or newer; found " + sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/pmo-assess demo --workspace demo-workspace
	$(BIN)/pmo-assess batch --workspace demo-workspace --out reports
	@echo "Open reports/index.html for the overview, or reports/<client>/<wave>/report.html and report.pdf."

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(STAMP)
	$(BIN)/mypy

test: lint typecheck
	@command -v chromium >/dev/null 2>&1 || echo "note: Debian's chromium is missing (apt-get install chromium); the real-browser report test will be skipped."
	$(BIN)/python -m pytest -n auto

bench: $(STAMP)
	$(BIN)/python bench/scoring.py
	$(BIN)/python bench/benchmarks.py
	$(BIN)/python bench/roadmap.py
	$(BIN)/python bench/batch.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
