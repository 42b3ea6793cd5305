# Everyday commands. Each target builds .venv from nothing when it is missing or stale.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RAY_STAMP := $(VENV)/.installed-ray
DASHBOARD_STAMP := $(VENV)/.installed-dashboard
BROWSER_STAMP := $(VENV)/.browser
PORT ?= 8521

.PHONY: run test dashboard lint format lock bench reference analysis-data analysis-data-robustness clean
REFERENCE := results/reference/policy_comparison

run: $(STAMP)  ## the flagship: policy_comparison sweep, its comparison table and report
	$(BIN)/sandbox-run --multirun experiment=policy_comparison $(ARGS)

test: $(STAMP) $(RAY_STAMP) $(DASHBOARD_STAMP) $(BROWSER_STAMP)  ## lint, format check and the test suite (with the Ray launcher's and the dashboard's in a browser)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	rm -f .pytest-exit-code
	$(BIN)/python -m pytest -n auto --dist loadfile $(PYTEST_ARGS) || { echo $$? > .pytest-exit-code; exit 1; }

dashboard: $(DASHBOARD_STAMP)  ## the dashboard at http://localhost:$(PORT) (docs/dashboard.md)
	SOLARA_TELEMETRY_MIXPANEL_ENABLE=False $(BIN)/solara run sandbox.dashboard.app \
		--production --no-check-version --host localhost --port $(PORT)

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

$(DASHBOARD_STAMP): $(STAMP) requirements-dashboard.lock  ## the `dashboard` extra (make dashboard)
	$(BIN)/python -m pip install --quiet -r requirements-dashboard.lock
	touch $(DASHBOARD_STAMP)

$(BROWSER_STAMP): scripts/install-browser | $(STAMP)  ## a headless Chromium from Debian, for the browser tests
	scripts/install-browser
	touch $(BROWSER_STAMP)

# The lock files come from one resolution: requirements-ray.lock pins everything with the
# `ray` extra, requirements-dashboard.lock with the `dashboard` extra, requirements.lock the
# same versions without either (`make run` needs neither Ray nor Solara).
ALL_EXTRAS := .[dev,slurm,ray,dashboard]
BASE_EXTRAS := .[dev,slurm]
define freeze  # $(1): what to install in a clean environment, $(2): the file pinning it
	rm -rf .lockenv
	"$$(scripts/find-python)" -m venv .lockenv
	.lockenv/bin/python -m pip install --quiet --upgrade pip
	.lockenv/bin/python -m pip install --quiet $(1) hatchling editables
	.lockenv/bin/python -m pip freeze --exclude-editable | grep -v '^-e' > $(2)
	rm -rf .lockenv
endef

lock:  ## refresh the three lock files in clean environments
	$(call freeze,-e "$(ALL_EXTRAS)",all.lock.tmp)
	$(call freeze,-c all.lock.tmp -e ".[dev,slurm,ray]",requirements-ray.lock.tmp)
	$(call freeze,-c all.lock.tmp -e ".[dev,slurm,dashboard]",requirements-dashboard.lock.tmp)
	$(call freeze,-c all.lock.tmp -e "$(BASE_EXTRAS)",requirements.lock.tmp)
	mv requirements-ray.lock.tmp requirements-ray.lock
	mv requirements-dashboard.lock.tmp requirements-dashboard.lock
	mv requirements.lock.tmp requirements.lock
	rm -f all.lock.tmp

reference: $(STAMP)  ## rebuild the committed reference sweep (on purpose only)
	rm -rf $(REFERENCE)
	$(BIN)/sandbox-run --multirun experiment=policy_comparison citizens.n=5000 \
		resources=central_budget data=fragmented 'replicate=range(2)' \
		hydra.sweep.dir=$(CURDIR)/$(REFERENCE)
	# rebuilt by every sweep, or this machine's: not part of the reference
	rm -rf $(REFERENCE)/report $(REFERENCE)/.checkpoints $(REFERENCE)/.lock $(REFERENCE)/.lock.holder

# Small stored tables for tests/test_analysis.py and tests/test_plots.py: one sweep per
# experiment at 2,000 citizens, 3 replicates, a few options each (and the sensitivity
# analysis at its reduced size). Only each sweep's collected
# runs.parquet, timeseries.parquet and provinces.parquet are kept, recompressed.
# Rebuild on purpose, like the reference sweep.
ANALYSIS_DATA := tests/data/analysis
ANALYSIS_SWEEPS := $(or $(TMPDIR),/tmp)/sandbox-analysis-sweeps
ANALYSIS_COMMON := citizens.n=2000 'replicate=range(3)'
ANALYSIS_POLICY := experiment=policy_comparison policy=status_quo,controlled_pilot,facilitation \
	resources=central_budget data=fragmented,national_platform
ANALYSIS_DESIGN := experiment=sandbox_design policy.sandbox.capacity=10,40 \
	policy.sandbox.graduation_evidence=0.5,2 policy.sandbox.call_interval=6 \
	policy.sandbox.max_duration=24 policy.sandbox.exposure_cap=0.05 policy.sandbox.monitoring=0.9
