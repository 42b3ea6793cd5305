"""Markdown for the reports: a cell's text and a pipe table of a data frame."""

from __future__ import annotations

import pandas as pd


def cell(value: object) -> str:
    """``value`` as the text of one table cell (pipes escaped, on one line)."""
    return str(value).replace("|", "\\|").replace("\n", " ")


def markdown_table(frame: pd.DataFrame) -> str:
    """A pipe table of ``frame``, its index (named by its names) as the first column."""
    head = [", ".join(str(n) for n in frame.index.names if n is not None), *frame.columns]
    lines = ["| " + " | ".join(map(cell, head)) + " |", "|" + "---|" * len(head)]
    for key, row in zip(frame.index, frame.itertuples(index=False), strict=True):
        label = ", ".join(map(str, key)) if isinstance(key, tuple) else str(key)
        lines.append("| " + " | ".join(map(cell, [label, *row])) + " |")
    return "\n".join(lines)
