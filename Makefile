# forecasts: `make run` opens the app, `make test` checks everything. `make help` lists targets.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.DEFAULT_GOAL := help
.PHONY: help install run test lint format bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install forecasts with its dev tools

run: $(STAMP) ## Open the app on the default database (FORECASTS_DB or --db to change it)
	$(BIN)/forecasts $(ARGS)

lint: $(STAMP) ## ruff lint and format check, import-layer contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: lint ## Lint, then run the tests (benchmarks skipped)
	$(BIN)/python -m pytest -q

bench: $(STAMP) ## Run the pytest-benchmark benchmarks
	$(BIN)/python -m pytest -q tests/benchmarks --benchmark-enable --benchmark-only

format: $(STAMP) ## Format and fix what ruff can
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean: ## Remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis .benchmarks
