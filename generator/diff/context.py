"""The state one comparison carries: both specs, what was found, what was already compared."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import pointer as jp
from ..load import Document
from ..resolve import Cursor, ResolvedSpec
from .changes import Change, Found, Level, Side, Where


def where(cursor: Cursor | None, *, near: bool = False) -> Where | None:
    if cursor is None:
        return None
    at = cursor.doc.locate(cursor.pointer)
    return Where(file=cursor.doc.display, line=at.line or 1, pointer=cursor.pointer, column=at.column or 1,
                 near=near)


def counterpart(cursor: Cursor, own: ResolvedSpec, other: ResolvedSpec) -> Cursor | None:
    """Where something added (or removed) would sit in the other spec: the same file, relative to the
    root spec, at the deepest part of the pointer that exists there."""
    if cursor.doc is own.root:
        doc = other.root
    else:
        try:
            relative = cursor.doc.path.resolve().relative_to(own.root.path.resolve().parent)
        except ValueError:
            return None
        wanted = other.root.path.resolve().parent / relative
        found = next((d for d in other.documents.values() if d.path.resolve() == wanted), None)
        if found is None:
            return None
        doc = found
    return _deepest(doc, cursor.pointer)[0]


def _present(cursor: Cursor | None) -> tuple[Cursor | None, bool]:
    """The cursor, or its nearest ancestor that exists in its file; and whether it had to move up."""
    if cursor is None:
        return None, False
    found, moved = _deepest(cursor.doc, cursor.pointer)
    return (found if moved else cursor), moved


def _deepest(doc: Document, pointer: str) -> tuple[Cursor, bool]:
    """The deepest part of `pointer` that exists in `doc`, and whether that is less than all of it."""
    parts = jp.split(pointer)
    moved = False
    while parts:
        prefix = jp.join("", *parts)
        try:
            return Cursor(doc, prefix, jp.resolve(doc.data, prefix)), moved
        except LookupError:
            parts.pop()
            moved = True
    return Cursor(doc, "", doc.data), moved


@dataclass
class Context:
    old: ResolvedSpec
    new: ResolvedSpec
    found: Found = field(default_factory=Found)
    seen: set[tuple[str, str, Side]] = field(default_factory=set)
    resource: str = ""
    reached_old: set[str] = field(default_factory=set)

    def add(self, rule: str, level: Level, message: str, old: Cursor | None, new: Cursor | None,
            side: Side = Side.NONE) -> None:
        # What lies under components is shared: it is grouped with the models, not with whoever reached it first.
        shared = any(c is not None and c.pointer.startswith("/components/") for c in (old, new))
        # A key one side lacks (an operationId added) is placed where it would sit, as for anything added.
        old, old_absent = _present(old)
        new, new_absent = _present(new)
        # Something added is placed in the old file too (where it would have been), and the reverse.
        old_at = where(old, near=old_absent) if old is not None else \
            where(new and counterpart(new, self.new, self.old), near=True)
        new_at = where(new, near=new_absent) if new is not None else \
            where(old and counterpart(old, self.old, self.new), near=True)
        self.found.add(Change(rule=rule, level=level, message=message, old=old_at, new=new_at,
                              resource="" if shared else self.resource, side=side,
                              added=old is None or (old_absent and not new_absent),
                              removed=new is None or (new_absent and not old_absent)))

    def first_visit(self, old: Cursor, new: Cursor, side: Side) -> bool:
        """False when this pair of schemas was compared for this side already (shared and recursive
        schemas are reached from many places)."""
        key = (old.doc.uri + "#" + old.pointer, new.doc.uri + "#" + new.pointer, side)
        if key in self.seen:
            return False
        self.seen.add(key)
        self.reached_old.add(key[0])
        return True

    def reached(self, old: Cursor) -> bool:
        """Whether a schema of the old spec was compared from some operation already."""
        return old.doc.uri + "#" + old.pointer in self.reached_old
