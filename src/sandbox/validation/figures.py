"""Published figures (``configs/targets/``) against runs of the model: one ``CheckResult``
per figure and scenario.

A figure's tolerance is the one its file declares, applied as stated: the check passes
when ``|model - value| <= tolerance``, where ``model`` is the figure's expression over
the replicates (``sandbox.calibration.targets.Expression.pooled``: a metric's mean, a
share's pooled ratio, an order's share of pairs in the published order). A figure with
``metric: null`` is reported as not modelled: neither passed nor failed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sandbox.calibration.targets import DEFAULT, Target, load_figures
from sandbox.errors import ConfigError
from sandbox.model.model import SandboxModel
from sandbox.validation.result import CheckResult
from sandbox.validation.scenarios import compose, options


def read(source: str | Path = DEFAULT) -> tuple[Target, ...]:
    """Every figure of a targets file (a name in ``configs/targets/`` or a path), checked
    to be observable: modelled figures at months the history covers, scenarios that
    compose.

    Raises:
        ConfigError: the file is missing or malformed, or a figure cannot be observed.
    """
    if not _exists(source):
        raise ConfigError("--targets", str(source), "the path of a .yaml file, or a name in "
                          f"configs/targets/: {', '.join(options('targets'))}")  # fmt: skip
    figures = load_figures(source)
    if not figures:
        raise ConfigError("--targets", str(source), "a targets file with at least one figure")
    start = compose().horizon.start
    for t in figures:
        if t.modelled and t.month < start:
            raise ConfigError(f"{source}: {t.name} month", t.month, f"a month from {start} on")
        for scenario in t.scenarios:
            try:
                compose(*scenario.split())
            except Exception as err:  # Hydra's own errors: a bad group option or key
                raise ConfigError(
                    f"{source}: {t.name} scenarios", scenario, f"sandbox-run overrides ({err})"
                ) from None
    return figures


def _exists(source: str | Path) -> bool:
    """Whether ``source`` names a targets file: a path with a suffix, else a name."""
    path = Path(source)
    return path.is_file() if path.suffix else str(source) in options("targets")


def label(scenario: str) -> str:
    """A scenario's short name: the values of its overrides (``controlled_pilot``)."""
    return "_".join(o.split("=", 1)[-1] for o in scenario.split()) or "history"


def columns(figures: list[Target]) -> list[str]:
    """The metrics the modelled ``figures`` read, and ``provinces``."""
    names = {m for t in figures if t.modelled for m in t.expression.metrics}
    return sorted(names | {"provinces"})


def observe(job: tuple) -> pd.DataFrame:
    """One run's ``columns`` at ``months`` (``job``: params, months, columns), by month."""
    params, months, wanted = job
    frame = SandboxModel(params).run().set_index("month")
    return frame.loc[list(months), list(wanted)]


def _claim(t: Target, scenario: str) -> str:
    where = f"{t.figure}, {t.month}" + (f" under {scenario}" if scenario else "")
    kind = t.expression.kind if t.modelled else "metric"
    if kind == "order":
        return f"{where}: the model's counts in the published order"
    if kind == "share":
        return f"{where}: a share of {t.value:g}" + (f" (of {t.out_of})" if t.out_of else "")
    return f"{where}: {t.value:g}" + (f" of {t.out_of}" if t.out_of is not None else "")


def _condition(t: Target) -> str:
    return f"|model - {t.value:g}| <= {t.tolerance:g}"


def _common(t: Target, scenario: str) -> dict[str, object]:
    return {
        "month": t.month,
        "metric": t.metric,
        "target": t.value,
        "out_of": t.out_of,
        "scenario": scenario or "default history",
        "use": t.use,
        "sets": t.sets or None,
        "mapping": t.mapping,
        "tolerance_why": t.tolerance_why,
        "source": t.source,
    }


def not_modelled(t: Target, family: str, name: str, scenario: str = "") -> CheckResult:
    """The result of a figure today's model has no metric for: neither passed nor failed."""
    return CheckResult(
        family=family,
        name=name,
        claim=_claim(t, scenario),
        value=float("nan"),
        condition=f"{_condition(t)} (once modelled)",
        numbers={**_common(t, scenario), "status": t.status},
        target=float(t.value),
        tolerance=t.tolerance,
        use=t.use,
        modelled=False,
    )


def compare(
    t: Target, frames: list[pd.DataFrame], family: str, name: str, scenario: str = ""
) -> CheckResult:
    """Figure ``t`` against ``frames`` (one per replicate, indexed by month).

    The model's figure is ``t.expression.pooled`` over the replicates' rows at
    ``t.month``; sd and 5-95% are those of each replicate's own value.
    """
    if not t.modelled:
        return not_modelled(t, family, name, scenario)
    expression = t.expression
    rows = pd.DataFrame([f.loc[t.month] for f in frames]).reset_index(drop=True)
    model = expression.pooled(rows)
    each = np.array([expression.each(row) for _, row in rows.iterrows()], dtype=float)
    finite = each[np.isfinite(each)]
    sd = float(np.std(finite, ddof=1)) if len(finite) > 1 else 0.0
    lo, hi = (float(q) for q in np.quantile(finite, [0.05, 0.95])) if len(finite) else (None,) * 2
    problems = []
    if not t.passes(model):
        problems.append(
            f"model {model:.4g} is {model - t.value:+.4g} from the published {t.value:g} "
            f"(tolerance {t.tolerance:g})"
            if np.isfinite(model)
            else f"the model gives no value ({' / '.join(expression.metrics)} is 0)"
        )
    provinces = rows["provinces"].unique() if "provinces" in rows else []
    counts_provinces = expression.kind == "metric" and expression.metrics[0].startswith("provinces")
    if counts_provinces and t.out_of is not None and list(provinces) != [t.out_of]:
        problems.append(
            f"the model has {', '.join(f'{p:g}' for p in provinces)} provinces in {t.month}, "
            f"the figure counts out of {t.out_of}"
        )
    return CheckResult(
        family=family,
        name=name,
        claim=_claim(t, scenario),
        value=model,
        condition=_condition(t),
        numbers={
            **_common(t, scenario),
            "model": model,
            "difference": model - t.value,
            "sd": sd,
            "5%": lo,
            "95%": hi,
            "replicates": len(frames),
        },
        problems=tuple(problems),
        target=float(t.value),
        tolerance=t.tolerance,
        use=t.use,
    )
