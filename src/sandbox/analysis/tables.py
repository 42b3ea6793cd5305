"""Collected tables loaded for analysis: a run, a sweep or several sweeps.

``Results.runs`` has one row per run (``runs.parquet``: identity, levers, uncertainties,
settings and final metrics); ``Results.timeseries`` one row per run and month
(``timeseries.parquet``) with ``month`` as a monthly ``pandas.Period`` and the run's
``replicate``, ``seed``, chosen options (``lever_policy``, ``lever_resources``,
``lever_data``) and every lever, uncertainty or setting that varies across the loaded
runs joined on. Several sweeps loaded together carry a ``sweep`` column in both tables.

The per-province table (``provinces.parquet``: one row per run, month and province) is
large (some 7,000 rows a run) and read on demand, for the runs asked for:
``load_provinces``. A sweep collected before ``sandbox-collect`` gathered it has none.

Nothing is recomputed: the tables hold what the model reported.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from sandbox.analysis.columns import FAMILIES, metric_columns, resolve, varying, varying_levers
from sandbox.analysis.comparison import as_option

RUNS = "runs.parquet"
TIMESERIES = "timeseries.parquet"
PROVINCES = "provinces.parquet"
OPTIONS = ("lever_policy", "lever_resources", "lever_data")


@dataclass(frozen=True)
class Results:
    """The two tidy tables of one or more sweeps.

    Attributes:
        runs: one row per run (only done runs unless loaded with ``done_only=False``).
        timeseries: one row per run and month, levers joined on.
    """

    runs: pd.DataFrame
    timeseries: pd.DataFrame

    @property
    def keys(self) -> list[str]:
        """The columns that identify a run: ``run_id``, with ``sweep`` first if present."""
        return [c for c in ("sweep", "run_id") if c in self.runs.columns]

    @property
    def metrics(self) -> list[str]:
        """The metric columns of the time series."""
        return metric_columns(self.timeseries)

    @property
    def levers(self) -> list[str]:
        """The lever columns that vary across the loaded runs."""
        return varying_levers(self.runs)

    def where(self, **values: object) -> Results:
        """The runs whose columns have the given values, in both tables.

        Names resolve as in ``sandbox.analysis.columns.resolve`` (``policy`` is
        ``lever_policy``); a value may be given as text for a numeric lever (``"10"``),
        and a list or tuple selects any of its values.

        Example:
            ``results.where(policy="status_quo", replicate=0)``
        """
        runs = self.runs
        for name, value in values.items():
            column = resolve(runs, name)
            wanted = value if isinstance(value, list | tuple | set) else [value]
            chosen = [as_option(runs[column], v) for v in wanted]
            runs = runs[runs[column].isin(chosen)]
        ids = runs[self.keys]
        timeseries = self.timeseries.merge(ids, on=self.keys, how="inner")
        return Results(runs.reset_index(drop=True), timeseries)


def as_month(values: pd.Series) -> pd.Series:
    """Months as a monthly ``Period`` series, from ``YYYY-MM`` text, dates or periods."""
    if isinstance(values.dtype, pd.PeriodDtype):
        return values.dt.asfreq("M")
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return values.dt.to_period("M")
    text = values.astype(str)
    try:
        dates = pd.to_datetime(text, format="%Y-%m")
    except ValueError:
        dates = pd.to_datetime(text)
    return dates.dt.to_period("M")


def read_tables(folder: Path | str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The collected ``runs.parquet`` and ``timeseries.parquet`` of a sweep folder, as stored.

    Raises:
        FileNotFoundError: the folder has not been collected (``sandbox-collect``).
    """
    folder = Path(folder)
    missing = [n for n in (RUNS, TIMESERIES) if not (folder / n).is_file()]
    if missing:
        raise FileNotFoundError(
            f"{folder} has no {' or '.join(missing)}; collect it first: sandbox-collect {folder}"
        )
    return pd.read_parquet(folder / RUNS), pd.read_parquet(folder / TIMESERIES)


