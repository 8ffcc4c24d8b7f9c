"""How diagnostics reach people and CI: grouped by code, coloured on a terminal, or as JSON lines.

Text: every error; warnings in full up to a few per code, then one line with how many more (a large
spec repeats one finding hundreds of times); `--verbose` shows every one, `--quiet` none. A summary
line ends the report. JSON (`--format json`): one object per diagnostic, then one for the summary,
each on a line of its own; the run's own messages (a refused folder, an OS error, Ctrl-C) are JSON
objects too. Only a usage error (a wrong option) stays plain text, from the argument parser. Colour follows the terminal unless `--color`
or `--no-color` says otherwise, and `NO_COLOR` turns it off (no-color.org).
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from .diagnostics import Diagnostic, sort_key

SHOWN_PER_CODE = 3


class Format(Enum):
    TEXT = "text"
    JSON = "json"


@dataclass(frozen=True)
class Style:
    format: Format = Format.TEXT
    verbosity: int = 0  # -1 quiet, 0 normal, 1 verbose
    color: bool | None = None  # None: when stderr is a terminal and NO_COLOR is not set

    @property
    def colored(self) -> bool:
        if self.color is not None:
            return self.color
        return not os.environ.get("NO_COLOR") and sys.stderr.isatty()


# The terminal's styling: (text, fg=, bold=, dim=) -> the text with its escape codes.
Paint = Callable[..., str]


def report(diagnostics: Sequence[Diagnostic], style: Style, paint: Paint, *, closing: str = "",
           summarize: bool = True) -> list[str]:
    """The lines that show the diagnostics on stderr, then a summary line (when there are warnings, or a
    `closing` such as "nothing was written" to say); `summarize=False` when the caller says the summary
    itself. `paint` colours them where `style.colored`."""
    ordered = sorted(diagnostics, key=sort_key)
    if style.format is Format.JSON:
        lines = [json.dumps(_as_json(d), ensure_ascii=False) for d in ordered]
        if closing or (summarize and ordered):
            lines.append(json.dumps({"summary": _counts(ordered), "note": closing}))
        return lines
    lines = _text_lines(ordered, style, paint)
    if closing or (summarize and style.verbosity >= 0 and any(not d.is_error for d in ordered)):
        lines.append(_styled(f"careforge: {summary_line(ordered)}" + (f"; {closing}" if closing else ""),
                             style, paint, bold=True))
    return lines


def summary_line(diagnostics: Sequence[Diagnostic]) -> str:
    counts = _counts(diagnostics)
    text = f"{counts['errors']} error{'s' * (counts['errors'] != 1)}, " \
           f"{counts['warnings']} warning{'s' * (counts['warnings'] != 1)}"
    codes = Counter(d.code for d in diagnostics if not d.is_error)
    if codes and max(codes.values()) > SHOWN_PER_CODE:  # some were folded: say how many of each
        text += " (" + ", ".join(f"{code} {n}" for code, n in codes.most_common()) + ")"
    return text


def _text_lines(ordered: Sequence[Diagnostic], style: Style, paint: Paint) -> list[str]:
    lines: list[str] = []
    per_code: Counter[str] = Counter()
    hidden: Counter[str] = Counter()
    for d in ordered:
        if not d.is_error:
            if style.verbosity < 0:
                continue
            per_code[d.code] += 1
            if style.verbosity == 0 and per_code[d.code] > SHOWN_PER_CODE:
                hidden[d.code] += 1
                continue
        lines.append(_render(d, style, paint))
    for code, n in sorted(hidden.items()):
        lines.append(_styled(f"warning[{code}]: {n} more like the {SHOWN_PER_CODE} above (--verbose shows every "
                             "one)", style, paint, fg="yellow"))
    return lines


_PAINT: dict[str, dict[str, Any]] = {"where": {"bold": True}, "error": {"fg": "red", "bold": True},
                                     "warning": {"fg": "yellow", "bold": True}, "hint": {"dim": True}}


def _render(d: Diagnostic, style: Style, paint: Paint) -> str:
    return d.render(lambda part, text: _styled(text, style, paint, **_PAINT.get(part, {})))


def _styled(text: str, style: Style, paint: Paint, **how: Any) -> str:
    return paint(text, **how) if style.colored else text


def _counts(diagnostics: Sequence[Diagnostic]) -> dict[str, int]:
    errors = sum(1 for d in diagnostics if d.is_error)
    return {"errors": errors, "warnings": len(diagnostics) - errors}


def _as_json(d: Diagnostic) -> dict[str, object]:
    return {"severity": d.severity.value, "code": d.code, "message": d.message, "file": d.location.file,
            "line": d.location.line, "column": d.location.column, "pointer": d.location.pointer, "hint": d.hint}
