"""A sweep folder belongs to one sweep: its plan, recorded in ``sweep.json``.

A sweep's *plan* is what it will run: its settings (the composed config without Hydra's
block and ``output``, every key with its value as written), its axes (each swept key and
its values, in the order of the jobs), the overrides every job gets, and the SHA-256 of
every input file it reads (region tables). The jobs are the product of the axes, as Hydra's
basic sweeper and ``SandboxSweeper`` launch them (``axes`` is the one expansion of a
sweep's overrides).

The first sweep into a folder writes its plan there (``sweep.json``, under the folder's
lock, ``sandbox.experiments.lock``). A later sweep into the same folder goes on only when
its plan is the same, except that the set of replicates may grow (more replicates of the
same design); any other difference is refused in one paragraph that names the keys, the
old and new values, and how to choose another folder. A folder that holds files but no
plan (not a sweep folder, or one made before plans were recorded) is refused as well.

``sandbox-collect`` reads the plan to account for every planned job (``planned_jobs``).
The record is read as data: nothing in it is resolved or run.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.override_parser.types import Override
from omegaconf import DictConfig, OmegaConf

from sandbox.config.params.adaptive import of_sweep
from sandbox.experiments.atomic import write_json
from sandbox.experiments.provenance import code_fingerprint, file_sha256, input_files

RECORD = "sweep.json"
SCHEMA = 1
GROWS = "replicate"  # the axis a later sweep into the same folder may extend
IGNORED = ("hydra", "output", "adaptive")  # change neither results nor which runs are planned
# files and folders of a sweep folder that are not run folders
OWN = frozenset(
    {
        RECORD,
        "multirun.yaml",
        "runs.parquet",
        "timeseries.parquet",
        "provinces.parquet",
        "report",
        ".tables",
        ".lock",
        ".lock.holder",
        ".checkpoints",
        ".submitit",
        ".finished.json",  # sandbox.experiments.finished.STAMP
        "adaptive.txt",  # sandbox.experiments.adaptive
        "adaptive.parquet",
    }
)


class SweepFolderError(ValueError):
    """A sweep cannot use a folder: it belongs to another sweep, or to no sweep."""


def sweep_overrides(config: DictConfig) -> list[str]:
    """The overrides a sweep expands: the experiment's ``hydra.sweeper.params``, then the
    command line's (``hydra.overrides.task``, as typed: an interpolation in one is the
    job's to resolve), which take precedence for the same key; not those that set the
    sweep's adaptive replications (``sandbox.config.params.adaptive.of_sweep``)."""
    params = OmegaConf.select(config, "hydra.sweeper.params")
    params = OmegaConf.to_container(params, resolve=True) if params else {}  # as Hydra reads it
    texts = [f"{key}={value}" for key, value in params.items()]
    task = OmegaConf.select(config, "hydra.overrides.task")
    texts += [str(t) for t in (OmegaConf.to_container(task) if task else [])]
    return [t for t in texts if not of_sweep(t.partition("=")[0])]


def axes(overrides: Sequence[Override]) -> dict[str, list[str]]:
    """Each key and the ``key=value`` texts of its jobs, in the order jobs are made.

    A key given twice keeps its first place and its last values, as in Hydra's basic
    sweeper. Every job is one pick from each list (``itertools.product`` of the values).

    Raises:
        SweepFolderError: a sweep override with no value (``replicate=range(0)``), or a
            sweep of a kind the basic sweeper does not launch (``interval(...)``).
    """
    out: dict[str, list[str]] = {}
    for override in overrides:
        key = override.get_key_element()
        if not override.is_sweep_override():
            out[key] = [f"{key}={override.get_value_element_as_str()}"]
            continue
        if not override.is_discrete_sweep():
            kind = override.value_type.name.lower() if override.value_type else "this"
            raise SweepFolderError(
                f"{override.input_line}: the sweeper launches lists of values and "
                f"range(...), not {kind} sweeps"
            )
        values = [f"{key}={value}" for value in override.sweep_string_iterator()]
        if not values:
            raise SweepFolderError(
                f"{override.input_line} gives no value, so the sweep would run nothing: "
                f"give {key} at least one value (range(N) with N >= 1, or a list)"
            )
        out[key] = values
    return out


def parse(texts: Sequence[str], config_loader: Any = None) -> list[Override]:
    """Hydra's parse of override texts (``config_loader`` for ``glob(...)`` of groups)."""
    return OverridesParser.create(config_loader=config_loader).parse_overrides(list(texts))


