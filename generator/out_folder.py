"""Whether a package may be written into a folder: Careforge replaces only what it wrote itself.

A folder may be replaced when it is missing, empty, or holds Careforge's manifest and exactly the
files it lists, unchanged. Anything else (a folder Careforge did not make, a file added to a generated
package, a generated file edited by hand) is refused before any work starts, unless the user forces
it; then the files lost are named. What tools leave behind in a package (caches of Python, pytest,
mypy, ruff, hypothesis, pip's egg-info) is not the user's work and never stops a run.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path

from .manifest import NAME, listed_digest, package_files, read_manifest

_SHOWN = 5


class OutputRefused(Exception):
    """The folder holds files that writing would lose; nothing was touched."""


@dataclass(frozen=True)
class Foreign:
    """Files in an output folder that Careforge did not write as they are now."""

    added: tuple[str, ...] = ()  # not written by Careforge (every file, when there is no manifest)
    changed: tuple[str, ...] = ()  # written by Careforge, since edited
    manifest: bool = False

    def __bool__(self) -> bool:
        return bool(self.added or self.changed)

    def described(self) -> str:
        parts = []
        if self.added:
            parts.append(f"{_count(self.added, 'file')} Careforge did not write ({_shown(self.added)})")
        if self.changed:
            parts.append(f"{_count(self.changed, 'file')} changed since Careforge wrote {_them(self.changed)} "
                         f"({_shown(self.changed)})")
        return " and ".join(parts)


def foreign_files(folder: Path) -> Foreign:
    if not folder.exists() and not folder.is_symlink():
        return Foreign()
    if not folder.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))
    present = package_files(folder)
    manifest = read_manifest(folder)
    listed = manifest.get("files") if manifest is not None else None
    if not isinstance(listed, dict):
        return Foreign(added=tuple(present))
    added = tuple(p for p in present if p not in listed and p != NAME)
    changed = tuple(p for p in present if p in listed and listed_digest(folder, p) != listed[p])
    return Foreign(added=added, changed=changed, manifest=True)


def check(folder: Path, *, force: bool) -> Foreign:
    """Raise OutputRefused when writing into `folder` would lose files, unless `force`; return what would be lost."""
    found = foreign_files(folder)
    if found and not force:
        if found.manifest:
            advice = ("move them out (a generated package changes through its spec, rules and templates), "
                      "or pass --force to discard them")
        else:
            advice = "name a new or empty folder, or pass --force to replace this one"
        raise OutputRefused(f"refusing to write into {folder}: it holds {found.described()}; writing would lose "
                            f"them. Nothing was touched: {advice}")
    return found


def _count(paths: tuple[str, ...], noun: str) -> str:
    return f"{len(paths)} {noun}{'' if len(paths) == 1 else 's'}"


def _them(paths: tuple[str, ...]) -> str:
    return "it" if len(paths) == 1 else "them"


def _shown(paths: tuple[str, ...]) -> str:
    more = len(paths) - _SHOWN
    return ", ".join(paths[:_SHOWN]) + (f", and {more} more" if more > 0 else "")
