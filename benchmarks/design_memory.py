"""Peak memory of a sampled design's parent process against its size (run on demand).

Runs a design of ``POINTS`` points x 2 replicates of tiny runs (the toy map, 200 citizens,
three months, the status quo) through ``sandbox.experiments.design.run_design`` on 2
workers, then prints the runs, the time and the parent's peak resident set
(``ru_maxrss`` of this process: the workers are not counted). Run it once per size, each
in a fresh process, to compare sizes (the target: 10^4 runs within 50 MB of 10^3).

Usage: python benchmarks/design_memory.py POINTS   (500: 10^3 runs; 5000: 10^4 runs)
"""

from __future__ import annotations

import dataclasses
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from omegaconf import OmegaConf

from sandbox.config.schema import structured
from sandbox.experiments.design import run_design

TINY = ["citizens.n=200", "horizon.end=2019-03", "policy.start=2019-02"]


def main(points: int) -> None:
    params = OmegaConf.to_object(OmegaConf.merge(structured(), OmegaConf.from_dotlist(TINY)))
    toy = dataclasses.replace(params.region, name="toy", table="toy.csv", merge_table="")
    params = dataclasses.replace(params, region=toy)
    rng = np.random.default_rng(0)
    design = pd.DataFrame({"citizens.trust_mean": rng.uniform(0.4, 0.6, points)})
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        frame = run_design(
            Path(folder) / "design", "benchmark", {"status_quo": params}, design, 2,
            workers=2, chunk=64, log=lambda s: None, progress=False,
        )  # fmt: skip
        seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{len(frame)} runs ({int((frame['status'] == 'ok').sum())} ok) in {seconds:.1f} s; "
          f"parent peak {peak:.1f} MiB")  # fmt: skip


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
