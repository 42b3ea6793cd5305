"""The sweep page: any collected sweep, drawn with the report's own figures
(``sandbox.experiments.report_figures``), the levers it does not compare and the
uncertainties its runs sampled as filters.

A folder is chosen from those under ``results/`` that hold a collected sweep
(``runs.parquet``), or typed. One that is not a sweep gets the paragraph
``sandbox-report`` gives, in the page.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import solara

from sandbox.analysis import design_levers
from sandbox.experiments import sweep_record as record
from sandbox.experiments.report import not_a_sweep
from sandbox.experiments.report_comparisons import choose, compare
from sandbox.experiments.report_figures import drawings
from sandbox.experiments.sweep_record import NotASweepError

RESULTS = Path("results")  # under the working directory
EVERY = "(every value)"
UNCERTAINTY = "uncertainty_"  # the columns of the values each run drew or was given
DPI = 80


def sweeps(root: Path = RESULTS) -> list[str]:
    """The collected sweeps under ``root``: folders holding ``runs.parquet``, newest first."""
    found = [
        p.parent
        for p in root.glob("**/runs.parquet")
        if not any(part.startswith(".") for part in p.relative_to(root).parts)
    ]  # not the versions of its tables a sweep keeps in .tables/, nor its .batch/ chunks
    found.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    return [str(p) for p in found]


def sampled(runs: pd.DataFrame) -> list[str]:
    """The uncertainties whose values differ between runs (a posterior's draws, a design's
    samples): numeric ``uncertainty_`` columns."""
    return [
        c
        for c in runs.columns
        if c.startswith(UNCERTAINTY)
        and pd.api.types.is_numeric_dtype(runs[c])
        and not pd.api.types.is_bool_dtype(runs[c])
        and runs[c].nunique() > 1
    ]


def with_uncertainties(folder: Path, runs: pd.DataFrame) -> pd.DataFrame:
    """``runs`` with the ``uncertainty_`` columns of the sweep's ``runs.parquet`` that vary
    between them (the report reads none, so they are read here)."""
    names = pq.read_schema(folder / "runs.parquet").names
    columns = [c for c in names if c.startswith(UNCERTAINTY) and c not in runs.columns]
    if not columns:
        return runs
    values = pd.read_parquet(folder / "runs.parquet", columns=["run_id", *columns])
    joined = runs.merge(values, on="run_id", how="left")
    return joined.drop(columns=[c for c in columns if c not in sampled(joined)])


def filtered(
    runs: pd.DataFrame,
    chosen: dict[str, str],
    ranges: dict[str, tuple[float, float]] | None = None,
) -> pd.DataFrame:
    """The runs whose levers have the chosen values (``EVERY``: any) and whose
    uncertainties lie in the chosen ranges (both ends included). A run's pairs share its
    uncertainties' values (the same world under every policy), so pairs stay whole."""
    keep = pd.Series(True, index=runs.index)
    for lever, value in chosen.items():
        if value != EVERY:
            keep &= runs[lever].astype(str) == value
    for column, (low, high) in (ranges or {}).items():
        keep &= runs[column].between(low, high)
    return runs[keep].reset_index(drop=True)


@solara.component
def SweepPage() -> None:
    """The sweep page (module docstring)."""
    found = solara.use_memo(sweeps, [])
    folder = solara.use_reactive(found[0] if found else "")
    chosen = solara.use_reactive({})
    ranges = solara.use_reactive({})

    def pick(value: str) -> None:
        folder.value = value
        chosen.value = {}
        ranges.value = {}

    with solara.Sidebar(), solara.Column(), solara.Card("Sweep"):
        if found:
            solara.Select("collected sweeps under results/", values=found,
                          value=folder.value if folder.value in found else None,
                          on_value=pick)  # fmt: skip
        solara.InputText("or a folder", value=folder.value, on_value=pick,
                         continuous_update=False, classes=["sweep-folder"])  # fmt: skip
    if not folder.value:
        solara.Info("No collected sweep under results/ yet: run one (make run), or type a folder.")
        return
    path = Path(folder.value)
    try:
        _, sweep = record.read_sweep(path)
    except NotASweepError as err:
        solara.Error(not_a_sweep(path, str(err)), classes=["input-error"])
        return
    cfg = record.sweep_config(path)
    runs = sweep.runs
    pairs = choose(runs, None, None, record.select(cfg, "hydra.callbacks.sweep.baseline"))
    compared = {lever for lever, _ in pairs}
    others = [lever for lever in design_levers(runs) if lever not in compared]
    with solara.Sidebar(), solara.Card("Filters: the other levers"):
        if not others:
            solara.Text("The sweep varies no other lever.")
        for lever in others:
            options = [EVERY, *sorted(runs[lever].astype(str).unique())]
            solara.Select(
                lever.removeprefix("lever_"), values=options, value=chosen.value.get(lever, EVERY),
                on_value=lambda v, k=lever: chosen.set({**chosen.value, k: v}),
            )  # fmt: skip
    runs = with_uncertainties(path, runs)
    uncertain = sampled(runs)
    if uncertain:
        with (
            solara.Sidebar(),
            solara.Card("Filters: the uncertainties sampled"),
            solara.Details("show", expand=False),
        ):
            for column in uncertain:
                low, high = float(runs[column].min()), float(runs[column].max())
                solara.SliderRangeFloat(
                    column.removeprefix(UNCERTAINTY),
                    value=ranges.value.get(column, (low, high)), min=low, max=high,
                    step=(high - low) / 100,
                    on_value=lambda v, k=column: ranges.set({**ranges.value, k: tuple(v)}),
                )  # fmt: skip
    kept = filtered(
        runs,
        {k: v for k, v in chosen.value.items() if k in others},
        {k: v for k, v in ranges.value.items() if k in uncertain},
    )
    if kept.empty:
        solara.Warning("No run has every chosen value.")
        return
    kept = kept.drop(columns=uncertain)  # the report's columns only
    shown = dataclasses.replace(sweep, runs=kept)
    comparisons = compare(kept, pairs)
    solara.Markdown(f"**{path}**: {len(kept)} of {len(runs)} done runs shown.")
    for drawing in drawings(shown, comparisons, record.policy_start(kept, cfg)):
        with solara.Card(drawing.title, classes=["sweep-figure"]):
            solara.Markdown(drawing.caption)
            try:
                solara.FigureMatplotlib(drawing.draw(), format="png", dpi=DPI)
            except (ValueError, KeyError, FileNotFoundError) as err:
                solara.Warning(f"Not drawn: {' '.join(str(err).split())}")
