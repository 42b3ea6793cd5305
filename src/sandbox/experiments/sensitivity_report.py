"""The report of a global sensitivity analysis: ``report.md`` and its figures.

What ran, how an index is called influential (the floor), a paragraph per target naming
the uncertainties that drive it, the noise shares, the Morris ranking and the Sobol
indices as tables, and the figures (``sandbox.plots.sensitivity``). Everything is read
from the indices ``sandbox.experiments.sensitivity`` computed; nothing is recomputed.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from sandbox.analysis.sensitivity import CONFIDENCE, DUMMY, LEVEL, LEVELS, ranking
from sandbox.config.params import Params
from sandbox.experiments.atomic import write_atomic
from sandbox.experiments.markdown import markdown_table
from sandbox.experiments.sensitivity import Sensitivity
from sandbox.plots.sensitivity import morris_figure, noise_figure, sobol_figure
from sandbox.units import name as outcome_name

DPI = 120
RANKED = 12  # the Morris ranking's rows in the report


def target_title(target: str, baseline: str) -> str:
    """A target in words: the baseline's level, or a regime's effect against it."""
    if target == LEVEL:
        return f"levels under {baseline}"
    return f"effect of {target} against {baseline}"


def _save(fig, path: Path) -> str:
    write_atomic(path, lambda tmp: fig.savefig(tmp, format="png", dpi=DPI))
    return path.name


def _interval(value: float, conf: float) -> str:
    return f"{value:.2f} [{value - conf:.2f}, {value + conf:.2f}]"


def sobol_table(sobol: pd.DataFrame, target: str) -> pd.DataFrame:
    """One target's total indices with their intervals: a row per factor, a column per
    outcome, an influential index marked ``*``."""
    one = sobol[sobol["target"] == target]
    text = one.apply(
        lambda r: _interval(r["ST"], r["ST_conf"]) + (" *" if r["influential"] else ""), axis=1
    )
    table = one.assign(text=text).pivot(index="factor", columns="outcome", values="text")
    table = table.reindex(
        index=list(dict.fromkeys(one["factor"])), columns=list(dict.fromkeys(one["outcome"]))
    )
    table.index.name = "uncertainty"
    return table


def drivers(sobol: pd.DataFrame, target: str) -> str:
    """Which uncertainties drive one target, in words (Sobol's influential total
    indices, the largest first, with the outcomes they drive)."""
    one = sobol[(sobol["target"] == target) & sobol["influential"]]
    if one.empty:
        return "no uncertainty rises above the floor for any headline outcome"
    parts = []
    order = one.groupby("factor")["ST"].max().sort_values(ascending=False).index
    for factor in order:
        rows = one[one["factor"] == factor].sort_values("ST", ascending=False)
        pairs = zip(rows["outcome"], rows["ST"], strict=True)
        what = ", ".join(f"{outcome_name(o)} (ST {s:.2f})" for o, s in pairs)
        parts.append(f"`{factor}` drives {what}")
    return "; ".join(parts)


def paragraph(found: Sensitivity, target: str, baseline: str) -> str:
    """The findings on one target, in words."""
    screened = found.morris[found.morris["target"] == target]
    hits = screened[screened["influential"]]
    led = hits.groupby("factor")["mu_star"].max().sort_values(ascending=False).index[:5]
    noise = found.noise[(found.noise["stage"] == "morris") & (found.noise["target"] == target)]
    share = noise["noise_share"].dropna()
    morris_text = (
        f"Morris finds {hits['factor'].nunique()} of "
        f"{screened['factor'].nunique() - 1} uncertainties above the floor for at least one "
        "headline outcome" + (f", led by {', '.join(f'`{f}`' for f in led)}" if len(led) else "")
    )
    noise_text = (
        f"replicate noise is {share.median():.0%} of the variance (median over outcomes; "
        f"{share.min():.0%} to {share.max():.0%})"
        if len(share)
        else "no outcome varies"
    )
    return (
        f"**{target_title(target, baseline).capitalize()}.** By Sobol's total indices, "
        f"{drivers(found.sobol, target)}. {morris_text}; {noise_text}."
    )


def write_report(
    folder: Path,
    found: Sensitivity,
    params: Params,
    policies: Mapping[str, Params],
    command: str,
) -> Path:
    """Write ``report.md`` and its figures in ``folder``; the report's path."""
    d = params.design
    names = list(policies)
    baseline = names[0]
    targets = [LEVEL, *names[1:]]
    morris_runs = found.runs[found.runs["stage"] == "morris"]
    sobol_runs = found.runs[found.runs["stage"] == "sobol"]
    k = morris_runs.filter(like="u_").shape[1]
    seconds = found.runs["wall_seconds"].sum()
    failed = int((found.runs["status"] != "ok").sum())
    lines = [
        "# Global sensitivity of the regimes' effects",
        "",
        f"Command: `{command or 'sandbox-run -m experiment=sensitivity'}`",
        "",
        f"{params.region.name} region, {params.citizens.n:,} citizens, to {params.horizon.end}, "
        f"seed {params.seed}; design seed {d.seed}; {d.replicates} replicates per point; "
        f"policies {', '.join(names)} (baseline {baseline}), branched from one history per "
        f"point and replicate. {len(found.runs):,} runs ({failed} failed), "
        f"{seconds / 3600:.2f} core-hours in the model.",
        "",
        f"- **Morris screening**: {d.samples} trajectories of {LEVELS} levels over {k - 1} "
        f"uncertainties and the `{DUMMY}` ({morris_runs['point'].nunique()} points).",
        f"- **Sobol indices** (first and total order, Saltelli's sample without second order): "
        f"N = {d.sobol_samples} over the {len(found.chosen)} uncertainties Morris ranks first "
        f"({', '.join(f'`{c}`' for c in found.chosen)}) and the `{DUMMY}` "
        f"({sobol_runs['point'].nunique()} points); the other uncertainties keep their "
        "declared defaults.",
        "",
        "Outcomes: the headline outcomes' levels under the baseline, and each regime's "
        "paired effect (its outcome minus the baseline's at the same point and replicate). "
        "Indices are computed on the mean of a point's replicates.",
        "",
        f"**The floor.** `{DUMMY}` is a factor the model never reads; its index is what an "
        "inert uncertainty scores from replicate noise and the finite sample (each point's "
        "replicates draw streams of their own, so chance is independent between points). "
        f"The floor is the upper bound of the dummy's {CONFIDENCE:.0%} bootstrap interval "
        "(its index plus SALib's `conf`), and an uncertainty is *influential* for an outcome "
        "when the lower bound of its own interval lies above it (the two intervals do not "
        "overlap): Morris's μ*, Sobol's total index ST (the floor at least 0). The replicate "
        "noise is reported as its share of the variance: the mean over points of the "
        "variance between a point's replicates, over the variance of all runs.",
        "",
        "## Findings",
        "",
    ]
    lines += [paragraph(found, t, baseline) + "\n" for t in targets]
    noise = found.noise[found.noise["stage"] == "morris"].pivot(
        index="outcome", columns="target", values="noise_share"
    )
    noise = noise.reindex(index=list(dict.fromkeys(found.noise["outcome"])), columns=targets).map(
        lambda v: "–" if pd.isna(v) else f"{v:.0%}"
    )
    lines += [
        "## Replicate noise (Morris design)",
        "",
        "Share of each target's variance between replicates of the same point "
        "(– : the target does not vary).",
        "",
        markdown_table(noise),
        "",
    ]
    ranked = ranking(found.morris).head(RANKED)
    ranked.loc[DUMMY] = [0, float("nan")]
    lines += [
        "## Morris ranking",
        "",
        "The uncertainties Morris ranks first: in how many (target, outcome) pairs each is "
        "influential, and its mean μ* over them, each pair's largest taken as 1. "
        "The floor is the dummy's μ* plus its interval's half-width (median over pairs "
        f"{found.morris.loc[found.morris['factor'] == DUMMY, 'floor'].median():.3g}).",
        "",
        markdown_table(ranked.rename_axis("uncertainty").round(3)),
        "",
        "## Sobol total indices",
        "",
        "ST [interval] per uncertainty and outcome; `*` influential (its lower bound above "
        "the floor).",
        "",
    ]
    for target in targets:
        if found.sobol.empty or target not in set(found.sobol["target"]):
            continue
        floor = found.sobol[found.sobol["target"] == target].groupby("outcome")["floor"].first()
        lines += [
            f"### {target_title(target, baseline).capitalize()}",
            "",
            markdown_table(sobol_table(found.sobol, target)),
            "",
            "Floor (the dummy's ST plus its half-width): "
            + ", ".join(f"{outcome_name(o)} {v:.2f}" for o, v in floor.items()),
            "",
        ]
    lines += ["## Figures", ""]
    figure = noise_figure(
        found.noise[found.noise["stage"] == "morris"], "Replicate noise's share of variance"
    )
    lines.append(f"![noise]({_save(figure, folder / 'noise.png')})")
    for i, target in enumerate(targets):
        title = target_title(target, baseline)
        if target in set(found.morris.get("target", [])):
            fig = morris_figure(found.morris, target, f"Morris μ*–σ: {title}")
            lines.append(f"![morris {title}]({_save(fig, folder / f'morris_{i}_{target}.png')})")
        if target in set(found.sobol.get("target", [])):
            fig = sobol_figure(found.sobol, target, f"Sobol indices: {title}")
            lines.append(f"![sobol {title}]({_save(fig, folder / f'sobol_{i}_{target}.png')})")
    path = folder / "report.md"
    write_atomic(path, lambda tmp: tmp.write_text("\n".join(lines) + "\n", encoding="utf-8"))
    return path
