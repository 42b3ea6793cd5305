"""The report of a robustness analysis: ``report.md`` and its PNG figures, in the design's
folder.

It opens with a summary in words (per headline outcome, the policy best in the most
futures, with its share, and the minimax-regret choice; then what PRIM found), then the
tables (best shares, mean and 90th-percentile regret, the minimax-regret ranking), PRIM's
boxes with their coverage and density, and how to load the EMA Workbench export. It reads
the tables of ``sandbox.experiments.robustness`` and recomputes nothing.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sandbox.analysis.discovery import QP_MAX, Box, boxes_table
from sandbox.analysis.regret import TIE_RTOL, direction
from sandbox.config.params import Params
from sandbox.config.params.design import DesignParams
from sandbox.experiments.atomic import write_atomic
from sandbox.experiments.markdown import markdown_table
from sandbox.experiments.provenance import code_fingerprint
from sandbox.plots import robustness as figures

REPORT = "report.md"
SHARE_TIE = 1e-9  # best shares this close tie for "best most often"


def _fmt(x: float) -> str:
    if pd.isna(x):
        return "–"
    return f"{x:,.3g}" if abs(x) < 1000 else f"{x:,.0f}"


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def summary_lines(table: pd.DataFrame) -> list[str]:
    """One sentence per outcome: the policy best most often (ties said) and the
    minimax-regret choice."""
    lines = []
    for outcome, rows in table.groupby("outcome", sort=False):
        rows = rows.set_index("policy")
        n, ties = int(rows["futures"].iloc[0]), int(rows["ties"].iloc[0])
        top = rows["best_share"].max()
        leaders = list(rows.index[rows["best_share"] >= top - SHARE_TIE])
        better = direction(outcome)
        if ties == n and len(leaders) == len(rows):
            best = f"every policy ties in every one of the {n} futures"
        elif len(leaders) > 1:
            best = f"{_names(leaders)} tie as best most often, each in {top:.0%} of {n} futures"
        else:
            best = f"{leaders[0]} is best most often, in {top:.0%} of {n} futures"
        choice = rows["minimax_rank"].idxmin()
        worst = rows.loc[choice, "regret_max"]
        same = rows[["regret_max", "regret_mean"]].nunique().max() == 1
        minimax = (
            f"every policy has the same regret (largest {_fmt(worst)}), so no minimax-regret choice"
            if same
            else f"the minimax-regret choice is **{choice}** (largest regret {_fmt(worst)})"
        )
        lines.append(
            f"- **{outcome}** ({better} is better): {best}"
            + (f" ({ties} with a tie, split)" if 0 < ties < n else "")
            + f"; {minimax}."
        )
    return lines


def prim_summary(design: DesignParams, baseline: str, interest: pd.Series, boxes: list[Box]) -> str:
    """What PRIM found, in one sentence."""
    k, n = int(interest.sum()), len(interest)
    what = (
        f"Scenario discovery: {design.prim_policy} beats {baseline} on {design.prim_outcome} "
        f"by more than {design.prim_margin:g} in {k} of {n} futures"
    )
    if not boxes:
        return f"{what}; PRIM found no box that explains them."
    first = boxes[0]
    limits = "; ".join(
        f"`{row.uncertainty}` {_fmt(row.lo)} to {_fmt(row.hi)}" for row in first.limits.itertuples()
    )
    return (
        f"{what}; PRIM's first box ({limits}) holds {first.coverage:.0%} of them, and "
        f"{first.density:.0%} of the futures in it are such futures."
    )


def _wide(table: pd.DataFrame, column: str, percent: bool = False) -> pd.DataFrame:
    wide = table.pivot(index="outcome", columns="policy", values=column)
    wide = wide.reindex(index=pd.unique(table["outcome"]), columns=pd.unique(table["policy"]))
    return wide.map(lambda v: f"{v:.0%}" if percent else _fmt(v))


def _prim_lines(
    design: DesignParams, baseline: str, interest: pd.Series, boxes: list[Box], folder: Path
) -> list[str]:
    n, k = len(interest), int(interest.sum())
    head = (
        f"In which region of the uncertainties does **{design.prim_policy}** beat "
        f"**{baseline}** on **{design.prim_outcome}** by more than {design.prim_margin:g} "
        f"(`design.prim_policy`, `design.prim_outcome`, `design.prim_margin`; means over "
        f"each future's replicates)? It does in **{k} of {n} futures**."
    )
    lines = ["## Scenario discovery (PRIM)", "", head, ""]
    for stale in folder.glob("prim_*.png"):  # an earlier report's boxes
        stale.unlink()
    if not boxes:
        why = (
            "no future is of interest"
            if k == 0
            else "every future is of interest"
            if k == n
            else f"no restriction of the uncertainties with a quasi-p-value of at most "
            f"{QP_MAX:g} makes a box denser than the futures it was sought among"
        )
        lines += [f"No box: {why}.", ""]
        return lines
    lines += [
        "PRIM's inputs are the uncertainty values the runs used (fitted parameters by the "
        "values of the posterior particle drawn, a list by its coordinate `u_<key>`). Each "
        "box is the densest on its peeling trajectory whose coverage is at least "
        f"{design.prim_coverage:g} (`design.prim_coverage`, scaled for later boxes to the "
        "futures of interest left), less the restrictions whose quasi-p-value is above "
        f"{QP_MAX:g}, dropped one at a time. Coverage: the share of all futures of interest inside "
        "the box; density: the share of the box's futures that are of interest; mass: the "
        "share of all futures in the box; qp: PRIM's quasi-p-value of a restricted side.",
        "",
    ]
    rows = boxes_table(boxes).set_index(["box", "uncertainty"])
    lines += [markdown_table(rows.map(lambda v: _fmt(v) if isinstance(v, float) else v)), ""]
    for i, box in enumerate(boxes, start=1):
        names = ", ".join(f"`{u}`" for u in box.limits["uncertainty"]) or "nothing"
        lines.append(
            f"- Box {i}: coverage {box.coverage:.2f}, density {box.density:.2f} "
            f"({box.of_interest} of its {box.futures} futures), restricting {names}."
        )
        title = f"{design.prim_policy} beats {baseline} on {design.prim_outcome}: box {i}"
        _save(figures.prim_box(box, title), folder / f"prim_box_{i}.png")
        _save(figures.prim_trajectory(box, f"Peeling trajectory of box {i}"),
              folder / f"prim_trajectory_{i}.png")  # fmt: skip
        lines += ["", f"![box {i}](prim_box_{i}.png)"]
        lines += [f"![trajectory {i}](prim_trajectory_{i}.png)"]
    return [*lines, ""]


def _save(fig, path: Path) -> None:
    write_atomic(path, lambda tmp: fig.savefig(tmp, format="png", dpi=110))


def write_report(
    folder: Path,
    params: Params,
    runs: pd.DataFrame,
    table: pd.DataFrame,
    interest: pd.Series,
    boxes: list[Box],
    export: Path,
    command: str = "",
) -> Path:
    """Write ``report.md`` and its figures into ``folder``; the report's path."""
    folder = Path(folder)
    d = params.design
    policies = list(pd.unique(runs["policy"]))
    done = int((runs["status"] == "ok").sum())
    _save(figures.best_shares(table), folder / "best_shares.png")
    _save(figures.regrets(table), folder / "regret.png")
    lines = [
        "# Robustness of the regimes across sampled futures",
        "",
        f"{d.samples} futures sampled from the uncertainties (a Latin hypercube, seed "
        f"{d.seed}), {d.replicates} replicates each, {len(policies)} policies "
        f"({', '.join(policies)}; the baseline {policies[0]}), {params.citizens.n:,} "
        f"citizens, {params.horizon.end}: {done} of {len(runs)} runs done. A policy's "
        "outcome in a future is the mean over its replicates.",
        "",
        "## Summary",
        "",
        *summary_lines(table),
        "",
    ]
    prim = _prim_lines(d, policies[0], interest, boxes, folder)
    lines += [
        prim_summary(d, policies[0], interest, boxes),
        "",
        "## Best share",
        "",
        "The share of the futures in which each policy is best (ties split: when k "
        f"policies share the best value, equal to a relative {TIE_RTOL:g}, each gets 1/k; "
        "`ties` counts such futures).",
        "",
        markdown_table(
            _wide(table, "best_share", percent=True).join(
                table.groupby("outcome", sort=False)[["futures", "ties"]].first()
            )
        ),
        "",
        "![best shares](best_shares.png)",
        "",
        "## Regret",
        "",
        "A policy's regret in a future: how far it falls short of that future's best policy, "
        "in the outcome's unit and bad direction (0 for the best). Mean over the futures:",
        "",
        markdown_table(_wide(table, "regret_mean")),
        "",
        "90th percentile over the futures:",
        "",
        markdown_table(_wide(table, "regret_p90")),
        "",
        "![regret](regret.png)",
        "",
        "## Minimax-regret ranking",
        "",
        "Policies ranked by their largest regret over the futures (1: smallest); ties broken "
        "by the mean regret, then the larger best share, then the order of `design.policies`.",
        "",
        markdown_table(_wide(table, "minimax_rank").map(lambda v: v.split(".")[0])),
        "",
        *prim,
        "## Data",
        "",
        "- Runs: `runs.parquet` (one row per future, replicate and policy); the robustness "
        "table `robustness.parquet`; PRIM's inputs `prim_futures.parquet` and boxes "
        "`prim_boxes.parquet`.",
        f"- EMA Workbench: `{export.name}`, one experiment per future and policy, for its "
        "other analyses (feature scoring, dimensional stacking, CART):",
        "",
        "```python",
        "from ema_workbench import load_results",
        f'experiments, outcomes = load_results("{export.name}")',
        "```",
        "",
        "## Provenance",
        "",
        f"- Command: `{command or '(not recorded)'}`",
        f"- Folder: `{folder}`",
        f"- Seed of the runs: {params.seed}; code: {code_fingerprint()}",
        "",
    ]
    path = folder / REPORT
    text = "\n".join(lines)
    write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return path
