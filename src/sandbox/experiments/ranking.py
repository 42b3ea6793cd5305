"""The ranking file of a collected sweep: ``ranking_by_<by>.{parquet,txt}``, how the
options of a lever rank on each headline outcome under each option of another
(``sandbox.analysis.ranking``, where the ranks are set out)."""

from __future__ import annotations

from pathlib import Path

from sandbox.analysis.comparison import lever_column, read_runs
from sandbox.analysis.ranking import ranking_text
from sandbox.experiments.atomic import write_atomic
from sandbox.experiments.lock import writes_into_sweep


@writes_into_sweep
def write_ranking(sweep_dir: Path | str, by: str, reference: object, lever: str = "policy") -> str:
    """Rank ``lever``'s options within each option of ``by``; write
    ``ranking_by_<by>.parquet`` (the tidy ranks) and ``.txt`` (the ranks side by side);
    return the text."""
    sweep_dir = Path(sweep_dir)
    table, text = ranking_text(read_runs(sweep_dir), by, reference, lever)
    stem = sweep_dir / f"ranking_by_{lever_column(by).removeprefix('lever_')}"
    write_atomic(stem.with_suffix(".parquet"), lambda t: table.to_parquet(t))
    write_atomic(stem.with_suffix(".txt"), lambda t: t.write_text(text + "\n"))
    return text
