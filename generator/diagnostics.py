"""Compiler-style diagnostics, collected rather than raised one at a time."""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, kw_only=True)
class Location:
    """Where a problem is: a file, a JSON pointer into it, and the line and column if known."""

    file: str
    pointer: str = ""
    line: int | None = None
    column: int | None = None

    def render(self) -> str:
        if self.line is None:
            return self.file
        return f"{self.file}:{self.line}:{self.column or 1}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Diagnostic:
    severity: Severity
    code: str
    message: str
    location: Location
    hint: str = ""

    def render(self, paint: Callable[[str, str], str] = lambda part, text: text) -> str:
        """`file:line:col: severity[CODE]: message (#pointer)` and its hint; `paint(part, text)` may colour
        the parts ("where", "error" or "warning", "hint")."""
        where = paint("where", shown(self.location.render()))
        pointer = f" (#{shown(self.location.pointer)})" if self.location.pointer or self.location.line else ""
        kind = paint(self.severity.value, f"{self.severity.value}[{self.code}]")
        text = f"{where}: {kind}: {shown(self.message)}{pointer}"
        if self.hint:
            text += "\n" + paint("hint", f"  hint: {shown(self.hint)}")
        return text

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def shown(text: str) -> str:
    """`text` on one line with nothing hidden: spec text in a report is data, never layout or control."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _ESCAPES.get(c) or ascii(c)[1:-1] for c in text)


class SpecError(Exception):
    """Raised by the pipeline when a spec has errors; carries every diagnostic found."""

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__(render_all(self.diagnostics))


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)


def sort_key(d: Diagnostic) -> tuple[str, int, int, str, str]:
    loc = d.location
    return (loc.file, loc.line or 0, loc.column or 0, d.code, d.message)


def render_all(diagnostics: Iterable[Diagnostic]) -> str:
    return "\n".join(d.render() for d in sorted(diagnostics, key=sort_key))
