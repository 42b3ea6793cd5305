"""Province tables: loading, checking and the attributes no table gives.

A *base table* has one row per province with the columns of ``BASE_COLUMNS`` (schema in
``docs/regions.md``; sources of the shipped tables in ``SOURCES.md`` beside this file).
A *merged table* (``vietnam_34.csv``) names units built from base-table provinces in a
``merged_from`` column (names joined by ``;``); its attributes are aggregated from
``vietnam_63.csv``: populations add up, the urban share is population-weighted, the
region is the region of the seat province. ``unit_of`` maps the provinces of a table to
the units of a merged one.

The tables are read and checked here, below the model: ``SandboxModel`` asks for its
tables by name (``load_region``).
"""

from __future__ import annotations

import functools
import io
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sandbox.errors import ConfigError

TABLE_DIR = Path(__file__).parent
BASE_COLUMNS: dict[str, str] = {
    "name": "unique province name (text)",
    "region": "socio-economic region (text)",
    "centrally_run": "true or false",
    "population_2019": "population, a whole number from 1 to 1,000,000,000",
    "urban_share_2019": "urban share of the population, a number in [0, 1]",
}
# optional: without it, fiscal capacity falls back to the urban population (``Region``)
OPTIONAL_COLUMNS: dict[str, str] = {
    "grdp_per_capita_2024": "GRDP per person in 2024, million VND, a number above 0",
}
MERGED_COLUMNS: dict[str, str] = {
    "name": "unique unit name (text)",
    "centrally_run": "true or false",
    "merged_from": "base-table province names joined by ';'",
    "seat": "the base-table province that holds the unit's seat",
}
MERGE_BASE = "vietnam_63.csv"
MAX_POPULATION = 1e9  # a province; the most populous first-level divisions have ~1.3e8
MAX_TABLE_BYTES = 10 * 2**20
MAX_PROVINCES = 10_000
PSEUDO_FILESYSTEMS = ("/proc", "/sys", "/dev")


@dataclass(frozen=True)
class Region:
    """The static attributes of the provinces of one table, as arrays."""

    names: tuple[str, ...]
    region: tuple[str, ...]
    centrally_run: np.ndarray  # bool
    population: np.ndarray  # people, 2019 census
    urban_share: np.ndarray  # 2019 census urban share
    grdp_per_capita: np.ndarray | None = None  # million VND a person, 2024 (optional)
    members: tuple[tuple[str, ...], ...] | None = None  # merged table: base provinces
    seats: tuple[str, ...] | None = None  # merged table: the base province of the seat

    @property
    def n(self) -> int:
        """Number of provinces."""
        return len(self.names)

    @property
    def fiscal_capacity(self) -> np.ndarray:
        """Fiscal capacity in (0, 1]: each province's GRDP (GRDP per person x people) over
        the largest's.

        A province's own revenue, from which it funds development projects such as smart-city
        pilots, follows its economy; the richest remit to the centre and the poorest live on
        transfers that mostly pay for recurrent spending (``data/evidence/province_budget.csv``:
        GRDP per person 2024 from the provinces' statistical offices, 37.8 to 339 million
        VND; 18 of 63 provinces remit to the centre). A table without the
        ``grdp_per_capita_2024`` column falls back to the square root of urban population
        over the largest's (the urban economy is about 70% of GDP).
        """
        if self.grdp_per_capita is not None:
            grdp = self.population * self.grdp_per_capita
            return grdp / grdp.max()
        urban = self.population * self.urban_share
        return np.sqrt(urban / urban.max())


def resolve_table(table: str) -> Path:
    """The path of a region table: a shipped file name or an existing path."""
    path = Path(table)
    if not path.is_absolute() and not path.exists():
        path = TABLE_DIR / table
    if not path.exists():
        shipped = sorted(p.name for p in TABLE_DIR.glob("*.csv"))
        raise ConfigError(
            "region.table",
            table,
            f"an existing file: a shipped table ({', '.join(shipped)}) or the path of a "
            "CSV file following docs/regions.md",
        )
    _check_file(path, table)
    return path


