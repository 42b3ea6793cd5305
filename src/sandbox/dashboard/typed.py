"""Values typed into the dashboard as on the command line (``key=value``), checked by the
same code as ``sandbox-run``'s overrides, so that a bad one gets the same message."""

from __future__ import annotations

import shlex
from typing import Any

from sandbox.config.meta import describe
from sandbox.config.overrides import check_override
from sandbox.config.params import Params
from sandbox.config.paths import CONFIG_DIR
from sandbox.config.validate import check_value
from sandbox.errors import ConfigError


def parse(text: str) -> dict[str, Any]:
    """The values of ``text``: ``key=value`` overrides separated by spaces, each a leaf of
    the parameters (``citizens.trust_mean=0.5 policy.sandbox.capacity=40``).

    Raises:
        ConfigError: an override does not parse, names no parameter, or its value has
            the wrong type or is out of its declared range (one paragraph, as
            ``sandbox-run`` says it).
    """
    try:
        words = shlex.split(text)
    except ValueError as err:
        raise ConfigError(
            "typed values", text, f"key=value pairs separated by spaces ({err})"
        ) from None
    leaves = describe(Params)
    out: dict[str, Any] = {}
    for word in words:
        override = check_override(word, CONFIG_DIR)
        key = override.key_or_group
        if key not in leaves:
            raise ConfigError(
                "typed values", word, "key=value with the dotted key of one parameter value "
                "(docs/parameters.md), e.g. citizens.trust_mean=0.5; the mechanisms and the "
                "horizon have their own controls"
            )  # fmt: skip
        value = override.value()
        check_value(key, value)
        out[key] = value
    return out
