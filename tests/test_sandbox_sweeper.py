"""The sandbox sweeper: Hydra's jobs and job numbers, in bounded batches, keeping nothing."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hydra._internal.core_plugins.basic_sweeper import BasicSweeper
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.core.utils import JobReturn, JobStatus

from hydra_plugins.sandbox_sweeper.sandbox_sweeper import (
    DEFAULT_BATCH,
    DropJobConfigs,
    SandboxSweeperConf,
    job_batches,
)
from tests.test_bad_input import ENTRY

COMMAND = ["b=x,y", "a=1,2,3", "c=5", "d=range(3)", "a=7,8", "e=[1,2]"]


@pytest.mark.parametrize("size", [None, 1, 4, 7, 12, 100])
def test_batches_are_hydras_batches(size: int | None) -> None:
    overrides = OverridesParser.create().parse_overrides(COMMAND)
    assert list(job_batches(overrides, size)) == BasicSweeper.split_arguments(overrides, size)


def test_batches_are_the_product_in_command_order() -> None:
    overrides = OverridesParser.create().parse_overrides(["p=u,v", "r=range(3)"])
    jobs = [job for batch in job_batches(overrides, 4) for job in batch]
    assert jobs == [[f"p={p}", f"r={r}"] for p, r in itertools.product("uv", range(3))]
    assert [len(b) for b in job_batches(overrides, 4)] == [4, 2]


def test_default_batch_is_bounded() -> None:
    assert SandboxSweeperConf().max_batch_size == DEFAULT_BATCH
    assert 0 < DEFAULT_BATCH <= 1000


def test_finished_job_keeps_neither_config() -> None:
    job = JobReturn(cfg={"a": 1}, hydra_cfg={"hydra": {}}, overrides=["a=1"])
    job.status = JobStatus.COMPLETED
    DropJobConfigs().on_job_end(config=None, job_return=job)
    assert job.cfg is None and job.hydra_cfg is None
    assert job.overrides == ["a=1"] and job.status is JobStatus.COMPLETED


def sweep(folder: Path, *extra: str) -> subprocess.CompletedProcess:
    args = [
        sys.executable, "-c", ENTRY, "-m", "region=toy", "citizens.n=200",
        "horizon.end=2019-03", "policy.start=2019-02", "policy=status_quo,controlled_pilot",
        "replicate=range(3)",
        "hydra/launcher=basic", f"hydra.sweep.dir={folder}", *extra,
    ]  # fmt: skip
    return subprocess.run(args, capture_output=True, text=True, timeout=300)


def test_batched_sweep_numbers_jobs_as_one_batch(tmp_path: Path) -> None:
    done = sweep(tmp_path, "hydra.sweeper.max_batch_size=4")
    assert done.returncode == 0, done.stderr[-2000:]
    expected = [
        [f"policy={p}", f"replicate={r}"]
        for p, r in itertools.product(["status_quo", "controlled_pilot"], range(3))
    ]
    for num, overrides in enumerate(expected):
        saved = yaml.safe_load((tmp_path / str(num) / ".hydra" / "overrides.yaml").read_text())
        assert [o for o in saved if o.split("=")[0] in ("policy", "replicate")] == overrides
        assert (tmp_path / str(num) / "manifest.json").is_file()
    assert not (tmp_path / str(len(expected))).exists()


@pytest.mark.parametrize("size", ["0", "-1"])
def test_bad_batch_size_is_a_config_error(tmp_path: Path, size: str) -> None:
    done = sweep(tmp_path / "sweep", f"hydra.sweeper.max_batch_size={size}")
    assert done.returncode == 2
    assert "hydra.sweeper.max_batch_size" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "sweep" / "0").exists()


IDENTITY = ["run_id", "lever_policy", "replicate", "reach", "adoption", "public_spending"]
NAMED = [  # folders named by the overrides, one key left out, a value swept beside a group
    "hydra.sweep.subdir=${hydra:job.override_dirname}",
    "hydra.job.config.override_dirname.exclude_keys=[region]",
    "citizens.n=200,300",
]


def _saved(folder: Path) -> dict[str, tuple]:
    """Each run folder's saved config and overrides, and what of its Hydra config does not
    name its sweep folder or launcher, by the folder's name."""
    out = {}
    for job in sorted(p.parent.parent for p in folder.glob("*/.hydra/config.yaml")):
        hydra = yaml.safe_load((job / ".hydra" / "hydra.yaml").read_text())["hydra"]
        out[job.name] = (
            (job / ".hydra" / "config.yaml").read_text(),
            (job / ".hydra" / "overrides.yaml").read_text(),
            hydra["overrides"]["task"], hydra["job"]["override_dirname"], hydra["job"]["num"],
            {k: v for k, v in hydra["runtime"]["choices"].items() if not k.startswith("hydra/")},
        )  # fmt: skip
    return out


@pytest.mark.parametrize("extra", [[], NAMED], ids=["numbered", "named"])
def test_a_batch_sweep_makes_the_same_runs_in_chunks(tmp_path: Path, extra: list[str]) -> None:
    """hydra/sweeper=batch: every run in the same folder, with the same saved config and
    results as one launcher job per run gives, from one launcher job per chunk (a chunk's
    jobs that differ in values only share one composition)."""
    plain = sweep(tmp_path / "plain", *extra)
    assert plain.returncode == 0, plain.stderr[-2000:]
    batch = sweep(tmp_path / "batch", *extra, "hydra/sweeper=batch", "hydra.sweeper.chunk=4",
                  "hydra/launcher=joblib", "hydra.launcher.n_jobs=2")  # fmt: skip
    assert batch.returncode == 0, batch.stderr[-2000:]
    saved = _saved(tmp_path / "plain")
    assert len(saved) == 6 * (1 + bool(extra))
    assert _saved(tmp_path / "batch") == saved
    a, b = (pd.read_parquet(tmp_path / f / "runs.parquet")[IDENTITY] for f in ("plain", "batch"))
    pd.testing.assert_frame_equal(a, b)
    chunks = sorted((tmp_path / "batch" / ".batch").iterdir())
    assert [len(yaml.safe_load(p.joinpath("jobs.json").read_text())["jobs"]) for p in chunks]
    assert sum(len(yaml.safe_load((p / "jobs.json").read_text())["jobs"]) for p in chunks) == len(
        saved
    )
    assert all(not (p / ".hydra").exists() for p in chunks)


@pytest.mark.parametrize("chunk", ["0", "-2"])
def test_bad_chunk_size_is_a_config_error(tmp_path: Path, chunk: str) -> None:
    done = sweep(tmp_path / "sweep", "hydra/sweeper=batch", f"hydra.sweeper.chunk={chunk}")
    assert done.returncode == 2
    assert "hydra.sweeper.chunk" in done.stderr
    assert not (tmp_path / "sweep").exists()  # refused before the folder was made