def _allowed() -> str:
    return (
        f"a regular file named *.csv of at most {MAX_TABLE_BYTES // 2**20} MiB "
        "(not a FIFO, a device or a file under /proc, /sys or /dev)"
    )


def _check_file(path: Path, shown: str) -> None:
    """Refuse, without reading it, a table that is not a regular ``.csv`` file."""
    real = os.path.realpath(path)
    pseudo = any(real == d or real.startswith(d + "/") for d in PSEUDO_FILESYSTEMS)
    suffixes = {Path(shown).suffix.lower(), Path(real).suffix.lower()}
    if suffixes != {".csv"} or pseudo:
        raise ConfigError("region.table", shown, _allowed())
    info = os.stat(real)
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_TABLE_BYTES:
        raise ConfigError("region.table", shown, _allowed())


def read_table_bytes(path: Path, table: str | None = None) -> bytes:
    """The bytes of a region table, which must be a regular ``.csv`` file of bounded size.

    A region table is read and, when malformed, named in error messages that end up in
    ``error.json`` and ``runs.parquet``; FIFOs, devices and the pseudo-files of ``/proc``
    (``/proc/self/environ`` holds the environment) are refused before a byte is read.
    """
    shown = table if table is not None else str(path)
    _check_file(path, shown)
    allowed = _allowed()
    real = os.path.realpath(path)
    try:
        fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO must not block the run
    except OSError as err:
        raise ConfigError("region.table", shown, f"{allowed}; opening it: {err.strerror}") from None
    with os.fdopen(fd, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_TABLE_BYTES:
            raise ConfigError("region.table", shown, allowed)
        data = file.read(MAX_TABLE_BYTES + 1)
    if (data and info.st_size == 0) or len(data) > MAX_TABLE_BYTES:
        raise ConfigError("region.table", shown, allowed)  # a pseudo-file reports size 0
    return data


def load_region(table: str) -> Region:
    """Load and check a base or merged province table.

    Args:
        table: a shipped file name (``vietnam_63.csv``, ``vietnam_34.csv``, ``toy.csv``,
            ``single.csv``) or a path to a user CSV.

    Raises:
        ConfigError: the file is missing or a column is absent or out of range.
    """
    path = resolve_table(table)
    base = TABLE_DIR / MERGE_BASE
    return _parsed(path, read_table_bytes(path, table), read_table_bytes(base))


@functools.lru_cache(maxsize=16)
def _parsed(path: Path, data: bytes, base_data: bytes) -> Region:
    """The region of a table's bytes (and the base table's, for a merged one), parsed once
    per content: its arrays are read-only, shared by every model that loads it."""
    frame = _read(data, path)
    members = seats = None
    if "merged_from" in frame.columns:
        _require(frame, MERGED_COLUMNS, path)
        base = TABLE_DIR / MERGE_BASE
        frame = _merge(frame, _checked(_read(base_data, base), base))
        members = tuple(frame["members"])
        seats = tuple(frame["seat"])
    else:
        frame = _checked(frame, path)
    arrays = {
        "centrally_run": frame["centrally_run"].to_numpy(bool, copy=True),
        "population": frame["population_2019"].to_numpy(float, copy=True),
        "urban_share": frame["urban_share_2019"].to_numpy(float, copy=True),
    }
    if "grdp_per_capita_2024" in frame.columns:
        arrays["grdp_per_capita"] = frame["grdp_per_capita_2024"].to_numpy(float, copy=True)
    for array in arrays.values():
        array.setflags(write=False)
    return Region(
        names=tuple(frame["name"]),
        region=tuple(frame["region"]),
        members=members,
        seats=seats,
        **arrays,
    )


def _read(data: bytes, path: Path) -> pd.DataFrame:
    """The table as text columns; a malformed file is named, never quoted."""
    try:
        return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError, ValueError) as err:
        raise ConfigError(f"region.table ({path})", type(err).__name__, "a CSV file") from None


