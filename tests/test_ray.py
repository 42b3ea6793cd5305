"""``hydra/launcher=ray`` on a local Ray cluster that the test starts and stops.

The cluster is started in a folder of its own, which becomes its workers' working
directory, and the sweep joins it by address from another folder: the runs must equal the
serial sweep's, land in the launching folder, and re-run bit for bit from their saved
configs. This is where Hydra's Ray launcher goes wrong out of the box (its
``object_store_memory`` default makes joining a cluster fail; a sweep folder resolved in
the worker lands in the node's folder).

The cluster uses Ray's token authentication and nothing in the user's home. Ray keeps its
token in ``~/.ray/auth_token`` unless ``RAY_AUTH_TOKEN_PATH`` names another file; with
``RAY_AUTH_MODE=token``, ``ray start`` refuses to start without one (without that variable
and without a token it starts a cluster anyone can use, with a warning). The test writes
a fresh token to a temporary file and gives ``RAY_AUTH_MODE=token`` and
``RAY_AUTH_TOKEN_PATH`` to the node and to the sweep, which must have both: a driver
joining by address does not turn authentication on by itself. The node's temp dir
(sessions, logs, sockets, and the token) is a short temporary folder under ``/tmp``, as a
Unix socket path has at most about 107 bytes; it is deleted afterwards.

``ray stop`` would stop every Ray process of this user on the machine (other clusters on
a shared node). The node is ``ray start --block`` in a session of its own instead: Ray's
processes stay in that session (workers make process groups of their own, not sessions),
SIGTERM makes ``ray start`` stop the processes it started, and whatever of the session
outlives it is killed. The test checks that nothing of the session is left, that no
process names the node's temp dir, and that a process ``ray stop`` would take for one of
Ray's, outside the session, is still running.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pandas as pd
import pytest

from sandbox.experiments.reproduce import reproduce
from tests.test_sweeps import SWEEP, sweep, tables

if not os.environ.get("CI"):  # `make test` installs the `ray` extra; CI must not skip this
    pytest.importorskip("ray", reason="the `ray` extra is not installed")

RAY = Path(sys.executable).with_name("ray")
STARTED = "Ray runtime started."  # what `ray start` prints once the node is up


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def processes() -> list[tuple[int, str]]:
    """``(pid, command line)`` of every process on the machine that has not exited."""
    ps = subprocess.run(["ps", "-A", "-ww", "-o", "pid=,stat=,command="], capture_output=True,
                        text=True, check=True)  # fmt: skip
    rows = [[*line.split(None, 2), ""][:3] for line in ps.stdout.splitlines()]
    return [(int(pid), command) for pid, stat, command in rows if not stat.startswith("Z")]


def in_session(session: int) -> list[tuple[int, str]]:
    """The processes of ``session`` that have not exited."""
    found = []
    for pid, command in processes():
        with suppress(OSError):  # gone since `ps` listed it
            if os.getsid(pid) == session:
                found.append((pid, command))
    return found


class Node:
    """A one-node Ray cluster: ``ray start --head --block`` in a session of its own."""

    def __init__(self, folder: Path, temp_dir: Path) -> None:
        self.folder, self.temp_dir = folder, temp_dir
        token = temp_dir / "auth_token"
        token.touch(mode=0o600)
        token.write_text(secrets.token_hex(32))
        # what `ray start` and a driver joining the node need
        self.env = {**os.environ, "RAY_AUTH_MODE": "token", "RAY_AUTH_TOKEN_PATH": str(token)}
        port = free_port()
        self.address = f"127.0.0.1:{port}"
        # free ports only, so that it runs beside a cluster on Ray's default ports
        start = [str(RAY), "start", "--head", "--block", f"--port={port}",
                 f"--temp-dir={temp_dir}", "--num-cpus=2", "--include-dashboard=false",
                 "--disable-usage-stats", f"--ray-client-server-port={free_port()}",
                 f"--dashboard-port={free_port()}",
                 f"--dashboard-agent-listen-port={free_port()}"]  # fmt: skip
        # Ray drains a node for up to 30 s on SIGTERM; this one has nothing to drain
        env = {**self.env, "RAY_GRACEFUL_SHUTDOWN_DRAIN_TIMEOUT_S": "0"}
        self.process = subprocess.Popen(start, cwd=folder, env=env, text=True,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        start_new_session=True)  # fmt: skip
        self.session = self.process.pid  # a session's id is its leader's pid
        self.stopped = False
        self.output: list[str] = []
        self.up = threading.Event()
        threading.Thread(target=self._follow, daemon=True).start()

    def _follow(self) -> None:
        """Read `ray start`'s output to its end (so that it never blocks writing it)."""
        for line in self.process.stdout:
            self.output.append(line)
            if STARTED in line:
                self.up.set()
        self.up.set()

    def wait_until_up(self) -> None:
        self.up.wait(timeout=180)
        assert any(STARTED in line for line in self.output), "".join(self.output)[-2000:]

    def stop(self) -> None:
        """Stop this node's processes, and no other process."""
        if self.stopped:  # its session id may name another session by now
            return
        self.stopped = True
        if self.process.poll() is None:
            self.process.terminate()  # `ray start --block` stops its node on SIGTERM
            with suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=120)
        left = in_session(self.session)  # whatever outlived `ray start`
        for _ in range(100):  # a killed process is gone after a round or two
            if not left:
                break
            for pid, _command in left:
                with suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            left = in_session(self.session)
        self.process.wait()


