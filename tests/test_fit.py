"""The calibration machinery: distance, priors, posterior, resumable fits, the experiment.

The model-free parts are checked against independent oracles: the binomial deviance
against SciPy's binomial log-likelihood, the ABC-SMC plumbing against the conjugate
Beta posterior of a binomial toy model, weighted quantiles against NumPy's.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sandbox.calibration.distance import Deviance, deviance
from sandbox.calibration.fit import DB, STATUS, run_fit
from sandbox.calibration.priors import Free, load_priors
from sandbox.calibration.report import identifiability, strongest_pairs
from sandbox.calibration.simulator import HistorySimulator, history_params, run_history
from sandbox.calibration.targets import (
    Target,
    concordance,
    held_out,
    load_figures,
    load_targets,
    parse,
)
from sandbox.config.params import CalibrationParams
from sandbox.config.posterior import (
    WEIGHT,
    apply_uncertainty,
    central_point,
    draw,
    weighted_quantile,
)
from sandbox.errors import ConfigError
from tests.conftest import scenario
from tests.test_bad_input import sandbox_run

N = 63


# ------------------------------------------------------------------ the distance
@pytest.mark.parametrize(("y", "m"), [(41, 30.5), (60, 62.0), (0, 3.0), (63, 50.0), (45, 45.0)])
def test_deviance_is_twice_the_binomial_log_likelihood_ratio(y: int, m: float) -> None:
    saturated = stats.binom.logpmf(y, N, y / N)
    fitted = stats.binom.logpmf(y, N, m / N)
    assert deviance([y], [m], [N]) == pytest.approx(2 * (saturated - fitted), abs=1e-9)


def test_deviance_is_finite_when_the_model_gives_none_or_all() -> None:
    assert np.isfinite(deviance([41], [0.0], [N])) and np.isfinite(deviance([41], [63.0], [N]))
    assert deviance([41], [0.0], [N]) > deviance([41], [20.0], [N]) > 0


def test_the_same_miss_costs_more_near_the_bound() -> None:
    assert deviance([60], [57], [N]) > deviance([41], [38], [N])


# ------------------------------------------------------- targets and priors
def test_targets_file_names_four_counts_with_sources() -> None:
    targets = load_targets()
    assert [(t.month, t.metric, t.value) for t in targets] == [
        ("2021-12", "provinces_with_project", 41),
        ("2023-12", "provinces_with_project", 48),
        ("2024-12", "provinces_with_initiative", 45),
        ("2024-12", "provinces_with_app", 60),
    ]
    assert all(t.source and t.out_of == N for t in targets)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("free: [{key: authorities.nonsense, low: 0, high: 1}]", "authorities.nonsense"),
        ("free: [{key: policy.start, low: 0, high: 1}]", "uncertainty"),
        ("free: [{key: authorities.propose_rate, low: 0.5, high: 0.5}]", "low below high"),
        ("free: []", "at least one parameter"),
    ],
)
def test_bad_priors_are_refused_in_one_paragraph(tmp_path: Path, body: str, words: str) -> None:
    path = tmp_path / "priors.yaml"
    path.write_text(body)
    with pytest.raises(ConfigError, match=words):
        load_priors(path)


def test_the_fit_reads_only_the_figures_declared_fit() -> None:
    figures = load_figures()
    assert {t.use for t in figures} == {"fit", "hand", "check"}
    fitted = load_targets()
    assert fitted == tuple(t for t in figures if t.use == "fit")
    assert all(t.use == "fit" for t in fitted)
    for t in figures:  # every figure states its tolerance, why, and its source
        assert t.tolerance >= 0 and t.tolerance_why and t.source and t.figure, t.name
    checks = [t for t in figures if t.use != "fit"]
    with pytest.raises(ValueError, match="use: fit"):
        Deviance((*fitted, checks[0]))


def test_a_hold_out_fits_the_figures_up_to_its_month_only() -> None:
    figures = load_figures()
    early = load_targets(holdout_after="2021-12")
    assert [t.name for t in early] == ["projects_2021"]
    assert [t.name for t in held_out(figures, "2021-12")] == [
        "projects_2023",
        "initiatives_2024",
        "applications_2024",
    ]
    assert held_out(figures, "") == ()
    with pytest.raises(ConfigError, match="not before the first fitted figure"):
        load_targets(holdout_after="2020-06")
    with pytest.raises(ConfigError, match="YYYY-MM"):
        load_targets(holdout_after="2021")


FIGURE = (
    "{name: x, use: check, month: 2021-12, metric: provinces_with_app, value: 40, "
    "out_of: 63, tolerance: 4, tolerance_why: because, figure: a count, source: somewhere"
)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (", use: maybe}", "use one of fit, hand, check"),
        (", tolerance: -1}", "tolerance >= 0"),
        (", tolerance_why: ''}", "tolerance >= 0 stated with tolerance_why"),
        (", metric: provinces_nowhere}", "unknown: provinces_nowhere"),
        (", metric: 'provinces_with_app +'}", "'a / b'"),
        (", metric: null}", "status: not modelled yet"),
        (", use: fit, metric: 'sandbox_testing / sandbox_admitted'}", "use: fit only for a count"),
        (", use: hand}", "sets: the parameter"),
        (", month: 2021}", "YYYY-MM"),
        (", source: ''}", "full citation"),
    ],
)
def test_a_malformed_figure_is_refused_in_one_paragraph(
    tmp_path: Path, change: str, words: str
) -> None:
    path = tmp_path / "figures.yaml"
    path.write_text(f"targets:\n  - {FIGURE}{change}\n")
    with pytest.raises(ConfigError, match=re.escape(words)):
        load_figures(path)
    path.write_text(f"targets:\n  - {FIGURE}}}\n")
    assert load_figures(path)[0].name == "x"  # the same figure, unchanged, is accepted


def test_a_figure_missing_its_tolerance_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "figures.yaml"
    path.write_text(
        "targets:\n  - {name: x, use: check, month: 2021-12, metric: provinces_with_app,\n"
        "     value: 40, out_of: 63, figure: a count, source: somewhere}\n"
    )
    with pytest.raises(ConfigError, match="missing: tolerance, tolerance_why"):
        load_figures(path)


@pytest.mark.parametrize(
    ("values", "expected"),
    [([5, 3, 2, 1], 1.0), ([1, 2, 3, 5], 0.0), ([5, 2, 3, 1], 5 / 6), ([2, 2, 1, 0], 5.5 / 6)],
)
def test_concordance_is_the_share_of_pairs_in_the_stated_order(values, expected) -> None:
    assert concordance(np.array(values)) == pytest.approx(expected)


def test_expressions_pool_shares_and_order_the_means() -> None:
    rows = pd.DataFrame({"a": [1.0, 3.0], "b": [4.0, 4.0], "c": [0.0, 1.0]})
    assert parse("a / b").pooled(rows) == pytest.approx(0.5)  # (1 + 3) / (4 + 4)
    assert parse("a / b").each(rows.iloc[0]) == pytest.approx(0.25)
    assert parse("b > a > c").pooled(rows) == 1.0  # means 4 > 2 > 0.5
    assert parse("a").pooled(rows) == 2.0
    assert parse("c / c").each(rows.iloc[0]) != parse("c / c").each(rows.iloc[0])  # NaN


def test_a_missing_targets_file_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError, match="vietnam_2024"):
        load_targets("nowhere")


def test_the_targets_barely_depend_on_the_citizen_population() -> None:
    """Why a fit may run its histories with few citizens (``calibration.citizens``).

    Citizens feed back (their use is a political return to their authority,
    ``authorities.political_return``), so a history's counts depend on the sampled
    citizens; on the same seeds, 1,000 citizens must move each fitted count by less than
    one province on average, a quarter of the fit's tolerance (4: one history's sd)."""
    targets = load_targets()
    gaps = []
    for seed in range(8):
        base = dataclasses.replace(scenario(), seed=seed)
        small, large = (run_history(history_params(base, targets, n)) for n in (1000, 100_000))
        gaps.append([t.observed(small) - t.observed(large) for t in targets])
    assert np.abs(np.mean(gaps, axis=0)).max() < 1.0, np.mean(gaps, axis=0)


# ------------------------------------------------------------------ posterior
def test_weighted_quantile_with_equal_weights_is_numpys_inverted_cdf() -> None:
    values = np.random.default_rng(1).normal(size=101)
    for q in (0.05, 0.5, 0.95):
        expected = np.quantile(values, q, method="inverted_cdf")
        assert weighted_quantile(values, np.ones(101), q) == expected


def posterior_file(tmp_path: Path) -> Path:
    rng = np.random.default_rng(2)
    frame = pd.DataFrame(
        {
            "authorities.propose_rate": rng.uniform(0.2, 1.0, 50),
            "pilots.duration_months": rng.uniform(18, 60, 50),
            WEIGHT: rng.uniform(0.1, 1.0, 50),
        }
    )
    path = tmp_path / "posterior.csv"
    frame.to_csv(path, index=False)
    return path


def test_central_point_rounds_as_declared(tmp_path: Path) -> None:
    frame = pd.read_csv(posterior_file(tmp_path))
    point = central_point(frame)
    assert isinstance(point["pilots.duration_months"], int)
    rate = point["authorities.propose_rate"]
    assert float(f"{rate:.3g}") == rate


def test_central_point_is_the_weighted_medoid() -> None:
    """Whole weights are repeated particles: the weighted medoid is the particle with the
    least summed distance to the particles repeated that many times (brute force, on the
    range-scaled values), and it is one of the particles, so it keeps their correlation."""
    rng = np.random.default_rng(3)
    n = 31
    rate = rng.uniform(0.2, 1.0, n)
    weight = 10 * rate + rng.normal(0, 0.5, n)  # correlated, on another scale
    counts = rng.integers(1, 5, n)
    frame = pd.DataFrame(
        {
            "authorities.propose_rate": rate,
            "authorities.risk_weight": weight,
            WEIGHT: counts.astype(float),
        }
    )
    scaled = np.column_stack([(v - v.min()) / (v.max() - v.min()) for v in (rate, weight)])
    repeated = np.repeat(scaled, counts, axis=0)
    totals = [np.linalg.norm(repeated - scaled[i], axis=1).sum() for i in range(n)]
    best = int(np.argmin(totals))
    point = central_point(frame)
    assert point["authorities.propose_rate"] == float(f"{rate[best]:.3g}")
    assert point["authorities.risk_weight"] == float(f"{weight[best]:.3g}")


def test_each_replicate_draws_one_particle_shared_by_every_policy(tmp_path: Path) -> None:
    path = posterior_file(tmp_path)
    frame = pd.read_csv(path)
    runs = {}
    for policy in ("status_quo", "controlled_pilot"):
        for replicate in range(4):
            params = scenario(
                f"policy={policy}",
                "uncertainty=posterior",
                f"uncertainty.posterior={path}",
                f"replicate={replicate}",
            )
            runs[policy, replicate] = (
                params.authorities.propose_rate,
                params.pilots.duration_months,
            )
            rows = frame[np.isclose(frame["authorities.propose_rate"], runs[policy, replicate][0])]
            assert len(rows) == 1  # one particle of the posterior
            assert round(rows["pilots.duration_months"].iloc[0]) == runs[policy, replicate][1]
    for replicate in range(4):
        assert runs["status_quo", replicate] == runs["controlled_pilot", replicate]
    assert len({runs["status_quo", r] for r in range(4)}) > 1
    assert draw(frame, 7, 3) == draw(frame, 7, 3)


def test_point_uncertainty_leaves_the_declared_values() -> None:
    params = scenario()
    assert apply_uncertainty(params) is params


def test_declared_defaults_are_the_published_central_point() -> None:
    from sandbox.config.meta import describe
    from sandbox.config.params import Params
    from sandbox.config.posterior import load_posterior

    declared = describe(Params)
    for key, value in central_point(load_posterior("history")).items():
        assert declared[key].default == value, key


# ---------------------------------------------------------- fits on a toy model
TOY = Target(name="share", use="fit", month="2024-12", metric="toy", value=45, out_of=N,
             tolerance=4, tolerance_why="toy", figure="toy count", source="none")  # fmt: skip
TOY_FREE = (Free("p", 0.0, 1.0, "the toy's only parameter"),)


class Toy:
    """Binomial(63, p): the posterior of p under a uniform prior is Beta(46, 19)."""

    free, targets = TOY_FREE, (TOY,)

    def __call__(self, parameter):
        return {"share": float(np.random.binomial(N, parameter["p"])), "model_seconds": 1e-4}  # noqa: NPY002


def toy_settings(**changes) -> CalibrationParams:
    base = CalibrationParams(
        population=150,
        generations=4,
        sampler="single",
        min_epsilon=0.0,
        max_simulations=100_000,
        min_acceptance=0.0,
    )
    return dataclasses.replace(base, **changes)


def test_abc_on_a_binomial_toy_finds_the_beta_posterior(tmp_path: Path) -> None:
    result = run_fit(tmp_path / "fit", Toy(), {"share": 45.0}, toy_settings(), log=lambda _: 0)
    p, w = result.posterior["p"].to_numpy(), result.posterior[WEIGHT].to_numpy()
    exact = stats.beta(46, 19)
    assert weighted_quantile(p, w, 0.5) == pytest.approx(exact.median(), abs=0.03)
    sd = np.sqrt(np.cov(p, aweights=w))
    assert 0.5 * exact.std() < sd < 2.5 * exact.std()
    assert result.status["finished"] and len(result.status["generations"]) == 4


def test_a_fit_is_reproducible_with_one_process(tmp_path: Path) -> None:
    first, second = (
        run_fit(
            tmp_path / name, Toy(), {"share": 45.0}, toy_settings(generations=2), log=lambda _: 0
        ).posterior
        for name in ("a", "b")
    )
    pd.testing.assert_frame_equal(first, second)


def test_a_finished_fit_is_read_not_run_again(tmp_path: Path) -> None:
    folder = tmp_path / "fit"
    first = run_fit(folder, Toy(), {"share": 45.0}, toy_settings(generations=2), log=print)
    modified = (folder / DB).stat().st_mtime_ns
    again = run_fit(folder, Toy(), {"share": 45.0}, toy_settings(generations=2), log=print)
    pd.testing.assert_frame_equal(first.posterior, again.posterior)
    assert again.status["evaluations"] == first.status["evaluations"]
    assert (folder / DB).stat().st_mtime_ns == modified


KILLED = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import numpy as np
    from tests.test_fit import Toy, toy_settings
    from sandbox.calibration.fit import run_fit

    class Slow(Toy):
        def __call__(self, parameter):
            time.sleep(0.002)
            return super().__call__(parameter)

    run_fit(Path(sys.argv[1]), Slow(), {"share": 45.0}, toy_settings(generations=6),
            log=lambda _: 0)
    """
)


