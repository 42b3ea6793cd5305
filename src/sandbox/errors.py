"""The one error type users see for bad input."""

from __future__ import annotations


class ConfigError(ValueError):
    """Invalid configuration or input file.

    The message is one paragraph naming the key (or file and column), the value found
    and what is allowed, so that it can be printed to a user as it is.
    """

    def __init__(self, key: str, value: object, allowed: str) -> None:
        self.key = key
        self.value = value
        self.allowed = allowed
        super().__init__(f"Invalid value for '{key}': {value!r}. Allowed: {allowed}.")
