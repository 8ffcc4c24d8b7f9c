"""`x-careforge-left-out`: the parts of the API a client leaves out on purpose, each with its reason."""

from __future__ import annotations

from ..resolve import ResolvedSpec
from . import extensions as ext

_HINT = "write x-careforge-left-out: [{what: 'the API left out', why: 'the fact that keeps it out'}]"


def left_out(spec: ResolvedSpec, problems: ext.Problems) -> tuple[tuple[str, str], ...]:
    node = spec.cursor.child(ext.LEFT_OUT)
    if node.value is None:
        return ()
    if not isinstance(node.value, list):
        problems.error(node, "E-EXTENSION", f"{ext.LEFT_OUT} must be a list, got {node.value!r}", _HINT)
        return ()
    found: list[tuple[str, str]] = []
    for entry in node.elements():
        value = entry.value
        if (isinstance(value, dict) and set(value) == {"what", "why"}
                and all(isinstance(value[k], str) and value[k].strip() for k in ("what", "why"))):
            found.append((value["what"].strip(), value["why"].strip()))
        else:
            problems.error(entry, "E-EXTENSION", f"each entry of {ext.LEFT_OUT} needs a non-empty 'what' and 'why' "
                           f"and nothing else, got {value!r}", _HINT)
    return tuple(found)
