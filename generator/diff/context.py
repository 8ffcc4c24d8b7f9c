"""The state one comparison carries: both specs, what was found, what was already compared."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..resolve import Cursor, ResolvedSpec
from .changes import Change, Found, Level, Side, Where


def where(cursor: Cursor | None) -> Where | None:
    if cursor is None:
        return None
    at = cursor.doc.locate(cursor.pointer)
    return Where(file=cursor.doc.display, line=at.line or 1, pointer=cursor.pointer, column=at.column or 1)


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
        self.found.add(Change(rule=rule, level=level, message=message, old=where(old), new=where(new),
                              resource="" if shared else self.resource, side=side))

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
