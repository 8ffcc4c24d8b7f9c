"""Client arguments read from environment variables when they are not passed (as `OPENAI_API_KEY` is).

The generated client names the variables; an argument given explicitly always wins, and a variable
that is unset or empty counts as absent. The environment is read when a client is made.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx


class FromEnvironment(str):
    """A credential read from the environment: choosing a security option, passed ones come first."""

    __slots__ = ()


@dataclass(frozen=True, slots=True)
class EnvSpec:
    base_url: str = ""  # the variable that holds the base URL
    credentials: Mapping[str, str] = field(default_factory=dict)  # client argument -> variable
    log: str = ""  # "info" or "debug" there turns on the package's log

    def base_url_or(self, given: str | httpx.URL | None) -> str | httpx.URL | None:
        return given if given is not None else _read(self.base_url)

    def credentials_or(self, given: Mapping[str, str | None]) -> dict[str, str | None]:
        found: dict[str, str | None] = {}
        for name, value in given.items():
            if value is None:
                read = _read(self.credentials.get(name, ""))
                value = FromEnvironment(read) if read is not None else None
            found[name] = value
        return found


def _read(variable: str) -> str | None:
    return (os.environ.get(variable) or None) if variable else None
