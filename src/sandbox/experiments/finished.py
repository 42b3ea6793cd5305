"""Which jobs of a sweep are finished, known before launching them.

Each job of a sweep checks its own folder when it starts (``store.execute``) and skips a
run that is complete, made by the present code from the present inputs. That check costs
a Hydra job: a composed config, a folder, its ``.hydra/`` files, about 0.2 s of a worker
per run, so a finished 384-run sweep spent over a minute showing 384/384. This module
lets the sweeper (``hydra_plugins.sandbox_sweeper``) leave such jobs unlaunched.

A job is known to be finished when

1. the sweep last ended with every run done, from config files identical to today's: the
   sweep records the SHA-256 of its config folders (``configs_sha256``) in ``STAMP`` when
   every run is done, so an edited config (which would change a job's composition and so
   its run id) launches every job again, each deciding for itself as before; and
2. its folder, found by the overrides Hydra saved in it (``.hydra/overrides.yaml``), holds
   a complete run (``store.inspect``: every file its manifest lists is intact, its run id
   is that of its saved config, and it was made by the present code from input files of
   the same SHA-256).

Anything else (a damaged, failed, missing or stale run, a sweep never finished, other
config files) is launched, and the job decides as it always did.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path

import yaml

from sandbox.experiments.atomic import write_json
from sandbox.experiments.provenance import code_fingerprint, input_hashes
from sandbox.experiments.store import (
    RunStatus,
    UnreadableConfigError,
    inspect,
    read_json,
    run_id,
    saved_config,
)

STAMP = ".finished.json"  # in the sweep folder: written when every run of the sweep is done
OVERRIDES = Path(".hydra") / "overrides.yaml"


def configs_sha256(folders: Iterable[Path]) -> str:
    """SHA-256 over every file (its path within its folder, and its bytes) of ``folders``."""
    digest = hashlib.sha256()
    for folder in folders:
        root = Path(folder)
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            digest.update(f"{path.relative_to(root).as_posix()}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def config_folders(sources: Iterable[object]) -> list[Path] | None:
    """The folders of Hydra's file config sources (``hydra.runtime.config_sources``), or
    None when a source is neither a file folder nor a package (then nothing is skipped)."""
    folders = []
    for source in sources:
        schema, path = getattr(source, "schema", None), getattr(source, "path", None)
        if schema == "file" and path:
            folders.append(Path(path))
        elif schema not in ("pkg", "structured"):
            return None
    return folders


class Finished:
    """The finished jobs of one sweep folder, by their overrides."""

    def __init__(self, folders: dict[tuple[str, ...], Path]) -> None:
        self.folders = folders
        self.code = code_fingerprint()
        self._inputs: dict[tuple[str, str], dict[str, str]] = {}

    @classmethod
    def of(cls, sweep_dir: Path, configs: str | None) -> Finished | None:
        """The sweep's finished jobs, or None unless it last ended with every run done from
        config files of SHA-256 ``configs``."""
        stamp = read_json(Path(sweep_dir) / STAMP)
        if configs is None or stamp is None or stamp.get("configs_sha256") != configs:
            return None
        folders = {}
        for path in Path(sweep_dir).glob(f"**/{OVERRIDES}"):
            try:
                overrides = yaml.safe_load(path.read_text(encoding="utf-8"))
            except (OSError, yaml.YAMLError):
                continue
            if isinstance(overrides, list) and all(isinstance(o, str) for o in overrides):
                folders[tuple(overrides)] = path.parent.parent
        return cls(folders)

    def done(self, job: Sequence[str], number: int | None = None) -> bool:
        """Whether the job of these overrides has a complete run (the module's rule 2).

        ``number``: the job's number in this launch, when run folders are named by it
        (``hydra.sweep.subdir: ${hydra.job.num}``). The job is finished only when its run
        lies in the folder of that number: a sweep that grew (more replicates) numbers its
        jobs anew, and the job launched under this number would write over that folder.
        """
        folder = self.folders.get(tuple(job))
        if folder is None or (number is not None and folder.name != str(number)):
            return False
        try:
            config = saved_config(folder)
        except UnreadableConfigError:
            return False
        region = config.get("region") or {}
        tables = (str(region.get("table", "")), str(region.get("merge_table", "")))
        try:
            if tables not in self._inputs:
                self._inputs[tables] = input_hashes(*tables)
        except Exception:  # an input that cannot be read: the job will say so
            return False
        check = inspect(folder, run_id(config), self.code, self._inputs[tables])
        return check.status is RunStatus.DONE


def stamp(sweep_dir: Path, configs: str | None) -> None:
    """Record that every run of the sweep is done, from config files of SHA-256 ``configs``."""
    if configs is not None:
        write_json(Path(sweep_dir) / STAMP, {"configs_sha256": configs})


def unstamp(sweep_dir: Path) -> None:
    """Forget the record: a sweep is under way or ended with runs not done."""
    (Path(sweep_dir) / STAMP).unlink(missing_ok=True)
