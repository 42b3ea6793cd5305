# Everyday commands. Each target builds .venv from nothing when it is missing or stale.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RAY_STAMP := $(VENV)/.installed-ray

.PHONY: run test lint format lock bench reference clean
REFERENCE := results/reference/policy_comparison

run: $(STAMP)  ## the flagship: policy_comparison sweep and its comparison table
	$(BIN)/sandbox-run --multirun experiment=policy_comparison $(ARGS)

test: $(STAMP) $(RAY_STAMP)  ## lint, format check and the test suite (with the Ray launcher's)
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

$(RAY_STAMP): $(STAMP) requirements-ray.lock  ## the `ray` extra, for hydra/launcher=ray and its test
	$(BIN)/python -m pip install --quiet -r requirements-ray.lock
	touch $(RAY_STAMP)

# Both lock files come from one resolution: requirements-ray.lock pins everything with the
# `ray` extra, requirements.lock the same versions without it (`make run` needs no Ray).
ALL_EXTRAS := .[dev,slurm,ray]
BASE_EXTRAS := .[dev,slurm]
define freeze  # $(1): what to install in a clean environment, $(2): the file pinning it
	rm -rf .lockenv
	"$$(scripts/find-python)" -m venv .lockenv
	.lockenv/bin/python -m pip install --quiet --upgrade pip
	.lockenv/bin/python -m pip install --quiet $(1) hatchling editables
	.lockenv/bin/python -m pip freeze --exclude-editable | grep -v '^-e' > $(2)
	rm -rf .lockenv
endef

lock:  ## refresh requirements.lock and requirements-ray.lock in clean environments
	$(call freeze,-e "$(ALL_EXTRAS)",requirements-ray.lock.tmp)
	$(call freeze,-c requirements-ray.lock.tmp -e "$(BASE_EXTRAS)",requirements.lock.tmp)
	mv requirements-ray.lock.tmp requirements-ray.lock
	mv requirements.lock.tmp requirements.lock

reference: $(STAMP)  ## rebuild the committed reference sweep (on purpose only)
	rm -rf $(REFERENCE)
	$(BIN)/sandbox-run --multirun experiment=policy_comparison citizens.n=5000 \
		horizon.end=2024-12 resources=central_budget data=fragmented 'replicate=range(2)' \
		hydra.sweep.dir=$(CURDIR)/$(REFERENCE)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
