"""Nothing in a config runs code, reads the environment or writes where it should not.

The model never calls ``hydra.utils.instantiate``, but Hydra does: the ``_target_`` of the
sweeper, the launcher and every callback, and ``logging.config.dictConfig`` of
``hydra.hydra_logging`` / ``hydra.job_logging`` (whose ``()`` factories and handler
``class`` entries are imported and called). Launchers run what their options say (SLURM
``setup`` lines, Ray's ``runtime_env``). A config downloaded with a paper and run with
``--config-path`` must not be able to use any of that, nor can a command line copied
from one.

So ``sandbox-run`` composes the whole config first (``hydra.compose`` instantiates
nothing) and ``check_config`` walks it: every ``_target_`` is one of ``TARGETS``, logging
configs use only plain handlers, launcher options that run commands or install code are
refused, and only the resolvers of ``RESOLVERS`` may appear (``${oc.env:...}`` would copy
a secret into the results). ``hydra.searchpath`` is read before composition (a ``pkg://``
entry is imported while composing), so ``check_searchpath`` judges it from the primary
config file and the command line first.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml
from hydra.core.override_parser.types import Override
from omegaconf import DictConfig, OmegaConf

from sandbox.errors import ConfigError

# The classes the project ships or uses; nothing else is ever instantiated.
TARGETS = frozenset(
    {
        "sandbox.experiments.sweep.SweepCallback",
        "hydra_plugins.sandbox_sweeper.sandbox_sweeper.SandboxSweeper",
        "hydra_plugins.sandbox_sweeper.sandbox_sweeper.BatchSweeper",
        "hydra._internal.core_plugins.basic_sweeper.BasicSweeper",
        "hydra._internal.core_plugins.basic_launcher.BasicLauncher",
        "hydra_plugins.hydra_joblib_launcher.joblib_launcher.JoblibLauncher",
        "hydra_plugins.hydra_submitit_launcher.submitit_launcher.LocalLauncher",
        "hydra_plugins.hydra_submitit_launcher.submitit_launcher.SlurmLauncher",
        "hydra_plugins.hydra_ray_launcher.ray_launcher.RayLauncher",
    }
)
LOGGING = ("hydra.hydra_logging", "hydra.job_logging")
LOG_HANDLERS = frozenset({"logging.StreamHandler", "logging.FileHandler", "logging.NullHandler"})
LOG_FORMATTERS = frozenset({"logging.Formatter"})
EXT_STREAMS = frozenset({"ext://sys.stdout", "ext://sys.stderr"})
# A log file lives in the run's own folder: ${hydra.runtime.output_dir}/<plain name>.
LOG_FILE = re.compile(
    r"\$\{hydra[.:]runtime\.output_dir\}/(?:[A-Za-z0-9_-]|\.(?!\.)|\$\{hydra[.:]job\.name\})+"
)
JOB_NAME = re.compile(r"(?!\.\.?$)[A-Za-z0-9_.-]{1,100}")
# Resolvers a config may use: Hydra's, sandbox's and OmegaConf's that read only the config.
RESOLVERS = frozenset(
    {
        "now",
        "hydra",
        "cwd",
        "sweep_suffix",
        "safe_dirname",
        "oc.select",
        "oc.dict.keys",
        "oc.dict.values",
        "oc.deprecated",
    }
)
# Launcher options a config may set (Ray passes its dicts to ray.init / ray.remote as they
# are: runtime_env installs packages and runs setup hooks, _tracing_startup_hook imports
# code, dashboard_host opens the job-submission API to the network).
RAY_INIT = frozenset(
    {
        "address",
        "num_cpus",
        "num_gpus",
        "object_store_memory",
        "include_dashboard",
        "log_to_driver",
        "namespace",
        "ignore_reinit_error",
        "logging_level",
    }
)
RAY_REMOTE = frozenset(
    {"num_cpus", "num_gpus", "memory", "resources", "max_retries", "retry_exceptions", "max_calls"}
)
# Options that run shell commands, install code or pass raw scheduler arguments.
RUNS_CODE = frozenset(
    {
        "setup",  # submitit: shell lines run before the job
        "srun_args",
        "additional_parameters",  # raw #SBATCH lines (--export=LD_PRELOAD=...)
        "runtime_env",
        "worker_process_setup_hook",
        "setup_hook",
        "_tracing_startup_hook",
        "job_config",
        "setup_commands",
        "initialization_commands",
        "head_setup_commands",
        "worker_setup_commands",
        "env_vars",
        "py_modules",
        "working_dir",
        "pip",
        "conda",
    }
)
# Keys whose value decides where code runs or files go: a config file may only leave the
# default (``None`` = no value); the command line may set anything.
COMMAND_LINE_ONLY: dict[str, tuple[object, ...]] = {
    "hydra.launcher.ray.init.address": (None, "auto", "local"),
    "hydra.launcher.submitit_folder": ("${hydra.sweep.dir}/.submitit/%j",),
}
SEARCHPATH_PACKAGES = ("sandbox", "hydra_plugins")


def _refuse(key: str, value: object, allowed: str) -> None:
    raise ConfigError(key, value, allowed)


# ------------------------------------------------------------------- searchpath
def check_searchpath(entries: object, where: str) -> bool:
    """Raise ``ConfigError`` unless ``entries`` is a list of ``file://`` folders or
    ``pkg://`` modules of sandbox / hydra_plugins.

    Returns:
        Whether there is at least one entry.
    """
    allowed = (
        "a list of file://<folder> entries, or pkg://sandbox... and pkg://hydra_plugins... "
        "(a pkg:// entry is imported while the config is composed)"
    )
    if entries is None:
        return False
    if not isinstance(entries, list | tuple):
        _refuse(where, entries, allowed)
    for i, entry in enumerate(entries):
        key = f"{where}[{i}]"
        if not isinstance(entry, str) or "${" in entry:
            _refuse(key, entry, allowed)
        if entry.startswith("file://") and len(entry) > len("file://"):
            continue
        module = entry.removeprefix("pkg://").replace("/", ".")
        if entry.startswith("pkg://") and module.split(".")[0] in SEARCHPATH_PACKAGES:
            continue
        _refuse(key, entry, allowed)
    return bool(entries)


def primary_searchpath(config_file: Path) -> object:
    """``hydra.searchpath`` of a primary config file as written (None when absent)."""
    try:
        data = yaml.safe_load(Path(config_file).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None  # composing reports the file
    hydra_node = data.get("hydra") if isinstance(data, dict) else None
    return hydra_node.get("searchpath") if isinstance(hydra_node, dict) else None


# ----------------------------------------------------------------- the walk
def _walk(node: object, path: str = "") -> Iterator[tuple[str, object, object]]:
    """(dotted path, key, value) of every entry of nested dicts and lists."""
    if isinstance(node, dict):
        for key, value in node.items():
            sub = f"{path}.{key}" if path else str(key)
            yield sub, key, value
            yield from _walk(value, sub)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            sub = f"{path}[{i}]"
            yield sub, i, value
            yield from _walk(value, sub)


_ABSENT = object()


def _get(data: dict, dotted: str, default: object = None) -> object:
    node: object = data
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return default
        node = node[part]
    return node


@functools.lru_cache(maxsize=4096)
def resolvers_in(text: str) -> tuple[str, ...]:
    """Names of the resolvers an OmegaConf string calls (``?`` for a computed name).

    Raises:
        ValueError: OmegaConf cannot parse the string.
    """
    if "${" not in text:
        return ()
    from antlr4.tree.Tree import TerminalNode
    from omegaconf.grammar.gen.OmegaConfGrammarParser import OmegaConfGrammarParser
    from omegaconf.grammar_parser import parse

    try:
        tree = parse(text)
    except Exception as err:
        raise ValueError(str(err)) from None
    names: list[str] = []

    def visit(node: Any) -> None:
        if isinstance(node, OmegaConfGrammarParser.InterpolationResolverContext):
            name = node.resolverName()
            names.append("?" if name.interpolation() else name.getText())
        if not isinstance(node, TerminalNode):
            for i in range(node.getChildCount()):
                visit(node.getChild(i))

    visit(tree)
    return tuple(names)


def check_text(key: str, text: str) -> None:
    """Raise ``ConfigError`` when a string calls a resolver outside ``RESOLVERS``."""
    allowed = (
        f"interpolations of config keys and the resolvers {', '.join(sorted(RESOLVERS))} "
        "(${oc.env:...} would copy the environment, secrets included, into the results)"
    )
    try:
        names = resolvers_in(text)
    except ValueError:
        _refuse(key, text, "a value OmegaConf can parse; " + allowed)
    for name in names:
        if name not in RESOLVERS:
            _refuse(key, text, allowed)


def check_value_texts(key: str, value: object) -> None:
    """``check_text`` of a value and of every string inside it."""
    if isinstance(value, str):
        check_text(key, value)
    for sub, _, item in _walk(value, key):
        if isinstance(item, str):
            check_text(sub, item)


def _check_logging(where: str, node: object) -> None:
    if node is None:
        return
    file_allowed = (
        "a log file in the run's own folder: ${hydra.runtime.output_dir}/<name>.log "
        "(name of letters, digits, _ - . or ${hydra.job.name})"
    )
    for path, key, value in _walk(node, where):
        if key in ("()", "."):
            _refuse(path, value, "logging settings without '()' factories or '.' attributes")
        ext = isinstance(value, str) and value.startswith("ext://")  # dictConfig imports it
        if ext and value not in EXT_STREAMS:
            _refuse(path, value, " or ".join(sorted(EXT_STREAMS)))
    for kind, classes in (("handlers", LOG_HANDLERS), ("formatters", LOG_FORMATTERS)):
        entries = node.get(kind) if isinstance(node, dict) else None
        for name, entry in (entries or {}).items():
            if not isinstance(entry, dict):
                continue
            cls = entry.get("class")
            if (kind == "handlers" or cls is not None) and cls not in classes:
                _refuse(f"{where}.{kind}.{name}.class", cls, " | ".join(sorted(classes)))
            filename = entry.get("filename")
            writes = kind == "handlers" and (cls == "logging.FileHandler" or filename is not None)
            if writes and not (isinstance(filename, str) and LOG_FILE.fullmatch(filename)):
                _refuse(f"{where}.{kind}.{name}.filename", filename, file_allowed)


def _check_launcher(launcher: object) -> None:
    if not isinstance(launcher, dict):
        return
    for path, key, value in _walk(launcher, "hydra.launcher"):
        if key in RUNS_CODE and value not in (None, [], {}, ""):
            _refuse(
                path,
                value,
                "no value: launcher options that run shell commands, install code or pass "
                "raw scheduler arguments are refused",
            )
    ray = launcher.get("ray")
    if str(launcher.get("_target_")).endswith(".RayLauncher") and isinstance(ray, dict):
        for section, keys in (("init", RAY_INIT), ("remote", RAY_REMOTE)):
            for key in ray.get(section) or {}:
                if key not in keys:
                    _refuse(
                        f"hydra.launcher.ray.{section}.{key}",
                        ray[section][key],
                        f"the keys {', '.join(sorted(keys))}",
                    )


def _on_command_line(key: str, command_line: set[str]) -> bool:
    return any(key == k or key.startswith(k + ".") for k in command_line)


def check_config(cfg: DictConfig, overrides: Sequence[Override] = ()) -> None:
    """Raise ``ConfigError`` when a composed config (``hydra:`` block included) could run
    code, read the environment or send output elsewhere.

    Args:
        cfg: the config Hydra composed from ``overrides``.
        overrides: the command line's overrides (parsed), which are trusted for the keys
            of ``COMMAND_LINE_ONLY`` and must be what ``hydra.overrides`` records.
    """
    data = OmegaConf.to_container(cfg, resolve=False, enum_to_str=True)
    assert isinstance(data, dict)
    command_line = {o.key_or_group for o in overrides}
    targets_allowed = (
        "the classes sandbox ships or uses: " + ", ".join(sorted(TARGETS))
        + " (a config cannot make sandbox run other code)"
    )  # fmt: skip
    for path, key, value in _walk(data):
        if key == "_target_" and not (isinstance(value, str) and value in TARGETS):
            _refuse(path, value, targets_allowed)
        if isinstance(value, str):
            check_text(path, value)
    hydra_node = data.get("hydra")
    if not isinstance(hydra_node, dict):
        return
    for where in LOGGING:
        _check_logging(where, _get(data, where))
    _check_launcher(hydra_node.get("launcher"))
    for key, defaults in COMMAND_LINE_ONLY.items():
        value = _get(data, key, _ABSENT)
        if value is _ABSENT:
            continue
        if value not in defaults and not _on_command_line(key, command_line):
            shown = " or ".join("null" if d is None else str(d) for d in defaults)
            _refuse(key, value, f"{shown} in a config file; set it on the command line")
    job = hydra_node.get("job") or {}
    for key in ("env_copy", "env_set"):  # env_set holds env_copy's values: names only
        if job.get(key):
            _refuse(
                f"hydra.job.{key}",
                sorted(job[key]),
                "no entries (environment variables such as LD_PRELOAD or PYTHONPATH run "
                "code; copied ones would be saved with the results)",
            )
    name = job.get("name")
    if name is not None and not (isinstance(name, str) and JOB_NAME.fullmatch(name)):
        _refuse("hydra.job.name", name, "a plain name of letters, digits, _ - .")
    check_searchpath(hydra_node.get("searchpath"), "hydra.searchpath")
    recorded = hydra_node.get("overrides") or {}
    for kind, lines in (
        ("hydra", [o.input_line for o in overrides if o.is_hydra_override()]),
        ("task", [o.input_line for o in overrides if not o.is_hydra_override()]),
    ):
        if list(recorded.get(kind) or []) != lines:
            _refuse(
                f"hydra.overrides.{kind}",
                recorded.get(kind),
                "what the command line says (Hydra writes this key; a config may not)",
            )
