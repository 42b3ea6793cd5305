"""``sandbox-run``: the Hydra entry point (thin: check, compose, convert, call the runner).

Before Hydra starts, ``main`` checks the whole command (``_precheck``): Hydra's flags, every
override, the config Hydra will compose from them (``sandbox.config.safety``) and every value of
every job (``sandbox.config.jobs``). Bad input gets one paragraph and exit code 2 before any
folder exists; a failure to write while launching (a full disk, a name too long) gets one
paragraph and exit code 1.

``--dry-run`` (``sandbox``'s own flag; Hydra 1.3 has none) stops after that check: it prints
how many runs the command would launch, into which folder, and the first jobs' overrides,
then exits 0 having run and written nothing.
"""

from __future__ import annotations

import dataclasses
import errno
import functools
import itertools
import logging
import os
import sys
from pathlib import Path

import hydra
import yaml
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig

from sandbox.config import sweep_folder
from sandbox.config.params import Params
from sandbox.config.paths import CONFIG_DIR
from sandbox.config.schema import register, to_params
from sandbox.errors import ConfigError
from sandbox.experiments.sweep_plan import SweepFolderError


@hydra.main(version_base="1.3", config_path=str(CONFIG_DIR), config_name="config")
def _app(cfg: DictConfig) -> None:
    # Mesa logs every step at INFO, which Hydra's logging shows; the level is a config key
    # so it survives a re-run from the saved .hydra/config.yaml.
    logging.getLogger("MESA").setLevel(cfg.output.mesa_log_level)
    params = to_params(cfg)
    if params.calibration.fit:  # experiment=calibration
        from sandbox.calibration.experiment import calibrate

        try:
            calibrate(params, command=" ".join(["sandbox-run", *sys.argv[1:]]))
        except ConfigError as err:
            print(f"sandbox-run: {err}", file=sys.stderr)
            sys.exit(2)
        return
    # the model and the result store load only now: a refused command line never pays
    # for them (NumPy, pandas, Mesa), and its message comes at once
    from sandbox.experiments.runner import format_summary, run, write_results
    from sandbox.experiments.store import canonical, execute, run_id

    hydra_cfg = HydraConfig.get()
    if params.design.analysis:  # experiment=sensitivity, experiment=robustness
        _analyse(params, list(hydra_cfg.overrides.task))
        return
    out_dir = Path(hydra_cfg.runtime.output_dir)
    if hydra_cfg.mode is RunMode.MULTIRUN:
        execute(out_dir, cfg, params, Path(hydra_cfg.sweep.dir))
        return
    try:
        result = run(params)
    except ConfigError as err:
        print(f"sandbox-run: {err}", file=sys.stderr)
        sys.exit(2)
    write_results(out_dir, result, params, canonical(cfg, resolve=True), run_id=run_id(cfg))
    if params.output.print_summary:
        print(format_summary(result, params))
        print(f"results: {out_dir}")


ANALYSES = {  # design.analysis -> the module whose ``analyse`` runs it
    "sensitivity": "sandbox.experiments.sensitivity",
    "robustness": "sandbox.experiments.robustness",
}


def design_policies(params: Params, task: list[str]) -> dict[str, Params]:
    """Each policy of ``design.policies`` composed as the command would compose it with
    ``policy=<name>`` (and ``uncertainty=point``: the design sets the uncertainties)."""
    from hydra import compose

    kept = [o for o in task if not o.lstrip("+~").startswith(("policy=", "uncertainty="))]
    return {
        name: to_params(
            compose(
                config_name="config",
                overrides=[*kept, f"policy={name}", "uncertainty=point"],
            )
        )
        for name in params.design.policies
    }


def _analyse(params: Params, task: list[str]) -> None:
    """Run the analysis of a sampled design that ``design.analysis`` names."""
    import importlib

    module = importlib.import_module(ANALYSES[params.design.analysis])
    command = " ".join(["sandbox-run", *sys.argv[1:]])
    try:
        report = module.analyse(params, design_policies(params, task), command=command)
    except ConfigError as err:
        print(f"sandbox-run: {err}", file=sys.stderr)
        sys.exit(2)
    print(f"report: {report}")


