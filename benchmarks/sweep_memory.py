"""Peak memory of a sweep's launching process against the number of runs, from launch to
the report's last figure, and of each step of a sweep's end alone.

1. The whole command: ``sandbox-run -m`` over N short runs in a fresh process, whose
   ``VmHWM`` (its running peak resident set) in ``/proc/<pid>/status`` is polled until it
   exits. Reported: the peak while the runs ran (``peak_rss_mib_runs``, when the last
   run's manifest appeared) and over the whole command (``peak_rss_mib``: the runs, then
   the sweep's end in the same process: collect, comparison and report). The joblib
   workers' memory is not counted: only the process that composes and launches the jobs.
   Without ``--experiment``: tiny runs of the default scenario (one province, 100
   citizens, two months, ``replicate=range(N)``). With ``--experiment NAME``: that
   experiment's sweep of short runs (``SHORT``: 200 citizens, January to June 2019, the
   policy acting from April), ``replicate=range(K)`` with K the fewest replicates that
   give at least N runs.
2. The end alone (``--end-phase``, or ``--end-only`` on finished sweep folders):
   ``sandbox-collect``, ``sandbox-compare`` (the experiment's baseline and lever) and
   ``sandbox-report`` run by hand on the finished sweep, each in its own process; the peak
   of each is its ``ru_maxrss`` from ``wait4`` (exact: these processes start no others).
3. ``--synthetic N --from SMALL --into FOLDER``: a sweep folder of N runs made by copying
   the run folders of a small finished sweep under new replicate numbers (saved config,
   folder name, Hydra's records and the manifest's run id rewritten to match, so
   ``sandbox-collect`` counts every copy as a done run of its own), for sizes whose real
   sweep would take too long; their series repeat the originals', which does not change
   the memory the end needs. Measure it with ``--end-only``.

Usage:
    python benchmarks/sweep_memory.py [N ...] [--experiment NAME] [--end-phase]
        [--launcher joblib|basic] [--n-jobs K] [--override KEY=VALUE ...] [--keep DIR]
        (default: 100 4000, no experiment, joblib, 2 workers)
    python benchmarks/sweep_memory.py --end-only FOLDER [FOLDER ...] [--experiment NAME]
    python benchmarks/sweep_memory.py --synthetic N --from SMALL --into FOLDER

Example (the end of a policy comparison, 96 and 2,016 runs):
    nice python benchmarks/sweep_memory.py 100 2000 --experiment policy_comparison --end-phase
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]
TINY = ("region=single", "citizens.n=100", "horizon.end=2019-02", "output.print_summary=false")
SHORT = ("citizens.n=200", "horizon.end=2019-06", "policy.start=2019-04")
POLL_S = 0.02


def script(name: str) -> str:
    """The path of one of the package's commands beside this Python."""
    return str(Path(sys.executable).with_name(name))