def _flat(node: object, prefix: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _flat(value, f"{prefix}.{key}" if prefix else str(key))
    else:
        yield prefix, json.dumps(node, sort_keys=True)


def settings_of(config: DictConfig) -> dict[str, str]:
    """The composed config as ``key: value`` texts, unresolved, without ``IGNORED`` and
    without ``replicate`` (the axis that may grow)."""
    data = OmegaConf.to_container(config, resolve=False, enum_to_str=True)
    for key in (*IGNORED, GROWS):
        data.pop(key, None)
    return dict(_flat(data))


def _tables(config: DictConfig, swept: dict[str, list[str]]) -> set[tuple[str, str]]:
    """(region table, merge table) pairs a sweep reads: its own, and each swept one."""
    table, merge = str(config.region.table), str(config.region.merge_table)
    pairs = {(table, merge)}
    for key, jobs in swept.items():
        for job in jobs:
            value = job.partition("=")[2]
            if key.lstrip("+~") == "region.table":
                pairs.add((value, merge))
            elif key.lstrip("+~") == "region.merge_table":
                pairs.add((table, "" if value in ("", "null", "''") else value))
    return pairs


def inputs_of(config: DictConfig, swept: dict[str, list[str]]) -> dict[str, str]:
    """SHA-256 of every input file, by its path (a table a job cannot read is left out:
    its jobs fail, and say why)."""
    out: dict[str, str] = {}
    for table, merge in sorted(_tables(config, swept)):
        try:
            files = input_files(table, merge)
            out.update({str(path): file_sha256(path) for path in files.values()})
        except Exception:  # any unreadable table: its jobs fail and say why
            continue
    return out


@dataclass
class SweepPlan:
    """What a sweep runs (module docstring)."""

    settings: dict[str, str]
    axes: dict[str, list[str]]
    inputs: dict[str, str]
    overrides: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, config: DictConfig, config_loader: Any = None) -> SweepPlan:
        """The plan of a sweep's composed config (``hydra:`` block included)."""
        texts = sweep_overrides(config)
        swept = axes(parse(texts, config_loader))
        return cls(settings_of(config), swept, inputs_of(config, swept), texts)

    @property
    def jobs(self) -> int:
        """How many jobs the sweep launches."""
        total = 1
        for values in self.axes.values():
            total *= len(values)
        return total

    def job_overrides(self) -> Iterator[list[str]]:
        """Every job's overrides, in launch order."""
        return (list(job) for job in itertools.product(*self.axes.values()))

    def replicates(self) -> list[str]:
        """The replicate values of the jobs ('' when the sweep leaves the default)."""
        key = next((k for k in self.axes if k.lstrip("+~") == GROWS), None)
        if key is None:
            return [""]
        return [job.partition("=")[2] for job in self.axes[key]]

    def grown(self, replicates: Sequence[str]) -> SweepPlan:
        """This plan with ``replicates`` (values, as texts) added to its replicate axis, in
        their order, those it lacks only (itself when it sweeps no replicate)."""
        key = next((k for k in self.axes if k.lstrip("+~") == GROWS), None)
        if key is None:
            return self
        have = self.axes[key]
        more = [f"{key}={r}" for r in dict.fromkeys(replicates) if f"{key}={r}" not in have]
        return replace(self, axes={**self.axes, key: [*have, *more]})

    def to_record(self) -> dict:
        """The plan as ``sweep.json`` holds it."""
        return {
            "schema": SCHEMA,
            **asdict(self),
            "jobs": self.jobs,
            "code_fingerprint": code_fingerprint(),
            "written": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        }

    @classmethod
    def from_record(cls, data: dict) -> SweepPlan:
        """The plan a ``sweep.json`` holds.

        Raises:
            SweepFolderError: the record is not one this version reads.
        """
        try:
            if data.get("schema") != SCHEMA:
                raise ValueError(f"schema {data.get('schema')!r}, this version reads {SCHEMA}")
            plan = cls(
                {str(k): str(v) for k, v in data["settings"].items()},
                {str(k): [str(v) for v in vs] for k, vs in data["axes"].items()},
                {str(k): str(v) for k, v in data["inputs"].items()},
                [str(t) for t in data.get("overrides", [])],
            )
        except (AttributeError, KeyError, TypeError, ValueError) as err:
            raise SweepFolderError(f"its {RECORD} cannot be read ({err})") from None
        return plan


