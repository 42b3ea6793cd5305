"""Every experiment overlay composes and runs at region=toy with two replicates."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hydra import compose, initialize_config_dir
from hydra.core.override_parser.overrides_parser import OverridesParser
from omegaconf import DictConfig

from sandbox.config.paths import CONFIG_DIR
from sandbox.config.schema import register, to_params
from sandbox.model.model import SandboxModel

EXPERIMENTS = sorted(p.stem for p in (Path(CONFIG_DIR) / "experiment").glob("*.yaml"))
# analyses of a sampled design (the overlay sets design.analysis; each has its own tests,
# e.g. tests/test_robustness.py, which run it at a small size)
DESIGNS = [
    e
    for e in EXPERIMENTS
    if (yaml.safe_load((Path(CONFIG_DIR) / "experiment" / f"{e}.yaml").read_text()) or {})
    .get("design", {})
    .get("analysis")
]
# experiments that are sweeps (calibration is one fit: tests/test_fit.py runs it)
SWEEPS = [e for e in EXPERIMENTS if e != "calibration" and e not in DESIGNS]
TINY = ["region=toy", "citizens.n=300", "horizon.end=2020-12", "policy.start=2020-07"]


def first_values(sweep_params: dict) -> list[str]:
    """One override per swept key: its first value (replicate is set by the test)."""
    parser = OverridesParser.create()
    out = []
    for key, value in sweep_params.items():
        if key == "replicate":
            continue
        override = parser.parse_override(f"{key}={value}")
        out.append(f"{key}={next(iter(override.sweep_string_iterator()))}")
    return out


@pytest.mark.parametrize("experiment", SWEEPS)
def test_overlay_composes_and_runs(experiment: str) -> None:
    register()
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        full = compose("config", overrides=[f"experiment={experiment}"], return_hydra_config=True)
        params = dict(full.hydra.sweeper.params)
        assert "replicate" in params, "replications are a sweep dimension"
        assert str(full.hydra.sweep.dir).startswith("/"), "sweep folders are absolute"
        frames = []
        for replicate in (0, 1):
            cfg = compose(
                "config",
                overrides=[f"experiment={experiment}", *first_values(params), *TINY,
                           f"replicate={replicate}"],
            )  # fmt: skip
            frames.append(SandboxModel(to_params(cfg)).run())
    assert not frames[0].equals(frames[1])


@pytest.mark.parametrize("experiment", DESIGNS)
def test_design_overlay_composes_into_its_analysis(experiment: str) -> None:
    register()
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        full = compose("config", overrides=[f"experiment={experiment}"], return_hydra_config=True)
        assert not full.hydra.sweeper.params, "a design samples its points itself"
        assert str(full.hydra.sweep.dir).startswith("/"), "launch folders are absolute"
        design = to_params(compose("config", overrides=[f"experiment={experiment}"])).design
    assert design.analysis == experiment and design.replicates >= 2


def test_overlays_state_their_research_question() -> None:
    for experiment in EXPERIMENTS:
        text = (Path(CONFIG_DIR) / "experiment" / f"{experiment}.yaml").read_text()
        assert text.startswith("# @package _global_\n# Research question:")


def test_the_four_experiments_exist() -> None:
    assert set(EXPERIMENTS) >= {
        "policy_comparison",
        "sandbox_design",
        "phasing",
        "experimental_alignment",
    }


def launcher(name: str) -> DictConfig:
    """The ``hydra.launcher`` node of ``policy_comparison`` run with ``hydra/launcher=name``."""
    register()
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        cfg = compose(
            "config",
            overrides=["experiment=policy_comparison", f"hydra/launcher={name}"],
            return_hydra_config=True,
        )
    assert str(cfg.hydra.sweep.dir).startswith("/")
    return cfg.hydra.launcher


def test_slurm_launcher_config_is_ours_on_the_launchers_schema() -> None:
    slurm = launcher("submitit_slurm")
    assert slurm._target_.endswith("SlurmLauncher")
    assert slurm.cpus_per_task == 1  # the launcher's own default is None
    assert "qos" in slurm  # a key only the launcher's schema has


def test_ray_launcher_leaves_object_store_memory_to_ray() -> None:
    ray = launcher("ray")
    assert ray._target_.endswith("RayLauncher")
    # the launcher sets 75 MB when the key is absent, which joining a cluster refuses
    assert "object_store_memory" in ray.ray.init and ray.ray.init.object_store_memory is None
