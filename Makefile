# nq57 — run `make help` for the list of targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
NQ57 := $(VENV)/bin/nq57
# The latest illustrative period; override with `make report PERIOD=2026-Q2`.
PERIOD ?= 2026-Q3

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { echo "Cannot create a virtual environment: install python3-venv (Debian) and retry."; exit 1; }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

.PHONY: help
help: ## Show this list of targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-10s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: install
install: $(VENV)/.installed ## Create .venv and install nq57lib in editable mode

# nq57lib's bytecode, refreshed where it is stale: a run starts three Pythons (nq57, its
# kernel, a render process), and where PYTHONDONTWRITEBYTECODE is set each would compile
# the package from source again (0.2 s a run).
.PHONY: bytecode
bytecode: $(VENV)/.installed
	@$(PY) -m compileall -q nq57lib

.PHONY: report
report: bytecode ## Run the quarterly pipeline on the illustrative data (PERIOD=2026-Q3)
	$(NQ57) run --period $(PERIOD)

.PHONY: test
test: $(VENV)/.installed ## Run the test suite
	$(PY) -m pytest -q

.PHONY: lint
lint: $(VENV)/.installed ## Lint with ruff
	$(VENV)/bin/ruff check nq57lib tests scripts

.PHONY: bench
bench: bytecode ## Measure the speed targets (parse, ingest, compare, run, naive chain, memory)
	$(PY) scripts/bench.py

.PHONY: lab
# JupyterLab refuses to start as root unless told: a container's or a shared server's
# account often is root.
LAB_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
lab: $(VENV)/.installed ## Open JupyterLab on the notebooks with the project's kernel (NQ57_ROOT=DIR: another ward)
	@$(PY) -c "import jupyterlab, ipywidgets" 2>/dev/null || $(PY) -m pip install --quiet -e '.[lab]'
	@# The notebooks' kernel ("python3") registered inside .venv, and .venv's kernels found
	@# before any of the user's own: the notebooks run on the environment nq57 is installed in.
	@$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (nq57)" >/dev/null
	JUPYTER_PREFER_ENV_PATH=1 $(VENV)/bin/jupyter lab --notebook-dir=nq57lib/notebooks $(LAB_ROOT) $(LAB_ARGS)

.PHONY: clean
clean: ## Remove generated data and reports (never data/raw)
	rm -rf data/processed/* reports/*
	@touch data/processed/.gitkeep reports/.gitkeep
