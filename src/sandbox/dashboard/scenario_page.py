"""The scenario page: controls from the declarations, Mesa's play/step/reset, and panels
of the chosen scenario against the status quo on the same random worlds.

Data flows one way: the controls set ``choices``; a valid set of choices is what Mesa's
``ModelController`` (re)creates the ``PairedRun`` from (Reset) and what "Run to the
horizon" runs; the panels read the model at the month shown.
"""

from __future__ import annotations

from typing import Any

import solara
from mesa.visualization.solara_viz import ModelController
from mesa.visualization.utils import force_update, update_counter

from sandbox.dashboard import controls as declared
from sandbox.dashboard import panels
from sandbox.dashboard.paired import PairedRun, arms
from sandbox.dashboard.typed import parse
from sandbox.errors import ConfigError

PLAY_MS = 50  # Mesa's play interval: the pause between steps
RENDER = 6  # months a step makes (drawing the panels costs more than a month's simulation)


@solara.component
def ControlView(control: declared.Control, value: Any, on_value) -> None:
    """One control, as its kind asks."""
    if control.kind == "choice":
        solara.Select(control.label, values=list(control.values), value=value, on_value=on_value)
    elif control.kind == "flag":
        solara.Checkbox(label=control.label, value=bool(value), on_value=on_value)
    elif control.kind == "int":
        solara.SliderInt(control.label, value=int(value), min=int(control.low),
                         max=int(control.high), step=int(control.step or 1),
                         on_value=on_value, tick_labels=False)  # fmt: skip
    else:
        solara.SliderFloat(control.label, value=float(value), min=control.low,
                           max=control.high, step=control.step, on_value=on_value,
                           thumb_label="always")  # fmt: skip


def _error(err: Exception) -> str:
    return str(err) if isinstance(err, ConfigError) else f"{type(err).__name__}: {err}"


@solara.component
def ScenarioPage() -> None:
    """The scenario page (module docstring)."""
    choices = solara.use_reactive(declared.initial_choices())
    valid = solara.use_reactive(dict(choices.value))  # what the model is created from
    typed = solara.use_reactive("")
    error = solara.use_reactive("")
    model = solara.use_reactive(solara.use_memo(lambda: PairedRun(**valid.value), []))
    shown = solara.use_reactive("")  # the month shown ('' for the last simulated)
    busy = solara.use_reactive(False)
    # Mesa's controller: a month every PLAY_MS, the panels redrawn every RENDER months
    play = solara.use_reactive(PLAY_MS)
    render = solara.use_reactive(RENDER)
    threads = solara.use_reactive(False)

    def choose(key: str, value: Any) -> None:
        new = {**choices.value, key: value}
        if key == "policy":  # the regime's own levers, from its option's values
            new.update({c.key: c.value for c in declared.regime_levers(value)})
        choices.value = new
        accept(new, typed.value)

    def accept(new: dict, text: str) -> None:
        try:
            merged = {**new, **parse(text)}
            arms(merged)  # every check the model makes, before it is made
        except ConfigError as err:
            error.value = _error(err)
            return
        error.value = ""
        valid.value = merged

    def on_typed(text: str) -> None:
        typed.value = text
        accept(choices.value, text)

    def run_to_end() -> None:
        if error.value:
            return
        busy.value = True
        try:
            fresh = PairedRun(**valid.value)
            fresh.run_to_end()
            model.value = fresh
            shown.value = ""
        except (ConfigError, OSError) as err:
            error.value = _error(err)
        finally:
            busy.value = False
            force_update()

    with solara.AppBarTitle():
        solara.Text("sandbox: a scenario against the status quo")
    with solara.Sidebar(), solara.Column():
        with solara.Card("Run"):
            solara.Button(
                f"Run to {valid.value[declared.HORIZON]}", color="primary", on_click=run_to_end,
                disabled=bool(error.value) or busy.value, classes=["run-button"],
            )  # fmt: skip
            ModelController(model, model_parameters=valid, play_interval=play,
                            render_interval=render, use_threads=threads)  # fmt: skip
            solara.SliderInt("months per step (and between redraws while playing)",
                             value=render, min=1, max=12)  # fmt: skip
            if error.value:
                solara.Error(error.value, classes=["input-error"])
        with solara.Card("Scenario"):
            for c in (*declared.mechanisms(), *declared.run_controls()):
                ControlView(c, choices.value[c.key], lambda v, k=c.key: choose(k, v))
        levers = declared.regime_levers(choices.value["policy"])
        with solara.Card(f"Levers of {choices.value['policy']}"):
            if not levers:
                solara.Text("The status quo has no levers of its own.")
            else:
                with solara.Details("show", expand=False):
                    for c in levers:
                        ControlView(c, choices.value[c.key], lambda v, k=c.key: choose(k, v))
        with solara.Card("Main uncertainties (sourced ranges)"), solara.Details("show"):
            for c in declared.main_uncertainties():
                ControlView(c, choices.value[c.key], lambda v, k=c.key: choose(k, v))
        with solara.Card("Other values"):
            solara.InputText(
                "key=value, as on the command line", value=typed.value, on_value=on_typed,
                continuous_update=False, classes=["typed-values"],
            )  # fmt: skip
    Panels(model.value, shown)


@solara.component
def Panels(model: PairedRun, shown: solara.Reactive[str]) -> None:
    """The month slider and the panels of ``model`` at the month shown."""
    update_counter.get()  # drawn again after each step of Mesa's controller (same model)
    months = list(model.months[: model.month_index])
    month = shown.value if shown.value in months else months[-1]
    outcome = solara.use_reactive(panels.MAP_OUTCOMES[0])
    outcomes = solara.use_reactive(list(panels.OUTCOMES[: panels.SHOWN]))
    with solara.Column():
        solara.Markdown(
            f"**{model.label}** against the **status quo** (no legal corridor, central "
            f"budget, fragmented data) on {len(model.pairs)} paired random worlds, "
            f"branched at {model.start_month}. Simulated to **{model.month}**; shown: "
            f"**{month}**."
        )
        with solara.Div(classes=["month-slider"]):
            solara.SliderInt(
                f"month shown: {month}", value=months.index(month), min=0,
                max=len(months) - 1, on_value=lambda i: shown.set(months[i]),
            )  # fmt: skip
        solara.SelectMultiple("outcomes", all_values=list(panels.OUTCOMES),
                              values=outcomes.value, on_value=outcomes.set)  # fmt: skip
        chosen = [o for o in panels.OUTCOMES if o in outcomes.value] or [panels.OUTCOMES[0]]
        panels.OverTime(model, month, chosen)
        with solara.Columns([3, 2]):
            panels.Difference(model, month, chosen)
            with solara.Column():
                solara.Select("map outcome", values=list(panels.MAP_OUTCOMES),
                              value=outcome.value, on_value=outcome.set)  # fmt: skip
                panels.Map(model, month, outcome.value)
        with solara.Columns([1, 1]):
            panels.Funnel(model, month)
            panels.Money(model, month)
