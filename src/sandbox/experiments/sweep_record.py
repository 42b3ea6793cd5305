"""What a sweep folder records about itself: its tables, its command, its config, its code.

Read by ``sandbox.experiments.report``. The tables are ``runs.parquet`` and
``timeseries.parquet`` (``sandbox-collect``); the command and config are in the
``multirun.yaml`` Hydra saves in the sweep folder (``hydra.overrides.task`` is the command
line's overrides, ``hydra.sweeper.params`` the experiment's sweep); Python and library
versions are in each run's ``manifest.json``. A folder copied without its run folders or
``multirun.yaml`` (such as the stored tables of the tests) still has its tables.
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import yaml

from sandbox.analysis import SweepTables
from sandbox.config.paths import CONFIG_DIR
from sandbox.experiments.store import load_saved

MULTIRUN = "multirun.yaml"
TABLES = ("runs.parquet", "timeseries.parquet")
# runs.parquet's columns the report does not read (half its width), but these settings
UNREAD = ("uncertainty_", "setting_")
READ_SETTINGS = ("setting_horizon_end", "setting_policy_start")
PACKAGES = ("sandbox", "mesa", "numpy", "scipy", "pandas", "pyarrow", "hydra-core")


class NotASweepError(ValueError):
    """The folder is not a collected sweep (no readable tables, or no done run)."""


def check_collected(folder: Path) -> None:
    """Raise ``NotASweepError`` unless ``folder`` holds a collection's tables."""
    folder = Path(folder)
    if not folder.is_dir():
        raise NotASweepError(f"{folder} is not a folder")
    missing = [n for n in TABLES if not (folder / n).is_file()]
    if missing:
        single = (folder / "summary.json").is_file() or (folder / "manifest.json").is_file()
        what = "it is a single run's folder" if single else "it has not been collected"
        raise NotASweepError(f"{folder} has no {' or '.join(missing)} ({what})")


def read_sweep(folder: Path) -> tuple[pd.DataFrame, SweepTables]:
    """Every row of ``runs.parquet`` (whatever its state) and the done runs, with the time
    series and per-province table left on disk to be summarised a few months at a time.

    The runs have the columns the report reads: not the uncertainties or the settings
    (``UNREAD``, half the table's width) but the horizon's end and the policy start.

    Raises:
        NotASweepError: the folder is missing, not collected, unreadable or has no done run;
            the message says which.
    """
    folder = Path(folder)
    check_collected(folder)
    try:
        names = pq.read_schema(folder / "runs.parquet").names
        columns = [c for c in names if not c.startswith(UNREAD) or c in READ_SETTINGS]
        everything = pd.read_parquet(folder / "runs.parquet", columns=columns)
        states = everything["status"].value_counts().to_dict()
    except (OSError, ValueError, KeyError) as err:
        raise NotASweepError(_unreadable(folder, err)) from None
    if not states.get("done"):
        raise NotASweepError(f"no run of {folder} is done (runs by state: {states or 'none'})")
    try:
        pq.read_schema(folder / "timeseries.parquet")
    except (OSError, ValueError, KeyError) as err:
        raise NotASweepError(_unreadable(folder, err)) from None
    done = everything["status"] == "done"
    runs = everything if done.all() else everything[done]  # no copy of a sweep all done
    return everything, SweepTables(folder, runs.reset_index(drop=True))


def _unreadable(folder: Path, err: Exception) -> str:
    reason = " ".join(str(err).split()) or type(err).__name__
    return f"the tables of {folder} cannot be read ({reason})"


def sweep_config(folder: Path) -> dict | None:
    """The sweep's config as Hydra saved it (``multirun.yaml``), as data, or None.

    It is data: an interpolation in it (``${oc.env:...}``) stays the text it is, so that a
    report of a downloaded folder can neither run a resolver nor copy the environment.
    """
    path = Path(folder) / MULTIRUN
    if not path.is_file():
        return None
    try:
        cfg = load_saved(path)
    except (OSError, yaml.YAMLError, ValueError):
        return None
    return cfg if isinstance(cfg, dict) else None


def select(cfg: dict | None, key: str) -> object:
    """``cfg``'s value at the dotted ``key`` (None when there is no config, key or value)."""
    node: object = cfg
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node


def command(cfg: dict | None) -> str | None:
    """The command that ran the sweep, from its saved overrides (None when unknown).

    The command line's overrides, then its Hydra settings (such as ``hydra.sweep.dir``);
    ``hydra.mode``, which Hydra adds itself, is left out.
    """
    task = select(cfg, "hydra.overrides.task")
    if task is None:
        return None
    settings = [
        str(o)
        for o in (select(cfg, "hydra.overrides.hydra") or [])
        if not str(o).startswith("hydra.mode=")
    ]
    return shlex.join(["sandbox-run", "--multirun", *map(str, task), *settings])


def swept(cfg: dict | None) -> list[tuple[str, str, str]]:
    """(key, values, set by) of the sweep: the experiment's ``hydra.sweeper.params``, then
    the command line's overrides, which take precedence."""
    params = select(cfg, "hydra.sweeper.params") or {}
    rows = {str(k): (str(v), "experiment") for k, v in params.items()}
    for text in select(cfg, "hydra.overrides.task") or []:
        key, eq, value = str(text).partition("=")
        if eq:
            rows[key] = (value, "command line")
    return [(k, v, by) for k, (v, by) in rows.items()]


def settings(cfg: dict) -> str:
    """The composed config of the sweep without Hydra's block, as YAML (as saved)."""
    body = {k: v for k, v in cfg.items() if k != "hydra"}
    return yaml.safe_dump(body, sort_keys=False, allow_unicode=True).rstrip()


def research_question(experiment: str | None) -> str | None:
    """The research question stated in ``configs/experiment/<experiment>.yaml``'s first
    comment (None when there is no such file or statement)."""
    if not experiment:
        return None
    path = CONFIG_DIR / "experiment" / f"{experiment}.yaml"
    if not path.is_file():
        return None
    lines, inside = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        text = line.removeprefix("#").strip()
        if text.startswith("Research question:"):
            inside = True
        elif not line.startswith("#"):
            inside = False
        if inside:
            lines.append(text)
    question = " ".join(lines).removeprefix("Research question:").strip()
    return question[:1].upper() + question[1:] if question else None


def manifest_versions(folder: Path, runs: pd.DataFrame) -> dict[str, str]:
    """Python and library versions from the first readable ``manifest.json`` of the runs
    (empty when the run folders are not beside the tables)."""
    for job in runs["job"].dropna() if "job" in runs else []:
        path = Path(folder) / str(job) / "manifest.json"
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        packages = {k.lower(): v for k, v in (manifest.get("packages") or {}).items()}
        out = {"python": (str(manifest.get("python", "")).split() or ["unknown"])[0]}
        out.update({p: packages[p] for p in PACKAGES if p in packages})
        return out
    return {}


def policy_start(runs: pd.DataFrame, cfg: dict | None) -> str | None:
    """The month the chosen policy starts acting, when every run has the same one."""
    for column in ("lever_policy_start", "setting_policy_start"):
        if column in runs:
            return str(runs[column].iloc[0]) if runs[column].nunique() == 1 else None
    value = select(cfg, "policy.start")
    return str(value) if value is not None else None
