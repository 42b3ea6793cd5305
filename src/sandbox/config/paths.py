"""Where the configuration lives: the ``configs/`` folder every part composes from."""

from __future__ import annotations

from pathlib import Path


def config_dir() -> Path:
    """The ``configs/`` folder: the repository's, else the copy installed in the package."""
    package = Path(__file__).resolve().parent.parent  # src/sandbox
    for candidate in (package.parent.parent / "configs", package / "_configs"):
        if (candidate / "config.yaml").is_file():
            return candidate
    raise FileNotFoundError("sandbox: no configs/ folder found beside the package")


CONFIG_DIR = config_dir()
