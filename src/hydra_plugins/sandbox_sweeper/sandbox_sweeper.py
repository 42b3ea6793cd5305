"""Hydra's basic sweeper, in bounded batches, keeping nothing per job in the launching process.

Hydra's ``BasicSweeper``, kept for its overrides and job numbering, differs in six ways:

- **Memory.** ``BasicSweeper`` launches the whole sweep as one batch by default, and
  keeps every batch's list of job returns (``JobReturn``) to return them, each with its
  job's config and Hydra config: 44 kB pickled back from a worker, 0.29 MB once
  unpickled. The launching process grew by that much per run, tens of GB for a 10^5-run
  design. Here the sweep is cut into batches of ``max_batch_size`` jobs (1,000 by
  default, below SLURM's default ``MaxArraySize`` of 1,001), generated one at a time from
  the overrides; each job drops both configs from its ``JobReturn`` when it ends (its
  ``.hydra/`` folder has them; nothing in the launching process reads them), leaving
  about 0.4 kB; and the returns are checked for errors and let go. ``Hydra.multirun``
  passes the sweeper's return value up to ``hydra.main``, which discards it, so the sweep
  returns an empty list. A batch is launched when the previous one has finished, so each
  batch ends with workers idle while its last runs finish: on two workers, about half a
  run's time per 1,000 runs.
- **Composition.** ``BasicSweeper`` composes every job's config in the launching process
  before launching any (``validate_batch_is_legal``; its own comment notes this "can be a
  bit slow"): about 0.07 s a job, a minute for a 1,000-run sweep. ``sandbox-run`` has
  already checked every override's key, type and option against the schema, and each job
  composes its own config anyway, where a failure is recorded as a failed run. So one
  composition per batch is kept, to catch a config that cannot compose at all.
- **Sweep folder.** It is resolved once, in the launching process, before any job is
  composed: ``${now:}``, ``${cwd:}`` and ``${sweep_suffix:}`` are cached resolvers, and
  every job's config copies this cache, so workers on other machines or in other folders
  write to this same folder.
- **Finished jobs.** A job whose run is complete is not launched at all when the sweep
  last ended with every run done from the same config files
  (``sandbox.experiments.finished``): a finished 384-run sweep launched again says so at
  once and goes on to collect, instead of spending a Hydra job on each run to find it done.
  Each job launched keeps its number.
- **Adaptive replications.** With ``adaptive.half_width`` set, a comparison adds rounds
  of paired replicates after the command's own until every headline CI is that narrow
  (``sandbox.experiments.adaptive``); the ``adaptive.*`` overrides are the sweep's, left
  out of every job's.
- **Orphans.** The launching process records itself in the environment before any worker
  starts (``sandbox.experiments.watchdog.mark_launcher``), so that each job's ``guard()`` can end a
  worker whose launching process was killed.

``BatchSweeper`` (``hydra/sweeper=batch``) is the same sweeper sending its jobs to the
launcher in chunks, one launcher job per chunk (``sandbox.experiments.chunks``).

Hydra's plugin scan executes this module without registering it in ``sys.modules``, so
the dataclass's annotations must not be strings (no ``from __future__ import annotations``).
"""

import itertools
import sys
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hydra._internal.core_plugins.basic_sweeper import BasicSweeper, BasicSweeperConf
from hydra.core.config_store import ConfigStore
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.override_parser.types import Override
from hydra.core.utils import JobReturn
from hydra.errors import HydraException
from hydra.experimental.callback import Callback
from omegaconf import DictConfig, OmegaConf

from sandbox.config.jobs import DEFAULT_BATCH, DEFAULT_CHUNK, check_sweeper
from sandbox.config.params.adaptive import not_a_comparison, of_sweep, replicates_of
from sandbox.errors import ConfigError
from sandbox.experiments.watchdog import mark_launcher


