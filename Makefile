# SPBE Workbook. `make` alone lists the targets.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
REGION ?= Kota Bengkulu
YEAR ?= 2023
PEERS ?= province
RAW ?= data/raw
DEMO ?= data/demo
OUT ?= data/processed

.DEFAULT_GOAL := help
.PHONY: help setup build brief test test-long lab bench check clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

setup: $(VENV)/.installed ## Create .venv and install the package with its dev tools, PDF and fast extras

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,pdf,fast]"
	# strip notebook outputs on commit (git filter configured for this clone only)
	if [ -d .git ]; then $(BIN)/nbstripout --install --attributes .gitattributes; fi
	touch $@

build: setup ## Build data/processed/ from data/raw/ (+ the synthetic demo LHE in data/demo/)
	$(BIN)/spbe build --raw $(RAW) --raw $(DEMO) --out $(OUT)

brief: build ## Briefing pack + executed notebooks (+ HTML) for REGION and YEAR into reports/
	$(BIN)/spbe brief --region "$(REGION)" --year $(YEAR) --peers $(PEERS) --processed $(OUT) \
		--raw $(RAW) --demo $(DEMO)

test: setup ## Lint (ruff) and run the test suite
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

test-long: setup ## Run the tests with the long hypothesis profile
	HYPOTHESIS_PROFILE=long $(BIN)/python -m pytest tests/test_properties.py

lab: setup ## Open JupyterLab on the project, spbe_tools importable
	$(BIN)/jupyter lab --notebook-dir=. $(if $(filter 0,$(shell id -u)),--allow-root,)

bench: setup ## Run the benchmarks (medians and ratios)
	$(BIN)/python -m benchmarks

check: setup ## Check raw workbooks without writing anything
	$(BIN)/spbe check $(RAW)

clean: ## Remove built outputs (not data/raw)
	rm -rf $(OUT)/*.csv $(OUT)/*.parquet $(OUT)/*.json reports/
