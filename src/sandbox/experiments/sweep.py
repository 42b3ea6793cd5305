"""Hydra callback for ``--multirun`` sweeps: progress while it runs; tables, comparison
and report at the end.

Registered in ``configs/config.yaml`` (``hydra.callbacks.sweep``). Progress is read from
the sweep folder (completed runs write ``manifest.json``, failed ones ``error.json``), so
it works with any launcher whose workers share that folder. A sweep ends by printing its
comparison table (when its experiment names a baseline) and the path of its report
(``sandbox.experiments.report``), then exits 1 if any run is not done.
"""

from __future__ import annotations

import contextlib
import json
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pandas as pd
from hydra.experimental.callback import Callback
from omegaconf import DictConfig

from sandbox.experiments.collect import (
    PROVINCES,
    MixedCodeError,
    collect,
    not_done,
)
from sandbox.experiments.compare import write_breakdown, write_comparison
from sandbox.experiments.finished import config_folders, configs_sha256, stamp
from sandbox.experiments.lock import FolderError, folder_lock
from sandbox.experiments.manifest import MANIFEST
from sandbox.experiments.provenance import code_fingerprint
from sandbox.experiments.ranking import write_ranking
from sandbox.experiments.sweep_plan import (
    SweepFolderError,
    SweepPlan,
    check_folder,
    check_links,
    claim,
    planned,
    read_plan,
)

INTERVAL_S = 5.0


def other_code(sweep_dir: Path) -> tuple[int, int]:
    """(runs made by code other than the present, finished runs) in a sweep folder."""
    present = code_fingerprint()
    stale = finished = 0
    for path in sweep_dir.glob(f"**/{MANIFEST}"):
        try:
            made_by = json.loads(path.read_text(encoding="utf-8")).get("code_fingerprint")
        except (OSError, ValueError, AttributeError):
            continue
        finished += 1
        stale += made_by != present
    return stale, finished


class Progress:
    """Prints runs done / total, failures and an ETA every ``INTERVAL_S`` seconds."""

    def __init__(self, sweep_dir: Path, total: int | None) -> None:
        self.sweep_dir = sweep_dir
        self.total = total
        self.start = time.monotonic()
        self.initial = self.counts()[0]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def counts(self) -> tuple[int, int]:
        """(completed, failed) runs found in the sweep folder."""
        done = sum(1 for _ in self.sweep_dir.glob("**/manifest.json"))
        failed = sum(1 for _ in self.sweep_dir.glob("**/error.json"))
        return done, failed

    def line(self) -> str:
        """One progress line."""
        done, failed = self.counts()
        with contextlib.suppress(SweepFolderError, AttributeError):
            plan = read_plan(self.sweep_dir)  # adaptive rounds grow it
            self.total = plan.jobs if plan is not None else self.total
        elapsed = time.monotonic() - self.start
        text = f"sweep: {done + failed}"
        if self.total:
            text += f"/{self.total} runs"
            new = done + failed - self.initial
            left = self.total - done - failed
            if new > 0 and left > 0:
                text += f", ETA {left * elapsed / new:,.0f} s"
        return f"{text}, {failed} failed, {elapsed:,.0f} s elapsed"

    def _loop(self) -> None:
        while not self._stop.wait(INTERVAL_S):
            print(self.line(), flush=True)

    def begin(self) -> None:
        """Start printing."""
        self._thread.start()

    def end(self) -> None:
        """Stop printing and print the final line."""
        self._stop.set()
        self._thread.join()
        print(self.line(), flush=True)


def _own_store(config: DictConfig) -> bool:
    """Whether the command runs an experiment that keeps its own store, progress and report
    (a calibration, an analysis of a sampled design), not a sweep of runs."""
    return bool(config.calibration.fit or config.design.analysis)


