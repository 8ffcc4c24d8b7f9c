"""What a spec diff finds: each change, how much it matters to the people who call the client, where."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field, replace


class Level(enum.IntEnum):
    """How a change meets existing callers of the generated client, mildest first."""

    DOCS = 0  # descriptions, summaries, examples: nothing a program sees
    COMPATIBLE = 1  # an addition callers need not know of
    MAY_BREAK = 2  # works on the wire, but callers may mishandle what now comes back or is now refused
    BREAKING = 3  # existing calls or existing caller code stop working

    @property
    def label(self) -> str:
        return self.name.lower().replace("_", "-")

    @classmethod
    def parse(cls, text: str) -> Level:
        return cls[text.upper().replace("-", "_")]


class Side(enum.Enum):
    """Which way values flow where a schema is used: a request narrows what callers may send, a
    response widens what they must handle; the same change can break one and not the other."""

    REQUEST = "request"
    RESPONSE = "response"
    BOTH = "both"
    NONE = ""


@dataclass(frozen=True, slots=True)
class Where:
    file: str
    line: int
    pointer: str
    column: int = 1
    near: bool = False  # the place it would sit: what changed is not in this file

    def as_json(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "column": self.column, "pointer": self.pointer,
                "near": self.near}

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" + (f":{self.column}" if self.line == 1 and self.column > 1 else "")


@dataclass(frozen=True, slots=True)
class Change:
    """One difference between the old spec and the new one."""

    rule: str  # e.g. "request-property-required-added"
    level: Level
    message: str
    old: Where | None
    new: Where | None
    resource: str = ""  # the client attribute it belongs to (a tag), or "" for the package as a whole
    side: Side = Side.NONE
    id: str = ""
    added: bool = False  # only in the new spec (`old` then says where it would have been)
    removed: bool = False  # only in the old spec

    @property
    def key(self) -> tuple[str, str, str]:
        # A schema used by requests and responses gives one change, at the worse of its two levels.
        rule = self.rule.removeprefix("request-").removeprefix("response-")
        return (rule, self.old.pointer if self.old else "", self.new.pointer if self.new else "")

    @property
    def pointer(self) -> str:
        """Where the change is: in the old spec for a removal, else in the new one."""
        place = self.old if self.removed else self.new or self.old
        return place.pointer if place else ""

    def as_json(self) -> dict[str, object]:
        return {"id": self.id, "rule": self.rule, "level": self.level.label, "message": self.message,
                "resource": self.resource, "side": self.side.value or None,
                "kind": "added" if self.added else "removed" if self.removed else "changed",
                "old": self.old.as_json() if self.old else None, "new": self.new.as_json() if self.new else None}


@dataclass(frozen=True, slots=True)
class PythonChange:
    """A difference in the generated package's Python surface, and the spec changes behind it."""

    kind: str  # e.g. "object-removed", "parameter-added-required", "object-added"
    level: Level
    path: str  # dotted path in the package, e.g. "acme_client.resources.homes.Homes.list"
    message: str
    causes: tuple[str, ...] = ()  # ids of the spec changes that explain it; () when none does

    def as_json(self) -> dict[str, object]:
        return {"kind": self.kind, "level": self.level.label, "path": self.path, "message": self.message,
                "causes": list(self.causes)}


@dataclass
class Found:
    """Changes as they are found; one change seen from several places is kept once, at its worst."""

    changes: dict[tuple[str, str, str], Change] = field(default_factory=dict)

    def add(self, change: Change) -> None:
        seen = self.changes.get(change.key)
        if seen is None:
            self.changes[change.key] = change
            return
        side = seen.side if seen.side in (change.side, Side.NONE) else Side.BOTH if change.side is not Side.NONE else seen.side
        # At the same level the request side's words are kept: they say what callers can no longer send.
        worst = change if (change.level, change.side is Side.REQUEST) > (seen.level, seen.side is Side.REQUEST) else seen
        self.changes[change.key] = replace(worst, side=side, resource=seen.resource or change.resource)

    def numbered(self) -> list[Change]:
        ordered = sorted(self.changes.values(), key=_order)
        return [replace(change, id=f"C{index}") for index, change in enumerate(ordered, 1)]


def _order(change: Change) -> tuple[object, ...]:
    return (change.resource, -change.level, change.pointer, change.rule)


def worst(levels: Iterable[Level]) -> Level | None:
    return max(levels, default=None)
