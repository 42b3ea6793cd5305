"""The one table of outcomes (sandbox.model.outcomes): every reported outcome is in it,
every use reads it, and under the status quo the headline outcomes still move after the
policy start without running into their ceilings."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from conftest import scenario
from sandbox.analysis.comparison import FLAGSHIP
from sandbox.experiments.runner import run
from sandbox.model.outcomes import BY_NAME, HEADLINE, OUTCOMES, PROVINCES, rewrite
from sandbox.units import better, describe, unit

DOC = Path(__file__).parents[1] / "docs" / "model.md"


@pytest.fixture(scope="module")
def status_quo():
    """The status quo to 2030 at a reduced size (the default scenario otherwise)."""
    return run(scenario("citizens.n=20000"))


def test_every_reported_outcome_is_declared_once(status_quo) -> None:
    reported = {*status_quo.timeseries.columns[1:], *status_quo.summary} - {"month", "n_provinces"}
    assert reported == {o.name for o in OUTCOMES if o.only is None}
    assert len({o.name for o in OUTCOMES}) == len(OUTCOMES)
    monthly = [o.name for o in OUTCOMES if o.monthly]
    assert list(status_quo.timeseries.columns[1:]) == monthly  # the table's order


def test_directions_are_the_tables_not_name_rules() -> None:
    # fewer provinces without a service and a less concentrated market are better, though
    # no name rule says so
    assert better("provinces_no_service") == "min"
    assert better("market_hhi") == "min"
    assert better("provinces") is None and better("firms_sme") is None
    for outcome in OUTCOMES:
        assert (
            better(outcome.name) == {"more": "max", "less": "min", "neither": None}[outcome.better]
        )
        assert unit(outcome.name) == outcome.unit and describe(outcome.name) == outcome.meaning


def test_the_comparisons_report_the_headline_outcomes_in_order() -> None:
    assert FLAGSHIP == HEADLINE
    assert [BY_NAME[m].headline for m in HEADLINE] == list(range(1, len(HEADLINE) + 1))
    assert all(BY_NAME[m].better != "neither" for m in HEADLINE)


def test_shares_have_a_ceiling_of_one_and_money_time_and_harm_none() -> None:
    for outcome in OUTCOMES:
        if outcome.unit.startswith(("share", "index, 0-1")):
            assert outcome.ceiling == 1.0, outcome.name
        if outcome.unit.startswith(("billion VND", "months", "people")):
            assert outcome.ceiling is None, outcome.name
        if outcome.unit == "provinces" and outcome.name != "provinces":
            assert outcome.ceiling == PROVINCES, outcome.name


def test_the_observation_tables_of_the_model_description_are_generated() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert rewrite(text) == text, "stale: python -m sandbox.model.outcomes docs/model.md"


def _ceiling(name: str, frame) -> float:
    ceiling = BY_NAME[name].ceiling
    return float(frame["provinces"].iloc[-1]) if ceiling == PROVINCES else ceiling


def test_no_bounded_headline_outcome_is_near_its_ceiling_under_the_status_quo(status_quo):
    frame, summary = status_quo.timeseries, status_quo.summary
    for name in HEADLINE:
        if BY_NAME[name].ceiling is None:
            continue
        value = frame[name].iloc[-1] if name in frame else summary[name]
        assert value < 0.95 * _ceiling(name, frame), (name, value)


# headline outcomes that do not move under the status quo, and why; each is tested to move
# under the counterfactual that lifts its barrier (tests/mechanisms/test_barriers.py)
STILL_UNDER_STATUS_QUO = {
    "private_investment": "the status quo's central budget has no PPP channel",
    "novel_uptake": "no legal corridor: a novel technology is approved only in proportion to "
    "its legal clarity and bears the ad-hoc legal risk, so no province proposes one",
}


def test_every_monthly_headline_outcome_still_moves_after_the_policy_start(status_quo) -> None:
    frame = status_quo.timeseries
    start = int(np.flatnonzero(frame["month"] == "2026-01")[0])
    still = set()
    for name in HEADLINE:
        if BY_NAME[name].monthly:
            at_start, at_end = frame[name].iloc[start], frame[name].iloc[-1]
            if math.isclose(at_start, at_end, rel_tol=1e-3):
                still.add(name)
    assert still == set(STILL_UNDER_STATUS_QUO)
