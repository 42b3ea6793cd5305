"""A sweep's jobs in chunks: one launcher job runs many runs (``hydra/sweeper=batch``).

Hydra's launchers send every job on its own: the joblib launcher pickles the sweep's
config, Hydra's context and its global state for each job, a Ray launcher makes a task of
each, and a SLURM launcher an array task of each. The batch sweeper
(``hydra_plugins.sandbox_sweeper.BatchSweeper``) launches a chunk of jobs as one job of
whichever launcher is chosen. That job runs ``ChunkTask``: for each of its jobs it does what
Hydra's own launchers do in a worker (compose the job's config from the sweep's, number
it, ``hydra.core.utils.run_job`` with the task), one after the other. Each run therefore
gets the folder, ``.hydra/`` files, run id and results it gets from any launcher; the cost
of sending it is shared by its chunk, and so is the composition of jobs that differ in
values only (``JobConfigs``).

A chunk's jobs are written, before it is launched, to ``.batch/<first>-<last>/jobs.json``
in the sweep folder (each job's number and overrides); the chunk's own launcher job writes
nothing else there (``hydra.output_subdir=null``).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from hydra.core.hydra_config import HydraConfig
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.override_parser.types import Override
from hydra.core.utils import JobReturn, JobStatus, run_job
from omegaconf import DictConfig, ListConfig, OmegaConf, open_dict

from sandbox.experiments.atomic import write_json

FOLDER = ".batch"  # in the sweep folder
JOBS = "jobs.json"


def chunk_name(jobs: Sequence[tuple[int, Sequence[str]]]) -> str:
    """A chunk's name: the numbers of its first and last job."""
    return f"{jobs[0][0]}-{jobs[-1][0]}"


def prepare(sweep_dir: Path, jobs: Sequence[tuple[int, Sequence[str]]]) -> list[str]:
    """Write a chunk's jobs (number, overrides) into the sweep folder; the overrides of
    the launcher job that runs them."""
    name = chunk_name(jobs)
    folder = Path(sweep_dir) / FOLDER / name
    folder.mkdir(parents=True, exist_ok=True)
    write_json(folder / JOBS, {"jobs": [[n, list(o)] for n, o in jobs]})
    return [f"hydra.sweep.subdir={FOLDER}/{name}", "hydra.output_subdir=null"]


_ABSENT = object()


class JobConfigs:
    """Each job's config as ``load_sweep_config`` composes it, composed once per shape.

    Jobs of a sweep mostly differ in values (``replicate=3``, ``citizens.n=200``), which
    Hydra sets on the composed config after composing it from the config groups chosen.
    A job whose overrides choose the same groups, set the same keys and differ only in
    those values is therefore the first such job's config with its own values set, its own
    overrides recorded (``hydra.overrides.task``) and its own ``hydra.job.override_dirname``
    (Hydra's rule: the overrides not excluded, sorted, joined). Anything else (a group, an
    added or deleted key, a dict or list value, a Hydra setting) is part of the shape and
    composed. ``tests/test_sandbox_sweeper.py`` compares every job's saved files with a
    sweep that composes each job.
    """

    def __init__(self, config_loader: Any, master: DictConfig) -> None:
        self.loader = config_loader
        self.master = master
        self.parser = OverridesParser.create(config_loader=config_loader)
        self.groups = set(master.hydra.runtime.choices)
        self.composed: dict[tuple[str, ...], DictConfig] = {}

    def _value(self, override: Override) -> bool:
        """Whether Hydra sets ``override`` on the composed config as a plain value."""
        if (
            override.is_hydra_override()
            or override.is_add()
            or override.is_force_add()
            or override.is_delete()
            or override.package is not None
            or override.key_or_group in self.groups
            or isinstance(override.value(), dict | list)
        ):
            return False
        node = OmegaConf.select(
            self.master, override.key_or_group, default=_ABSENT, throw_on_resolution_failure=False
        )
        return node is not _ABSENT and not isinstance(node, DictConfig | ListConfig)

    def __call__(self, overrides: list[str]) -> DictConfig:
        parsed = self.parser.parse_overrides(overrides)
        values = [self._value(o) for o in parsed]
        shape = tuple(
            o.key_or_group if v else o.input_line for o, v in zip(parsed, values, strict=True)
        )
        first = self.composed.get(shape)
        if first is None:
            config = self.loader.load_sweep_config(self.master, overrides)
            self.composed[shape] = copy.deepcopy(config)
            return config
        config = copy.deepcopy(first)
        for override, value in zip(parsed, values, strict=True):
            if value:
                OmegaConf.update(config, override.key_or_group, override.value(), merge=True)
        task = [o for o in parsed if not o.is_hydra_override()]
        rule = config.hydra.job.config.override_dirname
        lines = sorted(o.input_line for o in task if o.key_or_group not in rule.exclude_keys)
        config.hydra.overrides.task = [o.input_line for o in task]
        config.hydra.job.override_dirname = re.sub("[=]", rule.kv_sep, rule.item_sep.join(lines))
        OmegaConf.copy_cache(from_config=self.master, to_config=config)
        return config


class ChunkTask:
    """The task of a chunk's launcher job: every job of the chunk, as a launcher runs it.

    Args:
        task_function: the sweep's task (``sandbox-run``'s).
        hydra_context: Hydra's context (its config loader composes each job).
        config: the sweep's config, each job's composed from it with its overrides.
    """

    def __init__(self, task_function: Callable, hydra_context: Any, config: DictConfig) -> None:
        self.task_function = task_function
        self.hydra_context = hydra_context
        self.config = config

    def __call__(self, cfg: DictConfig) -> None:
        folder = Path(HydraConfig.get().runtime.output_dir)
        jobs = json.loads((folder / JOBS).read_text(encoding="utf-8"))["jobs"]
        failed: JobReturn | None = None
        configs = JobConfigs(self.hydra_context.config_loader, self.config)
        for number, overrides in jobs:
            job = configs(overrides)
            with open_dict(job):  # as Hydra's joblib launcher numbers a job
                job.hydra.job.id = f"{job.hydra.job.name}_{number}"
                job.hydra.job.num = number
            done = run_job(
                hydra_context=self.hydra_context,
                task_function=self.task_function,
                config=job,
                job_dir_key="hydra.sweep.dir",
                job_subdir_key="hydra.sweep.subdir",
            )
            if done.status is JobStatus.FAILED and failed is None:
                failed = done  # the chunk's other jobs go on
        if failed is not None:
            _ = failed.return_value  # raises the first failed job's error
