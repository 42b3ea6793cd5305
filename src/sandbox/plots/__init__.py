"""Figures from the tidy tables of ``sandbox.analysis``; each function returns a Figure.

Matplotlib ``Figure`` objects made without ``pyplot`` (render with ``fig.savefig``; Agg is
used, and Jupyter shows them inline), labelled with metric names and the units of
``sandbox.units``, coloured with the Okabe-Ito palette (each regime its own colour). No
CI band or bar is drawn from fewer than 3 runs, nor one of zero width; the figure says so.

- ``outcome_over_time``: a metric by month per policy, CI bands, historical targets,
  the policy start (``summary_over_time``: the same from a summary over time, as
  ``sandbox.analysis.sweep_over_time`` reads it from a large sweep);
- ``policy_comparison``: paired differences from a baseline with CIs, a panel per outcome;
- ``tradeoff_frontier``: adoption speed (months to 60% of the services deployed) against
  harm and cost, 95% CI bars, non-dominated designs ringed;
- ``province_heatmap``: provinces x months of deployed services for one run
  (``sandbox.analysis.province_matrix`` of ``provinces.parquet``), provinces off a
  month's map hatched;
- ``province_map``: the provinces (the 34 units after the merger) coloured by a value;
- ``sandbox_funnel``: the sandbox's applications to graduations so far, by group of runs;
- ``money_per_year``: public (central, local) and private money per year, by group of runs;
- ``lever_response``, ``phasing``, ``alignment``: outcomes against an experiment's levers;
- ``ablation``: each regime's difference from the baseline with one mechanism off at a time;
- ``robustness``: a robustness analysis's best shares and regrets per outcome, and PRIM's
  boxes (``robustness.best_shares``, ``regrets``, ``prim_trajectory``, ``prim_box``);
- ``sensitivity``: a sensitivity analysis's Morris μ*-σ planes, Sobol bars with the floor
  and replicate noise shares (``sensitivity.morris_figure``, ``sobol_figure``,
  ``noise_figure``).

``differences`` draws paired differences (shared by the comparison and ablation figures);
``style`` holds the palette, grids and labels.
"""

from sandbox.plots import robustness, sensitivity
from sandbox.plots.ablation import ablation
from sandbox.plots.comparison import policy_comparison
from sandbox.plots.experiments import alignment, lever_response, phasing
from sandbox.plots.frontier import tradeoff_frontier
from sandbox.plots.funnel import sandbox_funnel
from sandbox.plots.heatmap import province_heatmap
from sandbox.plots.money import money_per_year
from sandbox.plots.province_map import province_map
from sandbox.plots.timeseries import outcome_over_time, summary_over_time

__all__ = [
    "ablation",
    "alignment",
    "lever_response",
    "money_per_year",
    "outcome_over_time",
    "phasing",
    "policy_comparison",
    "province_heatmap",
    "province_map",
    "robustness",
    "sandbox_funnel",
    "sensitivity",
    "summary_over_time",
    "tradeoff_frontier",
]
