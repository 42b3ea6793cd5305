"""Bad input: one clear paragraph naming key, value and what is allowed; exit != 0;
earlier results in the same folder untouched."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

ENTRY = "from sandbox.cli import main; main()"
BASE = (
    "region=toy",
    "citizens.n=500",
    "horizon.end=2019-06",
    "policy.start=2019-04",
    "output.print_summary=false",
)


def sandbox_run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", ENTRY, *args], capture_output=True, text=True, timeout=120
    )


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def earlier(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("earlier")
    done = sandbox_run(*BASE, f"hydra.run.dir={folder}")
    assert done.returncode == 0, done.stderr
    assert (folder / "manifest.json").is_file()
    return folder


@pytest.fixture(scope="module")
def bad_tables(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("tables")
    good = (Path(__file__).parents[1] / "src/sandbox/regions/toy.csv").read_text()
    header, *rows = good.splitlines()
    tables = {
        "missing_column": "\n".join([header.replace("urban_share_2019", "urban"), *rows]),
        "share_above_one": "\n".join([header, rows[0].replace("0.491989", "1.7"), *rows[1:]]),
        "bad_flag": "\n".join([header, rows[0].replace(",true,", ",yes,"), *rows[1:]]),
    }
    paths = {}
    for name, text in tables.items():
        paths[name] = folder / f"{name}.csv"
        paths[name].write_text(text + "\n")
    return paths


CASES = {
    "out of range": (["policy.sandbox.capacity=-1"], ["policy.sandbox.capacity", "-1", ">= 0"]),
    "probability": (["policy.adhoc.approval_prob=1.5"], ["approval_prob", "1.5", "[0, 1]"]),
    "count": (["citizens.n=0"], ["citizens.n", "0", ">= 1"]),
    "shares": (["citizens.age_shares=[0.5,0.6,0.1]"], ["age_shares", "summing to 1"]),
    "dates": (["horizon.start=2024-01", "horizon.end=2019-12"], ["horizon.end", "2019-12"]),
    "date format": (["horizon.start=2019/01"], ["horizon.start", "YYYY-MM"]),
    "choice": (["policy.phasing.order=alphabetical"], ["policy.phasing.order", "readiness"]),
    "wrong type": (["citizens.n=many"], ["citizens.n", "many"]),
    "misspelt key": (["policy.sandbox.capacty=3"], ["capacty", "capacity"]),
    "added key": (["+policy.sandbox.capacty=3"], ["capacty", "capacity"]),
    "removed key": (["~seed"], ["seed", "cannot be removed"]),
    "bad bool": (["citizens.homogeneous=maybe"], ["citizens.homogeneous", "true or false"]),
    "unknown option": (["policy=anarchy"], ["policy", "anarchy"]),
    "unknown launcher": (["hydra/launcher=rayy"], ["hydra/launcher", "rayy", "joblib"]),
    "no such file": (["region.table=/no/such.csv"], ["region.table", "/no/such.csv"]),
    "policy before the horizon": (
        ["policy.start=2018-06"],
        ["policy.start", "2018-06", "within the horizon (2019-01 to 2019-06)"],
    ),
    "policy after the horizon": (
        ["policy=controlled_pilot", "policy.start=2020-01"],
        ["policy.start", "2020-01", "2019-06 or earlier"],
    ),
    "design: one replicate": (
        ["design.analysis=robustness", "design.replicates=1"],
        ["design.replicates", "1", "[2, 1000]"],
    ),
    "design: unknown policy": (
        ["design.analysis=robustness", "design.policies=[status_quo,anarchy]"],
        ["design.policies", "anarchy", "facilitation"],
    ),
    "design: a policy twice": (
        ["design.analysis=robustness", "design.policies=[status_quo,status_quo]"],
        ["design.policies", "without repeats"],
    ),
    "a table the map cannot merge": (
        ["region=vietnam", "region.table=toy.csv", "horizon.end=2025-12"],
        ["merged_from", "region.merge_table", "vietnam_34.csv"],
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_value_is_reported_and_nothing_is_overwritten(case: str, earlier: Path) -> None:
    before = digest(earlier)
    overrides, words = CASES[case]
    done = sandbox_run(*BASE, *overrides, f"hydra.run.dir={earlier}")
    assert done.returncode == 2
    message = done.stderr + done.stdout
    for word in words:
        assert word in message, message
    assert "Traceback" not in message
    assert digest(earlier) == before


@pytest.mark.parametrize(
    ("table", "words"),
    [
        ("missing_column", ["columns", "urban_share_2019"]),
        ("share_above_one", ["urban_share_2019", "1.7", "[0, 1]", "Ha Noi"]),
        ("bad_flag", ["centrally_run", "yes", "true or false"]),
    ],
)
def test_bad_region_table_is_reported(table: str, words: list[str], earlier, bad_tables) -> None:
    before = digest(earlier)
    done = sandbox_run(*BASE, f"region.table={bad_tables[table]}", f"hydra.run.dir={earlier}")
    assert done.returncode == 2
    for word in words:
        assert word in done.stderr, done.stderr
    assert digest(earlier) == before


def test_config_with_code_to_instantiate_is_refused(tmp_path, earlier) -> None:
    folder = tmp_path / "downloaded"
    folder.mkdir()
    marker = tmp_path / "pwned"
    saved = (earlier / ".hydra" / "config.yaml").read_text()
    (folder / "config.yaml").write_text(
        saved
        + "hydra:\n  callbacks:\n    evil:\n      _target_: pathlib.Path.touch\n"
        + f"      self: {marker}\n"
    )
    done = sandbox_run("--config-path", str(folder), "--config-name", "config")
    assert done.returncode == 2
    assert "_target_" in done.stderr and "hydra.callbacks.evil._target_" in done.stderr
    assert not marker.exists()


def test_a_sweep_with_no_value_is_refused_and_makes_no_folder(tmp_path: Path) -> None:
    folder = tmp_path / "sweep"
    for empty in ("replicate=range(0)", "replicate=range(3,1)"):
        done = sandbox_run("-m", *BASE, empty, f"hydra.sweep.dir={folder}")
        assert done.returncode == 2
        assert "replicate" in done.stderr and "at least one value" in done.stderr
        assert not folder.exists()


def test_a_sweep_whose_levers_cannot_act_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "sweep"
    done = sandbox_run("-m", *BASE, "policy.start=2026-01", "policy=status_quo,facilitation",
                       f"hydra.sweep.dir={folder}")  # fmt: skip
    assert done.returncode == 2 and not folder.exists()
    assert "policy.start" in done.stderr and "Set policy.start to 2019-06 or earlier" in done.stderr


def test_a_history_only_run_may_end_before_the_policy_starts(tmp_path: Path) -> None:
    done = sandbox_run(*BASE, "policy.start=2026-01", f"hydra.run.dir={tmp_path / 'run'}")
    assert done.returncode == 0, done.stderr
