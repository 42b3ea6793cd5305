"""Strip the outputs of the experiments' notebooks before committing them.

``.venv/bin/python experiments/strip_outputs.py [notebook ...]`` (default: every
``experiments/*/*.ipynb``) empties each code cell's outputs and execution count and drops
the metadata a run adds; ``tests/test_notebooks.py`` checks that this was done.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

RUN_METADATA = ("execution", "collapsed", "scrolled")


def strip(path: Path) -> bool:
    """Strip one notebook in place; whether it changed."""
    notebook = nbformat.read(path, as_version=4)
    before = nbformat.writes(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        for key in RUN_METADATA:
            cell.metadata.pop(key, None)
    notebook.metadata.pop("widgets", None)
    after = nbformat.writes(notebook)
    if after != before:
        path.write_text(after, encoding="utf-8")
    return after != before


def main(argv: list[str]) -> None:
    """Strip the notebooks named, or every notebook under ``experiments/``."""
    paths = [Path(a) for a in argv] or sorted(Path(__file__).parent.glob("*/*.ipynb"))
    for path in paths:
        print(f"{'stripped' if strip(path) else 'clean   '} {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
