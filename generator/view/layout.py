"""Where generated code's layout is decided before formatting, so that black and ruff's formatter agree.

- A parameter whose annotation is a union (`A | B`) and whose line is too long: black wraps the
  annotation in parentheses, ruff's formatter splits it at the `|` without them. Given the
  parentheses, both keep them; given them on a line that fits, black takes them away. So the view
  writes them exactly where black would put them.
- A `with` statement too long for its line: ruff's formatter wraps its context managers in
  parentheses (Python 3.10 allows it), black splits the call's arguments. The view binds such a
  context manager to a name first, so the `with` line fits.
"""

from __future__ import annotations

import ast
import unicodedata

from ..format import LINE_LENGTH

# Method parameters stand inside a class body and a signature: two indents of four.
_PARAMETER_INDENT = 8


def parenthesized(annotation: str, parameter: str, default: str) -> str:
    """`annotation` as a method parameter writes it: in parentheses when it is a union that does not fit."""
    if fits(f"{parameter}: {annotation}{default},", indent=_PARAMETER_INDENT) or not _is_union(annotation):
        return annotation
    return f"({annotation})"


def fits(line: str, *, indent: int) -> bool:
    return _width(" " * indent + line) <= LINE_LENGTH


def _is_union(annotation: str) -> bool:
    try:
        tree = ast.parse(annotation, mode="eval")
    except SyntaxError:
        return False
    return isinstance(tree.body, ast.BinOp) and isinstance(tree.body.op, ast.BitOr)


def _width(text: str) -> int:
    """Columns, as both formatters count them: East Asian wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)
