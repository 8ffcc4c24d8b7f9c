"""The line `careforge generate` prints for a package whose spec changed: how much changed since the
package was last generated, and whether its version says so."""

from __future__ import annotations

import json
import tomllib
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..fileset import FileSet
from .changes import Level
from .verdict import Bump, enough, needed, next_version

if TYPE_CHECKING:
    from ..resolve import ResolvedSpec

BUNDLE = "tests/spec.json"


def package_identity(pyproject: str) -> tuple[str, str] | None:
    """A generated package's distribution name and version, from its pyproject.toml."""
    try:
        project = tomllib.loads(pyproject).get("project", {})
    except tomllib.TOMLDecodeError:
        return None
    name, version = project.get("name"), project.get("version")
    return (name, version) if isinstance(name, str) and isinstance(version, str) else None


def unbundle(text: str, folder: Path) -> Path:
    """The spec files a package's tests/spec.json holds (bundle.py), written out again; their root."""
    body = json.loads(text)
    for name, data in body["documents"].items():
        target = (folder / name).resolve()
        if folder.resolve() not in target.parents:
            raise ValueError(f"{name}: a bundled document outside its folder")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(data), encoding="utf-8")
    return folder / str(body["root"])


def since_last_generation(folder: Path, name: str, spec: ResolvedSpec) -> Callable[[FileSet], str | None]:
    """Begin comparing the spec a package was last generated from with `spec` (in a child, beside the
    build, when there is a second core); the function returned gives the line once the new files are
    built: None when there was no package before, or its spec did not change in a way worth a line."""
    before = folder / BUNDLE
    old_project = folder / "pyproject.toml"
    if not before.is_file() or not old_project.is_file():
        return lambda files: None
    from ..background import Background, worth_it

    child = Background(lambda: _levels(before, name, spec)) if worth_it() else None

    def line(files: FileSet) -> str | None:
        levels = child.result() if child is not None else None
        if BUNDLE not in files.files:
            return None
        found = package_identity(old_project.read_text(encoding="utf-8"))
        new_found = package_identity(files.files.get("pyproject.toml", ""))
        if found is None or new_found is None:
            return None
        if levels is None:  # no child, or it failed: here, where a failure is seen
            levels = _levels(before, name, spec)
        return _line(name, levels, found[1], new_found[1])

    return line


def _levels(before: Path, name: str, spec: ResolvedSpec) -> list[Level]:
    from ..load import load
    from ..resolve import resolve
    from .spec_diff import compare

    with tempfile.TemporaryDirectory(prefix="careforge-summary-") as scratch:
        old_root = unbundle(before.read_text(encoding="utf-8"), Path(scratch) / "old")
        # The bundle is JSON whatever the file's name: read as JSON, much faster than as YAML.
        return [c.level for c in compare(resolve(load(old_root, f"{name} as last generated", is_json=True)), spec)]


def _line(name: str, levels: list[Level], old_version: str, new_version: str) -> str | None:
    if not levels:
        return None
    counts = ", ".join(f"{n} {level.label}" for level in reversed(Level)
                       if (n := sum(1 for found in levels if found is level)))
    bump = needed(levels, old_version)
    if bump is Bump.NONE or enough(old_version, new_version, bump):
        verdict = f"version {old_version} -> {new_version} is enough for a {bump.label} change"
    else:
        verdict = (f"needs a {bump.label} version ({old_version} -> {next_version(old_version, bump)} at least): "
                   f"see `careforge diff --since HEAD {name}`, then `careforge bump {name}`")
    return f"{name}: the spec changed since the last generation: {counts}; {verdict}"
