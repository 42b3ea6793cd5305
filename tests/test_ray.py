"""``hydra/launcher=ray`` on a local Ray cluster that the test starts and stops.

The cluster is started in a folder of its own, which becomes its workers' working
directory, and the sweep joins it by address from another folder: the runs must equal the
serial sweep's, land in the launching folder, and re-run bit for bit from their saved
configs. This is where Hydra's Ray launcher goes wrong out of the box (its
``object_store_memory`` default makes joining a cluster fail; a sweep folder resolved in
the worker lands in the node's folder).

``ray stop`` stops every Ray process of this user on the machine, as Ray has no other way.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from sandbox.reproduce import reproduce
from tests.test_sweeps import SWEEP, sweep, tables

if not os.environ.get("CI"):  # `make test` installs the `ray` extra; CI must not skip this
    pytest.importorskip("ray", reason="the `ray` extra is not installed")

RAY = Path(sys.executable).with_name("ray")
# Ray's token authentication is on by default; a driver joining by address must be told.
ENV = {**os.environ, "RAY_AUTH_MODE": "token"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def node(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """(address, folder) of a one-node, two-CPU Ray cluster started in that folder."""
    folder = tmp_path_factory.mktemp("ray_node")
    address = f"127.0.0.1:{free_port()}"
    start = [str(RAY), "start", "--head", f"--port={address.split(':')[1]}", "--num-cpus=2",
             "--include-dashboard=false", "--disable-usage-stats"]  # fmt: skip
    started = subprocess.run(start, cwd=folder, env=ENV, capture_output=True, text=True,
                             timeout=180)  # fmt: skip
    assert started.returncode == 0, started.stderr[-2000:]
    try:
        yield address, folder
    finally:
        subprocess.run([str(RAY), "stop", "--force"], env=ENV, capture_output=True, timeout=120)


def test_ray_cluster_gives_the_serial_results_where_the_sweep_started(
    node: tuple[str, Path], tmp_path: Path
) -> None:
    address, node_folder = node
    serial = tmp_path / "serial"
    sweep(serial)
    project = tmp_path / "project"
    project.mkdir()
    args = [sys.executable, "-c", "from sandbox.cli import main; main()", *SWEEP,
            "hydra.sweep.dir=${cwd:}/sweep", "hydra/launcher=ray",
            f"hydra.launcher.ray.init.address={address}"]  # fmt: skip
    done = subprocess.run(args, cwd=project, env=ENV, capture_output=True, text=True,
                          timeout=300)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Connecting to existing Ray cluster" in done.stdout + done.stderr
    assert not list(node_folder.rglob("manifest.json")), "runs landed in the node's folder"
    for a, b in zip(tables(serial), tables(project / "sweep"), strict=True):
        pd.testing.assert_frame_equal(a, b)
    # a run made on Ray re-runs bit for bit from its saved config
    job = project / "sweep" / tables(serial)[0]["job"].iloc[0]
    assert reproduce(job) is None
