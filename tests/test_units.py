"""sandbox.units: the one place units are written; the comparison and the ranking read
it, and it can be imported from both layers without an import cycle."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from sandbox.units import label, name, title, unit

SRC = Path(__file__).parents[1] / "src"


@pytest.mark.parametrize(
    ("metric", "expected"),
    [
        ("adoption", "share of population"),
        ("public_spending", "billion VND, cumulative"),
        ("provinces_with_app", "provinces"),
        # 60% of the six domains (sandbox.model.domains) is 3.6 services per province
        ("months_to_60pct_depth", "months from policy.start to 3.6 of 6 services per province"),
        ("months_to_65pct_depth", "months from policy.start to 3.9 of 6 services per province"),
        ("months_to_75pct_scaled", "months from policy.start to 75% of people reached by a "
         "scaled service"),
        ("months_to_50pct_app", "months from the first month to 50% of provinces with an app"),
        ("province_services_deployed_q10", "of 6 domains"),
        ("province_services_deployed_n_zero", "provinces"),
        ("province_adoption_median", "share of population"),
        ("lever_policy_sandbox_capacity", "concurrent pilots"),
        ("no_such_metric", ""),
    ],
)  # fmt: skip
def test_units_by_rule(metric: str, expected: str) -> None:
    assert unit(metric) == expected


def test_readable_names_and_titles() -> None:
    assert name("months_to_60pct_depth") == "months to 60% depth"
    assert name("sme_contract_share") == "start-ups' share of contracts"
    assert name("public_spending") == "public spending"  # spaces for underscores
    assert name("province_services_deployed_q90") == "deployed services, 90th percentile province"
    assert title("citizens_harmed") == "people harmed (people, cumulative)"
    assert title("no_such_metric") == "no such metric"
    assert label("adoption") == "adoption (share of population)"


def test_the_comparison_and_the_ranking_state_the_units_of_sandbox_units(tmp_path) -> None:
    import numpy as np
    import pandas as pd

    from sandbox.analysis.comparison import FLAGSHIP
    from sandbox.experiments.compare import write_comparison
    from sandbox.experiments.ranking import write_ranking

    rng = np.random.default_rng(0)
    rows = [
        {"status": "done", "replicate": r, "lever_policy": p, "lever_ablation": a,
         **{m: rng.normal() for m in FLAGSHIP}}
        for p in ("status_quo", "other") for a in ("none", "off") for r in range(3)
    ]  # fmt: skip
    pd.DataFrame(rows).to_parquet(tmp_path / "runs.parquet")
    compared = write_comparison(tmp_path, "status_quo")
    ranked = write_ranking(tmp_path, "ablation", "none")
    for metric in FLAGSHIP:
        assert f"{metric}: {unit(metric)}" in compared
        assert f"({unit(metric)})" in ranked


@pytest.mark.parametrize(
    "first", ["sandbox.experiments.compare", "sandbox.analysis", "sandbox.units",
              "sandbox.experiments.report", "sandbox.plots"],
)  # fmt: skip
def test_no_import_cycle_whichever_module_comes_first(first: str) -> None:
    code = f"import {first}; import sandbox.analysis, sandbox.experiments.compare, sandbox.units"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={"PYTHONPATH": str(SRC)}, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]


def test_units_are_written_in_one_module() -> None:
    # no module but the outcome table keeps a table of units (the old FLAGSHIP_UNITS, or
    # units by name rules in sandbox.units)
    sources = [p for p in (SRC / "sandbox").rglob("*.py") if p.name != "outcomes.py"]
    assert not [p for p in sources if "billion VND, cumulative" in p.read_text(encoding="utf-8")]