ANALYSIS_PHASING := experiment=phasing policy.phasing.n_waves=2,5 \
	policy.phasing.order=readiness,random policy.phasing.phase_months=12,36
ANALYSIS_ALIGNMENT := experiment=experimental_alignment \
	policy.experimental.coordination=0.02,0.1,0.5 policy.experimental.rework_cost=0.1,0.6
ANALYSIS_ABLATION := experiment=ablation policy=status_quo,controlled_pilot,facilitation \
	+ablation=none,compliance,scaling
ANALYSIS_BARRIERS := experiment=barriers
# the sensitivity analysis at its reduced size (docs/experiments.md#sensitivity); only its
# runs.parquet is kept, with the columns the notebook reads (identity, coordinates, headline)
ANALYSIS_SENSITIVITY := experiment=sensitivity region=toy citizens.n=1000 horizon.end=2026-12 \
	design.samples=2 design.sobol_samples=4 design.sobol_factors=3 \
	'design.policies=[status_quo,controlled_pilot,facilitation]'
SENSITIVITY_COPY := import sys, pandas as pd; from sandbox.model.outcomes import HEADLINE; \
	runs = pd.read_parquet(sys.argv[1]); \
	keep = ["stage", "point", "replicate", "policy", "status", "error", "wall_seconds"]; \
	keep += [c for c in runs if c.startswith("u_")] + [o for o in HEADLINE if o in runs]; \
	runs[keep].to_parquet(sys.argv[2], compression="zstd", index=False)
# $(1): the folder under $(ANALYSIS_DATA), $(2): the sweep's overrides (a variable, as they
# hold commas)
define analysis_sweep
	$(BIN)/sandbox-run --multirun $(2) $(ANALYSIS_COMMON) \
		hydra.sweep.dir=$(ANALYSIS_SWEEPS)/$(1)
	mkdir -p $(ANALYSIS_DATA)/$(1)
	for table in runs timeseries provinces; do $(BIN)/python -c '$(ZSTD_COPY)' \
		$(ANALYSIS_SWEEPS)/$(1)/$$table.parquet $(ANALYSIS_DATA)/$(1)/$$table.parquet; done
endef
ZSTD_COPY := import sys, pyarrow.parquet as pq; \
	pq.write_table(pq.read_table(sys.argv[1]), sys.argv[2], compression="zstd")

analysis-data: $(STAMP) analysis-data-robustness  ## rebuild the stored tables of the analysis and plot tests
	rm -rf $(ANALYSIS_SWEEPS) $(ANALYSIS_DATA)/policy_comparison $(ANALYSIS_DATA)/sandbox_design \
		$(ANALYSIS_DATA)/phasing $(ANALYSIS_DATA)/experimental_alignment $(ANALYSIS_DATA)/ablation \
		$(ANALYSIS_DATA)/barriers $(ANALYSIS_DATA)/sensitivity
	$(call analysis_sweep,policy_comparison,$(ANALYSIS_POLICY))
	$(call analysis_sweep,sandbox_design,$(ANALYSIS_DESIGN))
	$(call analysis_sweep,phasing,$(ANALYSIS_PHASING))
	$(call analysis_sweep,experimental_alignment,$(ANALYSIS_ALIGNMENT))
	$(call analysis_sweep,ablation,$(ANALYSIS_ABLATION))
	$(call analysis_sweep,barriers,$(ANALYSIS_BARRIERS))
	$(BIN)/sandbox-run --multirun $(ANALYSIS_SENSITIVITY) design.store=$(ANALYSIS_SWEEPS)/designs \
		hydra.sweep.dir=$(ANALYSIS_SWEEPS)/sensitivity
	mkdir -p $(ANALYSIS_DATA)/sensitivity
	$(BIN)/python -c '$(SENSITIVITY_COPY)' $(ANALYSIS_SWEEPS)/designs/sensitivity-*/runs.parquet \
		$(ANALYSIS_DATA)/sensitivity/runs.parquet
	rm -rf $(ANALYSIS_SWEEPS)

# The robustness notebook's stored design: 24 futures x 2 replicates x 6 regimes on the toy
# region, 1,000 citizens, to 2030-12 (288 runs, about 1 min on 2 cores). Kept: its runs.parquet
# (recompressed) and its EMA Workbench export.
ROBUSTNESS_STORE := $(or $(TMPDIR),/tmp)/sandbox-analysis-robustness
analysis-data-robustness: $(STAMP)  ## rebuild tests/data/analysis/robustness
	rm -rf $(ROBUSTNESS_STORE) $(ANALYSIS_DATA)/robustness
	$(BIN)/sandbox-run -m experiment=robustness region=toy citizens.n=1000 design.samples=24 \
		design.store=$(ROBUSTNESS_STORE)
	mkdir -p $(ANALYSIS_DATA)/robustness
	$(BIN)/python -c '$(ZSTD_COPY)' $(ROBUSTNESS_STORE)/robustness-*/runs.parquet \
		$(ANALYSIS_DATA)/robustness/runs.parquet
	cp $(ROBUSTNESS_STORE)/robustness-*/ema_workbench.tar.gz $(ANALYSIS_DATA)/robustness/
	rm -rf $(ROBUSTNESS_STORE)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
