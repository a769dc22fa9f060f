"""Typed readers for environment variables that fail loudly on a bad value.

Every reader takes the variable's name and a default; a value that is present but
malformed raises ``ConfigError`` naming the variable, the value and what was expected,
so a typo in a deployment stops the process at start-up instead of being ignored.
"""

from __future__ import annotations

import builtins
import os
from collections.abc import Mapping
from pathlib import Path


class ConfigError(RuntimeError):
    """A configuration value is missing or malformed."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class Env:
    def __init__(self, environ: Mapping[str, builtins.str] | None = None) -> None:
        self._environ = os.environ if environ is None else environ

    def raw(self, name: builtins.str) -> builtins.str | None:
        value = self._environ.get(name)
        if value is None or value.strip() == "":
            return None
        return value.strip()

    def str(self, name: builtins.str, default: builtins.str = "") -> builtins.str:
        value = self.raw(name)
        return default if value is None else value

    def required_str(self, name: builtins.str) -> builtins.str:
        value = self.raw(name)
        if value is None:
            raise ConfigError(f"{name} must be set")
        return value

    def bool(self, name: builtins.str, default: builtins.bool) -> builtins.bool:
        value = self.raw(name)
        if value is None:
            return default
        lowered = value.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ConfigError(f"{name}={value!r} is not a boolean (use true/false, 1/0, yes/no, on/off)")

    def int(
        self,
        name: builtins.str,
        default: builtins.int,
        *,
        minimum: builtins.int | None = None,
        maximum: builtins.int | None = None,
    ) -> builtins.int:
        value = self.raw(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise ConfigError(f"{name}={value!r} is not an integer") from None
        if minimum is not None and number < minimum:
            raise ConfigError(f"{name}={number} is below the minimum {minimum}")
        if maximum is not None and number > maximum:
            raise ConfigError(f"{name}={number} is above the maximum {maximum}")
        return number

    def float(
        self, name: builtins.str, default: builtins.float, *, minimum: builtins.float | None = None
    ) -> builtins.float:
        value = self.raw(name)
        if value is None:
            return default
        try:
            number = float(value)
        except ValueError:
            raise ConfigError(f"{name}={value!r} is not a number") from None
        if minimum is not None and number < minimum:
            raise ConfigError(f"{name}={number} is below the minimum {minimum}")
        return number

    def list(self, name: builtins.str, default: builtins.list[builtins.str]) -> builtins.list[builtins.str]:
        value = self.raw(name)
        if value is None:
            return list(default)
        return [item.strip() for item in value.split(",") if item.strip()]

    def choice(self, name: builtins.str, default: builtins.str, choices: tuple[builtins.str, ...]) -> builtins.str:
        value = self.str(name, default)
        if value not in choices:
            raise ConfigError(f"{name}={value!r} must be one of: {', '.join(choices)}")
        return value

    def path(self, name: builtins.str, default: Path) -> Path:
        value = self.raw(name)
        return (Path(value) if value is not None else default).expanduser().resolve()

    def rate(self, name: builtins.str, default: builtins.str) -> tuple[builtins.int, builtins.int]:
        """A rate such as ``300/m`` as (requests, period in seconds)."""
        value = self.str(name, default)
        periods = {"s": 1, "m": 60, "h": 3600, "d": 86400}
        count, _, unit = value.partition("/")
        try:
            requests = int(count)
            seconds = periods[unit.strip().lower()[:1]]
        except (ValueError, KeyError):
            raise ConfigError(f"{name}={value!r} is not a rate like 300/m (units: s, m, h, d)") from None
        if requests < 1:
            raise ConfigError(f"{name}={value!r} must allow at least one request")
        return requests, seconds


def read_dotenv(path: Path) -> dict[builtins.str, builtins.str]:
    """The KEY=VALUE lines of ``path`` (none when there is no such file); the first of a repeated name wins.

    The environment is left as it is: ``Env({**read_dotenv(path), **os.environ})`` reads both, real
    variables first.
    """
    values: dict[builtins.str, builtins.str] = {}
    if not path.is_file():
        return values
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        name, separator, value = stripped.removeprefix("export ").partition("=")
        if not separator or not name.strip().isidentifier():
            raise ConfigError(f"{path}:{number}: expected NAME=value")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values.setdefault(name.strip(), value)
    return values