@dataclass
class SandboxSweeperConf(BasicSweeperConf):
    """Hydra's basic sweeper's options; ``max_batch_size`` (jobs launched at a time,
    ``null`` for the whole sweep at once) defaults to ``DEFAULT_BATCH``."""

    _target_: str = "hydra_plugins.sandbox_sweeper.sandbox_sweeper.SandboxSweeper"
    max_batch_size: int | None = DEFAULT_BATCH


class DropJobConfigs(Callback):
    """Empties a finished job's ``JobReturn`` of its config and Hydra config.

    Runs in the job's process, last of the job-end callbacks, so that what travels back to
    the launching process is a few hundred bytes instead of both configs.
    """

    def on_job_end(self, config: DictConfig, job_return: JobReturn, **kwargs: Any) -> None:
        """Drop ``cfg`` and ``hydra_cfg`` (the job's ``.hydra/`` folder has both)."""
        job_return.cfg = None
        job_return.hydra_cfg = None


def job_batches(overrides: list[Override], size: int | None) -> Iterator[list[list[str]]]:
    """``BasicSweeper.split_arguments``'s batches, in its order, generated one at a time."""
    choices: OrderedDict[str, list[str]] = OrderedDict()
    for override in overrides:
        key = override.get_key_element()
        if not override.is_sweep_override():
            choices[key] = [f"{key}={override.get_value_element_as_str()}"]
        elif override.is_discrete_sweep():
            choices[key] = [f"{key}={value}" for value in override.sweep_string_iterator()]
        else:
            assert override.value_type is not None
            raise HydraException(
                f"{BasicSweeper.__name__} does not support sweep type : {override.value_type.name}"
            )
    jobs = itertools.product(*choices.values())
    if size is None:
        yield [list(job) for job in jobs]
        return
    for batch in itertools.batched(jobs, size):
        yield [list(job) for job in batch]


