"""Mean and spread over seeds of the calibration targets (docs/calibration.md).

Usage: python scripts/calibration_check.py [n_seeds] [key=value ...]
Overrides use dotted keys of ``sandbox.config.params.Params`` (e.g. authorities.propose_rate=0.2).
The targets are those of ``configs/targets/vietnam_2024.yaml``.
"""

from __future__ import annotations

import sys

import numpy as np
from omegaconf import OmegaConf

from sandbox.calibration.simulator import run_history
from sandbox.calibration.targets import load_targets
from sandbox.config.schema import structured


def main(argv: list[str]) -> None:
    """Print mean, sd and target for each calibration figure."""
    n_seeds = int(argv[0]) if argv and "=" not in argv[0] else 20
    overrides = [a for a in argv if "=" in a]
    base = OmegaConf.merge(structured(), OmegaConf.from_dotlist(overrides))
    targets = load_targets()
    values = {t.name: [] for t in targets}
    for seed in range(n_seeds):
        frame = run_history(OmegaConf.to_object(OmegaConf.merge(base, {"seed": seed})))
        for t in targets:
            values[t.name].append(t.observed(frame))
    for t in targets:
        v = np.asarray(values[t.name])
        print(f"{t.month} {t.metric:26s} mean {v.mean():5.1f} sd {v.std():4.1f} target {t.value}")


if __name__ == "__main__":
    main(sys.argv[1:])
