"""The generated package's Python surface before and after: what callers import and call.

Both packages are generated into a scratch folder and read by griffe (statically, nothing is
imported). griffe finds what breaks callers (a removed method, a new required keyword, a changed
default); the walk here adds what griffe leaves out: new objects, and changed annotations.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from .. import names
from ..fileset import FileSet
from ..ir.model import Api
from .changes import Change, Level, PythonChange

# Values that change with every release, not with the API.
_IGNORED = ("__version__",)


def python_changes(old: tuple[FileSet, Api], new: tuple[FileSet, Api],
                   changes: Sequence[Change], rules_changed: bool) -> list[PythonChange]:
    import griffe

    with tempfile.TemporaryDirectory(prefix="careforge-diff-") as scratch:
        before = _load(griffe, Path(scratch) / "old", old)
        after = _load(griffe, Path(scratch) / "new", new)
        links = _Links(old[1], new[1], changes, rules_changed)
        found: list[PythonChange] = []
        for breakage in griffe.find_breaking_changes(before, after):
            path = breakage.obj.path
            if path.rsplit(".", 1)[-1] in _IGNORED:
                continue
            kind = breakage.kind.name.lower().replace("_", "-")
            found.append(PythonChange(kind=kind, level=Level.BREAKING, path=path,
                                      message=_explained(breakage), causes=links.causes(path)))
        found += _walk(before, after, links)
    return sorted(found, key=lambda c: (-c.level, c.path, c.kind))


def _load(griffe: Any, folder: Path, built: tuple[FileSet, Api]) -> Any:
    files, api = built
    for relative in files:
        if relative.endswith(".py"):
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(files.files[relative], encoding="utf-8")
    loader = getattr(griffe, "GriffeLoader")(search_paths=[folder], allow_inspection=False)
    return loader.load(api.package.module)


def _explained(breakage: object) -> str:
    kind = getattr(breakage, "kind")
    old, new = getattr(breakage, "old_value", None), getattr(breakage, "new_value", None)
    detail = ""
    if kind.name in ("PARAMETER_CHANGED_DEFAULT", "ATTRIBUTE_CHANGED_VALUE"):
        detail = f": {_name(old)} -> {_name(new)}"
    elif kind.name.startswith("PARAMETER"):
        detail = f": {_name(new if new is not None else old)}"
    return f"{kind.value}{detail}"


def _name(value: object) -> str:
    return str(getattr(value, "name", value))


def _public(obj: object) -> Iterator[tuple[str, object]]:
    for name, member in getattr(obj, "members", {}).items():
        if name.startswith("_") or getattr(member, "is_alias", False):
            continue
        yield name, member


def _walk(before: object, after: object, links: _Links) -> list[PythonChange]:
    """New public objects (compatible) and changed annotations (may break) under the package."""
    found: list[PythonChange] = []
    stack = [(before, after)]
    while stack:
        old, new = stack.pop()
        old_members = dict(_public(old))
        for name, member in _public(new):
            path = getattr(member, "path")
            if name not in old_members:
                kind = getattr(getattr(member, "kind"), "value", "object")
                found.append(PythonChange(kind="object-added", level=Level.COMPATIBLE, path=path,
                                          message=f"new {kind} {name}", causes=links.causes(path)))
                continue
            previous = old_members[name]
            for what, was, now in _annotations(previous, member):
                found.append(PythonChange(kind="annotation-changed", level=Level.MAY_BREAK, path=path,
                                          message=f"{what}: {was} -> {now}", causes=links.causes(path)))
            if getattr(getattr(member, "kind"), "value", "") in ("module", "class"):
                stack.append((previous, member))
    return found


def _annotations(old: object, new: object) -> list[tuple[str, str, str]]:
    """Types that changed on an attribute, or on a function's return or a parameter both versions have
    (parameters added or removed are griffe's to report)."""
    kind = getattr(getattr(new, "kind"), "value", "")
    if kind != getattr(getattr(old, "kind"), "value", ""):
        return []
    if kind == "attribute":
        was, now = str(getattr(old, "annotation", "") or ""), str(getattr(new, "annotation", "") or "")
        return [("type", was, now)] if was != now and was and now else []
    if kind != "function":
        return []
    found = []
    was, now = str(getattr(old, "returns", "") or ""), str(getattr(new, "returns", "") or "")
    if was != now:
        found.append(("returns", was, now))
    before = {p.name: str(p.annotation) for p in getattr(old, "parameters", [])}
    for param in getattr(new, "parameters", []):
        if param.name in before and before[param.name] != str(param.annotation):
            found.append((f"parameter {param.name}", before[param.name], str(param.annotation)))
    return found


class _Links:
    """Which spec change explains a change at a Python path: by the operation a method comes from,
    or the schema a model class comes from."""

    def __init__(self, old: Api, new: Api, changes: Sequence[Change], rules_changed: bool) -> None:
        self.changes = changes
        self.rules_changed = rules_changed
        self.places: dict[str, set[str]] = {}
        for api in (old, new):
            for resource in api.resources:
                for op in resource.operations:
                    for cls in (resource.class_name, f"Async{resource.class_name}"):
                        self.places.setdefault(f"{cls}.{op.name}", set()).add(op.pointer)
        for change in changes:
            for where in (change.old, change.new):
                if where and where.pointer.startswith("/components/schemas/"):
                    schema = where.pointer.split("/")[3]
                    self.places.setdefault(str(names.class_name(schema.replace("~1", "/").replace("~0", "~"))),
                                           set()).add("/components/schemas/" + schema)

    def causes(self, path: str) -> tuple[str, ...]:
        parts = path.split(".")
        pointers: set[str] = set()
        for size in (2, 1):
            for start in range(len(parts) - size, -1, -1):
                key = ".".join(parts[start:start + size])
                if key in self.places:
                    pointers |= self.places[key]
            if pointers:
                break
        field = parts[-1]
        matched = [c for c in self.changes if any(
            w and any(w.pointer == p or w.pointer.startswith(p + "/") for p in pointers) for w in (c.old, c.new))]
        exact = [c for c in matched if c.pointer.endswith("/properties/" + field) or c.pointer.endswith("/" + field)]
        chosen = exact or [c for c in matched if c.level > Level.DOCS]
        if chosen:
            return tuple(c.id for c in chosen)
        return ("rules.toml",) if self.rules_changed else ()
