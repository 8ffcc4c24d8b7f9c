"""The line `careforge generate` prints for a package whose spec changed: how much changed since the
package was last generated, and whether its version says so."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from ..fileset import FileSet
from .changes import Level
from .verdict import Bump, enough, needed, next_version

_VERSION_LINE = re.compile(r'^version = "([^"]+)"$', re.MULTILINE)
BUNDLE = "tests/spec.json"


def since_last_generation(folder: Path, files: FileSet, name: str) -> str | None:
    """None when there was no package before, or its spec did not change in a way worth a line."""
    from ..load import load
    from ..resolve import resolve
    from .spec_diff import compare

    before = folder / BUNDLE
    old_project = folder / "pyproject.toml"
    if not before.is_file() or not old_project.is_file() or BUNDLE not in files.files:
        return None
    found = _VERSION_LINE.search(old_project.read_text(encoding="utf-8"))
    new_found = _VERSION_LINE.search(files.files.get("pyproject.toml", ""))
    if found is None or new_found is None:
        return None
    old_version, new_version = found[1], new_found[1]
    with tempfile.TemporaryDirectory(prefix="careforge-summary-") as scratch:
        after = Path(scratch) / "spec.json"
        after.write_text(files.files[BUNDLE], encoding="utf-8")
        changes = compare(resolve(load(before, str(before))), resolve(load(after, str(after))))
    if not changes:
        return None
    counts = ", ".join(f"{n} {level.label}" for level in reversed(Level)
                       if (n := sum(1 for c in changes if c.level is level)))
    bump = needed([c.level for c in changes], old_version)
    if bump is Bump.NONE or enough(old_version, new_version, bump):
        verdict = f"version {old_version} -> {new_version} is enough for a {bump.label} change"
    else:
        verdict = (f"needs a {bump.label} version ({old_version} -> {next_version(old_version, bump)} at least): "
                   f"see `careforge diff --since HEAD {name}`, then `careforge bump {name}`")
    return f"{name}: the spec changed since the last generation: {counts}; {verdict}"
