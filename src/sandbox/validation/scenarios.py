"""Scenarios for the checks, composed from ``configs/`` as ``sandbox-run`` composes them,
and the loop that runs them over replicates (in parallel with joblib)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence

from joblib import Parallel, delayed

from sandbox.config.compose import compose
from sandbox.config.meta import with_values
from sandbox.config.overrides import group_options
from sandbox.config.params import Params
from sandbox.config.paths import CONFIG_DIR


def options(group: str) -> list[str]:
    """The options of a config group (``policy``, ``resources``, ``data``, ``targets``)."""

    return group_options(CONFIG_DIR, group)


def with_mechanisms(params: Params, policy: str, resources: str, data: str) -> Params:
    """``params`` under the options ``policy=``, ``resources=`` and ``data=``.

    Each option's file sets keys of its own section only, so its section is composed once
    (13 compositions serve the 72 combinations) and put in place; values of those sections
    given as overrides (``policy.start``) must be set again after; ``sandbox-run`` with the
    same overrides composes the same scenario (``tests/test_validate.py`` checks it).
    """
    return dataclasses.replace(
        params,
        policy=compose(f"policy={policy}").policy,
        resources=compose(f"resources={resources}").resources,
        data=compose(f"data={data}").data,
    )


def replicates(params: Params, n: int) -> list[Params]:
    """``params`` as replicates ``0 .. n-1`` (replicate ``r`` is the same random world
    under every scenario, so runs pair on it)."""
    return [dataclasses.replace(params, replicate=r) for r in range(n)]


def without_incidents(params: Params) -> Params:
    """``params`` with every domain's incident risk set to zero."""
    fields = dataclasses.fields(params.domains)
    return with_values(params, {f"domains.{f.name}.incident_risk": 0.0 for f in fields})


def run_all[T, R](task: Callable[[T], R], items: Iterable[T], jobs: int) -> list[R]:
    """``[task(item) for item in items]``, on ``jobs`` processes when ``jobs`` > 1.

    ``task`` must be a module-level function (the workers import it).
    """
    items = list(items)
    if jobs == 1 or len(items) < 2:
        return [task(item) for item in items]
    return list(Parallel(n_jobs=jobs)(delayed(task)(item) for item in items))


def chunks[T](items: Sequence[T], n: int) -> list[list[T]]:
    """``items`` split into ``n`` consecutive lists of equal length."""
    size = len(items) // n
    return [list(items[i * size : (i + 1) * size]) for i in range(n)]
