"""The experiments' notebooks: one per experiment config, each runs from top to bottom on the
stored tables (tests/data/analysis) with a kernel of this interpreter and an empty HOME,
draws figures and tables, and is committed without outputs or absolute paths."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml
from jupyter_client.kernelspec import NoSuchKernel
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

REPO = Path(__file__).resolve().parents[1]
# the sweeps (calibration is one fit, whose report sandbox-run writes: tests/test_fit.py)
EXPERIMENTS = sorted(
    p.stem for p in (REPO / "configs" / "experiment").glob("*.yaml") if p.stem != "calibration"
)
NOTEBOOKS = [REPO / "experiments" / name / f"{name}.ipynb" for name in EXPERIMENTS]
# analyses of a sampled design (the overlay sets design.analysis): sandbox-run writes their
# report into the design's folder, there is no sweep for sandbox-report to read
DESIGNS = {
    name
    for name in EXPERIMENTS
    if (yaml.safe_load((REPO / "configs" / "experiment" / f"{name}.yaml").read_text("utf-8"))
        .get("design", {}).get("analysis"))
}  # fmt: skip
CELL_TIMEOUT_S = 180
STARTUP_TIMEOUT_S = 120
# a path from the root of a file system: /home/..., /Users/..., C:\..., file:///...
ABSOLUTE = re.compile(
    r"""(?:^|[\s"'(=`])/(?:home|Users|root|tmp|work|mnt|opt|srv|var|scratch|private)/"""
    r"|\b[A-Za-z]:\\\\|file:///"
)
STRIP = ".venv/bin/python experiments/strip_outputs.py"


@pytest.fixture(scope="module")
def kernel(tmp_path_factory) -> str:
    """A kernel that runs this interpreter, with an empty HOME (as on a fresh machine).

    ``python3`` is ipykernel's own spec, installed in the environment; jupyter_client starts
    it with ``sys.executable``. Should it resolve to another interpreter (a user's spec of
    that name earlier on the Jupyter path), a spec of this interpreter is written into a
    temporary folder put first on ``JUPYTER_PATH``.
    """
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(home))
        for name in ("SANDBOX_RESULTS", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "IPYTHONDIR",
                     "MPLCONFIGDIR", "MPLBACKEND"):  # fmt: skip
            patch.delenv(name, raising=False)
        try:
            command = KernelManager(kernel_name="python3").format_kernel_cmd()
        except NoSuchKernel:
            command = []
        name = "python3"
        if not command or command[0] != sys.executable:
            name = "sandbox-tests"
            spec = tmp_path_factory.mktemp("jupyter") / "kernels" / name
            spec.mkdir(parents=True)
            (spec / "kernel.json").write_text(json.dumps({
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "sandbox tests", "language": "python",
            }))  # fmt: skip
            patch.setenv("JUPYTER_PATH", str(spec.parents[1]))
        assert KernelManager(kernel_name=name).format_kernel_cmd()[0] == sys.executable
        yield name


def execute(path: Path, kernel: str) -> nbformat.NotebookNode:
    """The notebook run from top to bottom in its own folder (as Jupyter would)."""
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(
        notebook,
        kernel_name=kernel,
        timeout=CELL_TIMEOUT_S,
        startup_timeout=STARTUP_TIMEOUT_S,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    return notebook


def outputs(notebook: nbformat.NotebookNode) -> list:
    return [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]


def printed(notebook: nbformat.NotebookNode) -> str:
    return "".join(o.text for o in outputs(notebook) if o.output_type == "stream")


def test_every_experiment_has_a_notebook_and_a_readme() -> None:
    assert EXPERIMENTS == ["ablation", "barriers", "experimental_alignment", "phasing",
                           "policy_comparison", "robustness", "sandbox_design",
                           "sensitivity"]  # fmt: skip
    assert sorted(DESIGNS) == ["robustness", "sensitivity"]
    index = (REPO / "experiments" / "README.md").read_text(encoding="utf-8")
    for name, path in zip(EXPERIMENTS, NOTEBOOKS, strict=True):
        assert path.is_file(), path
        readme = (path.parent / "README.md").read_text(encoding="utf-8")
        assert f"sandbox-run -m experiment={name}" in readme
        report = "report.md" if name in DESIGNS else "sandbox-report"
        assert report in readme and f"{name}.ipynb" in readme
        assert f"({name}/README.md)" in index and f"({name}/{name}.ipynb)" in index


@pytest.mark.parametrize("path", NOTEBOOKS, ids=EXPERIMENTS)
def test_notebook_is_committed_without_outputs_or_absolute_paths(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"strip it: {STRIP}"
    text = path.read_text(encoding="utf-8")
    assert str(REPO) not in text and str(Path.home()) not in text
    assert not ABSOLUTE.search(text), ABSOLUTE.search(text).group()
    assert f'"tests/data/analysis/{path.stem}"' in text.replace("\\", "")  # the default


@pytest.mark.parametrize("path", NOTEBOOKS, ids=EXPERIMENTS)
def test_notebook_runs_on_the_stored_tables(path: Path, kernel: str) -> None:
    notebook = execute(path, kernel)
    runs = pd.read_parquet(REPO / "tests" / "data" / "analysis" / path.stem / "runs.parquet")
    assert f"{len(runs)} done runs" in printed(notebook)
    kinds = [set(o.get("data", {})) for o in outputs(notebook)]
    assert sum("image/png" in k for k in kinds) >= 3  # figures, shown inline
    assert sum("text/html" in k for k in kinds) >= 1  # the comparison table
    assert not [o for o in outputs(notebook) if o.output_type == "error"]


def test_notebook_reads_the_folder_named_by_sandbox_results(tmp_path, kernel, monkeypatch):
    source = REPO / "tests" / "data" / "analysis" / "phasing"
    runs = pd.read_parquet(source / "runs.parquet")
    kept = runs[runs["replicate"] < 2]
    kept.to_parquet(tmp_path / "runs.parquet")
    series = pd.read_parquet(source / "timeseries.parquet")
    series[series["run_id"].isin(kept["run_id"])].to_parquet(tmp_path / "timeseries.parquet")
    copy = tmp_path / "notebook" / "phasing.ipynb"
    copy.parent.mkdir()
    shutil.copy(REPO / "experiments" / "phasing" / "phasing.ipynb", copy)
    monkeypatch.setenv("SANDBOX_RESULTS", str(tmp_path))  # absolute: taken as it is
    notebook = execute(copy, kernel)
    assert f"{len(kept)} done runs, 2 replicates" in printed(notebook)