RERUN_DIR = "results/runs/${now:%Y-%m-%d}/${now:%H-%M-%S-%f}_rerun"
ALIASES = {
    "-cp": "--config-path",
    "-cn": "--config-name",
    "-cd": "--config-dir",
    "-c": "--cfg",
    "-p": "--package",
    "-r": "--run",
    "-m": "--multirun",
    "-sc": "--shell-completion",
    "-i": "--info",
    "-h": "--help",
}
FLAGS_WITH_VALUE = {
    "--config-path",
    "--config-name",
    "--config-dir",
    "--cfg",
    "--package",
    "--experimental-rerun",
}
FLAGS = FLAGS_WITH_VALUE | {
    "--help",
    "--hydra-help",
    "--version",
    "--resolve",
    "--run",
    "--multirun",
    "--shell-completion",
    "--info",
}
INFO_TOPICS = {"all", "config", "defaults", "defaults-tree", "plugins", "searchpath"}
DRY_RUN = "--dry-run"  # sandbox's own flag, taken out before Hydra sees the command
SHOWN_JOBS = 5  # jobs whose overrides a dry run prints
NO_RUN = {"--help", "--hydra-help", "--info", "--cfg"}  # compose and print, run nothing


def _project_outputs(rerun: bool) -> dict[str, str]:
    """The project's own values of the keys that say where output goes.

    With a config folder of the user's (``--config-path``, ``--config-dir``,
    ``hydra.searchpath``) these come only from the command line or from here
    (``configs/config.yaml``): a loaded config cannot write into another folder.
    """
    saved = yaml.safe_load((CONFIG_DIR / "config.yaml").read_text(encoding="utf-8"))["hydra"]
    return {
        # a saved .hydra/config.yaml has no defaults list to name a run folder by
        "hydra.run.dir": RERUN_DIR if rerun else saved["run"]["dir"],
        "hydra.sweep.dir": saved["sweep"]["dir"],
        "hydra.sweep.subdir": saved["sweep"]["subdir"],
        "hydra.output_subdir": ".hydra",
    }


def _split_argv(argv: list[str]) -> tuple[dict[str, str], list[str]]:
    """Hydra's flags (long names, with their values) and the overrides, in that order.

    Raises:
        ConfigError: an unknown flag, a flag without its value, a flag after an override
            (``sandbox-run`` appends overrides, so Hydra would refuse the command), or
            ``--experimental-rerun`` (it loads a pickle, which can run code).
    """
    flags: dict[str, str] = {}
    overrides: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        i += 1
        if not arg.startswith("-"):
            overrides.append(arg)
            continue
        if overrides:
            raise ConfigError(
                "command line",
                overrides[0],
                f"Hydra's flags first, then the overrides: put {overrides[0]!r} and the "
                f"other overrides after {arg!r}",
            )
        name, eq, value = arg.partition("=")
        name = ALIASES.get(name, name)
        if name not in FLAGS:
            raise ConfigError("command line", arg, "the flags " + ", ".join(sorted(FLAGS)))
        if name in FLAGS_WITH_VALUE and not eq:
            if i >= len(argv):
                raise ConfigError("command line", arg, f"{name} followed by its value")
            value, i = argv[i], i + 1
        if name == "--info" and not eq and i < len(argv) and argv[i] in INFO_TOPICS:
            value, i = argv[i], i + 1
        flags[name] = value
    if "--experimental-rerun" in flags:
        raise ConfigError(
            "--experimental-rerun",
            flags["--experimental-rerun"],
            "a re-run from the saved config: --config-path <run folder>/.hydra --config-name "
            "config (--experimental-rerun loads a pickle file, which can run any code)",
        )
    return flags, overrides


def _command(flags: dict[str, str], overrides: list[str]) -> list[str]:
    """The command line Hydra gets: flags first, then the overrides."""
    out = []
    for name, value in flags.items():
        if name in FLAGS_WITH_VALUE:
            out += [name, value]
        else:
            out += [f"{name}={value}"] if value else [name]
    return out + overrides


