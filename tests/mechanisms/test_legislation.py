"""Legal clarity (``sandbox.model.legislation``): dated acts and rules from evidence with a
lag. Expected values follow from the closed forms in the module's docstring; the acts table
is checked against the sourced evidence file it is drawn from."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import scenario
from sandbox.config.params import LegislationParams
from sandbox.errors import ConfigError
from sandbox.model.clock import month_index
from sandbox.model.domains import N_DOMAINS, Domain
from sandbox.model.legislation import HERE, Legislation, load_acts
from sandbox.model.model import SandboxModel

ROOT = Path(__file__).resolve().parents[2]


def acts_table(tmp_path: Path, rows: list[str]) -> str:
    path = tmp_path / "acts.csv"
    path.write_text("act,in_force,domains,clarity,novel,reason\n" + "\n".join(rows) + "\n")
    return str(path)


def test_acts_take_effect_in_their_month_and_combine_as_shares_of_risk(tmp_path: Path) -> None:
    table = acts_table(
        tmp_path,
        [
            "B,2020-03,healthcare;education,0.5,no,x",
            "A,2020-01,all,0.2,yes,x",
            "C,2018-05,warning,0.1,no,x",
        ],
    )
    law = Legislation(LegislationParams(acts=table), "2020-01")
    law.step(0)  # A (established and novel), and C (in force before the start)
    expected = np.full((2, N_DOMAINS), 0.2)
    expected[0, Domain.WARNING] = 1 - 0.8 * 0.9
    assert law.clarity == pytest.approx(expected)
    law.step(1)
    assert law.clarity == pytest.approx(expected)
    law.step(2)  # B, established only: 1 - (1 - 0.2)(1 - 0.5)
    expected[0, [Domain.HEALTHCARE, Domain.EDUCATION]] = 0.6
    assert law.clarity == pytest.approx(expected)


def test_data_protection_acts_combine_as_shares_and_default_to_none(tmp_path: Path) -> None:
    path = tmp_path / "acts.csv"
    path.write_text(
        "act,in_force,domains,clarity,novel,protection,reason\n"
        "A,2020-01,all,0.1,yes,0.5,x\n"
        "B,2020-03,all,0.1,yes,,x\n"
        "C,2020-05,all,0.1,yes,0.4,x\n"
    )
    law = Legislation(LegislationParams(acts=str(path)), "2020-01")
    law.step(0)
    assert law.protection == pytest.approx(0.5)
    law.step(2)  # B protects nothing
    assert law.protection == pytest.approx(0.5)
    law.step(4)
    assert law.protection == pytest.approx(1 - 0.5 * 0.6)
    # the shipped table: Decree 13/2023 and Law 91/2025, half each
    shipped = Legislation(LegislationParams(), "2019-01")
    shipped.step(month_index("2019-01", "2023-06"))
    assert shipped.protection == 0.0
    shipped.step(month_index("2019-01", "2026-01"))
    assert shipped.protection == pytest.approx(0.75)


def test_evidence_becomes_rules_after_the_lag_with_diminishing_returns() -> None:
    p = LegislationParams(acts="", lag_months=24, evidence_scale=10.0, rule_ceiling=0.5)
    law = Legislation(p, "2019-01")
    planning = int(Domain.PLANNING)
    law.add_evidence(True, planning, 1.0, t=5)  # a novel technology's evidence
    law.add_evidence(True, planning, 2.0, t=7)
    for t in range(29):
        law.step(t)
        assert not law.clarity.any()
    law.step(29)  # the first piece, 24 months on
    assert law.clarity[1, planning] == pytest.approx(0.5 * (1 - math.exp(-0.1)))
    law.step(30)
    law.step(31)  # the second
    assert law.clarity[1, planning] == pytest.approx(0.5 * (1 - math.exp(-0.3)))
    others = law.clarity.copy()
    others[1, planning] = 0.0
    assert not others.any()  # established planning technologies learnt nothing
    # never above the ceiling, however much evidence
    law.add_evidence(True, planning, 1e6, t=31)
    law.codify()
    assert law.clarity[1, planning] == pytest.approx(0.5)


def test_codify_turns_waiting_evidence_into_rules_at_once() -> None:
    law = Legislation(LegislationParams(acts=""), "2019-01")
    law.add_evidence(False, int(Domain.HEALTHCARE), 5.0, t=0)
    law.step(1)
    assert law.clarity[0, Domain.HEALTHCARE] == 0.0
    law.codify()
    p = law.params
    expected = p.rule_ceiling * (1 - math.exp(-5.0 / p.evidence_scale))
    assert law.clarity[0, Domain.HEALTHCARE] == pytest.approx(expected)
    law.step(p.lag_months)  # nothing is counted twice
    assert law.clarity[0, Domain.HEALTHCARE] == pytest.approx(expected)


def test_a_bad_acts_table_is_refused_naming_the_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"legislation\.acts"):
        load_acts(acts_table(tmp_path, ["X,2020-01,roads,0.1,no,x"]))
    with pytest.raises(ConfigError, match=r"legislation\.acts"):
        load_acts(acts_table(tmp_path, ["X,2020-01,all,1.5,no,x"]))
    with pytest.raises(ConfigError, match=r"legislation\.acts"):
        load_acts(acts_table(tmp_path, ["X,2020-01,all,0.5,maybe,x"]))
    with pytest.raises(ConfigError, match=r"legislation\.acts"):
        load_acts(str(tmp_path / "missing.csv"))


def test_every_act_is_in_the_sourced_evidence_with_its_date() -> None:
    """The model's acts are the evidence file's, in force in the same month."""
    with (ROOT / "data/evidence/legal_acts.csv").open(newline="", encoding="utf-8") as f:
        evidence = {
            row["number"].replace("Đ", "D"): row["date_in_force"] for row in csv.DictReader(f)
        }
    acts = load_acts(str(HERE / "acts.csv"))
    assert len(acts) >= 6
    for act in acts:
        assert act.name in evidence, act.name
        assert str(pd.Period(evidence[act.name], "M")) == act.month, act.name


def test_the_status_quo_does_not_repair_itself() -> None:
    """Under the status quo, with pilots giving no evidence, clarity after the last act in
    force is constant to the horizon: no law arrives by chance."""
    params = scenario(
        "citizens.n=1000",
        "policy.adhoc.evidence_value=0",
        "history.policy.adhoc.evidence_value=0",
    )
    model = SandboxModel(params)
    frame = model.run()
    columns = [c for c in frame.columns if c.startswith("clarity_")]
    assert "clarity_novel" in columns
    last_act = max(a.month for a in load_acts(str(HERE / "acts.csv")))
    after = frame[frame["month"] >= last_act][columns]
    assert (after.nunique() == 1).all()
    assert frame[frame["month"] < "2020-01"][columns].to_numpy().max() == 0.0


def test_evidence_without_a_lag_becomes_rules_at_the_next_month() -> None:
    # the month's step has run when a success is evaluated: its evidence waits one month
    from sandbox.config.params.legislation import LegislationParams
    from sandbox.model.legislation import Legislation

    laws = Legislation(LegislationParams(acts="", lag_months=0), "2019-01")
    laws.step(5)
    laws.add_evidence(False, 2, 10.0, 5)
    assert laws.clarity[0, 2] == 0.0
    laws.step(6)
    assert laws.clarity[0, 2] > 0.0 and laws.clarity[1, 2] == 0.0
