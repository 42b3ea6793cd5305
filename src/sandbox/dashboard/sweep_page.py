"""The sweep page: any collected sweep, drawn with the report's own figures
(``sandbox.experiments.report_figures``), the levers it does not compare as filters.

A folder is chosen from those under ``results/`` that hold a collected sweep
(``runs.parquet``), or typed. One that is not a sweep gets the paragraph
``sandbox-report`` gives, in the page.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import solara

from sandbox.analysis import design_levers
from sandbox.experiments import sweep_record as record
from sandbox.experiments.report import not_a_sweep
from sandbox.experiments.report_comparisons import choose, compare
from sandbox.experiments.report_figures import drawings
from sandbox.experiments.sweep_record import NotASweepError

RESULTS = Path("results")  # under the working directory
EVERY = "(every value)"
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


def filtered(runs: pd.DataFrame, chosen: dict[str, str]) -> pd.DataFrame:
    """The runs whose levers have the chosen values (``EVERY``: any)."""
    keep = pd.Series(True, index=runs.index)
    for lever, value in chosen.items():
        if value != EVERY:
            keep &= runs[lever].astype(str) == value
    return runs[keep].reset_index(drop=True)


@solara.component
def SweepPage() -> None:
    """The sweep page (module docstring)."""
    found = solara.use_memo(sweeps, [])
    folder = solara.use_reactive(found[0] if found else "")
    chosen = solara.use_reactive({})

    def pick(value: str) -> None:
        folder.value = value
        chosen.value = {}

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
    kept = filtered(runs, {k: v for k, v in chosen.value.items() if k in others})
    if kept.empty:
        solara.Warning("No run has every chosen value.")
        return
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
