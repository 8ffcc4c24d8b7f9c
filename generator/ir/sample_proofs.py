"""Why no value can fit a schema, where a short argument shows it: the spec then contradicts itself.

Only three shapes are proved, the ones real specs have: an object closed to every property
(`additionalProperties: false` with no `properties` beside it, which JSON Schema does not let see into
`allOf`/`anyOf`/`oneOf`) that still needs one; a `type` that none of its oneOf/anyOf members' types
shares; and a oneOf with two members that say the same. The argument follows required properties, allOf parts and the items of a non-empty array.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..resolve import Cursor

if TYPE_CHECKING:
    from .samples import Sampler

_DEPTH = 12
_ANNOTATIONS = frozenset({"description", "title", "example", "examples", "deprecated", "externalDocs", "xml",
                          "$comment"})


def contradiction(sampler: Sampler, cursor: Cursor, writing: bool | None, where: str = "", depth: int = 0) -> str:
    """Why no value fits the schema at `cursor` ("" when that is not shown)."""
    target = sampler.spec.deref(cursor)
    schema = target.value
    if depth > _DEPTH or not isinstance(schema, dict):
        return ""
    at = f"at '{where or '/'}'"
    if _closed(schema) and not sampler.fits(target, {}, writing=writing):
        return f"{at}: additionalProperties is false and no property is named beside it, so only {{}} could fit, " \
               "and {} does not"
    own = _types(schema)
    for key in ("oneOf", "anyOf"):
        members = [_types(sampler.spec.deref(m).value) for m in target.child(key).elements()]
        if own and members and all(types and not types & own for types in members):
            return f"{at}: its type is {' or '.join(sorted(own))}, which none of its {key} members' types is"
    twins = _twins(sampler, target)
    if twins:
        return f"{at}: its oneOf members {twins[0]} and {twins[1]} say the same (but for annotations), so no value " \
               "is taken by exactly one"
    named = schema.get("required")
    required: list[Any] = named if isinstance(named, list) else []
    for prop, sub in target.child("properties").items():
        if prop in required:
            found = contradiction(sampler, sub, writing, f"{where}/{prop}", depth + 1)
            if found:
                return found
    for part in target.child("allOf").elements():
        found = contradiction(sampler, part, writing, where, depth + 1)
        if found:
            return found
    least = schema.get("minItems")
    if isinstance(least, int) and least > 0 and isinstance(schema.get("items"), dict):
        return contradiction(sampler, target.child("items"), writing, f"{where}/0", depth + 1)
    return ""


def _twins(sampler: Sampler, target: Cursor) -> tuple[str, str] | None:
    seen: dict[str, str] = {}
    for index, member in enumerate(target.child("oneOf").elements()):
        name = member.ref or f"#{index}"
        shape = json.dumps(_plain(sampler.spec.deref(member).value), sort_keys=True)
        if shape in seen:
            return seen[shape], name
        seen[shape] = name
    return None


def _plain(schema: Any) -> Any:
    """The schema without the keywords that only annotate it."""
    if isinstance(schema, dict):
        return {k: _plain(v) for k, v in schema.items() if k not in _ANNOTATIONS and not k.startswith("x-")}
    if isinstance(schema, list):
        return [_plain(v) for v in schema]
    return schema


def _closed(schema: dict[str, Any]) -> bool:
    return schema.get("additionalProperties") is False and not schema.get("properties") \
        and not schema.get("patternProperties")


def _types(schema: Any) -> set[str]:
    """The JSON types a schema's `type` allows (an integer is a number); empty when it names none."""
    if not isinstance(schema, dict):
        return set()
    named = schema.get("type")
    types = {named} if isinstance(named, str) else {t for t in named if isinstance(t, str)} \
        if isinstance(named, list) else set()
    if types and schema.get("nullable") is True:
        types.add("null")
    return {"number" if t == "integer" else t for t in types}
