"""Drift: regenerate in memory and compare with what is on disk."""

from __future__ import annotations

import difflib
from pathlib import Path

from ..fileset import FileSet
from ..manifest import on_disk

MAX_DIFF_LINES = 400


def drift(folder: Path, files: FileSet, label: str) -> list[str]:
    """Lines of a unified diff from disk to the expected files; empty when they agree."""
    disk = on_disk(folder)
    out: list[str] = []
    for path in sorted(set(disk) | set(files.files)):
        expected = files.encoded(path) if path in files.files else None
        actual = disk.get(path)
        if expected == actual:
            continue
        out += _diff(f"{label}/{path}", actual, expected)
    if len(out) > MAX_DIFF_LINES:
        out = out[:MAX_DIFF_LINES] + [f"... ({len(out) - MAX_DIFF_LINES} more lines)"]
    return out


def _diff(name: str, actual: bytes | None, expected: bytes | None) -> list[str]:
    if actual is None:
        return [f"missing: {name} (run `make generate`)"]
    if expected is None:
        return [f"not generated: {name} (remove it, or run `make generate`)"]
    old = actual.decode("utf-8", "replace").splitlines(keepends=True)
    new = expected.decode("utf-8", "replace").splitlines(keepends=True)
    return [line.rstrip("\n") for line in difflib.unified_diff(old, new, f"{name} (on disk)", f"{name} (generated)")]