@contextmanager
def ray_node(folder: Path) -> Iterator[Node]:
    """A one-node, two-CPU Ray cluster started in ``folder``; stopped on the way out."""
    # The node's sessions, logs, sockets and token. Short: a Unix socket path has ~107 bytes.
    temp_dir = Path(tempfile.mkdtemp(prefix="ray", dir="/tmp"))
    try:
        node = Node(folder, temp_dir)
        try:
            node.wait_until_up()
            yield node
        finally:
            node.stop()
    finally:
        shutil.rmtree(temp_dir, ignore_errors=True)


@contextmanager
def bystander() -> Iterator[subprocess.Popen]:
    """A process outside the node's session that ``ray stop`` would stop as one of Ray's."""
    decoy = [sys.executable, "-c", "import sys; sys.stdin.read()", "log_monitor.py"]
    process = subprocess.Popen(decoy, stdin=subprocess.PIPE, start_new_session=True)
    try:
        yield process
    finally:
        process.stdin.close()  # it ends at the end of its input
        process.wait(timeout=60)


@pytest.fixture
def node(tmp_path: Path) -> Iterator[Node]:
    folder = tmp_path / "ray_node"
    folder.mkdir()
    with ray_node(folder) as started:
        yield started


def test_ray_cluster_gives_the_serial_results_where_the_sweep_started(
    node: Node, tmp_path: Path
) -> None:
    serial = tmp_path / "serial"
    sweep(serial)
    project = tmp_path / "project"
    project.mkdir()
    args = [sys.executable, "-c", "from sandbox.cli import main; main()", *SWEEP,
            "hydra.sweep.dir=${cwd:}/sweep", "hydra/launcher=ray",
            f"hydra.launcher.ray.init.address={node.address}"]  # fmt: skip
    done = subprocess.run(args, cwd=project, env=node.env, capture_output=True, text=True,
                          timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Connecting to existing Ray cluster" in done.stdout + done.stderr
    assert not list(node.folder.rglob("manifest.json")), "runs landed in the node's folder"
    for a, b in zip(tables(serial), tables(project / "sweep"), strict=True):
        pd.testing.assert_frame_equal(a, b)
    # a run made on Ray re-runs bit for bit from its saved config
    job = project / "sweep" / tables(serial)[0]["job"].iloc[0]
    assert reproduce(job) is None
    # stopping the node ends every process of its session, and no other process
    ours = [command for _pid, command in in_session(node.session)]
    assert any("raylet" in c for c in ours) and any("gcs_server" in c for c in ours), ours
    with bystander() as other:
        node.stop()
        assert in_session(node.session) == [], "processes of the node outlived it"
        assert not [c for _pid, c in processes() if str(node.temp_dir) in c]
        assert other.poll() is None, "a process outside the node's session was stopped"
