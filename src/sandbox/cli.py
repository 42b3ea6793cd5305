"""``sandbox-run``: the Hydra entry point (thin: compose, convert, call the runner)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig, OmegaConf

from sandbox.errors import ConfigError
from sandbox.params import Params
from sandbox.regions import load_region
from sandbox.runner import format_summary, run, write_results
from sandbox.schema import register
from sandbox.validate import validate


def config_dir() -> Path:
    """The ``configs/`` folder: the repository's, else the copy installed in the package."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent.parent / "configs", here / "_configs"):
        if (candidate / "config.yaml").is_file():
            return candidate
    raise FileNotFoundError("sandbox: no configs/ folder found beside the package")


CONFIG_DIR = config_dir()


def to_params(cfg: DictConfig) -> Params:
    """Typed parameters from a composed config or from a saved ``.hydra/config.yaml``."""
    return OmegaConf.to_object(OmegaConf.merge(OmegaConf.structured(Params), cfg))


@hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="config")
def _app(cfg: DictConfig) -> None:
    # Mesa logs every step at INFO, which Hydra's logging shows; the level is a config key
    # so it survives a re-run from the saved .hydra/config.yaml.
    logging.getLogger("MESA").setLevel(cfg.output.mesa_log_level)
    params = to_params(cfg)
    try:
        result = run(params)
    except ConfigError as err:
        print(f"sandbox-run: {err}", file=sys.stderr)
        sys.exit(2)
    out_dir = Path(HydraConfig.get().runtime.output_dir)
    write_results(out_dir, result, params, OmegaConf.to_yaml(cfg, resolve=True, sort_keys=True))
    if params.output.print_summary:
        print(format_summary(result, params))
        print(f"results: {out_dir}")


def _precheck(argv: list[str]) -> None:
    """Compose and range-check a single run before Hydra writes anything.

    Hydra saves ``.hydra/`` before the task starts; checking first keeps an earlier run's
    folder intact when ``hydra.run.dir`` points at it. Multirun jobs and configs that
    Hydra itself rejects are left to Hydra (and to each job).
    """
    flags = {"-m", "--multirun", "--help", "-h", "--hydra-help", "--info", "-i", "--cfg", "-c"}
    if any(a in flags or a.startswith("--info") for a in argv):
        return
    cp, cn, overrides = str(CONFIG_DIR), "config", []
    args = iter(argv)
    for arg in args:
        if arg in ("--config-path", "-cp", "--config-name", "-cn", "--config-dir", "-cd"):
            value = next(args, "")
            if arg in ("--config-path", "-cp"):
                cp = str(Path(value).resolve())
            elif arg in ("--config-name", "-cn"):
                cn = value
        elif arg.startswith(("--config-path=", "--config-name=")):
            key, value = arg.split("=", 1)
            cp, cn = (str(Path(value).resolve()), cn) if key == "--config-path" else (cp, value)
        elif not arg.startswith(("hydra.", "hydra/", "+hydra", "-")):
            overrides.append(arg)
    try:
        with hydra.initialize_config_dir(config_dir=cp, version_base="1.3"):
            cfg = hydra.compose(config_name=cn, overrides=overrides)
        params = to_params(cfg)
    except Exception:
        return
    try:
        validate(params)
        load_region(params.region.table)
    except ConfigError as err:
        print(f"sandbox-run: {err}", file=sys.stderr)
        sys.exit(2)


def main() -> None:
    """Console script entry point."""
    register()
    _precheck(sys.argv[1:])
    _app()