def _config_dirs(flags: dict[str, str]) -> tuple[Path, Path | None]:
    """The primary config folder and the --config-dir folder, checked to exist."""
    main_dir = CONFIG_DIR
    if "--config-path" in flags:
        path = flags["--config-path"]
        if path.startswith("pkg://"):
            raise ConfigError("--config-path", path, "a folder (a pkg:// module is imported)")
        main_dir = Path(path).expanduser().resolve()
        if not main_dir.is_dir():
            raise ConfigError("--config-path", path, "an existing folder of config files")
    extra = None
    if "--config-dir" in flags:
        extra = Path(flags["--config-dir"]).expanduser().resolve()
        if not extra.is_dir():
            raise ConfigError("--config-dir", flags["--config-dir"], "an existing folder")
    return main_dir, extra


def _primary_config(name: str, dirs: list[Path]) -> Path:
    """The primary config file Hydra will load (the first folder that has it)."""
    stem = name.removesuffix(".yaml")
    plain = stem and not Path(stem).is_absolute() and ".." not in Path(stem).parts
    for folder in dirs if plain else []:
        if (folder / f"{stem}.yaml").is_file():
            return folder / f"{stem}.yaml"
    names = sorted({p.stem for folder in dirs for p in folder.glob("*.yaml")})
    raise ConfigError(
        "--config-name",
        name,
        f"a config of {', '.join(str(d) for d in dirs)}: {', '.join(names) or 'none there'}",
    )


def _hydra(main_dir: Path, extra_dir: Path | None):
    """A Hydra instance with the search path ``sandbox-run`` will use."""
    from hydra._internal.hydra import Hydra
    from hydra._internal.utils import create_automatic_config_search_path
    from hydra.core.config_search_path import SearchPathQuery

    search_path = create_automatic_config_search_path(__file__, None, str(main_dir))
    if extra_dir is not None:
        search_path.prepend(
            provider="command-line",
            path=f"file://{extra_dir}",
            anchor=SearchPathQuery(provider="schema"),
        )
    return Hydra.create_main_hydra2(task_name=Path(__file__).stem, config_search_path=search_path)


@dataclasses.dataclass(frozen=True)
class Plan:
    """What a checked command will launch: as many runs, into a folder, these first jobs."""

    runs: int
    folder: str
    first: list[list[str]]
    multirun: bool
    design: str = ""  # a sampled design's size in words (its one job runs them all)
    adaptive: str = ""  # how adaptive replications may add runs, in words

    def describe(self) -> str:
        """The dry run's report."""
        what = f"{self.runs:,} run{'s' * (self.runs != 1)}"
        if self.design:
            what = f"{self.runs:,} job{'s' * (self.runs != 1)}, running {self.design},"
        lines = [
            f"sandbox-run --dry-run: {what} into {self.folder} "
            f"({'a sweep' if self.multirun else 'a single run'}); every job checked, nothing "
            "run or written."
        ]
        if self.adaptive:
            lines.append(self.adaptive)
        if self.multirun:
            every = len(self.first) == self.runs
            lines.append("Overrides of each job:" if every else
                         f"Overrides of the first {len(self.first)} jobs:")  # fmt: skip
            lines += [f"  {' '.join(job)}" for job in self.first]
        return "\n".join(lines)


def _precheck(argv: list[str]) -> list[str]:
    """Check the command before Hydra writes anything; return the command Hydra gets.

    Hydra saves ``.hydra/`` before the task starts, and a sweep's folder before its first
    job; checking first keeps earlier results intact and writes nothing for a bad command.
    """
    return _check(argv)[0]


