"""Ending a sweep's worker processes when the process that launched the sweep is gone.

A sweep's launching process (the one running Hydra's sweeper) may be killed outright
(``kill -9``, the out-of-memory killer, a lost session). Its joblib (loky) workers do not
notice while they run: each finishes its run, then takes the next one already queued to
it. Loky offers no setting for this, and the Linux parent-death signal
(``prctl(PR_SET_PDEATHSIG)``) would have to be set in each worker by loky, and fires when
the *thread* that started the worker ends, not the process.

So the launching process records itself in the environment (``mark_launcher``, called by
the sandbox sweeper before any worker exists): its pid, its start time (so that a reused
pid is not mistaken for it), its session and its host (hostname, boot time and pid
namespace), read with psutil. Workers inherit that variable. ``guard()``, called by each
job, starts once per process a daemon thread that ends the process (``os._exit``) as soon
as its parent changes or the launching process is gone, in a process that descends from
the launching process on the same host. A worker that takes its first job after the
launching process died is no longer its descendant; it is told by its session, which it
shares with the launching process, and ends at once. Nothing is done:

- in the launching process itself (Hydra's basic launcher runs jobs in-process);
- on another host (SLURM, a Ray cluster), where the recorded pid means nothing, and in a
  process on the same host that the launching process did not start (a SLURM task on the
  submitting node, a worker of a Ray cluster started with ``ray start``): SLURM tasks are
  meant to outlive the launching process (a sweep is finished by submitting it again),
  and Ray ends the tasks of a driver that died;
- without the variable (a sweep run with another sweeper).
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
import threading
import time
from dataclasses import dataclass

import psutil

ENV = "SANDBOX_SWEEP_LAUNCHER"
POLL_S = 0.5  # how often a guarded worker checks on the launching process
EXIT_STATUS = 1
THREAD_NAME = "sandbox-watchdog"
MAX_DEPTH = 64  # ancestors searched for the launching process

_lock = threading.Lock()
_decided_in: int | None = None  # pid of the process in which guard() has decided


@dataclass(frozen=True)
class Launcher:
    """A launching process as recorded in ``ENV``."""

    pid: int
    start: float | None  # its creation time (psutil), None when it could not be read
    session: int
    host: str


def _process(pid: int) -> psutil.Process | None:
    """The process ``pid`` (psutil), None when there is none or it cannot be seen."""
    try:
        return psutil.Process(pid)
    except (psutil.Error, ValueError):
        return None


def host_identity() -> str:
    """This host as seen by pids: hostname, boot time and (on Linux) pid namespace."""
    parts = [socket.gethostname(), repr(psutil.boot_time())]
    with contextlib.suppress(OSError):
        parts.append(os.readlink("/proc/self/ns/pid"))
    return "/".join(parts)


def launcher_token(pid: int | None = None) -> str:
    """The value of ``ENV`` recording ``pid`` (default: this process) on this host."""
    pid = os.getpid() if pid is None else pid
    process = _process(pid)
    try:
        start = "-" if process is None else repr(process.create_time())
    except psutil.Error:
        start = "-"
    return f"{pid} {start} {os.getsid(pid)} {host_identity()}"


def mark_launcher() -> None:
    """Record this process as the launching process for the processes it starts."""
    os.environ[ENV] = launcher_token()


def parse(token: str | None) -> Launcher | None:
    """The launching process recorded in ``token`` (None when absent or malformed)."""
    if not token:
        return None
    try:
        pid, start, session, host = token.split(" ", 3)
        return Launcher(int(pid), None if start == "-" else float(start), int(session), host)
    except ValueError:
        return None


def descends_from(pid: int) -> bool:
    """Whether ``pid`` is an ancestor of this process."""
    try:
        return any(parent.pid == pid for parent in psutil.Process().parents()[:MAX_DEPTH])
    except psutil.Error:
        return os.getppid() == pid  # the ancestors unreadable: only the parent can be told


def alive(launcher: Launcher) -> bool:
    """Whether the recorded launching process still runs (a zombie does not, nor a new
    process that reuses its pid)."""
    process = _process(launcher.pid)
    if process is None:
        return False
    try:
        if process.status() in (psutil.STATUS_ZOMBIE, psutil.STATUS_DEAD):
            return False
        return launcher.start is None or process.create_time() == launcher.start
    except psutil.NoSuchProcess:
        return False
    except psutil.Error:  # it exists but cannot be read (another user's)
        return True


def watched() -> tuple[Launcher, bool] | None:
    """The launching process this process must not outlive, and whether it is gone
    already; None when there is none (see the module's docstring)."""
    launcher = parse(os.environ.get(ENV))
    if launcher is None or launcher.pid == os.getpid() or launcher.host != host_identity():
        return None
    if alive(launcher):
        return (launcher, False) if descends_from(launcher.pid) else None
    return (launcher, True) if os.getsid(0) == launcher.session else None


def _end(launcher: Launcher) -> None:
    with contextlib.suppress(OSError, ValueError, AttributeError):
        message = (
            f"sandbox: the sweep's launching process {launcher.pid} is gone; "
            f"ending worker {os.getpid()}\n"
        )
        os.write(sys.stderr.fileno(), message.encode())
    os._exit(EXIT_STATUS)


def _watch(launcher: Launcher, parent: int) -> None:
    while True:
        time.sleep(POLL_S)
        if os.getppid() != parent or not alive(launcher):
            _end(launcher)


def guard() -> None:
    """In a sweep's worker, end this process promptly once the launching process is gone.

    Cheap and idempotent: the first call in a process decides (and starts the watching
    thread when needed), later calls return at once. Does nothing in the launching
    process, on another host, or outside a sandbox sweep (see the module's docstring).
    """
    global _decided_in
    pid = os.getpid()
    if _decided_in == pid:
        return
    with _lock:
        if _decided_in == pid:  # decided by another thread meanwhile
            return
        found = watched()
        if found is not None:
            launcher, gone = found
            if gone:
                _end(launcher)
            threading.Thread(
                target=_watch,
                args=(launcher, os.getppid()),
                name=THREAD_NAME,
                daemon=True,
            ).start()
        _decided_in = pid
