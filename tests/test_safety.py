"""Safety of ``sandbox-run``: no code runs from a config, no secret reaches an error or a
result, every bad or dangerous value is refused before any folder exists (for every job of
a sweep), job folders stay inside their sweep, and a failure to write while launching is
one paragraph."""

from __future__ import annotations

import hashlib
import os
import shutil
import string
import subprocess
import sys
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from sandbox.config.jobs import MAX_NAME_BYTES, safe_dirname
from sandbox.config.validate import BYTES_PER_CITIZEN

REPO = Path(__file__).parents[1]
ENTRY = "from sandbox.cli import main; main()"
TINY = (
    "region=toy",
    "citizens.n=300",
    "horizon.end=2019-03",
    "policy.start=2019-02",
    "output.print_summary=false",
)
CANARY = "canary-4b1d9e"  # an environment variable's value that must never be printed


def sandbox_run(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "SANDBOX_CANARY": CANARY, **(env or {})}
    return subprocess.run(
        [sys.executable, "-c", ENTRY, *args],
        capture_output=True, text=True, timeout=300, cwd=cwd, env=environment,
    )  # fmt: skip


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def one_paragraph(done: subprocess.CompletedProcess) -> str:
    """The error, checked to be one line starting with ``sandbox-run:``."""
    message = done.stderr.strip()
    assert "Traceback" not in done.stderr + done.stdout, done.stderr
    assert message.startswith("sandbox-run: ") and "\n" not in message, done.stderr
    return message


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> str:
    """A run's saved ``.hydra/config.yaml``: what ``--config-path`` is meant for."""
    folder = tmp_path_factory.mktemp("saved")
    done = sandbox_run(*TINY, f"hydra.run.dir={folder}", cwd=folder)
    assert done.returncode == 0, done.stderr
    return (folder / ".hydra" / "config.yaml").read_text()


@pytest.fixture
def evil_module(tmp_path: Path) -> tuple[dict, Path]:
    """A Python package that creates a marker folder when imported."""
    marker = tmp_path / "imported"
    package = tmp_path / "lib" / "evilmod"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(f"import os\nos.makedirs({str(marker)!r})\nx = 1\n")
    path = [str(tmp_path / "lib"), *filter(None, [os.environ.get("PYTHONPATH")])]
    return {"PYTHONPATH": os.pathsep.join(path)}, marker


# ------------------------------------------------------------- code from config
def config_cases(marker: Path, other: Path) -> dict[str, tuple[str, str]]:
    """name -> (YAML merged into a saved config, the key the refusal names)."""
    return {
        "callback target outside the project": (
            f"hydra:\n  callbacks:\n    evil:\n      _target_: os.mkdir\n      path: {marker}\n",
            "hydra.callbacks.evil._target_",
        ),
        "a target inside the sandbox package": (
            "hydra:\n  callbacks:\n    evil:\n"
            "      _target_: sandbox.experiments.atomic.Path.mkdir\n"
            f"      self: {marker}\n",
            "hydra.callbacks.evil._target_",
        ),
        "a defaults entry from a searchpath folder": (
            f"defaults:\n  - _self_\n  - extra: evil\nhydra:\n  searchpath: [file://{other}]\n",
            "hydra.callbacks.evil._target_",
        ),
        "a factory in job logging": (
            "hydra:\n  job_logging:\n    version: 1\n    formatters:\n      f:\n"
            f"        (): os.mkdir\n        path: {marker}\n",
            "hydra.job_logging.formatters.f.()",
        ),
        "a handler class that is code": (
            "hydra:\n  hydra_logging:\n    version: 1\n    handlers:\n      h:\n"
            f"        class: os.mkdir\n        path: {marker}\n",
            "hydra.hydra_logging.handlers.h.class",
        ),
        "a log file outside the run folder": (
            "hydra:\n  job_logging:\n    version: 1\n    handlers:\n      h:\n"
            f"        class: logging.FileHandler\n        filename: {marker}.log\n"
            "    root:\n      handlers: [h]\n",
            "hydra.job_logging.handlers.h.filename",
        ),
        "environment set for the job": (
            f"hydra:\n  job:\n    env_set:\n      PYTHONSTARTUP: {marker}\n",
            "hydra.job.env_set",
        ),
        "environment copied into the saved config": (
            "hydra:\n  job:\n    env_copy: [SANDBOX_CANARY]\n",
            "hydra.job.env_copy",
        ),
        "a secret read from the environment": (
            "region:\n  name: ${oc.env:SANDBOX_CANARY}\n",
            "region.name",
        ),
        "a resolver named by an interpolation": (
            "x: env\nregion:\n  name: ${oc.${x}:SANDBOX_CANARY}\n",
            "region.name",
        ),
        "overrides recorded by the config itself": (
            "hydra:\n  overrides:\n    hydra: ['+hydra.callbacks.x={_target_: os.mkdir, "
            f"path: {marker}}}']\n",
            "hydra.overrides.hydra",
        ),
        "a Ray cluster chosen by the config": (
            "defaults:\n  - override hydra/launcher: ray\n  - _self_\nhydra:\n  launcher:\n"
            "    ray:\n      init:\n        address: 10.0.0.1:6379\n",
            "hydra.launcher.ray.init.address",
        ),
        "a Ray runtime environment": (
            "defaults:\n  - override hydra/launcher: ray\n  - _self_\nhydra:\n  launcher:\n"
            "    ray:\n      init:\n        runtime_env:\n          pip: [evil]\n",
            "hydra.launcher.ray.init.runtime_env",
        ),
    }