class SandboxSweeper(BasicSweeper):
    """``BasicSweeper`` in bounded batches, validating the first job of each batch only."""

    def __init__(
        self,
        max_batch_size: int | None,
        params: dict[str, str] | None = None,
    ) -> None:
        try:  # sandbox-run checked it first; another entry point may not have
            check_sweeper({"max_batch_size": max_batch_size})
        except ConfigError as error:
            _refuse(error)
        super().__init__(max_batch_size=max_batch_size, params=params)

    def setup(self, *, hydra_context: Any, task_function: Any, config: DictConfig) -> None:
        """Hydra's setup, preceded by the launcher's record and the job-end callback, and
        followed by resolving the sweep folder (see the module's docstring)."""
        mark_launcher()
        callbacks = getattr(hydra_context.callbacks, "callbacks", None)
        if isinstance(callbacks, list) and not any(
            isinstance(c, DropJobConfigs) for c in callbacks
        ):
            callbacks.insert(0, DropJobConfigs())  # job-end callbacks run last to first
        super().setup(hydra_context=hydra_context, task_function=task_function, config=config)
        str(config.hydra.sweep.dir)

    def validate_batch_is_legal(self, batch: Sequence[Sequence[str]]) -> None:
        """Compose the first job of the batch."""
        super().validate_batch_is_legal(batch[:1])

    def sweep(self, arguments: list[str]) -> list[Sequence[JobReturn]]:
        """Launch the sweep batch by batch; raise a failed job's error; return nothing."""
        assert self.config is not None
        assert self.launcher is not None
        assert self.hydra_context is not None
        parser = OverridesParser.create(config_loader=self.hydra_context.config_loader)
        overrides = [  # the adaptive settings configure the sweep, not its jobs
            o
            for o in parser.parse_overrides([*self._parse_config(), *arguments])
            if not of_sweep(o.get_key_element())
        ]
        sweep_dir = Path(self.config.hydra.sweep.dir)
        sweep_dir.mkdir(parents=True, exist_ok=True)
        OmegaConf.save(self.config, sweep_dir / "multirun.yaml")

        # the result store loads only when a sweep runs: Hydra imports this module at every
        # start, and a refused command line should not pay for the model's libraries
        from sandbox.experiments.finished import Finished, config_folders, configs_sha256, unstamp

        configs = None
        folders = config_folders(self.config.hydra.runtime.config_sources)
        if folders is not None:
            configs = configs_sha256(folders)
        finished = Finished.of(sweep_dir, configs)
        unstamp(sweep_dir)  # until this sweep ends with every run done (SweepCallback)
        adapt = OmegaConf.select(self.config, "adaptive.half_width", default=0) > 0
        if adapt:
            self._comparison(overrides)  # before any run: a command that cannot adapt
        launched = self._launch(overrides, finished, 0)
        if adapt:
            self._adapt(parser, overrides, finished, launched)
        return []

    def _comparison(self, overrides: list[Override]) -> tuple[object, str, int, list[int]]:
        """The baseline, lever, replicate override's position and replicates of an adaptive
        comparison; refused in one paragraph (exit 2) when the command is not one."""
        assert self.config is not None
        callback = self.config.hydra.callbacks.get("sweep") or {}
        baseline, lever = callback.get("baseline"), callback.get("lever", "policy")
        at, current = _replicate_axis(overrides)
        if baseline is None or at is None:
            _refuse(not_a_comparison(self.config.adaptive.half_width))
        return baseline, lever, at, current

    def _launch(self, overrides: list[Override], finished: Any, initial_job_idx: int) -> int:
        """Launch the jobs of ``overrides`` batch by batch, numbered from ``initial_job_idx``,
        skipping the finished ones; raise a failed job's error; the next job's number."""
        assert self.launcher is not None and self.config is not None
        raw = OmegaConf.to_container(self.config.hydra.sweep, resolve=False).get("subdir")
        numbered = any(name in str(raw) for name in ("job.num", "job.id"))  # folders by number
        batches = iter(job_batches(overrides, self.max_batch_size))
        batch = next(batches, None)
        while batch is not None:
            following = next(batches, None)
            self.validate_batch_is_legal(batch)
            todo = [
                i
                for i, job in enumerate(batch)
                if finished is None
                or not finished.done(job, initial_job_idx + i if numbered else None)
            ]
            if len(todo) < len(batch):
                rest = f"launching the other {len(todo)}" if todo else (
                    "collecting" if following is None else "on to the next batch")  # fmt: skip
                print(f"sweep: {len(batch) - len(todo)} of {len(batch)} runs done; {rest}",
                      flush=True)  # fmt: skip
            self._run([(initial_job_idx + i, batch[i]) for i in todo])
            initial_job_idx += len(batch)
            batch = following
        return initial_job_idx

    def _run(self, jobs: list[tuple[int, list[str]]]) -> None:
        """Launch ``jobs`` (number, overrides), each keeping its number; raise a failed
        job's error, as ``BasicSweeper`` does."""
        assert self.launcher is not None
        for _, span in itertools.groupby(enumerate(jobs), key=lambda p: p[1][0] - p[0]):
            part = [job for _, job in span]  # consecutive numbers: one launch
            launch = [overrides for _, overrides in part]
            for result in self.launcher.launch(launch, initial_job_idx=part[0][0]):
                _ = result.return_value

    def _adapt(
        self, parser: OverridesParser, overrides: list[Override], finished: Any, launched: int
    ) -> None:
        """Add rounds of paired replicates until every adaptive target is met or the cap is
        reached (``sandbox.experiments.adaptive``), then say which targets were met."""
        from sandbox.config.params.adaptive import AdaptiveParams
        from sandbox.experiments import adaptive
        from sandbox.experiments.collect import runs_table
        from sandbox.experiments.lock import FolderError
        from sandbox.experiments.sweep_plan import claim, read_plan

        assert self.config is not None
        sweep_dir = Path(self.config.hydra.sweep.dir)
        settings = AdaptiveParams(**OmegaConf.to_container(self.config.adaptive))
        baseline, lever, at, current = self._comparison(overrides)
        while True:
            try:
                # the runs table only: the time series are collected once, at the end
                runs = runs_table(sweep_dir)
                verdict = adaptive.check(runs, baseline, lever, settings, len(current))
            except (ConfigError, ValueError, OSError, FolderError) as err:  # no run done...
                print(f"adaptive: no round added: the runs so far cannot be compared "
                      f"({' '.join(str(err).split())})", file=sys.stderr, flush=True)  # fmt: skip
                return
            more = [] if verdict.met else adaptive.next_replicates(current, settings)
            if not more:
                text = adaptive.describe(verdict, settings, baseline)
                adaptive.write(sweep_dir, verdict, text)
                print(text, flush=True)
                return
            print(f"adaptive: {len(verdict.missed)} of {len(verdict.targets)} targets missed "
                  f"with {len(current)} replicates; adding replicates {more[0]}-{more[-1]}",
                  flush=True)  # fmt: skip
            key = overrides[at].get_key_element()
            overrides = [*overrides]
            overrides[at] = parser.parse_override(f"{key}={','.join(map(str, more))}")
            claim(sweep_dir, read_plan(sweep_dir).grown([str(r) for r in more]))
            launched = self._launch(overrides, finished, launched)
            current = [*current, *more]


