"""The version a change demands: semantic versioning, with 0.x read the way Python packages read it
(a breaking change bumps the minor number, anything else the patch number)."""

from __future__ import annotations

import enum
from collections.abc import Iterable

from packaging.version import InvalidVersion, Version

from .changes import Level


class Bump(enum.IntEnum):
    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3

    @property
    def label(self) -> str:
        return self.name.lower()


def needed(levels: Iterable[Level], version: str) -> Bump:
    worst = max(levels, default=None)
    if worst is None:
        return Bump.NONE
    bump = {Level.BREAKING: Bump.MAJOR, Level.MAY_BREAK: Bump.MINOR, Level.COMPATIBLE: Bump.MINOR,
            Level.DOCS: Bump.PATCH}[worst]
    if _release(version)[0] == 0 and bump > Bump.PATCH:
        bump = Bump(bump - 1)  # 0.x: the API is not settled; a breaking change moves the minor number
    return bump


def _release(version: str) -> tuple[int, int, int]:
    try:
        parts = Version(version).release
    except InvalidVersion:
        parts = (0,)
    padded = (*parts, 0, 0, 0)
    return padded[0], padded[1], padded[2]


def next_version(version: str, bump: Bump) -> str:
    major, minor, patch = _release(version)
    if bump is Bump.MAJOR:
        return f"{major + 1}.0.0"
    if bump is Bump.MINOR:
        return f"{major}.{minor + 1}.0"
    if bump is Bump.PATCH:
        return f"{major}.{minor}.{patch + 1}"
    return version


def enough(old: str, new: str, bump: Bump) -> bool:
    """Whether going from version `old` to `new` is the bump demanded, or more."""
    try:
        return bump is Bump.NONE or Version(new) >= Version(next_version(old, bump))
    except InvalidVersion:
        return False
