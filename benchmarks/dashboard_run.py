"""The dashboard's *Run to 2030-12* at its default size, step by step (run on demand).

Times what the server does between the click and the panels' images, without a browser:
branching the paired runs from the stored histories (``PairedRun``), simulating them to
the horizon, and drawing each panel as PNG (``sandbox.dashboard.panels``), for a regime
against the status quo. The histories are computed first, once, as the dashboard's first
page does, and are not timed. The first timed run simulates both arms; the later ones find
each world's status quo finished and kept (``sandbox.dashboard.paired.keep``), as every
run after the first does in the dashboard, and simulate the regime's arm alone. The target:
the whole under 2 s (docs/dashboard.md; the browser adds the transfer, which
``tests/test_dashboard_browser.py`` prints).

Usage: python benchmarks/dashboard_run.py [REPEATS] [POLICY]   (3, controlled_pilot)
"""

from __future__ import annotations

import sys
import tempfile
import time

from sandbox.dashboard import panels
from sandbox.dashboard.paired import PairedRun

FIGURES = {
    "over time": lambda m, month: panels.over_time_figure(m, month),
    "difference": lambda m, month: panels.difference_figure(m, month),
    "map": lambda m, month: panels.map_figure(m, month, panels.MAP_OUTCOMES[0]),
    "funnel": panels.funnel_figure,
    "money": panels.money_figure,
}


def main(repeats: int, policy: str) -> None:
    with tempfile.TemporaryDirectory() as store:
        PairedRun(store=store, policy=policy)  # the histories, computed once (not timed)
        for _ in range(repeats):
            times = {}
            start = time.perf_counter()
            model = PairedRun(store=store, policy=policy)
            times["branch"] = time.perf_counter() - start
            t = time.perf_counter()
            model.run_to_end()
            times["simulate"] = time.perf_counter() - t
            for name, draw in FIGURES.items():
                t = time.perf_counter()
                panels.png(draw(model, model.month))
                times[name] = time.perf_counter() - t
            total = time.perf_counter() - start
            parts = ", ".join(f"{k} {v:.2f}" for k, v in times.items())
            print(f"{len(model.pairs)} worlds x 2 arms to {model.month}: {total:.2f} s ({parts})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3, sys.argv[2] if len(sys.argv) > 2 else
         "controlled_pilot")  # fmt: skip
