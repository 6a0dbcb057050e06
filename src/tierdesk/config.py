"""Strict readers for the TIERDESK_* environment variables.

Every instance setting comes through one of these helpers, so a bad value stops
tierdesk at start-up with a message naming the variable, instead of surfacing
later as a confusing failure. Secrets may be given as ``NAME_FILE`` pointing at
a file that holds the value.
"""

from __future__ import annotations

import os
from pathlib import Path

PREFIX = "TIERDESK_"


class ConfigurationError(Exception):
    """A TIERDESK_* variable has a value tierdesk cannot use."""


def _raw(name: str) -> str | None:
    key = PREFIX + name
    value = os.environ.get(key)
    file_key = key + "_FILE"
    file_path = os.environ.get(file_key)
    if value is not None and file_path is not None:
        raise ConfigurationError(f"Set either {key} or {file_key}, not both.")
    if file_path is not None:
        try:
            return Path(file_path).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ConfigurationError(f"{file_key}: cannot read {file_path}: {error}") from error
    return value


def env_str(name: str, default: str | None = None) -> str | None:
    value = _raw(name)
    if value is None or value == "":
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ConfigurationError(f"{PREFIX}{name} must be true or false, not {value!r}.")


def env_int(
    name: str, default: int, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigurationError(f"{PREFIX}{name} must be a whole number, not {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ConfigurationError(f"{PREFIX}{name} must be at least {minimum}, not {number}.")
    if maximum is not None and number > maximum:
        raise ConfigurationError(f"{PREFIX}{name} must be at most {maximum}, not {number}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]
