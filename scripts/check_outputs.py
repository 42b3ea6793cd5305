"""Record the outputs of a set of scenarios, or check them against a record, bit for bit.

Usage:
    python scripts/check_outputs.py record DIR   # run the scenarios, write DIR/*.parquet ...
    python scripts/check_outputs.py check DIR    # run them again, compare with DIR

For a refactoring that must not change behaviour: record before, check after each step.
The scenarios are composed as ``tests/conftest.py::scenario`` does and run with
``sandbox.experiments.runner.run``, straight and branched from a stored history
(``CheckpointStore``): every regime, each with two resource mechanisms (each mechanism
three times) and the data regimes, on the default map of Vietnam with the 2025 merger
(``citizens.n=5000``, ``horizon.end=2027-12``) and on the toy map; the toy map also with
the policy from the first month, a small sandbox, tight local budgets (pilots unfunded),
another seed and the Bass validation.

Each scenario's timeseries, provinces frame and summary are written (parquet, JSON) with
a SHA-256 of their bytes: every column's values and dtype, the JSON text of the summary.
``check`` compares the digests of a new run with the recorded ones, and of the branched
runs with the recorded straight ones, and exits 1 naming every scenario that differs.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from conftest import scenario
from sandbox.experiments.checkpoint import CheckpointStore
from sandbox.experiments.runner import run

LEVERS = (
    ("policy=status_quo",),
    ("policy=status_quo", "resources=mixed", "data=national_platform"),
    ("policy=controlled_pilot", "resources=ppp", "data=interoperable"),
    ("policy=controlled_pilot", "resources=competitive_fund", "data=national_platform"),
    ("policy=phased", "resources=mixed", "data=national_platform"),
    ("policy=phased", "resources=central_budget", "data=interoperable"),
    ("policy=phased_sandbox", "resources=competitive_fund", "data=interoperable"),
    ("policy=phased_sandbox", "resources=ppp", "data=national_platform"),
    ("policy=experimental", "resources=central_budget", "data=national_platform"),
    ("policy=experimental", "resources=mixed", "data=interoperable"),
    ("policy=facilitation", "resources=ppp", "data=interoperable"),
    ("policy=facilitation", "resources=competitive_fund", "data=national_platform"),
)
WORLDS = {
    "vietnam": ("citizens.n=5000", "horizon.end=2027-12"),
    "toy": ("region=toy", "citizens.n=5000", "horizon.end=2027-12"),
}
EXTRA = {
    "toy_from_2019": (
        ("region=toy", "citizens.n=2000", "policy.start=2019-01", "horizon.end=2024-12"),
        LEVERS,
    ),
    "toy_small_sandbox": (
        (
            "region=toy",
            "citizens.n=2000",
            "policy.start=2020-01",
            "horizon.end=2026-12",
            "policy.sandbox.capacity=2",
            "policy.sandbox.cohort_size=1",
            "seed=11",
        ),
        (LEVERS[2], LEVERS[3], LEVERS[6], LEVERS[7]),
    ),
    "toy_tight_budget": (
        (
            "region=toy",
            "citizens.n=2000",
            "policy.start=2019-01",
            "horizon.end=2024-12",
            "resources.local_budget=1",
        ),
        (LEVERS[3], LEVERS[5], LEVERS[8], LEVERS[9]),
    ),
    "vietnam_seed7": (("citizens.n=5000", "horizon.end=2028-12", "seed=7"), LEVERS[2::3]),
    "toy_bass": (("region=toy", "citizens.n=2000", "validation=bass"), (LEVERS[0],)),
}


def cases() -> dict[str, tuple[str, ...]]:
    """Every scenario, by a name that is also its files' stem."""
    out = {}
    groups = {world: (base, LEVERS) for world, base in WORLDS.items()} | EXTRA
    for world, (base, levers) in groups.items():
        for lever in levers:
            name = "_".join([world, *(v.split("=")[1] for v in lever)])
            out[name] = (*base, *lever)
    return out


def _frame_digest(frame: pd.DataFrame) -> str:
    digest = hashlib.sha256()
    for column in frame.columns:
        values = frame[column].to_numpy()
        digest.update(f"{column}:{values.dtype}".encode())
        if values.dtype == object:
            digest.update("\x00".join(map(str, values)).encode())
        else:
            digest.update(values.tobytes())
    digest.update(str(frame.shape).encode())
    return digest.hexdigest()


def digests(result) -> dict[str, str]:
    """SHA-256 of a run's timeseries, provinces frame and summary."""
    return {
        "timeseries": _frame_digest(result.timeseries),
        "provinces": _frame_digest(result.provinces),
        "summary": hashlib.sha256(json.dumps(result.summary).encode()).hexdigest(),
    }


def run_all() -> dict[str, dict[str, dict[str, str]]]:
    """Run every case straight and branched; their digests (and the results, straight)."""
    out: dict[str, dict[str, dict[str, str]]] = {}
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        store = CheckpointStore(Path(tmp) / "store")
        for name, overrides in cases().items():
            params = scenario(*overrides)
            straight = run(params)
            branched = run(scenario(*overrides), store)
            out[name] = {"straight": digests(straight), "branched": digests(branched)}
            results[name] = straight
            print(name, file=sys.stderr)
    return out, results


def main() -> None:
    mode, folder = sys.argv[1], Path(sys.argv[2])
    found, results = run_all()
    if mode == "record":
        split = [n for n, d in found.items() if d["straight"] != d["branched"]]
        if split:
            print(f"branched runs differ from straight ones: {split}")
            sys.exit(1)
        folder.mkdir(parents=True, exist_ok=True)
        for name, result in results.items():
            result.timeseries.to_parquet(folder / f"{name}.timeseries.parquet")
            result.provinces.to_parquet(folder / f"{name}.provinces.parquet")
            (folder / f"{name}.summary.json").write_text(json.dumps(result.summary))
        (folder / "digests.json").write_text(json.dumps(found, indent=1))
        print(f"recorded {len(found)} scenarios in {folder}")
        return
    recorded = json.loads((folder / "digests.json").read_text())
    bad = []
    for name, expected in recorded.items():
        for how in ("straight", "branched"):
            if found.get(name, {}).get(how) != expected["straight"]:
                bad.append(f"{name} ({how})")
    if set(found) != set(recorded):
        bad.append(f"scenarios differ: {sorted(set(found) ^ set(recorded))}")
    if bad:
        print("DIFFERENT:\n  " + "\n  ".join(bad))
        sys.exit(1)
    print(f"identical: {len(recorded)} scenarios, straight and branched")


if __name__ == "__main__":
    main()
