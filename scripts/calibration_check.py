"""Mean and spread over seeds of the calibration targets (docs/model.md#calibration).

Usage: python scripts/calibration_check.py [n_seeds] [key=value ...]
Overrides use dotted keys of ``sandbox.config.params.Params`` (e.g. authorities.propose_rate=0.2).
"""

from __future__ import annotations

import sys

import numpy as np
from omegaconf import OmegaConf

from sandbox.config.schema import structured
from sandbox.model.model import SandboxModel

TARGETS = (
    ("2021-12", "provinces_with_project", 41),
    ("2023-12", "provinces_with_project", 48),
    ("2024-12", "provinces_with_initiative", 45),
    ("2024-12", "provinces_with_app", 60),
)


def main(argv: list[str]) -> None:
    """Print mean, sd and target for each calibration figure."""
    n_seeds = int(argv[0]) if argv and "=" not in argv[0] else 20
    overrides = [a for a in argv if "=" in a]
    base = OmegaConf.merge(structured(), OmegaConf.from_dotlist(overrides))
    values = {t: [] for t in TARGETS}
    for seed in range(n_seeds):
        cfg = OmegaConf.merge(base, {"seed": seed})
        frame = SandboxModel(OmegaConf.to_object(cfg)).run().set_index("month")
        for t in TARGETS:
            values[t].append(frame.loc[t[0], t[1]])
    for (month, metric, target), v in values.items():
        v = np.asarray(v)
        print(f"{month} {metric:26s} mean {v.mean():5.1f} sd {v.std():4.1f} target {target}")


if __name__ == "__main__":
    main(sys.argv[1:])