class SweepCallback(Callback):
    """Progress during a multirun; the collected tables, comparison and report after it.

    Args:
        baseline: when set (an experiment's ``hydra.callbacks.sweep.baseline``), the
            paired comparison of every option of ``lever`` with this one is printed and
            written to ``comparison_vs_<baseline>.txt`` and ``.parquet``, then its
            breakdown by the other levers swept (``sandbox.experiments.compare
            .write_breakdown``: the range across their combinations, the tables in
            ``comparison_vs_<baseline>_by_<levers>.txt``).
        lever: the lever compared (``policy`` unless the experiment names another, e.g.
            ``policy_phasing_order``).
        rank_by: when set (``hydra.callbacks.sweep.rank_by``, e.g. ``ablation``), the
            policies' ranks on each headline outcome under each option of this lever,
            beside their ranks under ``rank_reference``, are printed and written to
            ``ranking_by_<rank_by>.txt`` and ``.parquet`` (``sandbox.analysis.ranking``).
        rank_reference: the option of ``rank_by`` the others are compared with.
    """

    def __init__(
        self,
        baseline: str | float | None = None,
        lever: str = "policy",
        rank_by: str | None = None,
        rank_reference: str = "none",
    ) -> None:
        self.baseline = baseline
        self.lever = lever
        self.rank_by = rank_by
        self.rank_reference = rank_reference
        self.progress: Progress | None = None
        self.held: contextlib.ExitStack | None = None

    def __getstate__(self) -> dict:
        # launchers pickle callbacks to their workers; the progress thread and the
        # folder's lock stay here
        return {**self.__dict__, "progress": None, "held": None}

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        """Take the sweep folder (``claim_folder``), then start the progress line."""
        if _own_store(config):
            return
        sweep_dir = Path(config.hydra.sweep.dir)
        plan = self.claim_folder(config, sweep_dir)
        total = plan.jobs
        print(f"sweep: {total} run{'s' * (total != 1)} into {sweep_dir}", flush=True)
        stale, finished = other_code(sweep_dir)
        if stale:
            print(f"sweep: {stale} of the {finished} finished runs in {sweep_dir} were made by "
                  f"other code than the present ({code_fingerprint()}); they are run again. To "
                  "keep them, stop now and sweep into another folder "
                  "(hydra.sweep.dir=...).", flush=True)  # fmt: skip
        self.progress = Progress(sweep_dir, total)
        self.progress.begin()

    def claim_folder(self, config: DictConfig, sweep_dir: Path) -> SweepPlan:
        """Hold the folder's lock for the whole sweep and record the sweep's plan in it.

        A folder with a link a run would write through, held by another process, or
        holding another sweep (``sandbox.experiments.sweep_plan``) is refused in one
        paragraph with exit code 2, before anything is written.
        """
        from hydra.core.global_hydra import GlobalHydra

        try:
            plan = planned(config, GlobalHydra.instance().config_loader(), sweep_dir)
            check_links(sweep_dir)
            check_folder(sweep_dir, plan)  # before the lock: a refused folder gets nothing
            sweep_dir.mkdir(parents=True, exist_ok=True)
            self.held = contextlib.ExitStack()
            self.held.enter_context(folder_lock(sweep_dir, wait=0))
            claim(sweep_dir, plan)
        except (SweepFolderError, FolderError) as err:
            print(f"sandbox-run: {err}", file=sys.stderr, flush=True)
            sys.exit(2)
        except Exception as err:  # Hydra would only warn, and run the sweep unclaimed
            reason = f"{type(err).__name__}: {err}"
            print(f"sandbox-run: the sweep folder {sweep_dir} could not be prepared "
                  f"({reason}); nothing was run.", file=sys.stderr, flush=True)  # fmt: skip
            sys.exit(1)
        return plan

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        """Stop the progress line; collect the tables; print the comparison table; write
        the report and print its path; exit 1 unless every run is done.

        Each run that is not done is listed with its folder and the first line of its
        error, so that a sweep never ends quietly with holes in its tables. A comparison
        or report that cannot be made (a sweep of the baseline policy only, no run done)
        is said on stderr and does not change the exit status.
        """
        if self.progress is not None:
            self.progress.end()
        if _own_store(config):
            return
        sweep_dir = Path(config.hydra.sweep.dir)
        try:
            if self._end(sweep_dir):  # every run done: the next launch skips them
                folders = config_folders(config.hydra.runtime.config_sources)
                if folders is not None:
                    stamp(sweep_dir, configs_sha256(folders))
        finally:
            if self.held is not None:
                self.held.close()

    def _end(self, sweep_dir: Path) -> bool:
        """Collect, compare, rank and report; True when every run is done (else exit 1)."""
        try:
            runs, timeseries = collect(sweep_dir)
        except (MixedCodeError, FolderError) as err:
            print(f"sandbox-run: {err}", file=sys.stderr, flush=True)
            sys.exit(2)
        print(f"collected: {runs}, {timeseries} and {runs.with_name(PROVINCES)}", flush=True)
        if self.baseline is not None:
            try:
                print(write_comparison(sweep_dir, self.baseline, self.lever), flush=True)
                breakdown = write_breakdown(sweep_dir, self.baseline, self.lever)
                if breakdown:
                    print(breakdown, flush=True)
            except ValueError as err:
                print(f"sweep: no comparison table: {err}", file=sys.stderr, flush=True)
        if self.rank_by:
            try:
                print(write_ranking(sweep_dir, self.rank_by, self.rank_reference), flush=True)
            except (ValueError, KeyError) as err:
                print(f"sweep: no ranking table: {err}", file=sys.stderr, flush=True)
        report = report_of(sweep_dir)
        table = pd.read_parquet(runs, columns=["status"])
        bad = not_done(runs, sweep_dir)
        if bad:
            print(f"sweep: {len(bad)} of {len(table)} runs did not complete:", file=sys.stderr)
            print("\n".join(bad), file=sys.stderr, flush=True)
        if report is not None:
            print(f"report: {report}", flush=True)
        if len(bad):
            sys.exit(1)
        return True


def report_of(sweep_dir: Path) -> Path | None:
    """Write the sweep's report; its path, or None (said on stderr) when it cannot be made.

    Any error is reported rather than raised: Hydra turns an exception in a callback into
    a warning and skips the rest of ``on_multirun_end``, the sweep's exit status included.
    """
    from sandbox.experiments.report import NotASweepError, write_report  # matplotlib

    try:
        return write_report(sweep_dir)
    except NotASweepError as err:
        print(f"sweep: no report: {err}", file=sys.stderr, flush=True)
    except Exception as err:  # any error: see the docstring
        print(
            f"sweep: the report could not be written ({type(err).__name__}: {err}); "
            f"try again with: sandbox-report {sweep_dir}",
            file=sys.stderr,
            flush=True,
        )
    return None
