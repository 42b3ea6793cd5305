"""The summary in words of a comparison (``sandbox.analysis.verdict``), on runs built with
known effects: the best option, the baseline, the runner-up and where the best holds."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sandbox.analysis.comparison import paired_comparison
from sandbox.analysis.verdict import verdicts

LEVER = "lever_policy"
BY = ["lever_resources"]


def runs(effects: dict[tuple[str, str], float], replicates: int = 12) -> pd.DataFrame:
    """Runs of options x resources x replicates: ``reach`` is a replicate's own level plus
    the (option, resources) effect and small noise; ``public_spending`` the same with
    the effect reversed (less is better)."""
    rng = np.random.default_rng(0)
    rows = []
    for r in range(replicates):
        level = 0.4 + 0.05 * rng.standard_normal()
        for (option, resources), effect in effects.items():
            noise = 0.0001 * rng.standard_normal()
            rows.append(
                {
                    "status": "done",
                    "replicate": r,
                    LEVER: option,
                    BY[0]: resources,
                    "reach": level + effect + noise,
                    "public_spending": 1000 * (level - effect + noise),
                }
            )
    return pd.DataFrame(rows)


def said(frame: pd.DataFrame, baseline: str = "status_quo") -> dict[str, str]:
    metrics = ["reach", "public_spending"]
    result = paired_comparison(frame, baseline, LEVER, metrics=metrics)
    breakdown = paired_comparison(frame, baseline, LEVER, metrics=metrics, by=BY)
    lines = verdicts(frame, LEVER, baseline, result, (BY, breakdown))
    return {
        m: next(line for line in lines if line.startswith(f"- **{n}"))
        for m, n in (("reach", "reach"), ("public_spending", "public spending"))
    }


def test_the_best_option_its_runner_up_and_where_it_holds() -> None:
    effects = {
        ("status_quo", "central"): 0.0,
        ("status_quo", "ppp"): 0.0,
        ("wide", "central"): 0.10,
        ("wide", "ppp"): 0.02,
        ("narrow", "central"): 0.03,
        ("narrow", "ppp"): 0.05,
    }
    text = said(runs(effects))
    reach = text["reach"]
    assert "**wide** is best" in reach
    # pooled: wide +0.06, narrow +0.04: the runner-up is narrow, 0.02 behind, a clear lead
    assert "the runner-up, narrow: 0.020" in reach and "a clear lead" in reach
    assert "0.060 [" in reach  # wide's difference from the baseline
    # within ppp, narrow leads: wide is best in 1 of the 2
    assert "best in 1 of 2 combinations" in reach and "elsewhere narrow: 1" in reach
    # less spending is better: the same effects make wide the best there too
    assert "**wide** is best" in text["public_spending"]
    assert "less is better" in text["public_spending"]


def test_when_nothing_beats_the_baseline_it_says_so() -> None:
    effects = {
        ("status_quo", "central"): 0.0,
        ("status_quo", "ppp"): 0.0,
        ("worse", "central"): -0.05,
        ("worse", "ppp"): -0.05,
    }
    assert "no option beats status_quo" in said(runs(effects))["reach"]


def test_two_options_within_noise_are_not_called_apart() -> None:
    effects = {
        ("status_quo", "central"): 0.0,
        ("status_quo", "ppp"): 0.0,
        ("a", "central"): 0.05,
        ("a", "ppp"): 0.05,
        ("b", "central"): 0.05,
        ("b", "ppp"): 0.05,
    }
    assert "not distinguishable" in said(runs(effects))["reach"]


def test_equal_means_are_a_tie_not_a_lead_of_the_first_option() -> None:
    """Where every option gives the same value (no partner, no private money), no option
    is named best; a combination where they tie counts as a tie."""
    effects = {
        ("status_quo", "central"): 0.0,
        ("status_quo", "ppp"): 0.0,
        ("first", "central"): 0.0,
        ("first", "ppp"): 0.01,
        ("second", "central"): 0.0,
        ("second", "ppp"): 0.02,
    }
    frame = runs(effects)
    central = frame[frame[BY[0]] == "central"].copy()
    central["reach"] = 0.5  # the same in every run
    text = said(central)
    assert "no option differs" in text["reach"]
    frame.loc[frame[BY[0]] == "central", "reach"] = 0.5
    reach = said(frame)["reach"]
    assert "**second** is best" in reach
    assert "best in 1 of 2 combinations" in reach and "elsewhere a tie: 1" in reach