def _joined(runs: pd.DataFrame) -> tuple[list[str], list[str]]:
    """(keys, columns) a table of runs by month gets from ``runs``: the run's identity,
    then its replicate, seed, chosen options and the configuration that varies."""
    keys = [c for c in ("sweep", "run_id") if c in runs.columns]
    configuration = [c for c in runs.columns if c.startswith(FAMILIES)]
    joined = [
        *(c for c in ("replicate", "seed") if c in runs.columns),
        *dict.fromkeys([*(c for c in OPTIONS if c in runs.columns), *varying(runs, configuration)]),
    ]
    return keys, joined


def join_runs(
    table: pd.DataFrame, runs: pd.DataFrame, joined: Sequence[str] | None = None
) -> pd.DataFrame:
    """``table`` (one row per run and month, or per run, month and province) with months as
    periods and each run's replicate, seed, options and varying levers from ``runs``
    joined on after its identity (``joined``: these columns of ``runs`` instead); rows of
    runs not in ``runs`` are dropped."""
    keys, default = _joined(runs)
    joined = default if joined is None else [c for c in dict.fromkeys(joined) if c not in keys]
    # One run may stand under several labels: the same configuration (same run_id) reached
    # by two options, e.g. an ablation of a mechanism the regime does not have. Its rows
    # (identical, the run being deterministic) are kept once and joined to each label.
    rows = [*keys, "month", *(["province"] if "province" in table.columns else [])]
    table = table.drop_duplicates(subset=rows)
    table = table.assign(month=as_month(table["month"]))
    described = runs.dropna(subset=keys)[[*keys, *joined]]  # a damaged run may have no id
    described = described.assign(_label=np.arange(len(described)))  # a label's row in runs
    table = table.merge(described, on=keys, how="inner", validate="many_to_many")
    # by run, label and month; within a month the provinces keep the model's order
    table = table.sort_values([*keys, "_label", "month"], kind="stable", ignore_index=True)
    rest = [c for c in table.columns if c not in (*keys, "month", "_label", *joined)]
    return table[[*keys, *joined, "month", *rest]]


def tidy(runs: pd.DataFrame, timeseries: pd.DataFrame, done_only: bool = True) -> Results:
    """``Results`` from collected tables: months as periods, levers joined on the series."""
    if done_only and "status" in runs.columns:
        runs = runs[runs["status"] == "done"]
    runs = runs.reset_index(drop=True)
    return Results(runs, join_runs(timeseries, runs))  # sorted by run, label and month


def read_runs(path: Path | str, ids: Sequence[str], columns: Sequence[str] | None = None):
    """The rows of the runs ``ids`` in a collected table (a ``pyarrow.Table``, in the
    table's order): only the row groups whose ``run_id`` range holds one of them are read,
    a batch at a time, so that memory follows the rows asked for, not the row groups."""
    import pyarrow as pa
    import pyarrow.compute as pc

    file = pq.ParquetFile(path)
    schema = file.schema_arrow
    if columns is not None:
        schema = pa.schema([schema.field(c) for c in columns], metadata=schema.metadata)
    wanted = sorted(set(ids))
    value_set = pa.array(wanted, type=file.schema_arrow.field("run_id").type)
    column = file.metadata.schema.names.index("run_id")
    groups = []
    for i in range(file.metadata.num_row_groups):
        stats = file.metadata.row_group(i).column(column).statistics
        if stats is not None and stats.has_min_max:
            first = bisect.bisect_left(wanted, stats.min)
            if first == len(wanted) or wanted[first] > stats.max:
                continue  # no run asked for lies in this row group's range
        groups.append(i)
    parts = []
    if groups:
        batches = file.iter_batches(batch_size=65_536, row_groups=groups, columns=columns)
        for batch in batches:
            keep = pc.is_in(batch.column("run_id"), value_set=value_set)
            if pc.any(keep).as_py():
                parts.append(batch.filter(keep))
    return pa.Table.from_batches(parts, schema=schema)


