"""Registers the typed schema (``sandbox.config.params.Params``) in Hydra's ConfigStore.

The primary config lists ``sandbox_schema`` first in its defaults, so every group option
and command-line override is merged onto the dataclasses: a misspelt key or a wrong type
fails at composition, before anything runs.

The dataclasses are frozen, and OmegaConf marks a config made from a frozen dataclass
read-only, which no override could then change; ``structured`` gives the schema as a
config that can be merged onto. ``OmegaConf.to_object`` still builds the frozen objects.
"""

from __future__ import annotations

import os
import warnings

from hydra.core.config_store import ConfigStore
from omegaconf import DictConfig, OmegaConf

from sandbox.config import sweep_folder
from sandbox.config.params import Params

SCHEMA_NAME = "sandbox_schema"


def structured() -> DictConfig:
    """The schema as a typed config that overrides can be merged onto (not read-only)."""
    cfg = OmegaConf.structured(Params)
    nodes = [cfg]
    while nodes:
        node = nodes.pop()
        OmegaConf.set_readonly(node, None)
        nodes.extend(node[key] for key in node if isinstance(node[key], DictConfig))
    return cfg


def register() -> None:
    """Store the schema under ``SCHEMA_NAME``; register ``${cwd:}``, ``${sweep_suffix:}``
    and ``${safe_dirname:...}``.

    ``${cwd:}`` is the launching process's working directory: sweep folders are made
    absolute with it, so workers of a cluster launcher write where the sweep was started.
    It is cached like Hydra's ``${now:}``: a job's config carries the launching process's
    resolver cache (``load_sweep_config`` copies it), so a Ray worker, whose working
    directory is wherever its node was started, resolves the same folder.
    """
    ConfigStore.instance().store(name=SCHEMA_NAME, node=structured())
    # configs/hydra/launcher/{ray,submitit_slurm}.yaml take the place of the launchers' own
    # entries (ray.yaml to leave object_store_memory to Ray); Hydra 1.3 checks each against
    # that entry's schema, as intended, and warns that it does so.
    warnings.filterwarnings(
        "ignore",
        message=r"\s*'hydra/launcher/(ray|submitit_slurm)' is validated against ConfigStore",
    )
    OmegaConf.register_new_resolver("cwd", os.getcwd, replace=True, use_cache=True)
    OmegaConf.register_new_resolver("sweep_suffix", sweep_folder.suffix, replace=True,
                                    use_cache=True)  # fmt: skip
    # A job's folder, ${safe_dirname:${hydra:job.override_dirname}}: not cached, as every
    # job has its own. Registered resolvers travel to joblib, submitit and Ray workers with
    # Hydra's singleton state, where each job resolves its folder.
    from sandbox.config.jobs import safe_dirname  # sandbox.config.jobs imports this module

    OmegaConf.register_new_resolver("safe_dirname", safe_dirname, replace=True)


def to_params(cfg: DictConfig) -> Params:
    """Typed parameters from a composed config or from a saved ``.hydra/config.yaml``,
    with the fitted parameters of the replicate's posterior particle under
    ``uncertainty=posterior`` (``sandbox.config.posterior.apply_uncertainty``)."""
    from sandbox.config.posterior import apply_uncertainty

    if OmegaConf.get_type(cfg) is not Params:  # a saved config is untyped YAML
        cfg = OmegaConf.merge(structured(), cfg)
    return apply_uncertainty(OmegaConf.to_object(cfg))