def planned(config: DictConfig, config_loader: Any, folder: Path) -> SweepPlan:
    """The plan of a sweep's composed config into ``folder``: with adaptive replications
    on, grown by the replicates earlier rounds recorded there, so that the same command
    run again finds its folder its own.

    Raises:
        SweepFolderError: the folder's record cannot be read.
    """
    plan = SweepPlan.of(config, config_loader)
    if OmegaConf.select(config, "adaptive.half_width", default=0) > 0:
        held = read_plan(folder)
        if held is not None:
            plan = plan.grown(held.replicates())
    return plan


def read_plan(folder: Path) -> SweepPlan | None:
    """The plan recorded in a sweep folder (None when it has no ``sweep.json``).

    Raises:
        SweepFolderError: the record cannot be read.
    """
    path = Path(folder) / RECORD
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise SweepFolderError(f"its {RECORD} cannot be read ({err})") from None
    if not isinstance(data, dict):
        raise SweepFolderError(f"its {RECORD} is not a sweep's record")
    return SweepPlan.from_record(data)


def _shown(text: str | None, limit: int = 60) -> str:
    if text is None:
        return "(absent)"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def differences(old: SweepPlan, new: SweepPlan) -> list[str]:
    """How ``new`` differs from ``old`` beyond a grown set of replicates ([] when it does
    not), one ``key: old -> new`` text each."""
    out = []
    for key in sorted(old.settings.keys() | new.settings.keys()):
        a, b = old.settings.get(key), new.settings.get(key)
        if a != b:
            out.append(f"{key}: {_shown(a)} -> {_shown(b)}")
    olds = {k: v for k, v in old.axes.items() if k.lstrip("+~") != GROWS}
    news = {k: v for k, v in new.axes.items() if k.lstrip("+~") != GROWS}
    for key in sorted(olds.keys() | news.keys()):
        a, b = olds.get(key), news.get(key)
        if a != b:
            show = [_shown(",".join(j.partition("=")[2] for j in v)) if v else None
                    for v in (a, b)]  # fmt: skip
            out.append(f"override {key}: {_shown(show[0])} -> {_shown(show[1])}")
    lost = [r for r in old.replicates() if r not in set(new.replicates())]
    if lost:
        out.append(
            f"replicate: {','.join(old.replicates())} -> {','.join(new.replicates())} (the "
            f"set may grow, not lose {','.join(lost[:5])}{'...' * (len(lost) > 5)})"
        )
    for name in sorted(old.inputs.keys() & new.inputs.keys()):
        if old.inputs[name] != new.inputs[name]:
            out.append(f"input file {name}: SHA-256 {old.inputs[name][:12]}... -> "
                       f"{new.inputs[name][:12]}... (edited)")  # fmt: skip
    return out


def check_folder(folder: Path, plan: SweepPlan) -> None:
    """Raise ``SweepFolderError`` unless a sweep of ``plan`` may write into ``folder``:
    it is new or empty, or it holds a sweep of the same plan (module docstring)."""
    folder = Path(folder)
    how = (
        "A sweep folder belongs to one sweep: run these settings into another folder "
        f"(hydra.sweep.dir=<another folder>), or remove {folder} to start it over."
    )
    try:
        old = read_plan(folder)
    except SweepFolderError as err:
        raise SweepFolderError(f"{folder} cannot take this sweep: {err}. {how}") from None
    if old is None:
        if folder.exists() and not folder.is_dir():
            raise SweepFolderError(f"{folder} is a file, not a folder. {how}")
        entries = [p.name for p in folder.iterdir()] if folder.is_dir() else []
        if any(name not in (".lock", ".lock.holder") for name in entries):
            shown = ", ".join(sorted(entries)[:5]) + ("..." if len(entries) > 5 else "")
            raise SweepFolderError(
                f"{folder} is not empty ({shown}) and holds no sweep record ({RECORD}): it "
                "is not a sweep folder, or one made by an older version of sandbox, whose "
                f"runs would be replaced. {how}"
            )
        return
    changed = differences(old, plan)
    if changed:
        listed = "; ".join(changed[:8]) + (
            f"; and {len(changed) - 8} more" if len(changed) > 8 else ""
        )
        raise SweepFolderError(
            f"{folder} holds a sweep of other settings (recorded in {folder / RECORD}); "
            f"this sweep differs in: {listed}. Only the set of replicates may grow when a "
            f"sweep is run again into its folder. {how}"
        )


