"""A sweep's workers end when its launching process is killed, and only then.

Processes count as gone when ``/proc`` no longer lists them or lists them as zombies
(an orphan's exit status waits for whatever adopted it).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sandbox.experiments import watchdog
from sandbox.experiments.watchdog import ENV, launcher_token, parse, watched
from tests.test_bad_input import ENTRY

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")

WAIT_S = 20  # bound on how long a worker may outlive its launching process
STARTUP_S = 120  # bound on how long a sweep may take to start its workers

CHILD = """
import os, threading, time
from sandbox.experiments.watchdog import THREAD_NAME, guard
guard(); guard(); guard()
count = sum(t.name == THREAD_NAME for t in threading.enumerate())
os.write(1, f"threads {os.getpid()} {count}\\n".encode())  # one write: atomic on a pipe
time.sleep(300)
"""

LAUNCHER = f"""
import os, subprocess, sys, time
from sandbox.experiments.watchdog import ENV, THREAD_NAME, guard, mark_launcher
mark_launcher()
guard()  # in the launching process itself: nothing
child = {CHILD!r}
guarded = subprocess.Popen([sys.executable, "-c", child])
unrecorded = subprocess.Popen([sys.executable, "-c", child],
                              env={{k: v for k, v in os.environ.items() if k != ENV}})
import threading
count = sum(t.name == THREAD_NAME for t in threading.enumerate())
os.write(1, f"launcher {{count}} {{guarded.pid}} {{unrecorded.pid}}\\n".encode())
time.sleep(300)
"""


def running(pid: int) -> bool:
    """Whether ``pid`` exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] not in "ZXx"


def children(pid: int) -> list[int]:
    """Processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def wait_until_gone(pids: list[int]) -> list[int]:
    """Poll until none of ``pids`` runs or ``WAIT_S`` passed; those still running."""
    deadline = time.monotonic() + WAIT_S
    while (left := [p for p in pids if running(p)]) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


# ---------------------------------------------------------------- who is watched


def test_token_records_pid_start_session_and_host() -> None:
    launcher = parse(launcher_token())
    assert launcher is not None
    assert launcher.pid == os.getpid() and launcher.session == os.getsid(0)
    # the start, read from /proc independently: boot time + clock ticks since boot
    own = Path("/proc/self/stat").read_text()
    ticks = int(own[own.rindex(")") + 2 :].split()[19])
    stat = Path("/proc/stat").read_text().splitlines()
    btime = next(int(line.split()[1]) for line in stat if line.startswith("btime"))
    assert launcher.start == pytest.approx(btime + ticks / os.sysconf("SC_CLK_TCK"), abs=0.05)
    assert launcher.host == watchdog.host_identity()
    for bad in (None, "", "garbage", "12 x 3 host", "12 34 host"):
        assert parse(bad) is None


def test_parent_is_watched_only_on_the_same_host(monkeypatch) -> None:
    token = launcher_token(os.getppid())
    monkeypatch.setenv(ENV, token)
    assert watched() == (parse(token), False)
    pid, start, session, host = token.split(" ", 3)
    monkeypatch.setenv(ENV, f"{pid} {start} {session} elsewhere/{host}")
    assert watched() is None
    monkeypatch.delenv(ENV)
    assert watched() is None


def test_a_reused_pid_is_not_the_launcher() -> None:
    launcher = parse(launcher_token(os.getppid()))
    assert launcher is not None and launcher.start is not None
    assert watchdog.alive(launcher)
    assert not watchdog.alive(dataclasses.replace(launcher, start=launcher.start + 1))


def test_launching_process_and_non_descendants_are_not_watched(monkeypatch) -> None:
    monkeypatch.setenv(ENV, launcher_token())
    assert watched() is None  # this process is the launching process
    sibling = subprocess.Popen(["sleep", "30"])
    try:
        monkeypatch.setenv(ENV, launcher_token(sibling.pid))
        assert watched() is None  # alive, on this host, but not an ancestor
    finally:
        sibling.kill()
        sibling.wait()


def test_dead_launcher_is_told_by_the_session(monkeypatch) -> None:
    same = subprocess.Popen(["sleep", "30"])
    other = subprocess.Popen(["sleep", "30"], start_new_session=True)
    tokens = {p: launcher_token(p.pid) for p in (same, other)}
    for process in (same, other):
        process.kill()
        process.wait()
    monkeypatch.setenv(ENV, tokens[same])
    assert watched() == (parse(tokens[same]), True)
    monkeypatch.setenv(ENV, tokens[other])
    assert watched() is None  # another session: a SLURM task, say, outlives it


# ---------------------------------------------------------------- process trees


def test_guarded_child_ends_when_its_launcher_is_killed() -> None:
    launcher = subprocess.Popen(
        [sys.executable, "-c", LAUNCHER], stdout=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        assert launcher.stdout is not None
        lines = [launcher.stdout.readline().split() for _ in range(3)]
        (_, in_launcher, guarded, unrecorded), *_ = [x for x in lines if x[0] == "launcher"]
        threads = {int(x[1]): int(x[2]) for x in lines if x[0] == "threads"}
        assert in_launcher == "0"
        assert threads == {int(guarded): 1, int(unrecorded): 0}
        os.kill(launcher.pid, signal.SIGKILL)  # the launcher only; not reaped yet
        assert wait_until_gone([int(guarded)]) == []
        assert running(int(unrecorded))  # without the record it would have stayed
    finally:
        kill_group(launcher)


def test_killed_sweep_leaves_no_worker(tmp_path: Path) -> None:
    folder = tmp_path / "sweep"
    args = [
        sys.executable, "-c", ENTRY, "-m", "citizens.n=200000", "horizon.end=2040-12",
        "replicate=range(6)", "hydra/launcher=joblib", "hydra.launcher.n_jobs=2",
        f"hydra.sweep.dir={folder}",
    ]  # fmt: skip
    sweep = subprocess.Popen(
        args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        deadline = time.monotonic() + STARTUP_S
        while len(list(folder.glob("*/.hydra/overrides.yaml"))) < 2:  # both workers busy
            assert sweep.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
        workers = children(sweep.pid)
        assert len(workers) >= 2
        assert not list(folder.glob("*/manifest.json"))  # runs are long enough
        os.kill(sweep.pid, signal.SIGKILL)  # the launching process only
        assert wait_until_gone(workers) == []
    finally:
        kill_group(sweep)