def merged(saved: str, text: str) -> str:
    """A saved config with ``text`` merged in (YAML, so no key appears twice)."""
    data = yaml.safe_load(saved)
    for key, value in yaml.safe_load(text).items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key].update(value)
        else:
            data[key] = value
    return yaml.safe_dump(data, sort_keys=False)


@pytest.mark.parametrize("case", list(config_cases(Path("m"), Path("o"))))
def test_config_that_would_run_code_is_refused(case: str, saved: str, tmp_path: Path) -> None:
    marker, other = tmp_path / "marker", tmp_path / "other"
    (other / "extra").mkdir(parents=True)
    (other / "extra" / "evil.yaml").write_text(
        f"# @package hydra.callbacks\nevil:\n  _target_: os.mkdir\n  path: {marker}\n"
    )
    text, key = config_cases(marker, other)[case]
    folder = tmp_path / "downloaded"
    folder.mkdir()
    (folder / "config.yaml").write_text(merged(saved, text))
    for multirun in ([], ["-m"]):
        done = sandbox_run(*multirun, "--config-path", str(folder), "--config-name", "config",
                           cwd=tmp_path)  # fmt: skip
        assert done.returncode == 2, done.stderr
        message = one_paragraph(done)
        assert key in message
        assert CANARY not in done.stdout + done.stderr
        assert not marker.exists() and not Path(f"{marker}.log").exists()
        assert not (tmp_path / "results").exists()


COMMAND_LINE = {
    "callback added on the command line": (
        [],
        ["+hydra.callbacks.x={_target_: os.mkdir, path: MARKER}"],
        "hydra.callbacks.x._target_",
    ),
    "launcher setup lines": (
        [],
        ["hydra/launcher=submitit_slurm", "hydra.launcher.setup=['mkdir MARKER']"],
        "hydra.launcher.setup",
    ),
    "raw sbatch parameters": (
        [],
        ["hydra/launcher=submitit_slurm", "hydra.launcher.additional_parameters={export: X}"],
        "hydra.launcher.additional_parameters",
    ),
    "Ray setup hook": (
        [],
        ["hydra/launcher=ray", "+hydra.launcher.ray.init.runtime_env={pip: [evil]}"],
        "hydra.launcher.ray.init.runtime_env",
    ),
    "environment for the job": (
        [],
        ["+hydra.job.env_set.PYTHONSTARTUP=MARKER"],
        "hydra.job.env_set",
    ),
    "a secret from the environment": ([], ["region.name=${oc.env:SANDBOX_CANARY}"], "region.name"),
    "a secret in a sweep": ([], ["region.name=a,${oc.env:SANDBOX_CANARY}"], "region.name"),
    "a pickle to re-run": (["--experimental-rerun", "MARKER"], [], "--experimental-rerun"),
}


