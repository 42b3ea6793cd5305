"""``sandbox-run``: the Hydra entry point (thin: compose, convert, call the runner)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig

from sandbox import sweep_folder
from sandbox.errors import ConfigError
from sandbox.overrides import check_override
from sandbox.regions import load_region
from sandbox.runner import format_summary, run, write_results
from sandbox.safety import check_config_dir
from sandbox.schema import register, to_params
from sandbox.store import canonical, execute, run_id
from sandbox.validate import validate


def config_dir() -> Path:
    """The ``configs/`` folder: the repository's, else the copy installed in the package."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent.parent / "configs", here / "_configs"):
        if (candidate / "config.yaml").is_file():
            return candidate
    raise FileNotFoundError("sandbox: no configs/ folder found beside the package")


CONFIG_DIR = config_dir()


@hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="config")
def _app(cfg: DictConfig) -> None:
    # Mesa logs every step at INFO, which Hydra's logging shows; the level is a config key
    # so it survives a re-run from the saved .hydra/config.yaml.
    logging.getLogger("MESA").setLevel(cfg.output.mesa_log_level)
    params = to_params(cfg)
    hydra_cfg = HydraConfig.get()
    out_dir = Path(hydra_cfg.runtime.output_dir)
    if hydra_cfg.mode is RunMode.MULTIRUN:
        execute(out_dir, cfg, params)
        return
    try:
        result = run(params)
    except ConfigError as err:
        print(f"sandbox-run: {err}", file=sys.stderr)
        sys.exit(2)
    write_results(out_dir, result, params, canonical(cfg), run_id=run_id(cfg))
    if params.output.print_summary:
        print(format_summary(result, params))
        print(f"results: {out_dir}")


RERUN_DIR = "results/runs/${now:%Y-%m-%d}/${now:%H-%M-%S-%f}_rerun"
FLAGS_WITH_VALUE = ("--config-path", "-cp", "--config-name", "-cn", "--config-dir", "-cd")
NO_RUN = {"--help", "-h", "--hydra-help", "--info", "-i", "--cfg", "-c", "--shell-completion"}


def _split_argv(argv: list[str]) -> tuple[dict[str, str], list[str]]:
    """Hydra's flags (with their values) and the overrides."""
    flags, overrides = {}, []
    args = iter(argv)
    for arg in args:
        if arg in FLAGS_WITH_VALUE:
            flags[arg] = next(args, "")
        elif arg.startswith("-"):
            name, _, value = arg.partition("=")
            flags[name] = value
        else:
            overrides.append(arg)
    return flags, overrides


def _precheck(argv: list[str]) -> None:
    """Check overrides, then compose and range-check a single run, before Hydra writes.

    Hydra saves ``.hydra/`` before the task starts; checking first keeps an earlier run's
    folder intact when ``hydra.run.dir`` points at it. Multirun jobs are checked for keys
    and types here and for ranges by each job.
    """
    flags, overrides = _split_argv(argv)
    if NO_RUN & set(flags):
        return
    for override in overrides:
        check_override(override, CONFIG_DIR)
    config_path = flags.get("--config-path") or flags.get("-cp")
    cp = str(Path(config_path).resolve()) if config_path else str(CONFIG_DIR)
    cn = flags.get("--config-name") or flags.get("-cn") or "config"
    check_config_dir(Path(cp), cn)
    if {"-m", "--multirun"} & set(flags):
        return
    model_overrides = [o for o in overrides if not o.lstrip("+~").startswith("hydra")]
    try:
        with hydra.initialize_config_dir(config_dir=cp, version_base="1.3"):
            params = to_params(hydra.compose(config_name=cn, overrides=model_overrides))
    except Exception:
        return
    validate(params)
    load_region(params.region.table)


def main() -> None:
    """Console script entry point."""
    register()
    argv = sys.argv[1:]
    try:
        _precheck(argv)
    except ConfigError as err:
        print(f"sandbox-run: {err}", file=sys.stderr)
        sys.exit(2)
    flags, overrides = _split_argv(argv)
    sweep_folder.record_command(overrides)
    rerun = {"--config-path", "-cp"} & set(flags)
    if rerun and not any(o.startswith("hydra.run.dir=") for o in overrides):
        # a saved .hydra/config.yaml has no hydra: block; keep re-runs under results/
        sys.argv.append(f"hydra.run.dir={RERUN_DIR}")
    _app()
