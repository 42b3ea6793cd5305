"""One writer at a time on a sweep folder.

A sweep, ``sandbox-collect``, ``sandbox-compare`` and ``sandbox-report`` each write into a
sweep folder; two of them at once would replace each other's tables half-way (a collect
removes the collection it replaces). Each takes the folder's lock, ``<folder>/.lock``
(``filelock``: an advisory ``flock`` released by the kernel when its process ends, so a
killed process leaves no stale lock). The holder writes who it is beside the lock
(``.lock.holder``: command, process id, host and since when), so that a process that
cannot take the lock names the one that holds it.

A process may take the lock it holds again (a sweep collects, compares and reports under
the lock it took when it started): one ``FileLock`` per folder and process, counted.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import socket
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from sandbox.experiments.atomic import write_json

LOCK = ".lock"
HOLDER = ".lock.holder"
# how long collect, compare and report wait for a lock another process holds (seconds)
WAIT_ENV = "SANDBOX_LOCK_WAIT"
WAIT_S = 30.0


class FolderError(RuntimeError):
    """A sweep folder cannot be written now: busy, read-only, or with a link in the way."""


class FolderBusyError(FolderError):
    """Another process holds a sweep folder's lock."""


class FolderUnwritableError(FolderError):
    """A folder a command must write into cannot be written."""


def unwritable_message(folder: Path, err: OSError) -> str:
    """The paragraph of a command that cannot write into ``folder``."""
    reason = err.strerror or type(err).__name__
    return (
        f"{folder} cannot be written ({reason}): this command writes its tables, "
        "comparison or report into the sweep folder, and takes the folder's lock "
        f"({LOCK}) first. Make the folder writable (or copy it somewhere writable) and run "
        "the command again; nothing was computed or written."
    )


def _lock(folder: Path) -> FileLock:
    # one instance per folder and process (however the folder is named), so that taking
    # the lock again counts instead of waiting on this process's own lock
    return FileLock(Path(folder).resolve() / LOCK, is_singleton=True, thread_local=False)


def holder(folder: Path) -> str:
    """Who holds (or last held) the folder's lock, in words."""
    try:
        data = json.loads((Path(folder) / HOLDER).read_text(encoding="utf-8"))
        return (
            f"{data['command']!r} (process {data['pid']} on {data['host']}, since {data['since']})"
        )
    except (OSError, ValueError, KeyError, TypeError):
        return "another process (it left no record of itself)"


def busy_message(folder: Path, waited: float) -> str:
    """The paragraph of a process that could not take the lock."""
    how = f"after waiting {waited:g} s" if waited else "at once"
    return (
        f"{folder} is being written by {holder(folder)}: one process at a time writes into "
        f"a sweep folder (a sweep, sandbox-collect, sandbox-compare, sandbox-report), and "
        f"the lock {Path(folder) / LOCK} was not free {how}. Wait for it to end and run "
        "the command again, or write into another folder."
    )


@contextmanager
def folder_lock(folder: Path, wait: float | None = None) -> Iterator[None]:
    """Hold ``folder``'s lock (module docstring), waiting up to ``wait`` seconds (default:
    ``$SANDBOX_LOCK_WAIT``, else ``WAIT_S``).

    Raises:
        FolderBusyError: another process held it all that time (the message names it).
        FolderUnwritableError: the lock file cannot be made (a read-only folder).
    """
    folder = Path(folder)
    if wait is None:
        try:
            wait = float(os.environ.get(WAIT_ENV) or WAIT_S)
        except ValueError:
            wait = WAIT_S
    lock = _lock(folder)
    try:
        lock.acquire(timeout=wait)
    except Timeout:
        raise FolderBusyError(busy_message(folder, wait)) from None
    except OSError as err:
        raise FolderUnwritableError(unwritable_message(folder, err)) from None
    try:
        if lock.lock_counter == 1:
            write_json(
                folder / HOLDER,
                {
                    "command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]),
                    "pid": os.getpid(),
                    "host": socket.gethostname(),
                    "since": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                },
            )
        yield
    finally:
        lock.release()


def _is_sweep_folder(folder: Path) -> None:
    from sandbox.experiments.sweep_plan import SweepFolderError, check_sweep_folder

    try:
        check_sweep_folder(folder)
    except SweepFolderError as err:
        raise FolderError(str(err)) from None


def writes_into_sweep(
    function: Callable | None = None, *, check: Callable[[Path], None] = _is_sweep_folder
) -> Callable:
    """Decorate ``function(sweep_dir, ...)`` to run under the folder's lock, once ``check``
    has passed (by default: the folder is a sweep's) and the entries it writes through are
    checked to be no links (``sandbox.experiments.sweep_plan.check_links``). Nothing is
    written into a folder that fails either check.

    Raises:
        FolderError: the folder is not a sweep's, holds such a link, is busy, or cannot be
            written; ``check`` may raise its own error instead.
    """
    if function is None:
        return functools.partial(writes_into_sweep, check=check)

    @functools.wraps(function)
    def wrapper(sweep_dir, *args, **kwargs):
        from sandbox.experiments.sweep_plan import SweepFolderError, check_links

        check(Path(sweep_dir))
        try:
            check_links(Path(sweep_dir), deep=False)
        except SweepFolderError as err:
            raise FolderError(str(err)) from None
        with folder_lock(Path(sweep_dir)):
            return function(sweep_dir, *args, **kwargs)

    return wrapper
