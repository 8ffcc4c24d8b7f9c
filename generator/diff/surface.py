"""The generated package's Python surface before and after: what callers import and call.

Both packages are generated into a scratch folder and read by griffe (statically, nothing is
imported). griffe finds what breaks callers (a removed method, a new required keyword, a changed
default); the walk here adds what griffe leaves out: new objects, and changed annotations.
"""

from __future__ import annotations

import re
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
        return _compare(griffe, before, after, _Links((old[1], new[1]), changes, rules_changed))


def python_changes_in(old: Path, new: Path, module: str, changes: Sequence[Change]) -> list[PythonChange]:
    """The same for two package folders as they are on disk (a released sdist and a generated folder)."""
    import griffe

    def load(folder: Path) -> Any:
        return griffe.GriffeLoader(search_paths=[folder], allow_inspection=False).load(module)

    return _compare(griffe, load(old), load(new), _Links((), changes, False))


def _compare(griffe: Any, before: Any, after: Any, links: _Links) -> list[PythonChange]:
    found: list[PythonChange] = []
    for breakage in griffe.find_breaking_changes(before, after):
        path = breakage.obj.path
        if path.rsplit(".", 1)[-1] in _IGNORED:
            continue
        kind = breakage.kind.name.lower().replace("_", "-")
        detail = _name(getattr(breakage, "new_value", None) or getattr(breakage, "old_value", None))
        named = detail if breakage.kind.name.startswith("PARAMETER") else ""
        found.append(PythonChange(kind=kind, level=Level.BREAKING, path=path,
                                  message=_explained(breakage), causes=links.causes(path, named)))
    found += _walk(before, after, links)
    return sorted(_renames(found), key=lambda c: (-c.level, c.path, c.kind))


def _renames(found: list[PythonChange]) -> list[PythonChange]:
    """An object removed and one added for the same spec change (an operationId, a tag or a schema
    renamed) are one rename."""
    added = [c for c in found if c.kind == "object-added"]
    kept: list[PythonChange] = []
    used: set[int] = set()
    for change in found:
        if change.kind == "object-removed":
            # With no known cause, only the one object added beside it.
            candidates = [i for i, a in enumerate(added) if i not in used and _depth(a.path) == _depth(change.path)
                          and (set(a.causes) & set(change.causes) if change.causes else
                               not a.causes and _parent(a.path) == _parent(change.path))]
            if not change.causes and len(candidates) != 1:
                candidates = []
            # The same class first (Roster.add -> Roster.create, not AsyncRoster.create).
            twin = next((i for i in candidates if _parent(added[i].path) == _parent(change.path)),
                        candidates[0] if candidates else None)
            if twin is not None:
                used.add(twin)
                kept.append(PythonChange(kind="object-renamed", level=Level.BREAKING, path=change.path,
                                         message=f"renamed {added[twin].path}", causes=change.causes))
                continue
        kept.append(change)
    taken = {id(added[i]) for i in used}
    return [c for c in kept if id(c) not in taken]


def _depth(path: str) -> int:
    return path.count(".")


def _parent(path: str) -> str:
    return path.rsplit(".", 1)[0]


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
        if getattr(member, "is_alias", False):
            continue
        # A private module may hold public classes (the client in _client.py, exported by the package).
        if name.startswith("_") and (name.startswith("__") or getattr(getattr(member, "kind"), "value", "") != "module"):
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
                keyword = what.removeprefix("parameter ") if what.startswith("parameter ") else ""
                found.append(PythonChange(kind="annotation-changed", level=Level.MAY_BREAK, path=path,
                                          message=f"{what}: {was} -> {now}", causes=links.causes(path, keyword)))
            if getattr(getattr(member, "kind"), "value", "") in ("module", "class"):
                stack.append((previous, member))
    return found


def _plain(annotation: object) -> str:
    """An annotation as callers see its type: `Annotated[X, ...]` is X (the metadata is pydantic's)."""
    text = str(annotation or "")
    while text.startswith(("Annotated[", "typing.Annotated[")) and text.endswith("]"):
        inner, depth = text[text.index("[") + 1:-1], 0
        for index, char in enumerate(inner):
            if char in "[(":
                depth += 1
            elif char in "])":
                depth -= 1
            elif char == "," and depth == 0:
                inner = inner[:index]
                break
        text = inner.strip()
    return text


def _annotations(old: object, new: object) -> list[tuple[str, str, str]]:
    """Types that changed on an attribute, or on a function's return or a parameter both versions have
    (parameters added or removed are griffe's to report)."""
    kind = getattr(getattr(new, "kind"), "value", "")
    if kind != getattr(getattr(old, "kind"), "value", ""):
        return []
    if kind == "attribute":
        was, now = _plain(getattr(old, "annotation", "")), _plain(getattr(new, "annotation", ""))
        return [("type", was, now)] if was != now and was and now else []
    if kind != "function":
        return []
    found = []
    was, now = _plain(getattr(old, "returns", "")), _plain(getattr(new, "returns", ""))
    if was != now:
        found.append(("returns", was, now))
    before = {p.name: _plain(p.annotation) for p in getattr(old, "parameters", [])}
    for param in getattr(new, "parameters", []):
        if param.name in before and before[param.name] != _plain(param.annotation):
            found.append((f"parameter {param.name}", before[param.name], _plain(param.annotation)))
    return found


_PARAMETER = re.compile(r"parameter (\S+)")


def _wire_names(change: Change) -> set[str]:
    """The names a change is about, as keywords: the property it sits on, the parameter it names."""
    found = {names.snake(m) for m in _PARAMETER.findall(change.message)}
    for where in (change.old, change.new):
        parts = where.pointer.split("/") if where else []
        found |= {names.snake(parts[i + 1].replace("~1", "/").replace("~0", "~"))
                  for i, part in enumerate(parts[:-1]) if part == "properties"}
    return found


class _Links:
    """Which spec change explains a change at a Python path: by the operation a method comes from,
    or the schema a model class comes from."""

    def __init__(self, apis: Sequence[Api], changes: Sequence[Change], rules_changed: bool) -> None:
        self.changes = changes
        self.rules_changed = rules_changed
        self.places: dict[str, set[str]] = {}
        for api in apis:
            for resource in api.resources:
                for op in resource.operations:
                    for cls in (resource.class_name, f"Async{resource.class_name}"):
                        self.places.setdefault(f"{cls}.{op.name}", set()).add(op.pointer)
                    # The client attribute and the module the resource lives in.
                    for name in {resource.path[0], "_".join(resource.path), resource.class_name}:
                        self.places.setdefault(name, set()).add(op.pointer)
        for change in changes:
            for where in (change.old, change.new):
                if where and where.pointer.startswith("/components/schemas/"):
                    schema = where.pointer.split("/")[3]
                    self.places.setdefault(str(names.class_name(schema.replace("~1", "/").replace("~0", "~"))),
                                           set()).add("/components/schemas/" + schema)

    def causes(self, path: str, parameter: str = "") -> tuple[str, ...]:
        if parameter:
            # A keyword of a method: a parameter or a body property whose wire name makes that keyword.
            keyword = names.snake(parameter)
            named = [c for c in self.changes if keyword in _wire_names(c)]
            ranked = [c for c in named if c.level > Level.DOCS]
            if ranked:
                return tuple(c.id for c in ranked)
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