def _check(argv: list[str]) -> tuple[list[str], Plan | None]:
    """``_precheck``, and the ``Plan`` of a command that runs (None for ``--help`` etc.)."""
    from hydra.core.global_hydra import GlobalHydra
    from omegaconf import OmegaConf

    from sandbox.config import jobs, safety
    from sandbox.config.overrides import check_override, parse_override

    flags, overrides = _split_argv(argv)
    if {"--version", "--shell-completion"} & set(flags):
        return _command(flags, overrides), None  # nothing is composed from the overrides
    main_dir, extra_dir = _config_dirs(flags)
    if "--config-path" in flags:
        flags["--config-path"] = str(main_dir)  # Hydra reads a relative one from src/sandbox
    dirs = [main_dir] + ([extra_dir] if extra_dir else [])
    name = flags.get("--config-name", "config")
    primary = _primary_config(name, dirs)
    searchpath = safety.check_searchpath(
        safety.primary_searchpath(primary), f"hydra.searchpath in {primary}"
    )
    for text in overrides:
        override = parse_override(text)
        if override.key_or_group == "hydra.searchpath":
            searchpath |= safety.check_searchpath(override.value(), "hydra.searchpath")
            value = override.value()
            if isinstance(value, list):
                dirs += [Path(e.removeprefix("file://")) for e in value if e.startswith("file:")]
    parsed = [check_override(text, dirs) for text in overrides]
    if "--config-path" in flags or extra_dir is not None or searchpath:
        given = {o.key_or_group for o in parsed}
        for key, value in _project_outputs("--config-path" in flags).items():
            if not any(key == k or key.startswith(k + ".") for k in given):
                overrides.append(f"{key}={value}")
                parsed.append(parse_override(overrides[-1]))
    composer = jobs.Composer(_hydra(main_dir, extra_dir), name)
    try:
        if NO_RUN & set(flags):
            safety.check_config(composer.compose(overrides, RunMode.RUN), parsed)
            return _command(flags, overrides), None
        multirun = "--multirun" in flags
        cfg = None
        if not multirun:
            try:
                cfg = composer.compose(overrides, RunMode.RUN)
            except ConfigError as err:
                try:  # as Hydra does: the config itself may ask for a multirun
                    mode = composer.compose(overrides, RunMode.MULTIRUN,
                                            validate_sweep_overrides=False).hydra.mode  # fmt: skip
                except ConfigError:
                    mode = None
                if mode != RunMode.MULTIRUN:
                    raise err from None
            multirun = cfg is None or cfg.hydra.mode == RunMode.MULTIRUN
        if multirun:
            base = composer.compose(overrides, RunMode.MULTIRUN)
            checker = jobs.check_sweep(composer, base, parsed, dirs)
            HydraConfig.instance().set_config(base)
            _check_sweep_folder(base, composer.hydra.config_loader)
            first = jobs.sweep_jobs(base, composer.hydra.config_loader)[1]
            plan = Plan(checker.jobs, str(OmegaConf.select(base, "hydra.sweep.dir")),
                        list(itertools.islice(first, SHOWN_JOBS)), multirun=True,
                        design=_design(composer, plan_job=overrides),
                        adaptive=_adaptive(base))  # fmt: skip
        else:
            jobs.check_run(cfg, parsed)
            plan = Plan(1, str(OmegaConf.select(cfg, "hydra.run.dir")), [overrides], False,
                        design=_design(composer, plan_job=overrides))  # fmt: skip
    finally:
        GlobalHydra.instance().clear()
    return _command(flags, overrides), plan


def _check_sweep_folder(base: DictConfig, config_loader) -> None:
    """Refuse, before Hydra writes anything, a sweep into a folder it may not use
    (``sandbox.experiments.sweep_plan``; the sweep checks again under the folder's lock)."""
    from omegaconf import OmegaConf

    from sandbox.experiments.sweep_plan import check_folder, check_links, planned

    folder = Path(str(OmegaConf.select(base, "hydra.sweep.dir")))
    check_links(folder)
    check_folder(folder, planned(base, config_loader, folder))


def _failed_path(err: OSError) -> str | None:
    """The file or folder an ``OSError`` is about.

    A write that fails when its file is flushed (a full disk) names no file; the frame
    that wrote it still holds the open file, whose ``name`` is the path.
    """
    if err.filename:
        return os.fsdecode(err.filename)
    frames = []
    tb = err.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    for frame in reversed(frames):
        for value in frame.f_locals.values():
            name = getattr(value, "name", None)
            if hasattr(value, "write") and isinstance(name, str) and name:
                return name
    try:  # the run's folder, when Hydra got that far
        return str(HydraConfig.get().runtime.output_dir)
    except Exception:
        return None