def claim(folder: Path, plan: SweepPlan) -> None:
    """Check ``folder`` for ``plan`` and record it there (call under the folder's lock)."""
    check_folder(folder, plan)
    Path(folder).mkdir(parents=True, exist_ok=True)
    old = read_plan(folder)
    if old is None or old.replicates() != plan.replicates() or old.axes != plan.axes:
        write_json(Path(folder) / RECORD, plan.to_record())


TABLE_LINKS = ("runs.parquet", "timeseries.parquet", "provinces.parquet")


def _own_link(folder: Path, path: Path) -> bool:
    """Whether ``path`` is one of the links a collection makes (``sandbox-collect``)."""
    target = os.readlink(path)
    if path.parent == folder and path.name in TABLE_LINKS:
        return target == f".tables/current/{path.name}"
    return path == folder / ".tables" / "current" and "/" not in target and ".." not in target


def _shallow(folder: Path) -> Iterator[Path]:
    """The entries a collect, comparison or report writes through: the folder's own and
    those of its ``report`` and ``.tables`` folders."""
    for path in folder.iterdir():
        yield path
        if path.name in ("report", ".tables") and path.is_dir() and not path.is_symlink():
            yield from path.iterdir()


def check_links(folder: Path, deep: bool = True) -> None:
    """Raise ``SweepFolderError`` when a sweep folder holds a symbolic link other than its
    collection's own: a file would be written wherever the link points.

    ``deep``: every entry under the folder (a sweep, whose jobs write into run folders);
    else only where a collect, comparison or report writes (``_shallow``).
    """
    folder = Path(folder)
    if not folder.is_dir():
        return
    if deep:
        paths = (Path(r) / n for r, ds, fs in os.walk(folder) for n in [*ds, *fs])
    else:
        paths = _shallow(folder)
    for path in paths:
        if path.is_symlink() and not _own_link(folder, path):
            raise SweepFolderError(
                f"{path} is a symbolic link (to {os.readlink(path)}): sandbox does not "
                "write through links in a sweep folder, which could send its files "
                "anywhere. Remove the link (or copy the folder with its links resolved, "
                "cp -rL) and run the command again."
            )


# files that mark a folder as a run's: what Hydra saves for a job, and what a job writes
RUN_MARKS = (".hydra/config.yaml", ".hydra/overrides.yaml", "manifest.json", "error.json")
NOT_RUNS = (".tables", "report", ".checkpoints", ".submitit")  # a sweep folder's own folders


def run_folders(sweep_dir: Path) -> Iterator[Path]:
    """Every folder under a sweep folder that holds any mark of a run (``RUN_MARKS``),
    those whose saved config was removed included; each once, in no particular order."""
    sweep_dir = Path(sweep_dir)
    seen = set()
    for mark in RUN_MARKS:
        depth = len(Path(mark).parts)
        for path in sweep_dir.glob(f"**/{mark}"):
            folder = path.parents[depth - 1]
            relative = folder.relative_to(sweep_dir)
            if relative.parts and relative.parts[0] not in NOT_RUNS and folder not in seen:
                seen.add(folder)
                yield folder


def check_sweep_folder(folder: Path) -> None:
    """Raise ``SweepFolderError`` unless ``folder`` is a sweep's: it holds a plan, Hydra's
    ``multirun.yaml``, collected tables or a run folder."""
    folder = Path(folder)
    if not folder.is_dir():
        raise SweepFolderError(f"{folder} is not a folder")
    marks = (RECORD, "multirun.yaml", "runs.parquet")
    if any((folder / m).exists() for m in marks) or next(run_folders(folder), None):
        return
    raise SweepFolderError(
        f"{folder} is not a sweep folder: it has no sweep record ({RECORD}), no "
        "multirun.yaml, no runs.parquet and no run folder (one holding .hydra/config.yaml). "
        "Give a folder a sandbox-run --multirun sweep wrote into; nothing was written."
    )


def planned_jobs(plan: SweepPlan) -> Iterator[tuple[str, ...]]:
    """Each planned job's overrides, sorted: how ``sandbox-collect`` matches run folders
    (whose ``.hydra/overrides.yaml`` lists them) to the plan."""
    return (tuple(sorted(job)) for job in plan.job_overrides())
