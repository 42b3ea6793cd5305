"""An experiment's sweep folder is named by the command's settings: different settings
never share a folder (nor a table), the same command finds its own folder again."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from sandbox.config.sweep_folder import SAFE, suffix

SETTING = st.from_regex(r"[a-z_.]{1,12}=[a-z0-9_(),.]{1,12}", fullmatch=True)
IGNORED = st.sampled_from(("experiment=phasing", "output.print_summary=false",
                           "hydra/launcher=ray", "hydra.launcher.n_jobs=2"))  # fmt: skip


@given(st.lists(SETTING, max_size=6), st.lists(IGNORED, max_size=3), st.randoms())
def test_name_ignores_order_and_settings_that_change_nothing(settings, ignored, rnd) -> None:
    command = settings + ignored
    shuffled = command.copy()
    rnd.shuffle(shuffled)
    assert suffix(command) == suffix(shuffled) == suffix(settings)
    assert (suffix(command) == "") == (not settings)
    assert not SAFE.search(suffix(command)) and "/" not in suffix(command)


@given(st.lists(SETTING, min_size=1, max_size=4, unique=True), SETTING)
def test_another_setting_gives_another_name(settings, extra) -> None:
    if extra not in settings:
        assert suffix(settings) != suffix([*settings, extra])


# text a shell may pass, from few characters; "_/( é" all read "_" in a folder's name
MERGED = "_/( é"
TEXT = st.text("a." + MERGED, min_size=1, max_size=12)
ANY_SETTING = st.builds(lambda k, v: f"{k}={v}", st.from_regex(r"[a-z_.]{1,8}", fullmatch=True),
                        TEXT)  # fmt: skip


@given(st.lists(ANY_SETTING, min_size=1, max_size=4, unique=True), st.data())
def test_different_settings_never_share_a_folder(one, data) -> None:
    """A command whose values differ only in characters that escaping merges gets a folder
    of its own."""
    swap = st.sampled_from(MERGED)
    other = ["".join(data.draw(swap) if c in MERGED else c for c in o) for o in one]
    name = suffix(one)
    assert not SAFE.search(name) and len(name) <= 1 + 100
    if sorted(one) != sorted(other):
        assert name != suffix(other)


def test_escaped_names_carry_a_hash() -> None:
    # both used to be named ",region.table=data_a_b.csv" and pooled into one table
    one, other = suffix(["region.table=data/a/b.csv"]), suffix(["region.table=data/a_b.csv"])
    assert one != other
    assert one.startswith(",region.table=data_a_b.csv-")
    assert other.startswith(",region.table=data_a_b.csv-")
    assert suffix(["region.table=a_b.csv"]) == ",region.table=a_b.csv"  # safe: kept as typed


def sweep(cwd: Path, n: int) -> Path:
    args = [sys.executable, "-c", "from sandbox.cli import main; main()", "-m",
            "experiment=policy_comparison", "region=toy", f"citizens.n={n}",
            "horizon.end=2019-03", "policy.start=2019-02", "policy=status_quo,controlled_pilot",
            "resources=central_budget", "data=fragmented", "replicate=range(2)",
            "hydra/launcher=basic"]  # fmt: skip
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    (folder,) = [line.split()[1] for line in done.stdout.splitlines()
                 if line.startswith("collected:")]  # fmt: skip
    return Path(folder).parent


def test_sweeps_with_other_settings_get_their_own_folder(tmp_path: Path) -> None:
    small, other, again = sweep(tmp_path, 500), sweep(tmp_path, 600), sweep(tmp_path, 500)
    assert small == again != other
    assert small.parent == other.parent == tmp_path / "results" / "sweeps"
    assert small.name.startswith("policy_comparison,")
    for folder, n in ((small, 500), (other, 600)):
        runs = pd.read_parquet(folder / "runs.parquet")
        assert len(runs) == 4 and set(runs["uncertainty_citizens_n"]) == {n}