def stored_generations(folder: Path) -> int:
    try:
        with sqlite3.connect(folder / DB) as db:
            return db.execute("select count(*) from populations where t >= 0").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_a_killed_fit_continues_from_its_last_generation(tmp_path: Path) -> None:
    folder = tmp_path / "fit"
    root = Path(__file__).parents[1]
    fit = subprocess.Popen(
        [sys.executable, "-c", KILLED, str(folder)], cwd=root, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 120
        while stored_generations(folder) < 2:
            assert fit.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        os.killpg(fit.pid, signal.SIGKILL)
        fit.wait()
    finally:
        if fit.poll() is None:
            os.killpg(fit.pid, signal.SIGKILL)
    kept = stored_generations(folder)
    assert 2 <= kept < 6 and not json.loads((folder / STATUS).read_text())["finished"]
    lines = []
    result = run_fit(folder, Toy(), {"share": 45.0}, toy_settings(generations=6), log=lines.append)
    assert f"after {kept} stored generation(s)" in lines[0]
    assert len(result.status["generations"]) == 6 and result.status["finished"]


# ------------------------------------------------------------- the experiment
def test_history_simulator_returns_the_targets_mean_over_replicates() -> None:
    targets = load_targets()
    free = load_priors()
    base = history_params(scenario(), targets, 1000)
    simulator = HistorySimulator(base, free, targets, replicates=2)
    parameter = {f.key: (f.low + f.high) / 2 for f in free}
    np.random.seed(5)  # noqa: NPY002
    out = simulator(parameter)
    np.random.seed(5)  # noqa: NPY002
    seed = int(np.random.randint(0, 2**62, dtype=np.int64))  # noqa: NPY002
    frames = [run_history(simulator.params(parameter, seed, r)) for r in range(2)]
    for t in targets:
        assert out[t.name] == np.mean([t.observed(f) for f in frames])
    assert simulator.params(parameter, seed, 0).pilots.duration_months == 39


def test_calibration_experiment_end_to_end(tmp_path: Path) -> None:
    args = (
        "experiment=calibration",
        "calibration.population=12",
        "calibration.generations=1",
        "calibration.report_replicates=3",
        "calibration.sampler=single",
        "citizens.n=2000",
        f"calibration.store={tmp_path}",
        f"hydra.run.dir={tmp_path / 'launch'}",
    )
    done = sandbox_run(*args)
    assert done.returncode == 0, done.stderr
    (folder,) = [p for p in tmp_path.iterdir() if p.name.startswith("vietnam_2024-history-")]
    report = (folder / "report" / "report.md").read_text()
    for section in (
        "## What was run",
        "## Fit to the targets",
        "## Free parameters",
        "## Correlations",
        "## Recovery check",
        "## Every metric at 2024-12",
    ):
        assert section in report
    for figure in ("targets", "marginals", "correlations", "recovery"):
        assert (folder / "report" / f"{figure}.png").stat().st_size > 0
    posterior = pd.read_csv(folder / "posterior.csv")
    assert len(posterior) == 12 and posterior[WEIGHT].sum() == pytest.approx(1.0)
    assert f"report: {folder / 'report' / 'report.md'}" in done.stdout


def test_calibration_with_unknown_priors_fails_in_one_paragraph(tmp_path: Path) -> None:
    done = sandbox_run(
        "experiment=calibration", "calibration.priors=nowhere", f"hydra.run.dir={tmp_path}"
    )
    assert done.returncode == 2
    assert "No such file for 'calibration file (priors)': 'nowhere'" in done.stderr
    assert "history" in done.stderr


def test_a_hold_out_fit_leaves_the_later_figures_out_of_the_distance(tmp_path: Path) -> None:
    import pyabc

    args = (
        "experiment=calibration",
        "calibration.holdout_after=2021-12",
        "calibration.population=6",
        "calibration.generations=1",
        "calibration.report_replicates=2",
        "calibration.recovery=false",
        "calibration.sampler=single",
        "citizens.n=2000",
        f"calibration.store={tmp_path}",
        f"hydra.run.dir={tmp_path / 'launch'}",
    )
    done = sandbox_run(*args)
    assert done.returncode == 0, done.stderr
    (folder,) = [p for p in tmp_path.iterdir() if p.name.startswith("vietnam_2024-to2021-12-")]
    history = pyabc.History(f"sqlite:///{folder / DB}")
    assert history.observed_sum_stat() == {"projects_2021": 41.0}  # all the distance sees
    _, stats = history.get_weighted_sum_stats(t=history.max_t)
    assert all(set(s) == {"projects_2021", "model_seconds"} for s in stats)
    report = (folder / "report" / "report.md").read_text()
    later = "projects_2023 (2023-12), initiatives_2024 (2024-12), applications_2024 (2024-12)"
    assert f"## Hold-out: fitted to projects_2021 (2021-12), predicted {later}" in report
    hold = report.split("## Hold-out")[1].split("\n## ")[0]
    for name in ("projects_2023", "initiatives_2024", "applications_2024"):
        (row,) = [line for line in hold.splitlines() if line.startswith(f"| {name} |")]
        assert "held out (fit figure)" in row
        low, high = map(float, re.search(r"\(([\d.]+)-([\d.]+)\)", row).groups())
        assert 0 <= low <= high <= 63  # a 5-95% predictive interval of a count of 63
    assert "## Out-of-sample figures (declared checks, never fitted)" in report
    assert "| smart_services_2020 |" in report and "operations_centres" not in report
    assert "hold-out after 2021-12: predicting, not fitting, projects_2023" in done.stdout


def test_a_hold_out_fit_does_not_depend_on_the_figures_it_holds_out(tmp_path: Path) -> None:
    from sandbox.calibration.fit import fit_key

    text = (Path(__file__).parents[1] / "configs/targets/vietnam_2024.yaml").read_text()
    changed = tmp_path / "changed.yaml"
    changed.write_text(text.replace("value: 48\n", "value: 12\n"), encoding="utf-8")
    params, free = scenario(), load_priors()
    keys = [
        fit_key(params, load_targets(source, holdout_after=month), free)
        for month in ("2021-12", "")
        for source in ("vietnam_2024", changed)
    ]
    assert keys[0] == keys[1]  # projects_2023 held out: its value cannot matter
    assert keys[2] != keys[3]  # fitted: it does


def test_a_hold_out_fit_is_not_published(tmp_path: Path) -> None:
    done = sandbox_run(
        "experiment=calibration", "calibration.holdout_after=2021-12",
        "calibration.publish=history", f"hydra.run.dir={tmp_path}",
    )  # fmt: skip
    assert done.returncode == 2
    assert "calibration.publish" in done.stderr and "hold-out" in done.stderr


# ------------------------------------------------------------- identifiability
def test_identifiability_reads_known_posterior_widths() -> None:
    """A synthetic posterior whose widths are known: a parameter confined to a tenth of
    its prior, one to 60% of it, one left uniform, and a weighted one; two correlated."""
    rng = np.random.default_rng(4)
    n = 40_000
    narrow = rng.uniform(0.45, 0.55, n)  # IQR 0.05 of the prior's 0.5: ratio 0.1
    middle = rng.uniform(0.2, 0.8, n)  # IQR 0.3 of 0.5: ratio 0.6
    wide = rng.uniform(0.0, 10.0, n)  # the prior itself: ratio 1
    weighted = rng.uniform(0.0, 2.0, n)  # weight only on [0.5, 1.0]: ratio 0.25
    follows = np.clip(middle + rng.normal(0, 0.05, n), 0, 1)  # r about +0.96 with middle
    frame = pd.DataFrame(
        {"a": narrow, "b": middle, "c": wide, "d": weighted, "e": follows,
         WEIGHT: ((weighted >= 0.5) & (weighted <= 1.0)).astype(float)}
    )  # fmt: skip
    free = tuple(Free(k, lo, hi, "test") for k, lo, hi in
                 [("a", 0, 1), ("b", 0, 1), ("c", 0, 10), ("d", 0, 2), ("e", 0, 1)])  # fmt: skip
    table = identifiability(frame, free)
    expected = {"a": 0.1, "b": 0.6, "c": 1.0, "d": 0.25, "e": 0.6}
    for key, ratio in expected.items():
        assert table.at[key, "IQR ratio"] == pytest.approx(ratio, abs=0.03), key
    assert table.at["a", "90% ratio"] == pytest.approx(0.09 / 0.9, abs=0.03)
    assert table.at["c", "90% ratio"] == pytest.approx(1.0, abs=0.03)
    assert list(table["verdict"]) == [
        "pinned down",
        "partly",
        "not identified by these targets",
        "pinned down",
        "partly",
    ]
    from sandbox.calibration.figures import weighted_correlation

    (a, b, r), *_ = strongest_pairs(weighted_correlation(frame))
    assert {a, b} == {"b", "e"} and r == pytest.approx(0.96, abs=0.02)


def test_identifiability_counts_weights() -> None:
    """Equal values, unequal weights: the weighted quartiles, not the particles', count."""
    values = np.linspace(0, 1, 1001)
    frame = pd.DataFrame({"x": values, WEIGHT: np.where(values <= 0.2, 1.0, 1e-9)})
    table = identifiability(frame, (Free("x", 0, 1, "test"),))
    assert table.at["x", "IQR ratio"] == pytest.approx(0.2, abs=0.01)  # IQR 0.1 of 0.5
    assert table.at["x", "verdict"] == "pinned down"


def test_a_posterior_sweep_records_the_values_each_run_drew(tmp_path: Path) -> None:
    """``runs.parquet`` and each manifest hold the particle a run used, not the config's
    central point (the saved config still says only ``uncertainty=posterior``)."""
    from sandbox.config.posterior import draw
    from sandbox.experiments.collect import collect

    path = posterior_file(tmp_path)
    frame = pd.read_csv(path)
    sweep = tmp_path / "sweep"
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from sandbox.cli import main; main()",
            "-m",
            "region=toy",
            "citizens.n=500",
            "horizon.end=2019-06",
            "uncertainty=posterior",
            f"uncertainty.posterior={path}",
            "replicate=0,1,2",
            f"hydra.sweep.dir={sweep}",
        ],
        check=True,
        capture_output=True,
    )
    runs_path, _ = collect(sweep)
    runs = pd.read_parquet(runs_path).set_index("replicate").sort_index()
    for replicate in range(3):
        expected = draw(frame, runs.loc[replicate, "seed"], replicate)
        manifest = json.loads(
            (sweep / runs.loc[replicate, "job"] / "manifest.json").read_text(encoding="utf-8")
        )
        assert manifest["uncertainty_draw"] == expected
        for key, value in expected.items():
            assert runs.loc[replicate, f"uncertainty_{key.replace('.', '_')}"] == value, key
    assert runs["uncertainty_authorities_propose_rate"].nunique() > 1