def launch_failure(err: OSError) -> str:
    """One paragraph for a failure to write while launching: what, where and why."""
    code = errno.errorcode.get(err.errno or 0, "")
    reason = err.strerror or (str(err).splitlines() or [type(err).__name__])[0]
    path = _failed_path(err)
    where = f" {path!r}" if path else ""
    hints = {
        errno.ENOSPC: "free space on that disk (or write elsewhere with hydra.run.dir / "
        "hydra.sweep.dir) and run the command again",
        errno.EDQUOT: "free space within your quota and run the command again",
        errno.ENAMETOOLONG: "folder and file names of at most 255 bytes: shorten the "
        "overrides that name the folder, or set hydra.run.dir / hydra.sweep.subdir",
        errno.EACCES: "a folder you may write to (hydra.run.dir / hydra.sweep.dir)",
        errno.EROFS: "a folder on a writable file system (hydra.run.dir / hydra.sweep.dir)",
    }
    hint = hints.get(err.errno or 0, "check that the folder can be written and run again")
    return (
        f"sandbox-run: launching failed: could not create or write{where}: {reason}"
        f"{f' ({code})' if code else ''}. Needed: {hint}."
    )


def _reraise(err: BaseException) -> None:
    raise err


def _design(composer, plan_job: list[str]) -> str:
    """The size of the sampled design a command's job runs (``experiment=sensitivity``,
    ``robustness``), in words; empty for other commands."""
    import importlib

    from sandbox.config.jobs import model_params

    try:
        params = model_params(composer.compose(plan_job, RunMode.RUN))
    except ConfigError:  # a sweep over values: each job is one run
        return ""
    if not params.design.analysis:
        return ""
    return importlib.import_module(ANALYSES[params.design.analysis]).planned(params)


def _adaptive(base: DictConfig) -> str:
    """A sweep's adaptive replications in words ('' when off)."""
    from omegaconf import OmegaConf

    a = OmegaConf.select(base, "adaptive")
    if a is None or not a.half_width > 0:
        return ""
    target = f"{a.half_width:g} of each outcome's level" if a.relative else f"{a.half_width:g}"
    return (
        f"Adaptive replications: then rounds that add "
        f"{f'{a.batch} replicates' if a.batch else 'as many replicates as the command names'}"
        f", until every headline CI's half-width is at most {target}, up to "
        f"{a.max_replicates} replicates in all (adaptive.max_replicates)."
    )


def dry_run(argv: list[str]) -> str:
    """Check a command as ``sandbox-run`` would and say what it would launch.

    Raises:
        ConfigError: the command would be refused.
    """
    sweep_folder.record_command(_split_argv(argv)[1])  # names an experiment's folder
    plan = _check(argv)[1]
    if plan is None:
        return "sandbox-run --dry-run: this command launches no run (help, info or config)."
    return plan.describe()


def main() -> None:
    """Console script entry point."""
    register()
    argv = sys.argv[1:]
    try:
        if DRY_RUN in argv:
            print(dry_run([a for a in argv if a != DRY_RUN]))
            return
        command, plan = _check(argv)
    except (ConfigError, SweepFolderError) as err:
        print(f"sandbox-run: {err}", file=sys.stderr)
        sys.exit(2)
    if plan is not None and not plan.multirun and not plan.design:
        named = [o for o in _split_argv(argv)[1] if o.startswith("experiment=")]
        if named:  # an experiment is a sweep: without -m Hydra runs one scenario of it
            print(f"sandbox-run: {named[-1]} without -m runs one scenario (the config's "
                  "defaults where the experiment sweeps); add -m to run its sweep",
                  file=sys.stderr)  # fmt: skip
    sweep_folder.record_command(_split_argv(command)[1])
    sys.argv = [sys.argv[0], *command]
    # Hydra prints its own traceback and exits 1 unless HYDRA_FULL_ERROR=1: with it set,
    # errors reach this function, which reports a failure to write in one paragraph.
    full_error = os.environ.get("HYDRA_FULL_ERROR")
    os.environ["HYDRA_FULL_ERROR"] = "1"
    try:
        _app()
    except ConfigError as err:
        print(f"sandbox-run: {err}", file=sys.stderr)
        sys.exit(2)
    except OSError as err:
        if full_error == "1":
            raise
        print(launch_failure(err), file=sys.stderr)
        sys.exit(1)
    except Exception as other:
        if full_error == "1":
            raise
        _restore(full_error)
        from hydra._internal.utils import run_and_report

        run_and_report(functools.partial(_reraise, other))  # Hydra's own report, exit 1
    finally:
        _restore(full_error)


def _restore(value: str | None) -> None:
    if value is None:
        os.environ.pop("HYDRA_FULL_ERROR", None)
    else:
        os.environ["HYDRA_FULL_ERROR"] = value
