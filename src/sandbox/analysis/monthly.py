"""Summaries over time of a collected sweep, read a few months (or runs) at a time.

A sweep's ``timeseries.parquet`` (one row per run and month) and ``provinces.parquet``
(one row per run, month and province of its map) grow with the number of runs; a figure
over time needs only a summary per group of runs and month. ``OverTime`` holds one: the
long table of ``sandbox.analysis.summarise`` grouped by the levers and ``month``, with
each metric's lowest and highest value over every run and month (the figures clip their
axes to it).

- ``over_time``: from a table in memory (``Results.timeseries``, a spread);
- ``sweep_over_time``: from a sweep's ``timeseries.parquet``;
- ``sweep_spread_over_time``: the spread across provinces
  (``sandbox.analysis.equity.spread_across_provinces``) from its ``provinces.parquet``;
- ``sweep_months``: the months of a sweep's time series;
- ``open_sweep``: a sweep's runs in memory, its tables left on disk for the above
  (``SweepTables``: what ``sandbox-report`` reads).

A sweep's time series is read a few months at a time (about ``ROWS`` rows, at least two
months), with only the columns asked for, each batch joined to its runs' levers alone and
summarised: quantiles over runs need every run's value of a month at once, so no month is
split. Its per-province table is read a few runs at a time (``run_batches``), each run's
spread across provinces kept in a temporary file of one row per run and month, which is
summarised as the time series is. Memory follows the rows of a batch, not the sweep. The
numbers are those of ``summarise`` on the whole table (``Results.timeseries``,
``sweep_spread``): a group's rows of a month are the same rows in the same order.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from sandbox.analysis.columns import resolve, resolve_all
from sandbox.analysis.summary import QUANTILES, summarise
from sandbox.analysis.tables import PROVINCES, RUNS, TIMESERIES, as_month, join_runs

ROWS = 50_000  # rows of a table read at a time (whole months or runs)
READ_ROWS = 65_536  # rows decoded at a time while a batch is read (at most)


def _read_size(rows: int) -> int:
    """Rows decoded at a time for batches of about ``rows`` rows."""
    return min(READ_ROWS, max(rows, 1024))


@dataclass(frozen=True)
class OverTime:
    """A summary over time: ``summarise``'s long table by ``keys`` and ``month``.

    Attributes:
        table: ``summarise(frame, [*keys, "month"], metrics, level, quantiles, warn=False)``.
        keys: the lever columns grouped by (one line each in a figure).
        metrics: the metrics summarised, in the table's order.
        low: each metric's lowest value over every run and month (NaN: none).
        high: each metric's highest value over every run and month.
        level: the confidence level of the table's interval.
    """

    table: pd.DataFrame
    keys: list[str]
    metrics: list[str]
    low: pd.Series
    high: pd.Series
    level: float = 0.95

    def only(self, metrics: Sequence[str]) -> OverTime:
        """The same summary for some of its metrics."""
        missing = [m for m in metrics if m not in self.metrics]
        if missing:
            raise KeyError(f"{missing} not summarised (the summary has {self.metrics})")
        chosen = list(metrics)
        table = self.table[self.table["metric"].isin(chosen)]
        if chosen != [m for m in self.metrics if m in chosen]:  # another order of panels
            rank = {m: i for i, m in enumerate(chosen)}
            table = table.iloc[table["metric"].map(rank).argsort(kind="stable")]
        return OverTime(
            table.reset_index(drop=True),
            self.keys,
            chosen,
            self.low[chosen],
            self.high[chosen],
            self.level,
        )


def over_time(
    frame: pd.DataFrame,
    by: str | Sequence[str],
    metrics: str | Sequence[str],
    level: float = 0.95,
    quantiles: Sequence[float] = QUANTILES,
) -> OverTime:
    """The summary over time of a table in memory with one row per run and month.

    Args:
        frame: ``Results.timeseries``, a spread across provinces, or any table with
            ``month``, the ``by`` columns and the metrics.
        by: levers or columns whose combinations are summarised apart (``policy``).
        metrics: metric columns.
        level: confidence level of the interval.
        quantiles: quantiles over the group's runs (see ``summarise``).
    """
    keys = resolve_all(frame, by)
    names = [metrics] if isinstance(metrics, str) else list(metrics)
    chosen = [resolve(frame, m) for m in names]
    table = summarise(frame, [*keys, "month"], chosen, level, quantiles, warn=False)
    low = pd.Series({m: frame[m].min() for m in chosen}, index=chosen, dtype=object)
    high = pd.Series({m: frame[m].max() for m in chosen}, index=chosen, dtype=object)
    return OverTime(table, keys, chosen, low, high, level)


def sweep_months(path: Path | str) -> list[str]:
    """The months of a collected table (``timeseries.parquet`` or ``provinces.parquet``),
    as stored (``YYYY-MM``), in order; read one column, a batch at a time."""
    seen: set = set()
    for batch in pq.ParquetFile(path).iter_batches(batch_size=READ_ROWS, columns=["month"]):
        seen.update(pc.unique(batch.column(0)).to_pylist())
    seen.discard(None)
    return sorted(seen)


def month_batches(
    path: Path | str, columns: Sequence[str], rows: int | None = None
) -> Iterator[pd.DataFrame]:
    """A collected table's ``columns`` (``month`` among them), a few whole months at a
    time (about ``rows`` rows, at least two months when it has more than one), in order
    of months; each batch's rows in the table's order."""
    file = pq.ParquetFile(path)
    months = sweep_months(path)
    if not months:
        return
    rows = ROWS if rows is None else rows
    for chosen in _month_groups(months, file.metadata.num_rows, rows):
        wanted = pa.array(chosen, type=file.schema_arrow.field("month").type)
        parts = []
        for batch in file.iter_batches(batch_size=_read_size(rows), columns=list(columns)):
            keep = pc.is_in(batch.column("month"), value_set=wanted)
            if pc.any(keep).as_py():
                parts.append(batch.filter(keep))
        if parts:
            yield pa.Table.from_batches(parts).to_pandas()


def _month_groups(months: list, n_rows: int, rows: int) -> list[list]:
    """``months`` cut into consecutive groups of about ``rows`` rows (``n_rows`` in all),
    never of one month when there are more: pandas sums a lone group another way than
    one among several, which would change the last digit of a mean."""
    per_month = max(1, n_rows // len(months))
    step = max(2, rows // per_month)
    groups = [months[i : i + step] for i in range(0, len(months), step)]
    if len(groups) > 1 and len(groups[-1]) == 1:
        lone = groups.pop()
        groups[-1] = groups[-1] + lone
    return groups


@dataclass
class _Summaries:
    """Summaries of month batches, put together as ``summarise`` of the whole table."""

    keys: list[str]
    metrics: list[str]
    level: float
    quantiles: Sequence[float]

    def __post_init__(self) -> None:
        self.parts: list[pd.DataFrame] = []
        self.lows: list[pd.Series] = []
        self.highs: list[pd.Series] = []

    def add(self, frame: pd.DataFrame) -> None:
        if frame.empty:
            return
        table = summarise(
            frame, [*self.keys, "month"], self.metrics, self.level, self.quantiles, warn=False
        )
        self.parts.append(table)
        self.lows.append(pd.Series({m: frame[m].min() for m in self.metrics}, dtype=object))
        self.highs.append(pd.Series({m: frame[m].max() for m in self.metrics}, dtype=object))

    def result(self) -> OverTime | None:
        if not self.parts:
            return None
        table = pd.concat(self.parts, ignore_index=True)
        # summarise's order: metric by metric, groups sorted by the keys, then the month
        rank = table["metric"].map({m: i for i, m in enumerate(self.metrics)})
        order = table.assign(_metric=rank).sort_values(
            ["_metric", *self.keys, "month"], kind="stable", na_position="last"
        )
        table = table.loc[order.index].reset_index(drop=True)
        low = pd.Series(
            {m: pd.Series([s[m] for s in self.lows]).min() for m in self.metrics}, dtype=object
        )
        high = pd.Series(
            {m: pd.Series([s[m] for s in self.highs]).max() for m in self.metrics}, dtype=object
        )
        return OverTime(table, self.keys, list(self.metrics), low, high, self.level)


def sweep_over_time(
    folder: Path | str,
    runs: pd.DataFrame,
    by: str | Sequence[str],
    metrics: str | Sequence[str],
    level: float = 0.95,
    quantiles: Sequence[float] = QUANTILES,
    rows: int | None = None,
) -> OverTime:
    """``over_time(load_sweep(folder).timeseries, by, metrics, ...)`` for the runs of
    ``runs``, read from the sweep's ``timeseries.parquet`` a few months at a time.

    Args:
        folder: a collected sweep folder.
        runs: its runs (``Results.runs`` or a selection): whose rows are summarised, and
            the levers ``by`` names.
        by, metrics, level, quantiles: as in ``over_time``.
        rows: rows read at a time (whole months; default ``ROWS``).

    Raises:
        ValueError: no row of the time series belongs to ``runs``.
    """
    keys = resolve_all(runs, by)
    names = [metrics] if isinstance(metrics, str) else list(metrics)
    path = Path(folder) / TIMESERIES
    present = pq.read_schema(path).names
    missing = [m for m in names if m not in present]
    if missing:
        raise KeyError(f"{missing} are not columns of {path}")
    described = _described(runs, keys)
    summaries = _Summaries(keys, names, level, quantiles)
    for batch in month_batches(path, ["run_id", "month", *names], rows):
        summaries.add(join_runs(batch, described, joined=keys))
    result = summaries.result()
    if result is None:
        raise ValueError(f"{path} has no row of the {len(runs)} runs asked for")
    return result


@dataclass(frozen=True)
class SpreadOverTime:
    """The spread across provinces of a sweep's runs, summarised over time.

    Attributes:
        summary: the spread's statistics (``province_<value>_<statistic>``) by the levers
            and month, as ``over_time`` of ``sweep_spread``'s table gives them.
        last: ``sweep_spread``'s rows of the last month (one per run), its levers
            (``summary.keys``) joined on.
    """

    summary: OverTime
    last: pd.DataFrame


def run_batches(
    path: Path | str, columns: Sequence[str], rows: int | None = None
) -> Iterator[pd.DataFrame]:
    """A collected table's ``columns`` (``run_id`` among them), a few whole runs at a time
    (about ``rows`` rows, at least one run), in the table's order.

    Raises:
        ValueError: a run's rows are not together in the table (``sandbox-collect``
            writes them run by run).
    """
    rows = ROWS if rows is None else rows
    pending: list[pa.RecordBatch] = []
    count = 0
    seen: set[str] = set()

    def whole(table: pa.Table) -> pd.DataFrame:
        ids = set(pc.unique(table.column("run_id")).to_pylist())
        if ids & seen:
            raise ValueError(
                f"{path} does not hold each run's rows together; collect it again "
                "(sandbox-collect writes them run by run)"
            )
        seen.update(ids)
        return table.to_pandas()

    file = pq.ParquetFile(path)
    for batch in file.iter_batches(batch_size=_read_size(rows), columns=list(columns)):
        pending.append(batch)
        count += batch.num_rows
        if count < rows:
            continue
        table = pa.Table.from_batches(pending)
        ids = table.column("run_id")
        cut = len(table) - int(pc.sum(pc.equal(ids, ids[-1])).as_py())  # the last run waits
        if cut <= 0:
            continue
        yield whole(table.slice(0, cut))
        pending = table.slice(cut).to_batches()
        count = len(table) - cut
    if count:
        yield whole(pa.Table.from_batches(pending))


def sweep_spread_over_time(
    folder: Path | str,
    runs: pd.DataFrame,
    by: str | Sequence[str],
    values: Sequence[str] | None = None,
    level: float = 0.95,
    quantiles: Sequence[float] = QUANTILES,
    rows: int | None = None,
) -> SpreadOverTime | None:
    """``over_time(sweep_spread(folder, runs), by, <every spread statistic>)`` and the
    spread's last month, with memory that does not grow with the runs.

    The per-province table is read a few runs at a time (``run_batches``), each run's
    spread across provinces written to a temporary file (a row per run and month, as
    ``sweep_spread`` gives it), which is then summarised a few months at a time.

    Returns:
        ``None`` when the sweep has no per-province table or no row of ``runs`` in it
        (``sweep_spread`` gives ``None`` or an empty table then).
    """
    from sandbox.analysis.equity import spread_across_provinces
    from sandbox.units import PROVINCE_VALUES

    values = list(PROVINCE_VALUES if values is None else values)
    path = Path(folder) / PROVINCES
    if not path.is_file():
        return None
    keys = resolve_all(runs, by)
    ids = runs["run_id"].dropna().astype(str).unique().tolist()
    asked = pd.DataFrame({"run_id": pd.Series(ids, dtype="str")})
    names = ["run_id", "month", "provinces"]
    with tempfile.TemporaryDirectory(prefix="spread-") as spill:
        spread_path = Path(spill) / "spread.parquet"
        writer = None
        try:
            for batch in run_batches(path, ["run_id", "month", "province", *values], rows):
                provinces = join_runs(batch, asked)  # as load_provinces gives them
                if provinces.empty:
                    continue
                parts = [spread_across_provinces(provinces, v).set_index(names) for v in values]
                spread = pd.concat(parts, axis=1).reset_index()
                spread["month"] = spread["month"].astype(str)  # YYYY-MM, read back by as_month
                table = pa.Table.from_pandas(spread, preserve_index=False)
                if writer is None:
                    writer = pq.ParquetWriter(spread_path, table.schema)
                writer.write_table(table.cast(writer.schema))
        finally:
            if writer is not None:
                writer.close()
        if writer is None:
            return None
        metrics = [c for c in pq.read_schema(spread_path).names if c.startswith("province_")]
        summaries = _Summaries(keys, metrics, level, quantiles)
        described = _described(runs, keys)
        last = None
        for batch in month_batches(spread_path, pq.read_schema(spread_path).names, rows):
            spread = join_runs(batch, described, joined=keys)
            summaries.add(spread)
            if not spread.empty:
                month = spread["month"].max()
                last = spread[spread["month"] == month].reset_index(drop=True)
    summary = summaries.result()
    if summary is None or last is None:
        return None
    return SpreadOverTime(summary, last)


def _described(runs: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """The columns of ``runs`` a table of run_id and month needs to be joined on ``keys``."""
    return runs[list(dict.fromkeys(["run_id", *keys]))]


@dataclass(frozen=True)
class SweepTables:
    """A collected sweep for summaries over time: its runs in memory, its time series and
    per-province table read on demand, a few months at a time (``open_sweep``).

    Attributes:
        folder: the sweep folder.
        runs: its done runs (as ``load_sweep(folder).runs``).
    """

    folder: Path
    runs: pd.DataFrame

    @property
    def columns(self) -> list[str]:
        """The columns of the time series (``timeseries.parquet``)."""
        return pq.read_schema(self.folder / TIMESERIES).names

    def months(self) -> pd.Series:
        """The months of the time series as monthly periods, in order."""
        return as_month(pd.Series(sweep_months(self.folder / TIMESERIES), dtype="object"))

    def over_time(
        self, by: str | Sequence[str], metrics: str | Sequence[str], level: float = 0.95
    ) -> OverTime:
        """``sweep_over_time`` of these runs."""
        return sweep_over_time(self.folder, self.runs, by, metrics, level)

    def spread_over_time(
        self, by: str | Sequence[str], level: float = 0.95
    ) -> SpreadOverTime | None:
        """``sweep_spread_over_time`` of these runs."""
        return sweep_spread_over_time(self.folder, self.runs, by, level=level)


def open_sweep(folder: Path | str) -> SweepTables:
    """A collected sweep's done runs, its time series left on disk.

    Raises:
        FileNotFoundError: the folder has not been collected (``sandbox-collect``).
    """
    folder = Path(folder)
    missing = [n for n in (RUNS, TIMESERIES) if not (folder / n).is_file()]
    if missing:
        raise FileNotFoundError(
            f"{folder} has no {' or '.join(missing)}; collect it first: sandbox-collect {folder}"
        )
    runs = pd.read_parquet(folder / RUNS)
    if "status" in runs.columns:
        runs = runs[runs["status"] == "done"]
    pq.read_schema(folder / TIMESERIES)  # a table that cannot be read is said now
    return SweepTables(folder, runs.reset_index(drop=True))
