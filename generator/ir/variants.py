"""x-careforge-variants: one operation, one typed method per form of its body.

OpenAPI allows one operation per path and method, so an endpoint that takes one object or a list of
them is one operation whose body (and response) says "either". Each variant names a method and the
body and responses that method sends and reads; everything else is the operation's.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import names
from ..resolve import Cursor
from . import extensions as ext
from .model import PythonIdentifier

FIELDS = ("requestBody", "responses", "summary", "description")


@dataclass(frozen=True, slots=True)
class Variant:
    name: PythonIdentifier
    node: Cursor  # the variant's own mapping: what it changes


def variants(op: Cursor, problems: ext.Problems) -> list[Variant]:
    node = op.child(ext.VARIANTS)
    if node.value is None:
        return []
    if not isinstance(node.value, dict) or not node.value:
        problems.error(node, "E-EXTENSION", f"{ext.VARIANTS} must map method names to what each one changes",
                       "see docs/spec-conventions.md")
        return []
    if ext.METHOD in op.value:
        problems.error(op.child(ext.METHOD), "E-EXTENSION", f"{ext.METHOD} and {ext.VARIANTS} both name the methods",
                       f"name them in {ext.VARIANTS} only")
    found = []
    for key, child in node.items():
        name = names.identifier(key, fallback="call")
        if not isinstance(child.value, dict) or not child.value or set(child.value) - set(FIELDS):
            problems.error(child, "E-EXTENSION", f"variant {key!r} must set some of {', '.join(FIELDS)} (and nothing "
                           "else)", "the rest (parameters, security, mechanics) is the operation's")
        elif name != key:
            problems.error(child, "E-EXTENSION", f"variant {key!r} is not a plain lower-case method name",
                           f"name it like a method, e.g. {name!r}")
        else:
            found.append(Variant(name, child))
    return found


def text(variant: Variant | None, op: Cursor, key: str) -> str:
    """The variant's summary or description, else the operation's."""
    for source in (variant.node.value if variant else {}, op.value):
        if isinstance(source.get(key), str):
            return str(source[key])
    return ""