def _replicate_axis(overrides: list[Override]) -> tuple[int | None, list[int]]:
    """The position of the ``replicate`` override and the replicates it names (None, [])
    when the command names none, or names them other than as whole numbers."""
    for i, override in enumerate(overrides):
        if override.key_or_group != "replicate":
            continue
        if override.is_discrete_sweep():
            values = replicates_of(list(override.sweep_string_iterator()))
        else:
            values = replicates_of([override.get_value_element_as_str()])
        return (None, []) if values is None else (i, values)
    return None, []


def _refuse(error: ConfigError) -> None:
    # raised here, Hydra would wrap it in its own error and exit with 1
    print(f"sandbox-run: {error}", file=sys.stderr)
    raise SystemExit(2)


@dataclass
class BatchSweeperConf(SandboxSweeperConf):
    """The sandbox sweeper's options, and ``chunk``: jobs per launcher job."""

    _target_: str = "hydra_plugins.sandbox_sweeper.sandbox_sweeper.BatchSweeper"
    chunk: int = DEFAULT_CHUNK


class BatchSweeper(SandboxSweeper):
    """``SandboxSweeper`` sending its jobs to the launcher in chunks of ``chunk``, each chunk
    one launcher job that runs its jobs one after the other as a launcher would
    (``sandbox.experiments.chunks``): the same runs, folders and results, with the cost of
    sending a job to a worker (or a cluster) paid once a chunk instead of once a run."""

    def __init__(
        self, max_batch_size: int | None, chunk: int, params: dict[str, str] | None = None
    ) -> None:
        try:
            check_sweeper({"chunk": chunk})
        except ConfigError as error:
            _refuse(error)
        super().__init__(max_batch_size=max_batch_size, params=params)
        self.chunk = chunk

    def setup(self, *, hydra_context: Any, task_function: Any, config: DictConfig) -> None:
        """The sandbox sweeper's setup, its launcher running chunks."""
        from sandbox.experiments.chunks import ChunkTask

        task = ChunkTask(task_function, hydra_context, config)
        super().setup(hydra_context=hydra_context, task_function=task, config=config)

    def _run(self, jobs: list[tuple[int, list[str]]]) -> None:
        """Launch ``jobs`` in chunks of ``chunk``, one launcher job each."""
        from sandbox.experiments.chunks import prepare

        assert self.launcher is not None and self.config is not None
        if not jobs:
            return
        sweep_dir = Path(self.config.hydra.sweep.dir)
        chunks = [jobs[i : i + self.chunk] for i in range(0, len(jobs), self.chunk)]
        launch = [prepare(sweep_dir, part) for part in chunks]
        for result in self.launcher.launch(launch, initial_job_idx=jobs[0][0]):
            _ = result.return_value


ConfigStore.instance().store(
    group="hydra/sweeper", name="sandbox", node=SandboxSweeperConf, provider="sandbox"
)
ConfigStore.instance().store(
    group="hydra/sweeper", name="batch", node=BatchSweeperConf, provider="sandbox"
)
