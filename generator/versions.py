"""Package versions (PEP 440)."""

from __future__ import annotations

from packaging.version import InvalidVersion, Version


def valid_version(version: str) -> bool:
    try:
        Version(version)
    except InvalidVersion:
        return False
    return True
