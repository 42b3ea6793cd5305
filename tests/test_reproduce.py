"""sandbox-reproduce tells its verdicts apart on freshly made sweeps: identical, identical
within tolerance on another platform, other code, other result; it refuses a run whose
saved config was edited after the run, and a bad ``--sample``, in one paragraph; each
manifest records the platform the run was computed on."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from threadpoolctl import threadpool_info

from sandbox.experiments import reproduce as reproduce_module
from sandbox.experiments.collect import job_dirs
from sandbox.experiments.provenance import code_fingerprint, compute_platform, file_sha256
from sandbox.experiments.reproduce import RTOL, Kind, check, main
from sandbox.experiments.store import SAVED_CONFIG
from tests.test_bad_input import ENTRY
from tests.test_platform import CORES, NO_AVX512

ROOT = Path(__file__).parents[1]
REPRODUCE = [sys.executable, "-c", "from sandbox.experiments.reproduce import main; main()"]
SWEEP = (
    "-m",
    "region=toy",
    "citizens.n=500",
    "horizon.end=2020-06",
    "policy.start=2020-01",
    "policy=status_quo,controlled_pilot",
    "hydra.sweep.subdir=${hydra:job.override_dirname}",
)
# NumPy's dispatch lowered and OpenBLAS's kernel forced: another platform on this machine
LOWERED = {"NPY_DISABLE_CPU_FEATURES": " ".join(NO_AVX512), "OPENBLAS_CORETYPE": "Sandybridge"}


def make_sweep(folder: Path, env: dict | None = None) -> Path:
    args = [sys.executable, "-c", ENTRY, *SWEEP, f"hydra.sweep.dir={folder}"]
    done = subprocess.run(args, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    return folder


@pytest.fixture(scope="module")
def swept(tmp_path_factory) -> Path:
    """A finished two-run sweep; tests copy it before they change anything."""
    return make_sweep(tmp_path_factory.mktemp("reproduce") / "sweep")


@pytest.fixture
def job(swept: Path, tmp_path: Path) -> Path:
    """A copy of the sweep's controlled_pilot run, alone in its folder."""
    (source,) = [j for j in job_dirs(swept) if "controlled_pilot" in j.name]
    target = tmp_path / "sweep" / source.name
    shutil.copytree(source, target)
    return target


def cli(folder: Path, *extra: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*REPRODUCE, str(folder), *extra], capture_output=True, text=True,
                          timeout=300, env=env)  # fmt: skip


def manifest_of(job: Path) -> dict:
    return json.loads((job / "manifest.json").read_text())


def write_manifest(job: Path, manifest: dict) -> None:
    (job / "manifest.json").write_text(json.dumps(manifest))


def nudge(job: Path, relative: float | None = None) -> str:
    """Change one stored number of the month-by-month table, by one unit in the last place
    (or by ``relative``), and its checksum with it, as another computation would have
    made it; returns the column changed."""
    path = job / "timeseries.parquet"
    frame = pd.read_parquet(path)
    column = "adoption"
    row = int(np.flatnonzero(frame[column].to_numpy() > 0)[-1])
    value = frame.loc[row, column]
    frame.loc[row, column] = (
        np.nextafter(value, 1.0) if relative is None else value * (1 + relative)
    )
    assert frame.loc[row, column] != value
    frame.to_parquet(path, index=False)
    manifest = manifest_of(job)
    manifest["files"]["timeseries.parquet"] = file_sha256(path)
    write_manifest(job, manifest)
    return column


def elsewhere(job: Path) -> None:
    """Record in the run's manifest that it was computed with OpenBLAS's Haswell kernel
    and NumPy's AVX2 code."""
    manifest = manifest_of(job)
    platform = manifest["compute_platform"]
    platform["blas"] = [{**b, "core": "Haswell"} for b in platform["blas"]]
    platform["numpy_simd"]["dispatched"] = ["X86_V3"]
    write_manifest(job, manifest)


def test_a_fresh_sweep_is_identical_and_exits_0(swept: Path) -> None:
    done = cli(swept)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.strip().splitlines()
    assert [line.rsplit(": ", 1)[1] for line in lines[:-1]] == ["identical", "identical"]
    assert lines[-1] == (
        "2 of 2 runs identical, 0 identical within tolerance on another platform, "
        "0 other code, 0 other result, 0 damaged"
    )