def peak_kib(pid: int) -> int | None:
    """``VmHWM`` of ``pid`` in KiB (None once the process has exited)."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return None  # a zombie: its memory is gone


def experiment_of(name: str | None) -> dict:
    """An experiment's sweep: its designs (combinations of the levers it sweeps, without
    the replicates) and the baseline and lever its comparison uses."""
    if name is None:
        return {"designs": 1, "baseline": None, "lever": "policy"}
    config = yaml.safe_load((ROOT / "configs" / "experiment" / f"{name}.yaml").read_text())
    hydra = config.get("hydra", {})
    params = hydra.get("sweeper", {}).get("params", {})
    designs = math.prod(
        len(str(v).split(",")) for k, v in params.items() if k.removeprefix("+") != "replicate"
    )
    callback = hydra.get("callbacks", {}).get("sweep", {})
    return {
        "designs": designs,
        "baseline": callback.get("baseline"),
        "lever": callback.get("lever", "policy"),
    }


def sweep(
    n_runs: int,
    launcher: str,
    n_jobs: int,
    extra: list[str],
    experiment: str | None,
    folder: Path,
) -> dict:
    """One sweep of at least ``n_runs`` runs into ``folder``: the launching process's peak
    RSS while the runs ran and over the whole command, and the wall time.

    ``peak_rss_mib_runs`` is the peak when the last run's manifest appeared (counted once
    a second, so up to a second of what follows may be in it); ``peak_rss_mib`` includes
    what follows in the same process: the tables, the comparison and the report.
    """
    engine = {
        "joblib": ["hydra/launcher=joblib", f"hydra.launcher.n_jobs={n_jobs}"],
        "basic": ["hydra/launcher=basic"],
    }[launcher]
    designs = experiment_of(experiment)["designs"]
    replicates = math.ceil(n_runs / designs)
    total = replicates * designs
    base = (f"experiment={experiment}", *SHORT) if experiment else TINY
    args = [
        script("sandbox-run"),
        "-m",
        *base,
        f"replicate=range({replicates})",
        *engine,
        f"hydra.sweep.dir={folder}",
        *extra,
    ]
    errors = folder.parent / f"{folder.name}.stderr"
    start = time.perf_counter()
    with errors.open("wb") as stderr:
        process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=stderr, cwd=ROOT)
        peak = 0
        peak_runs = runs_s = None
        counted = start
        while process.poll() is None:
            peak = max(peak, peak_kib(process.pid) or 0)
            if peak_runs is None and time.perf_counter() - counted > 1:
                counted = time.perf_counter()
                if sum(1 for _ in folder.glob("*/manifest.json")) == total:
                    peak_runs, runs_s = peak, counted - start
            time.sleep(POLL_S)
    wall = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"sweep of {total} runs failed:\n{errors.read_text()[-3000:]}")
    runs = pd.read_parquet(folder / "runs.parquet", columns=["status"])
    result = {
        "runs": total,
        "done": int((runs["status"] == "done").sum()),
        "report": (folder / "report" / "report.md").is_file(),
        "peak_rss_mib": round(peak / 1024, 1),
        "wall_s": round(wall, 1),
    }
    if peak_runs is not None:
        result |= {"peak_rss_mib_runs": round(peak_runs / 1024, 1), "runs_s": round(runs_s, 1)}
    return result


def measured(args: list[str]) -> dict:
    """Run ``args`` in a fresh process: its peak RSS (``wait4``'s ``ru_maxrss``) and wall
    time. Exits with the command's error when it fails."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=errors, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        if process.returncode not in (0, 1):  # 1: some run is not done (said, not an error)
            errors.seek(0)
            text = errors.read().decode()[-3000:]
            raise SystemExit(f"{' '.join(args)} failed ({process.returncode}):\n{text}")
    return {"peak_rss_mib": round(usage.ru_maxrss / 1024, 1), "wall_s": round(wall, 1)}


def end_phase(folder: Path, experiment: str | None) -> dict:
    """Collect, compare and report a finished sweep by hand, each in its own process."""
    chosen = experiment_of(experiment)
    collected = measured([script("sandbox-collect"), str(folder)])
    out = {"runs": len(pd.read_parquet(folder / "runs.parquet", columns=["status"]))}
    out["collect"] = collected
    if chosen["baseline"] is not None:
        out["compare"] = measured(
            [script("sandbox-compare"), str(folder), "--baseline", str(chosen["baseline"]),
             "--lever", str(chosen["lever"])]
        )  # fmt: skip
    out["report"] = measured([script("sandbox-report"), str(folder)])
    return out


def synthetic(n_runs: int, small: Path, into: Path) -> dict:
    """A sweep folder of at least ``n_runs`` done runs, copies of ``small``'s run folders
    under new replicate numbers; each copy's saved config, folder name, Hydra records and
    manifest agree with its new replicate, so it is a done run of its own."""
    from sandbox.experiments.store import run_id, saved_config

    jobs = sorted(p.parent.parent for p in small.glob("*/.hydra/config.yaml"))
    jobs = [j for j in jobs if (j / "manifest.json").is_file()]
    if not jobs:
        raise SystemExit(f"{small} has no finished run folder")
    into.mkdir(parents=True, exist_ok=False)
    if (small / "multirun.yaml").is_file():
        shutil.copy(small / "multirun.yaml", into / "multirun.yaml")
    copies = math.ceil(n_runs / len(jobs))
    replicates = sorted({saved_config(j)["replicate"] for j in jobs})
    stride = max(replicates) + 1
    made = 0
    for copy in range(copies):
        for job in jobs:
            old = saved_config(job)["replicate"]
            new = old + copy * stride
            name = job.name.replace(f"replicate={old}", f"replicate={new}")
            if name == job.name and copy:
                name = f"{job.name}_copy{copy}"
            target = into / name
            shutil.copytree(job, target)
            config = target / ".hydra" / "config.yaml"
            text = config.read_text()
            config.write_text(re.sub(r"(?m)^replicate: \d+$", f"replicate: {new}", text, count=1))
            for record in ("overrides.yaml", "hydra.yaml"):
                path = target / ".hydra" / record
                if path.is_file():
                    text = path.read_text().replace(f"replicate={old}", f"replicate={new}")
                    path.write_text(text)
            manifest = json.loads((target / "manifest.json").read_text())
            manifest["run_id"] = run_id(saved_config(target))
            manifest["replicate"] = new
            (target / "manifest.json").write_text(json.dumps(manifest, indent=2))
            made += 1
    return {"runs": made, "folder": str(into), "copies_of": len(jobs)}


def growth(results: list[dict], keys: list[str]) -> dict:
    """Growth per run (KiB) of each peak between the smallest and the largest sweep."""
    if len(results) < 2:
        return {}
    first, last = results[0], results[-1]
    out = {}
    for key in keys:
        a, b = _get(first, key), _get(last, key)
        if a is not None and b is not None and last["runs"] != first["runs"]:
            per_run = (b - a) / (last["runs"] - first["runs"]) * 1024
            out[f"growth_kib_per_run_{key.replace('.', '_')}"] = round(per_run, 2)
    return out


def _get(data: dict, dotted: str) -> float | None:
    for part in dotted.split("."):
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def main() -> None:
    """Run the sweeps (or measure finished ones, or make a synthetic one); print JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 4000])
    parser.add_argument("--experiment", default=None, help="e.g. policy_comparison")
    parser.add_argument("--launcher", choices=["joblib", "basic"], default="joblib")
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument(
        "--override", action="append", default=[], help="extra override (repeatable)"
    )
    parser.add_argument("--end-phase", action="store_true",
                        help="then collect, compare and report each sweep by hand")  # fmt: skip
    parser.add_argument("--keep", type=Path, default=None,
                        help="sweep into this folder (sweep_<N> each) and keep it")  # fmt: skip
    parser.add_argument("--end-only", type=Path, nargs="+", default=None,
                        help="measure the end of these finished sweep folders only")  # fmt: skip
    parser.add_argument("--synthetic", type=int, default=None, metavar="N")
    parser.add_argument("--from", dest="small", type=Path, default=None)
    parser.add_argument("--into", type=Path, default=None)
    options = parser.parse_args()
    if options.synthetic is not None:
        if options.small is None or options.into is None:
            parser.error("--synthetic needs --from and --into")
        print(json.dumps(synthetic(options.synthetic, options.small, options.into), indent=2))
        return
    report: dict = {"experiment": options.experiment}
    if options.end_only:
        results = [end_phase(f, options.experiment) for f in options.end_only]
        report |= {"end": results}
        report |= growth(results, ["collect.peak_rss_mib", "compare.peak_rss_mib",
                                   "report.peak_rss_mib"])  # fmt: skip
        print(json.dumps(report, indent=2))
        return
    report |= {"launcher": options.launcher, "n_jobs": options.n_jobs,
               "overrides": options.override}  # fmt: skip
    results = []
    for n in options.sizes:
        parent = options.keep or Path(tempfile.mkdtemp())
        parent.mkdir(parents=True, exist_ok=True)
        folder = parent / f"sweep_{n}"
        result = sweep(n, options.launcher, options.n_jobs, options.override,
                       options.experiment, folder)  # fmt: skip
        if options.end_phase:
            result["end"] = end_phase(folder, options.experiment)
        results.append(result)
        if options.keep is None:
            shutil.rmtree(parent)
    report["sweeps"] = results
    keys = ["peak_rss_mib", "peak_rss_mib_runs"]
    keys += [f"end.{s}.peak_rss_mib" for s in ("collect", "compare", "report")]
    report |= growth(results, keys)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
