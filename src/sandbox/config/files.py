"""Named files of ``configs/`` (targets, priors, posteriors): by name or by path."""

from __future__ import annotations

from pathlib import Path

from sandbox.config.paths import CONFIG_DIR
from sandbox.errors import ConfigError


def config_file(name_or_path: str | Path, folder: str, suffix: str = ".yaml") -> Path:
    """``configs/<folder>/<name><suffix>``, or ``name_or_path`` itself if it has a suffix.

    Raises:
        ConfigError: no such file; the message lists the named ones.
    """
    path = Path(name_or_path)
    if not path.suffix:
        path = CONFIG_DIR / folder / f"{name_or_path}{suffix}"
    if not path.is_file():
        known = sorted(p.stem for p in (CONFIG_DIR / folder).glob(f"*{suffix}"))
        raise ConfigError(
            f"calibration file ({folder})",
            str(name_or_path),
            f"the path of an existing {suffix} file, or one of "
            f"{', '.join(known) or '(none)'} (named in configs/{folder}/)",
            problem="No such file for",
        )
    return path