def load_provinces(
    folder: Path | str,
    runs: pd.DataFrame | Sequence[str] | str | None = None,
    missing_ok: bool = False,
) -> pd.DataFrame | None:
    """The collected per-province table of a sweep, for the runs asked for.

    Args:
        folder: a collected sweep folder.
        runs: a ``run_id``, several, or a table of runs (``Results.runs`` or a selection
            of it, e.g. ``results.where(policy="status_quo", replicate=0).runs``), whose
            replicate, options and varying levers are joined on as on
            ``Results.timeseries``; ``None``: every run (with the sweep's ``runs.parquet``
            joined on).
        missing_ok: give ``None`` instead of raising when the sweep has no per-province
            table.

    Returns:
        One row per run, month (a monthly ``Period``) and province of that month's map:
        ``run_id``, the joined columns, ``month``, ``province``, ``services_deployed``
        and ``adoption`` (``sandbox.analysis.equity.PROVINCE_COLUMNS``), in the model's
        order of provinces.

    Raises:
        FileNotFoundError: the sweep has no ``provinces.parquet`` (collected before
            ``sandbox-collect`` gathered it: collect it again), or its table has no row
            of the runs asked for (runs made before the model wrote the file).
    """
    folder = Path(folder)
    path = folder / PROVINCES
    if not path.is_file():
        if missing_ok:
            return None
        raise FileNotFoundError(
            f"{folder} has no {PROVINCES}, the per-province table: it was collected before "
            f"sandbox-collect gathered the runs' {PROVINCES} (collect it again: "
            f"sandbox-collect {folder}), or its runs were made before the model wrote it "
            "(run the sweep's command again)"
        )
    if runs is None:
        runs = pd.read_parquet(folder / RUNS)
        runs = runs[runs["status"] == "done"] if "status" in runs else runs
    elif not isinstance(runs, pd.DataFrame):
        named = [runs] if isinstance(runs, str) else list(dict.fromkeys(runs))
        runs = pd.DataFrame({"run_id": pd.Series(named, dtype="str")})
    ids = runs["run_id"].dropna().astype(str).unique().tolist()
    if ids:
        table = read_runs(path, ids).to_pandas()
    else:  # nothing asked for: the table's columns without rows
        table = pq.read_schema(path).empty_table().to_pandas()
    if ids and table.empty:
        if missing_ok:
            return None
        raise FileNotFoundError(
            f"{path} has no row of the {len(ids)} run(s) asked for: they were made before the "
            f"model wrote {PROVINCES}; run the sweep's command again to re-run them"
        )
    return join_runs(table, runs.drop(columns=["sweep"], errors="ignore")).reset_index(drop=True)


def load_sweep(folder: Path | str, done_only: bool = True) -> Results:
    """The tidy tables of one collected sweep folder.

    Args:
        folder: a sweep folder holding ``runs.parquet`` and ``timeseries.parquet``.
        done_only: keep only runs whose ``status`` is ``done`` (the others have no time
            series); ``False`` keeps every row of ``runs.parquet``, ``error`` included.
    """
    return tidy(*read_tables(folder), done_only=done_only)


def load_sweeps(
    folders: Mapping[str, Path | str] | Sequence[Path | str], done_only: bool = True
) -> Results:
    """Several collected sweeps in one pair of tables, told apart by a ``sweep`` column.

    Args:
        folders: ``{name: folder}``, or folders (each named by its last path component).
        done_only: as in ``load_sweep``.

    Raises:
        ValueError: two sweeps would have the same name.
    """
    if not isinstance(folders, Mapping):
        names = [Path(f).name for f in folders]
        if len(set(names)) < len(names):
            raise ValueError(f"sweep folders with the same name {names}; pass {{name: folder}}")
        folders = dict(zip(names, folders, strict=True))
    runs, series = [], []
    for name, folder in folders.items():
        r, t = read_tables(folder)
        runs.append(r.assign(sweep=name))
        series.append(t.assign(sweep=name))
    runs_all = pd.concat(runs, ignore_index=True)
    runs_all = runs_all[["sweep", *(c for c in runs_all.columns if c != "sweep")]]
    return tidy(runs_all, pd.concat(series, ignore_index=True), done_only=done_only)
