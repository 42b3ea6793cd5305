"""The dashboard's app: two pages, served by ``solara run sandbox.dashboard.app``
(``make dashboard``; docs/dashboard.md).

* ``/``: a scenario against the status quo (``sandbox.dashboard.scenario_page``);
* ``/sweep``: a collected sweep (``sandbox.dashboard.sweep_page``).
"""

from __future__ import annotations

import matplotlib
import solara

from sandbox.dashboard.scenario_page import ScenarioPage
from sandbox.dashboard.sweep_page import SweepPage

matplotlib.use("Agg")  # figures are drawn to PNG; no window, no interactive backend

routes = [
    solara.Route(path="/", component=ScenarioPage, label="Scenario"),
    solara.Route(path="sweep", component=SweepPage, label="Sweep"),
]