def _require(frame: pd.DataFrame, columns: dict[str, str], path: Path) -> None:
    """Every column of ``columns`` is there. Only expected column names are quoted: the
    header of a file that is not a region table may hold anything."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        allowed = "; ".join(f"{c}: {columns[c]}" for c in columns)
        raise ConfigError(f"region.table ({path})", missing, allowed, "Missing columns in")
    if len(frame) == 0:
        raise ConfigError(f"region.table ({path})", "no rows", "at least one province")
    if len(frame) > MAX_PROVINCES:
        raise ConfigError(
            f"region.table ({path})", f"{len(frame):,} rows", f"at most {MAX_PROVINCES:,} provinces"
        )
    dup = frame["name"][frame["name"].duplicated()]
    if len(dup):
        raise ConfigError(f"{path.name} column name", dup.iloc[0], "unique names")


def _checked(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Convert and range-check a base table; the error names file, row and column."""
    _require(frame, BASE_COLUMNS, path)
    out = frame.copy()
    flags = frame["centrally_run"].str.strip().str.lower()
    bad = ~flags.isin(["true", "false"])
    if bad.any():
        _bad_cell(path, frame, bad, "centrally_run")
    out["centrally_run"] = flags == "true"
    ranges = [("population_2019", 1, MAX_POPULATION), ("urban_share_2019", 0, 1)]
    if "grdp_per_capita_2024" in frame.columns:
        ranges.append(("grdp_per_capita_2024", 1e-9, 1e9))
    for column, low, high in ranges:
        values = pd.to_numeric(frame[column], errors="coerce")
        bad = values.isna() | ~np.isfinite(values) | (values < low) | (values > high)
        if bad.any():
            _bad_cell(path, frame, bad, column)
        out[column] = values
    return out


def _bad_cell(path: Path, frame: pd.DataFrame, bad: pd.Series, column: str) -> None:
    row = int(np.flatnonzero(bad.to_numpy())[0])
    raise ConfigError(
        f"{path.name} column {column}, row {row + 2} ({frame['name'].iloc[row]})",
        frame[column].iloc[row],
        {**BASE_COLUMNS, **OPTIONAL_COLUMNS}[column],
    )


def _merge(units: pd.DataFrame, base: pd.DataFrame) -> pd.DataFrame:
    """Aggregate base-table provinces into merged units."""
    base = base.set_index("name")
    rows = []
    for _, unit in units.iterrows():
        members = [m.strip() for m in unit["merged_from"].split(";")]
        unknown = [m for m in [*members, unit["seat"]] if m not in base.index]
        if unknown:
            raise ConfigError(
                f"merged_from of {unit['name']}", unknown[0], f"names from {MERGE_BASE}"
            )
        part = base.loc[members]
        population = part["population_2019"].sum()
        urban = (part["population_2019"] * part["urban_share_2019"]).sum()
        grdp = {}
        if "grdp_per_capita_2024" in part.columns:  # GRDP adds up
            grdp["grdp_per_capita_2024"] = (
                part["population_2019"] * part["grdp_per_capita_2024"]
            ).sum() / population
        rows.append(
            {
                **grdp,
                "name": unit["name"],
                "region": base.loc[unit["seat"], "region"],
                "centrally_run": unit["centrally_run"].strip().lower() == "true",
                "population_2019": population,
                "urban_share_2019": urban / population,
                "members": tuple(members),
                "seat": unit["seat"].strip(),
            }
        )
    return pd.DataFrame(rows)


def unit_of(old: Region, new: Region, table: str) -> np.ndarray:
    """For each province of ``old``, the index of its unit in the merged table ``new``."""
    if new.members is None:
        raise ConfigError("region.merge_table", table, "a merged table (with merged_from)")
    index = {name: k for k, name in enumerate(old.names)}
    units = np.full(old.n, -1, dtype=np.int64)
    for u, members in enumerate(new.members):
        for name in members:
            if name not in index:
                raise ConfigError(
                    f"merged_from of {new.names[u]} ({table})", name, "a province of region.table"
                )
            units[index[name]] = u
    if (units < 0).any():
        missing = old.names[int(np.flatnonzero(units < 0)[0])]
        raise ConfigError(
            f"region.merge_table ({table})", missing, "a table whose units cover every province"
        )
    return units
