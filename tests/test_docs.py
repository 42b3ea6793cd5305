"""docs/parameters.md documents every parameter, docs/model.md every metric."""

from __future__ import annotations

import re
from pathlib import Path

from sandbox.config.params import Params
from sandbox.config.params_doc import render
from sandbox.config.validate import leaves
from sandbox.model.domains import DOMAINS
from sandbox.model.metrics import METRICS

DOCS = Path(__file__).parents[1] / "docs"
DOC = (DOCS / "model.md").read_text(encoding="utf-8")
PARAMETERS = (DOCS / "parameters.md").read_text(encoding="utf-8")
COLUMNS = ("key", "default", "unit", "range", "spread", "role", "source", "meaning")


def parameter_rows() -> dict[str, dict[str, str]]:
    """The rows of the tables of docs/parameters.md, by key."""
    rows = {}
    for line in PARAMETERS.splitlines():
        if line.startswith("| `"):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
            row = dict(zip(COLUMNS, cells, strict=True))
            rows[row["key"].strip("`")] = row
    return rows


def test_every_parameter_is_documented_with_unit_range_role_and_source() -> None:
    rows = parameter_rows()
    missing = [key for key, _ in leaves(Params()) if key not in rows]
    assert not missing, missing
    for key, _ in leaves(Params()):
        row = rows[key]
        assert all(row[c] for c in ("unit", "range", "source", "meaning")), row
        assert row["role"] in ("lever", "uncertainty", "setting"), row
    assert set(rows) == {key for key, _ in leaves(Params())}


def test_the_parameter_reference_is_the_generated_one() -> None:
    assert render() == PARAMETERS, (
        "docs/parameters.md is stale: python -m sandbox.config.params_doc docs/parameters.md"
    )


def test_model_description_links_the_parameter_reference() -> None:
    assert "(parameters.md)" in DOC


def documented(metric: str) -> bool:
    """A metric is named in the doc, by itself or as a per-domain or pilot-count family."""
    if f"`{metric}`" in DOC:
        return True
    for domain in DOMAINS:
        if metric.endswith(domain.key):
            return f"`{metric.removesuffix(domain.key)}<domain>`" in DOC
    return metric.startswith("pilots_") and f"`_{metric.removeprefix('pilots_')}`" in DOC


def test_every_metric_is_documented() -> None:
    assert not [m for m in METRICS if not documented(m)]


def test_every_parameter_key_the_docs_name_exists() -> None:
    # a key renamed or moved to another section must not live on in the prose
    keys = {key for key, _ in leaves(Params())}
    sections = {key.split(".")[0] for key in keys}
    texts = {path.name: path.read_text(encoding="utf-8") for path in DOCS.glob("*.md")}
    texts["README.md"] = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    unknown = [
        (name, named)
        for name, text in texts.items()
        for named in sorted(set(re.findall(r"`([a-z_]+(?:\.[a-z_0-9]+)+)", text)))
        if named.split(".")[0] in sections
        and not named.endswith((".py", ".md", ".json", ".yaml", ".csv", ".txt", ".parquet"))
        and named not in keys
        and not any(key.startswith(f"{named}.") for key in keys)
    ]
    assert not unknown, unknown