@pytest.mark.parametrize("case", list(COMMAND_LINE))
def test_command_line_that_would_run_code_is_refused(case: str, tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    flags, overrides, key = COMMAND_LINE[case]
    flags = [a.replace("MARKER", str(marker)) for a in flags]
    overrides = [a.replace("MARKER", str(marker)) for a in overrides]
    done = sandbox_run(*flags, "-m", *TINY, *overrides, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert key in one_paragraph(done)
    assert CANARY not in done.stdout + done.stderr
    assert not marker.exists() and not (tmp_path / "results").exists()


@pytest.mark.parametrize(
    ("where", "entry"),
    [("command line", "pkg://evilmod"), ("config file", "pkg://evilmod"),
     ("logging stream", "ext://evilmod.x")],
)  # fmt: skip
def test_modules_named_by_a_config_are_not_imported(
    where: str, entry: str, saved: str, evil_module, tmp_path: Path
) -> None:
    env, marker = evil_module
    folder = tmp_path / "downloaded"
    folder.mkdir()
    args = ["--config-path", str(folder), "--config-name", "config"]
    if where == "command line":
        (folder / "config.yaml").write_text(saved)
        args.append(f"hydra.searchpath=[{entry}]")
    elif where == "config file":
        (folder / "config.yaml").write_text(f"{saved}hydra:\n  searchpath: [{entry}]\n")
    else:
        (folder / "config.yaml").write_text(
            f"{saved}hydra:\n  hydra_logging:\n    version: 1\n    handlers:\n      h:\n"
            f"        class: logging.StreamHandler\n        stream: {entry}\n"
        )
    done = sandbox_run(*args, cwd=tmp_path, env=env)
    assert done.returncode == 2, done.stderr
    assert entry in one_paragraph(done)
    assert not marker.exists() and not (tmp_path / "results").exists()


# ------------------------------------------------------ output stays where named
@pytest.mark.parametrize(
    "setting",
    ["run:\n    dir: VICTIM", "sweep:\n    dir: VICTIM\n    subdir: '.'",
     "output_subdir: ../../../../VICTIM_NAME"],
)  # fmt: skip
def test_loaded_config_cannot_choose_where_output_goes(
    setting: str, saved: str, tmp_path: Path
) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "manifest.json").write_text('{"run_id": "earlier"}')
    (victim / "config.yaml").write_text("earlier: true\n")
    before = digest(victim)
    folder = tmp_path / "downloaded"
    folder.mkdir()
    hydra_block = "hydra:\n  " + setting.replace("VICTIM_NAME", victim.name).replace(
        "VICTIM", str(victim)
    )
    (folder / "config.yaml").write_text(f"{saved}{hydra_block}\n")
    multirun = ["-m"] if "sweep" in setting else []
    done = sandbox_run(*multirun, "--config-path", str(folder), "--config-name", "config",
                       cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert digest(victim) == before
    written = [p for p in (tmp_path / "results").rglob("manifest.json")]
    assert len(written) == 1


# ------------------------------------------------------------ job folder names
@given(st.text(max_size=400))
def test_job_folder_names_are_safe_bounded_and_deterministic(name: str) -> None:
    folder = safe_dirname(name)
    assert folder == safe_dirname(name)
    assert "/" not in folder and "\\" not in folder and "\0" not in folder
    assert ".." not in folder and not folder.startswith(".")
    assert len(folder.encode()) <= MAX_NAME_BYTES
    assert set(folder) <= set(string.ascii_letters + string.digits + "._=,+-")


@given(st.text(max_size=300), st.text(max_size=300))
def test_different_jobs_never_share_a_folder(a: str, b: str) -> None:
    if a != b:
        assert safe_dirname(a) != safe_dirname(b)


def test_safe_names_are_kept_so_existing_sweeps_resume() -> None:
    name = "data=fragmented,policy=status_quo,replicate=0,resources=central_budget"
    assert safe_dirname(name) == name
    assert safe_dirname("policy.sandbox.exposure_cap=0.05") == "policy.sandbox.exposure_cap=0.05"


def test_job_folders_stay_inside_a_joblib_sweep(tmp_path: Path) -> None:
    """Worker processes resolve each job's folder with ${safe_dirname:...}: long names and
    values with ../ stay inside the sweep folder."""
    sweep = tmp_path / "sweep"
    design = [f"policy.sandbox.{k}" for k in ("call_interval=3", "capacity=10", "max_duration=12",
              "exposure_cap=0.05", "monitoring=0.4", "graduation_evidence=0.5")]  # fmt: skip
    done = sandbox_run(
        "-m", "experiment=sandbox_design", *TINY, *design, "replicate=0",
        "region.name=../../escaped,x/../../../escaped", "citizens.trust_mean=0.5",
        "citizens.trust_drop=0.25", "citizens.abandon_prob=0.125", "pilots.scope=0.25",
        "hydra/launcher=joblib", "hydra.launcher.n_jobs=2", f"hydra.sweep.dir={sweep}",
        cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    runs = sorted(p.parent for p in sweep.rglob("manifest.json"))
    assert len(runs) == 2
    for run in runs:
        assert run.parent == sweep
        assert len(run.name.encode()) <= MAX_NAME_BYTES
    assert not list(tmp_path.rglob("escaped*"))


# --------------------------------------------------- every job checked up front
SWEEP_CASES = {
    "a count in one job": (["citizens.n=300,0"], ["citizens.n", "0", ">= 1", "citizens.n=0"]),
    "a secret file in one job": (
        ["region.table=toy.csv,/proc/self/environ"],
        ["region.table", "/proc/self/environ"],
    ),
    "fewer citizens than provinces": (["citizens.n=300,3"], ["citizens.n", ">= 4"]),
    "an experiment's own sweep": (
        ["experiment=phasing", "policy.phasing.n_waves=2,0"],
        ["policy.phasing.n_waves", "0"],
    ),
    "a sweep too large": (["replicate=range(2000000)"], ["at most 1,000,000 jobs"]),
    "a range step of zero": (["citizens.trust_mean=range(0,1,0)"], ["range", "step"]),
    "a float range step of zero": (["citizens.trust_mean=range(0.0,1.0,0.0)"], ["step"]),
}


@pytest.mark.parametrize("case", list(SWEEP_CASES))
def test_a_bad_job_stops_the_sweep_before_its_folder_exists(case: str, tmp_path: Path) -> None:
    overrides, words = SWEEP_CASES[case]
    done = sandbox_run("-m", *TINY, "policy=status_quo,controlled_pilot", *overrides,
                       cwd=tmp_path)  # fmt: skip
    assert done.returncode == 2, done.stderr
    message = one_paragraph(done)
    for word in words:
        assert word in message
    assert CANARY not in done.stdout + done.stderr
    assert not (tmp_path / "results").exists()


# ------------------------------------------ values that would hang or exhaust
VALUE_CASES = {
    "infinite citizens": (["citizens.n=1e400"], ["citizens.n", "1e400"]),
    "a 400-digit population": (["citizens.n=" + "9" * 400], ["citizens.n", "memory"]),
    "more citizens than memory": (["citizens.n=100000000000000"], ["citizens.n", "GiB"]),
    "fewer citizens than provinces": (["citizens.n=3"], ["citizens.n", ">= 4"]),
    "a horizon past 2100": (["horizon.end=2101-01"], ["horizon.end", "2100-12"]),
    "a horizon before 1990": (["horizon.start=1989-12"], ["horizon.start", "1990-01"]),
    "absurd substeps": (["citizens.substeps=100000000"], ["citizens.substeps", "at most 100"]),
    "absurd firm count": (["firms.sme.count=1000000000"], ["firms.sme.count", "at most"]),
    "a list of text": (["citizens.age_shares=[a,b]"], ["citizens.age_shares", "list"]),
    "a dict for a count": (["citizens.n={a: 1}"], ["citizens.n", "whole number"]),
    "a number for a list": (["citizens.age_shares=0.5"], ["citizens.age_shares", "list"]),
    "a malformed override": (["citizens.n=("], ["citizens.n=(", "grammar"]),
    "a sweep without --multirun": (["policy=status_quo,phased"], ["policy=status_quo,phased"]),
}


@pytest.fixture(scope="module")
def earlier_run(tmp_path_factory) -> Path:
    """A finished run's folder, made once: each case refuses a value over a copy of it."""
    folder = tmp_path_factory.mktemp("earlier") / "run"
    done = sandbox_run(*TINY, f"hydra.run.dir={folder}", cwd=folder.parent)
    assert done.returncode == 0, done.stderr
    return folder


@pytest.mark.parametrize("case", list(VALUE_CASES))
def test_dangerous_value_is_refused_and_earlier_run_kept(
    case: str, earlier_run: Path, tmp_path: Path
) -> None:
    earlier = tmp_path / "earlier"
    shutil.copytree(earlier_run, earlier)
    before = digest(earlier)
    assert (earlier / ".hydra" / "config.yaml").is_file() and len(before) >= 4
    overrides, words = VALUE_CASES[case]
    done = sandbox_run(*TINY, *overrides, f"hydra.run.dir={earlier}", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    message = one_paragraph(done)
    for word in words:
        assert word in message
    assert digest(earlier) == before


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--config-name", "confg"], ["--config-name", "confg", "config"]),
        (["region=toy", "--config-path", "CONFIGS"], ["region=toy", "--config-path"]),
        (["--no-such-flag"], ["--no-such-flag", "--multirun"]),
    ],
)
def test_command_line_mistakes_get_one_paragraph(args, words, tmp_path: Path) -> None:
    args = [a.replace("CONFIGS", str(REPO / "configs")) for a in args]
    done = sandbox_run(*args, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    message = one_paragraph(done)
    for word in words:
        assert word in message
    assert not (tmp_path / "results").exists()


def test_memory_estimate_covers_what_citizens_take() -> None:
    """The bytes per citizen used to refuse ``citizens.n`` bound the peak memory of
    building the population (one province: the largest segment, the worst case)."""
    from sandbox.config.params import CitizenParams
    from sandbox.model.citizens import Citizens
    from sandbox.regions import load_region

    n = 200_000
    tracemalloc.start()
    Citizens(CitizenParams(n=n), load_region("single.csv"), np.random.default_rng(0))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak / n <= BYTES_PER_CITIZEN


# ------------------------------------------------------------ secrets in errors
def table_cases(folder: Path) -> dict[str, tuple[Path, list[str]]]:
    good = (REPO / "src/sandbox/regions/toy.csv").read_text()
    header, *rows = good.splitlines()
    link = folder / "link.csv"
    link.symlink_to("/proc/self/environ")
    fifo = folder / "fifo.csv"
    os.mkfifo(fifo)
    secret = folder / "secret.csv"
    secret.write_text(f"TOKEN={CANARY},x\n{CANARY},1\n")
    huge = folder / "huge.csv"
    huge.write_text("\n".join([header, rows[0].replace(rows[0].split(",")[5], "1e400"), *rows[1:]]))
    inf = folder / "inf.csv"
    inf.write_text("\n".join([header, rows[0].replace(rows[0].split(",")[5], "inf"), *rows[1:]]))
    return {
        "the environment": (Path("/proc/self/environ"), ["region.table", "regular file"]),
        "a link to the environment": (link, ["region.table", "regular file"]),
        "a FIFO": (fifo, ["region.table", "regular file"]),
        "a file that is no region table": (secret, ["columns", "population_2019"]),
        "a population of 1e400": (huge, ["population_2019", "1e400"]),
        "an infinite population": (inf, ["population_2019", "inf"]),
    }


TABLE_CASES = [
    "the environment",
    "a link to the environment",
    "a FIFO",
    "a file that is no region table",
    "a population of 1e400",
    "an infinite population",
]


@pytest.mark.parametrize("case", TABLE_CASES)
@pytest.mark.parametrize("multirun", [False, True])
def test_region_table_never_leaks_into_errors(case: str, multirun: bool, tmp_path: Path) -> None:
    table, words = table_cases(tmp_path)[case]
    args = ["-m", "replicate=0,1"] if multirun else []
    done = sandbox_run(*args, *TINY, f"region.table={table}", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    message = one_paragraph(done)
    for word in words:
        assert word in message
    assert CANARY not in done.stdout + done.stderr
    assert not (tmp_path / "results").exists()


# ------------------------------------------------------- failures while writing
def test_full_disk_while_launching_is_one_paragraph(tmp_path: Path) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    run = tmp_path / "run"
    (run / ".hydra").mkdir(parents=True)
    (run / ".hydra" / "config.yaml").symlink_to("/dev/full")  # every write: ENOSPC
    done = sandbox_run(*TINY, f"hydra.run.dir={run}", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    message = one_paragraph(done)
    assert "No space left on device" in message and "ENOSPC" in message
    assert str(run / ".hydra" / "config.yaml") in message


def test_name_too_long_while_launching_is_one_paragraph(tmp_path: Path) -> None:
    run = tmp_path / ("x" * 300)
    done = sandbox_run(*TINY, f"hydra.run.dir={run}", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    message = one_paragraph(done)
    assert "File name too long" in message and "ENAMETOOLONG" in message
