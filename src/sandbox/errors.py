"""The one error type users see for bad input."""

from __future__ import annotations


class ConfigError(ValueError):
    """Invalid configuration or input file.

    The message is one paragraph naming the key (or file and column), the value found
    and what is allowed, so that it can be printed to a user as it is.

    Args:
        key: dotted config key, or file and column.
        value: the offending value.
        allowed: what would be accepted.
        problem: how the message starts (``Invalid value for`` or ``Unknown key``).
    """

    def __init__(
        self, key: str, value: object, allowed: str, problem: str = "Invalid value for"
    ) -> None:
        self.key = key
        self.value = value
        self.allowed = allowed
        super().__init__(f"{problem} '{key}': {value!r}. Allowed: {allowed}.")
