# Two commands do everything on a fresh machine: `make submit` and `make test`.
# Each creates .venv and installs on first use (idempotent: a stamp file records the install).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

TASKS ?= arc-agi-2/evaluation
OUT ?= submissions/submission.json
BUDGET ?= 1200
WORKERS ?= 2
SOURCES ?= programs,model
TASK ?=
ARGS ?=

.PHONY: install submit eval show bench bench-learn bench-gpu test clean

install: $(STAMP)

# The venv sees system packages so a user's own torch (GPU box, Kaggle image) is kept;
# torch is installed only when it is not importable (2.13.0 is the local CPU build here).
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv --system-site-packages $(VENV)
	$(BIN)/python -c "import torch" 2>/dev/null || $(BIN)/python -m pip install -q "torch==2.13.0" || $(BIN)/python -m pip install -q "torch>=2.4"
	$(BIN)/python -m pip install -q -e ".[test]"
	touch $(STAMP)

submit: $(STAMP)
	$(BIN)/arc-solver submit --tasks $(TASKS) --out $(OUT) --time-budget $(BUDGET) --workers $(WORKERS) --sources $(SOURCES) $(ARGS)

eval: $(STAMP)
	$(BIN)/arc-solver eval --tasks $(TASKS) --out $(OUT) --time-budget $(BUDGET) --workers $(WORKERS) --sources $(SOURCES) --report submissions/report $(ARGS)

# `make show` draws every task of the last submission; `make show TASK=<id>` draws one.
show: $(STAMP)
ifeq ($(TASK),)
	$(BIN)/arc-solver gallery --tasks $(TASKS) --submission $(OUT) --out submissions/gallery
else
	$(BIN)/arc-solver show $(TASK) --tasks $(TASKS) --submission $(OUT) --out submissions/$(TASK).png
endif

bench: $(STAMP)
	$(BIN)/arc-solver bench kernels
	$(BIN)/arc-solver bench train --preset tiny

bench-learn: $(STAMP)
	$(BIN)/arc-solver bench learn --minutes 10

# On a machine with a GPU: bench train (tiny, trm), a 5-minute trm run with its loss curve, a torchrun.
bench-gpu: $(STAMP)
	PYTHON=$(BIN)/python bash scripts/gpu_check.sh

test: $(STAMP)
	$(BIN)/python -m pytest tests

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
