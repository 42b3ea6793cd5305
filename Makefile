# Everyday commands. Each target builds .venv from nothing when it is missing or stale.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format lock bench reference clean
REFERENCE := results/reference/policy_comparison

run: $(STAMP)  ## the flagship: policy_comparison sweep and its comparison table
	$(BIN)/sandbox-run --multirun experiment=policy_comparison $(ARGS)

test: $(STAMP)  ## lint, format check and the test suite
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	rm -f .pytest-exit-code
	$(BIN)/python -m pytest $(PYTEST_ARGS) || { echo $$? > .pytest-exit-code; exit 1; }

lint: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)  ## speed benchmarks (on demand, not part of the tests)
	$(BIN)/python benchmarks/run_all.py

$(STAMP): requirements.lock pyproject.toml scripts/find-python
	rm -rf $(VENV)
	"$$(scripts/find-python)" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e . \
		|| $(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

lock:  ## refresh requirements.lock (core, dev and slurm extras) in a clean environment
	rm -rf .lockenv
	"$$(scripts/find-python)" -m venv .lockenv
	.lockenv/bin/python -m pip install --quiet --upgrade pip
	.lockenv/bin/python -m pip install --quiet -e ".[dev,slurm]" hatchling editables
	.lockenv/bin/python -m pip freeze --exclude-editable | grep -v '^-e' > requirements.lock.tmp
	mv requirements.lock.tmp requirements.lock
	rm -rf .lockenv

reference: $(STAMP)  ## rebuild the committed reference sweep (on purpose only)
	rm -rf $(REFERENCE)
	$(BIN)/sandbox-run --multirun experiment=policy_comparison citizens.n=5000 \
		horizon.end=2024-12 resources=central_budget data=fragmented 'replicate=range(2)' \
		hydra.sweep.dir=$(CURDIR)/$(REFERENCE)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
