"""JSON pointers (RFC 6901): the one way positions inside a spec are named."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote


class PointerError(LookupError):
    pass


def escape(segment: str | int) -> str:
    return str(segment).replace("~", "~0").replace("/", "~1")


def unescape(segment: str) -> str:
    return segment.replace("~1", "/").replace("~0", "~")


def join(base: str, *segments: str | int) -> str:
    if len(segments) == 1:  # the common case (a cursor's step), asked for tens of thousands of times a run
        segment = str(segments[0])
        return f"{base}/{segment}" if "~" not in segment and "/" not in segment else f"{base}/{escape(segment)}"
    return base + "".join("/" + escape(s) for s in segments)


def split(pointer: str) -> list[str]:
    """Segments of a pointer given as in a `$ref` fragment (percent-encoding allowed)."""
    pointer = unquote(pointer)
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise PointerError(f"a JSON pointer starts with '/', got {pointer!r}")
    return [unescape(s) for s in pointer[1:].split("/")]


def resolve(document: Any, pointer: str) -> Any:
    node = document
    for segment in split(pointer):
        if isinstance(node, dict) and segment in node:
            node = node[segment]
        elif isinstance(node, list) and segment.isascii() and segment.isdigit() and int(segment) < len(node):
            node = node[int(segment)]
        else:
            raise PointerError(f"nothing at {segment!r}")
    return node