def test_a_reader_that_stops_early_ends_it_without_a_traceback(swept: Path) -> None:
    """``sandbox-reproduce S | head -1``: the pipe closes after the first line; the
    command stops quietly (exit 1) instead of printing a BrokenPipeError traceback."""
    process = subprocess.Popen([*REPRODUCE, str(swept)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)  # fmt: skip
    first = process.stdout.readline()
    process.stdout.close()  # as head does once it has its line
    stderr = process.stderr.read()
    assert process.wait(timeout=300) == 1
    assert first.rstrip().endswith(": identical")
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr


def test_the_manifest_records_the_platform(swept: Path) -> None:
    recorded = manifest_of(job_dirs(swept)[0])["compute_platform"]
    # against NumPy's and threadpoolctl's own reports, and the kernel's name
    simd = np.show_config(mode="dicts")["SIMD Extensions"]
    assert recorded["numpy_simd"] == {"baseline": simd["baseline"], "dispatched": simd["found"]}
    cores = {i["architecture"] for i in threadpool_info() if i["user_api"] == "blas"}
    assert {b["core"] for b in recorded["blas"]} <= cores and recorded["blas"][0]["version"]
    if Path("/proc/cpuinfo").is_file():
        assert f"model name\t: {recorded['cpu']}" in Path("/proc/cpuinfo").read_text()
    assert recorded["libc"] and recorded["builds"]["numpy"]["compilers"]


@pytest.mark.skipif(not (NO_AVX512 and "Sandybridge" in CORES), reason="needs AVX-512")
def test_a_sweep_made_at_a_lowered_level_reproduces_bit_for_bit(tmp_path: Path) -> None:
    folder = make_sweep(tmp_path / "lowered", env={**os.environ, **LOWERED})
    recorded = manifest_of(job_dirs(folder)[0])["compute_platform"]
    assert recorded["environment"] == LOWERED
    assert recorded["blas"][0]["core"] == "Sandybridge"
    assert not set(NO_AVX512) & set(recorded["numpy_simd"]["dispatched"])
    done = cli(folder)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count(": identical (recorded on another platform: ") == 2
    here = compute_platform()["blas"][0]["core"]
    assert f"recorded openblas {recorded['blas'][0]['version']} Sandybridge" in done.stdout
    assert f"here openblas {recorded['blas'][0]['version']} {here}" in done.stdout
    assert done.stdout.strip().splitlines()[-1].startswith("2 of 2 runs identical")


def test_a_last_bit_difference_on_another_platform_is_within_tolerance(job: Path) -> None:
    column = nudge(job)
    elsewhere(job)
    verdict = check(job)
    assert verdict.kind is Kind.WITHIN_TOLERANCE and verdict.same_numbers, verdict.text
    here = compute_platform()
    for words in ("Haswell", here["blas"][0]["core"], "X86_V3", f"{RTOL:g}", column):
        assert words in verdict.text
    done = cli(job.parent)
    assert done.returncode == 0, done.stdout
    assert ", 1 identical within tolerance on another platform," in done.stdout


@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("same platform", "but on the same platform"),
        ("no platform recorded", "but with no platform recorded"),
        ("beyond the tolerance", "beyond 1e-09"),
    ],
)
def test_a_difference_not_excused_by_the_platform_is_other_result(
    job: Path, case: str, words: str
) -> None:
    nudge(job, relative=1e-6 if case == "beyond the tolerance" else None)
    manifest = manifest_of(job)
    if case == "no platform recorded":
        del manifest["compute_platform"]
        write_manifest(job, manifest)
    elif case == "beyond the tolerance":
        elsewhere(job)
    verdict = check(job)
    assert verdict.kind is Kind.OTHER_RESULT and not verdict.same_numbers, verdict.text
    assert verdict.text.startswith("OTHER RESULT: timeseries.parquet: adoption at ")
    assert words in verdict.text
    if case == "same platform":
        done = cli(job.parent)
        assert done.returncode == 1
        assert ", 1 other result," in done.stdout


@pytest.fixture(scope="module")
def edited_code(tmp_path_factory) -> dict[str, str]:
    """An environment running a copy of the package with a comment added to one source
    file: another code fingerprint, the same numbers."""
    root = tmp_path_factory.mktemp("edited")
    shutil.copytree(ROOT / "src", root / "src", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "configs", root / "configs")
    model = root / "src" / "sandbox" / "model" / "metrics.py"
    model.write_text(model.read_text() + "\n# an edit\n")
    return {**os.environ, "PYTHONPATH": str(root / "src")}


def test_other_code_names_both_fingerprints_and_says_whether_results_differ(
    job: Path, edited_code: dict[str, str]
) -> None:
    made_by = manifest_of(job)["code_fingerprint"]
    done = cli(job.parent, env=edited_code)
    assert done.returncode == 1
    line, count = done.stdout.strip().splitlines()
    installed = re.search(r"installed code ([0-9a-f]{16})", line).group(1)
    assert installed not in (made_by, code_fingerprint())
    assert (
        f"OTHER CODE: made by code {made_by}, installed code {installed}; results identical" in line
    )
    assert ", 1 other code," in count
    nudge(job, relative=1e-6)
    line = cli(job.parent, env=edited_code).stdout.splitlines()[0]
    assert f"OTHER CODE: made by code {made_by}" in line
    assert "results differ: timeseries.parquet: adoption at " in line


def test_a_saved_config_edited_after_the_run_is_refused(job: Path, monkeypatch) -> None:
    recorded = manifest_of(job)["run_id"]
    config = job / SAVED_CONFIG
    text = config.read_text()
    assert re.search(r"^seed: \d+$", text, flags=re.M)
    config.write_text(re.sub(r"^seed: \d+$", "seed: 99", text, flags=re.M))

    def never(*args: object) -> None:
        raise AssertionError("a refused run is not re-run")

    monkeypatch.setattr(reproduce_module, "run", never)
    verdict = check(job)
    assert verdict.kind is Kind.DAMAGED, verdict.text
    assert verdict.text.startswith("DAMAGED: refused: its saved config")
    assert recorded in verdict.text and "edited after the run" in verdict.text
    done = cli(job.parent)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    line, count = done.stdout.strip().splitlines()
    assert "DAMAGED: refused:" in line and count.endswith(", 1 damaged")


@pytest.mark.parametrize("value", ["-1", "0", "three", "1.5"])
def test_a_bad_sample_gets_one_paragraph_and_exit_2(value: str, swept: Path, capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        main([str(swept), "--sample", value])
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("sandbox-reproduce: ") and "\n" not in err
    assert "--sample" in err and repr(value) in err and ">= 1" in err
