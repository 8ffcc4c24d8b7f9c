"""The values a member of a spec may take, when the one written is none of them: for a message that
lists them and names the nearest (`in: qeury` -> "one of cookie, header, path, query; did you mean
'query'?"), gathered across every branch the validator tried, not only the one it reported."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jsonschema.exceptions

_LISTED = ("enum", "const")


def choices_message(error: jsonschema.exceptions.ValidationError,
                    best: jsonschema.exceptions.ValidationError) -> str | None:
    """The message for a value none of whose allowed values it is; None when the error is of another kind."""
    if best.validator not in _LISTED:
        return None
    allowed = _allowed(error, list(best.absolute_path))
    if not allowed:
        return None
    shown = ", ".join(sorted(repr(v) if not isinstance(v, str) else v for v in allowed))
    message = f"{best.instance!r} is not allowed here: use one of {shown}"
    if isinstance(best.instance, str):
        near = difflib.get_close_matches(best.instance, [v for v in allowed if isinstance(v, str)], n=1, cutoff=0.6)
        if near:
            message += f"; did you mean {near[0]!r}?"
    return message


def _allowed(error: jsonschema.exceptions.ValidationError, path: list[Any]) -> list[Any]:
    found: list[Any] = []
    stack = [error]
    while stack:
        current = stack.pop()
        stack.extend(current.context or [])
        if current.validator in _LISTED and list(current.absolute_path) == path:
            values = current.validator_value if current.validator == "enum" else [current.validator_value]
            for value in values if isinstance(values, list) else []:
                if value not in found:
                    found.append(value)
    return found
