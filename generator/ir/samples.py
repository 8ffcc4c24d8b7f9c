"""Values for the generated tests: the spec's examples where they fit their schema, else values made up.

Every value is checked against its schema with the same validator the lint uses (JSON Schema with
ECMA-262 patterns). A spec whose examples contradict their schemas gets a made-up value instead; when
nothing fits, the value keeps a `problem` and the generated test that needs it is skipped with it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .. import pointer as jp
from ..resolve import Cursor, ResolvedSpec
from ..spec_walk import openapi_version
from .model import JsonText
from .pattern_sample import pattern_sample
from .sample_apart import apart
from .sample_cache import RememberedPicks
from .sample_proofs import contradiction
from .schema_kinds import is_null_schema
from .schema_text import tag_name
from .schemas import json_text

_STRING_FORMATS = {
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "12:00:00",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "email": "user@example.org",
    "uri": "https://example.org/",
    "url": "https://example.org/",
    "hostname": "example.org",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": "AA==",
    "binary": "",
}
_MAX_DEPTH = 6  # below this, optional arrays are left empty (what ends a recursive schema)
_HARD_DEPTH = 20  # below this, a value is made without looking inside (a required self-reference)
_VARIANTS = 40  # values tried per oneOf member to find one that only it takes
_SHAPES = frozenset({"type", "properties", "additionalProperties", "items", "prefixItems", "enum", "const", "allOf",
                     "oneOf", "anyOf", "required"})  # the keywords that say what kind of value a schema is


@dataclass(frozen=True)
class Picked:
    example: JsonText | None
    problem: str = ""  # why no value fitting the schema was found (the test that needs it is skipped)


class Sampler:
    def __init__(self, spec: ResolvedSpec, remembered: RememberedPicks | None = None) -> None:
        self.spec = spec
        self.remembered = remembered
        self._checker: Any = None
        self._seen: dict[tuple[str, str, bool | None, str], bool] = {}

    def pick(self, schema: Cursor, given: Sequence[Any], *, writing: bool | None, filled: bool = False) -> Picked:
        """The first of the spec's examples (`given`) that fits `schema`, else a value made up for it.
        `filled`: an object made up has at least one property (a required body must send something)."""
        if self.remembered is None:
            return self._pick(schema, given, writing=writing, filled=filled)
        key = self.remembered.key(schema.doc.uri, schema.pointer, list(given), writing, filled)
        known = self.remembered.get(key)
        if known is not None:
            return Picked(None if known[0] is None else JsonText(known[0]), known[1])
        picked = self._pick(schema, given, writing=writing, filled=filled)
        self.remembered.put(key, picked.example, picked.problem)
        return picked

    def _pick(self, schema: Cursor, given: Sequence[Any], *, writing: bool | None, filled: bool) -> Picked:
        if not isinstance(self.spec.deref(schema).value, dict):
            return Picked(json_text(given[0]) if given else None)
        for candidate in given:
            if not self.problems(schema, candidate, writing=writing):
                return Picked(json_text(candidate))
        made = self.make(schema, writing=writing)
        if filled and made == {}:
            made = self._one_property(schema, writing) or made
        if not self.problems(schema, made, writing=writing):
            return Picked(json_text(made))
        if given:
            why = self.problems(schema, given[0], writing=writing)[0]
            return Picked(json_text(given[0]), f"the spec's example does not fit its schema ({why})")
        proof = contradiction(self, schema, writing)
        if proof:
            return Picked(json_text(made), f"the spec's schema admits no value ({proof})")
        why = self.problems(schema, made, writing=writing)[0]
        return Picked(json_text(made), f"no value made up for the schema fits it ({why})")

    def problems(self, schema: Cursor, value: Any, *, writing: bool | None) -> list[str]:
        if self._checker is None:
            from ..schema_check import ExampleChecker  # jsonschema is loaded only when a value is checked

            self._checker = ExampleChecker(self.spec, openapi_version(self.spec.root.data))
        found: list[str] = self._checker.problems(schema, value, writing=writing)
        return found or self._shape_problems(schema, value, "", 0)

    def _shape_problems(self, cursor: Cursor, value: Any, where: str, depth: int) -> list[str]:
        """JSON Schema lets a schema without `type` take any value; the client types one with `properties`
        as an object and one with `items` as an array (what else would they describe), so must its values."""
        target = self.spec.deref(cursor)
        schema = target.value
        if depth > _HARD_DEPTH or not isinstance(schema, dict):
            return []
        if _composed(schema):
            return []
        typeless = "type" not in schema
        if isinstance(value, dict) and isinstance(schema.get("properties"), dict):
            return [problem for key, item in value.items() if key in schema["properties"]
                    for problem in self._shape_problems(target.child("properties").child(key), item,
                                                        f"{where}/{key}", depth + 1)]
        if isinstance(value, list) and isinstance(schema.get("items"), dict):
            return [problem for index, item in enumerate(value)
                    for problem in self._shape_problems(target.child("items"), item, f"{where}/{index}", depth + 1)]
        if typeless and ("properties" in schema or "additionalProperties" in schema) and not isinstance(value, dict):
            return [f"at '{where or '/'}': {json_text(value)[:40]} is not an object, yet its schema describes one"]
        if typeless and "items" in schema and not isinstance(value, list):
            return [f"at '{where or '/'}': {json_text(value)[:40]} is not an array, yet its schema describes one"]
        return []

    def fits(self, schema: Cursor, value: Any, *, writing: bool | None) -> bool:
        """Whether a schema's own example fits it; the same one is often met many times."""
        key = (schema.doc.uri, schema.pointer, writing, json_text(value))
        if key not in self._seen:
            self._seen[key] = not self.problems(schema, value, writing=writing)
        return self._seen[key]

    def _one_property(self, schema: Cursor, writing: bool | None) -> dict[str, Any] | None:
        """The object with the first of its properties that makes it fit, if one does."""
        target = self.spec.deref(schema)
        for prop, sub in target.child("properties").items():
            candidate = {prop: self.make(sub, writing=writing, depth=1)}
            if not self.problems(target, candidate, writing=writing):
                return candidate
        return None

    def make(self, cursor: Cursor, *, writing: bool | None, depth: int = 0) -> Any:
        target = self.spec.deref(cursor)
        schema = target.value
        if not isinstance(schema, dict):
            return None
        if "const" in schema:
            return schema["const"]
        for value in _own_examples(schema):
            if self.fits(target, value, writing=writing):
                return value
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return next((v for v in schema["enum"] if v is not None), None)
        if depth > _HARD_DEPTH:
            return _shallow(schema)
        for key in ("oneOf", "anyOf"):
            members = [m for m in target.child(key).elements() if not is_null_schema(self.spec.deref(m).value)]
            candidates = [self._tagged(schema, m, self.make(m, writing=writing, depth=depth + 1), writing)
                          for m in members]
            for candidate in candidates:
                if not self.problems(target, candidate, writing=writing):
                    return candidate
            # A value several members take fits no oneOf: with every property its member describes, the
            # members tell apart (Vonage: a report is SMS or voice by its `product`).
            for member, candidate in zip(members, candidates):
                full = self._full(member, candidate, writing, depth)
                if full is not None and not self.problems(target, full, writing=writing):
                    return full
            # Else another value of one of its enums may tell them apart.
            for member, candidate in zip(members, candidates):
                for variant in self._enum_variants(member, candidate, writing, depth):
                    if not self.problems(target, variant, writing=writing):
                        return variant
            # Else a property set to what the other members refuse (see sample_apart).
            for member, candidate in zip(members, candidates):
                found = apart(self, member, members, self._full(member, candidate, writing, depth) or candidate,
                              writing)
                if found is not None and not self.problems(target, found, writing=writing):
                    return found
            if candidates:
                return candidates[0]
        if isinstance(schema.get("allOf"), list):
            return self._all_of(target, writing, depth)
        return self._by_type(target, _type(schema), writing, depth)

    def _all_of(self, target: Cursor, writing: bool | None, depth: int) -> Any:
        schema = target.value
        # A part that only annotates or constrains (AWS: `allOf: [{$ref: Integer}, {description: ...}]`,
        # or `{minProperties: 1}`) says nothing of the value's type.
        members = [m for m in (self.spec.deref(m) for m in target.child("allOf").elements())
                   if not (isinstance(m.value, dict) and not set(m.value) & _SHAPES)]
        merged: dict[str, Any] = {}
        for member in members:
            part = self.make(member, writing=writing, depth=depth + 1)
            if isinstance(part, dict):
                merged.update(part)
            elif schema.get("type") != "object":  # a scalar or an array is the value itself
                return part
        if "properties" in schema or "required" in schema:
            own = self._object(target, writing, depth)
            merged.update({k: v for k, v in own.items() if k in _declared(schema) or k not in merged})
        # One part may require a name only another part describes (a page requires `items`, the part that
        # adds them says they are an array): the value is made from the schema that describes it.
        described = self.described(target, 0)
        for prop in merged:
            subs = described.get(prop, [])
            for sub in subs:  # every part's schema of it holds (allOf)
                if not self.fits(sub, merged[prop], writing=writing):
                    merged[prop] = self.make(sub, writing=writing, depth=depth + 1)
            # Parts whose items contradict each other (SendGrid's events) still take an empty list.
            if merged[prop] and isinstance(merged[prop], list) \
                    and not all(self.fits(sub, merged[prop], writing=writing) for sub in subs) \
                    and all(self.fits(sub, [], writing=writing) for sub in subs):
                merged[prop] = []
        tag = self._own_tag(target)
        if tag is None or merged.get(tag[0]) == tag[1]:
            return merged
        tagged = {**merged, tag[0]: tag[1]}
        # Bitbucket's pipeline_selector extends `object` yet its own `type` is an enum without its tag.
        return tagged if self.fits(target, tagged, writing=writing) or not self.fits(target, merged, writing=writing) \
            else merged

    def _tagged(self, schema: dict[str, Any], member: Cursor, value: Any, writing: bool | None) -> Any:
        """The value with its member's tag; when the member refuses that tag, the tag its own enum names
        (Spotify's ArtistObject is tagged `artist`, not by its schema name)."""
        tagged = _tag(schema, member, value)
        if tagged is value or self.fits(member, tagged, writing=writing) or not self.fits(member, value, writing=writing):
            return tagged
        prop = schema["discriminator"]["propertyName"]  # _tag changed the value: there is one
        for sub in self.described(self.spec.deref(member), 0).get(prop, []):
            listed = self.spec.deref(sub).value
            options = listed.get("enum", [listed.get("const")]) if isinstance(listed, dict) else []
            for option in options if isinstance(options, list) else []:
                if isinstance(option, str) and self.fits(member, {**value, prop: option}, writing=writing):
                    return {**value, prop: option}
        return value

    def _full(self, member: Cursor, value: Any, writing: bool | None, depth: int) -> dict[str, Any] | None:
        if not isinstance(value, dict):
            return None
        skipped = _left_out(writing)
        described = self.described(self.spec.deref(member), 0)
        added = {prop: self.make(subs[-1], writing=writing, depth=depth + 2) for prop, subs in described.items()
                 if prop not in value and not _marked(self.spec.deref(subs[-1]).value, skipped)}
        return {**value, **added} if added else None

    def _enum_variants(self, member: Cursor, value: Any, writing: bool | None, depth: int) -> Iterator[dict[str, Any]]:
        """The member's value with one property set to another value its enum allows (a few dozen at most)."""
        base = self._full(member, value, writing, depth) or value
        if not isinstance(base, dict):
            return
        tried = 0
        for prop, subs in self.described(self.spec.deref(member), 0).items():
            enum = self.spec.deref(subs[-1]).value.get("enum") if isinstance(self.spec.deref(subs[-1]).value, dict) \
                else None
            for option in enum if isinstance(enum, list) else []:
                if tried >= _VARIANTS:
                    return
                if option is not None and option != base.get(prop):
                    tried += 1
                    yield {**base, prop: option}

    def described(self, target: Cursor, depth: int) -> dict[str, list[Cursor]]:
        """The schemas of each property a schema and its allOf parts (at any depth) describe."""
        described = {prop: [sub] for prop, sub in target.child("properties").items()}
        if depth < _MAX_DEPTH:
            for member in target.child("allOf").elements():
                for prop, subs in self.described(self.spec.deref(member), depth + 1).items():
                    described.setdefault(prop, []).extend(subs)
        return described

    def _own_tag(self, target: Cursor) -> tuple[str, str] | None:
        """A schema that extends a parent with a discriminator is the one its tag names: a value made up
        for it carries that tag, as a real one would."""
        for part in target.child("allOf").elements():
            parent = self.spec.deref(part)
            name = tag_name(self.spec, parent) if part.ref is not None else None
            if name is None:
                continue
            discriminator = parent.value["discriminator"]
            own = jp.unescape(target.pointer.rsplit("/", 1)[-1])
            mapping: dict[str, Any] = discriminator["mapping"] if isinstance(discriminator.get("mapping"), dict) else {}
            for key, ref in mapping.items():
                if isinstance(ref, str) and (ref == own or ref.endswith("/" + own)):
                    return name, key
            if target.pointer.startswith("/components/schemas/"):
                return name, own
        return None

    def _by_type(self, target: Cursor, kind: str, writing: bool | None, depth: int) -> Any:
        schema = target.value
        if kind == "object":
            return self._object(target, writing, depth)
        if kind == "array":
            if "items" not in schema:
                return ["string"]
            item = self.make(target.child("items"), writing=writing, depth=depth + 1)
            count = schema.get("minItems") if isinstance(schema.get("minItems"), int) else 1
            return [] if depth >= _MAX_DEPTH - 1 and not count else [item] * max(count, 1)
        if kind == "integer":
            return int(_number(schema, 1))
        if kind == "number":
            return float(_number(schema, 1))
        if kind == "boolean":
            return True
        if kind == "null":
            return None
        return _string(schema)

    def _object(self, target: Cursor, writing: bool | None, depth: int) -> dict[str, Any]:
        schema = target.value
        required = schema.get("required") if isinstance(schema.get("required"), list) else []
        skipped = _left_out(writing)
        result: dict[str, Any] = {}
        for prop, sub in target.child("properties").items():
            value = self.spec.deref(sub).value
            if prop in required and not (isinstance(value, dict) and value.get(skipped) is True):
                made = self.make(sub, writing=writing, depth=depth + 1)
                # A required object made empty sends nothing in a form (`meta[k]=v` has no k): fill one.
                result[prop] = (self._one_property(sub, writing) or made) if made == {} else made
        # A required name with no schema of its own takes any value; a string is the plainest.
        for prop in required:
            if isinstance(prop, str) and prop not in result and prop not in _declared(schema):
                result[prop] = "string"
        least = schema.get("minProperties")
        if isinstance(least, int) and len(result) < least:
            for prop, sub in target.child("properties").items():
                if len(result) < least and prop not in result and not _marked(self.spec.deref(sub).value, skipped):
                    result[prop] = self.make(sub, writing=writing, depth=depth + 1)
            extra = target.child("additionalProperties")
            for index in range(least - len(result) if extra.value is not False else 0):
                result[f"key{index + 1}"] = self.make(extra, writing=writing, depth=depth + 1) \
                    if isinstance(extra.value, dict) else "string"
        return result


def _tag(schema: dict[str, Any], member: Cursor, value: Any) -> Any:
    """A member's value with the discriminator's property set to the name that selects the member."""
    discriminator = schema.get("discriminator")
    if not (isinstance(discriminator, dict) and isinstance(discriminator.get("propertyName"), str)):
        return value
    if not isinstance(value, dict) or member.ref is None:
        return value
    mapping: dict[str, Any] = discriminator["mapping"] if isinstance(discriminator.get("mapping"), dict) else {}
    tag = next((k for k, v in mapping.items() if v == member.ref), None)
    if tag is None and not mapping:
        tag = member.ref.rsplit("/", 1)[-1]  # without a mapping the schema's name selects it
    return {**value, discriminator["propertyName"]: tag} if tag is not None else value


def _left_out(writing: bool | None) -> str:
    """The keyword whose properties a value for this direction leaves out (none for a parameter)."""
    return "" if writing is None else "readOnly" if writing else "writeOnly"


def _marked(schema: Any, keyword: str) -> bool:
    return bool(keyword) and isinstance(schema, dict) and schema.get(keyword) is True


def _composed(schema: dict[str, Any]) -> bool:
    return any(key in schema for key in ("allOf", "oneOf", "anyOf"))


def _own_examples(schema: dict[str, Any]) -> list[Any]:
    found = [schema[key] for key in ("example", "default") if key in schema]
    if isinstance(schema.get("examples"), list):
        found += schema["examples"]
    return found


def _shallow(schema: dict[str, Any]) -> Any:
    """A value made without looking inside: where a recursive schema must stop."""
    kind = _type(schema)
    types: list[Any] = schema["type"] if isinstance(schema.get("type"), list) else [schema.get("type")]
    if "null" in types or schema.get("nullable") is True:
        return None
    if kind in ("integer", "number"):
        return int(_number(schema, 1)) if kind == "integer" else float(_number(schema, 1))
    return {"object": {}, "array": [], "boolean": True, "null": None}.get(kind, _string(schema))


def _string(schema: dict[str, Any]) -> str:
    text = _STRING_FORMATS.get(str(schema.get("format")), "string")
    pattern = schema.get("pattern")
    if isinstance(pattern, str):
        # The format's sample if the pattern takes it (a date), else the pattern's (OPTIMADE: a URL
        # ending in a version, which the plain sample URL does not).
        from ..ecma_pattern import compiled  # the regex engine is loaded only for a pattern

        found = compiled(pattern)
        if "format" not in schema or found is None or found.search(text) is None:
            text = pattern_sample(pattern) or text
    minimum = schema.get("minLength")
    if isinstance(minimum, int) and len(text) < minimum:
        text = text + "x" * (minimum - len(text))
    maximum = schema.get("maxLength")
    if isinstance(maximum, int) and len(text) > maximum:
        text = text[:maximum]
    return text


def _type(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if isinstance(kind, str):
        return kind
    if "properties" in schema or "additionalProperties" in schema or "required" in schema:
        return "object"
    if "items" in schema:
        return "array"
    return "string"


def _number(schema: dict[str, Any], fallback: int) -> int | float:
    """The smallest plain number the bounds allow (3.0's boolean exclusiveMinimum/Maximum included)."""
    def number(key: str) -> float | None:
        value = schema.get(key)
        return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None

    def bound(inclusive: str, exclusive: str) -> tuple[float | None, bool]:
        if number(exclusive) is not None:
            return number(exclusive), True
        return number(inclusive), schema.get(exclusive) is True

    (low, low_strict), (high, high_strict) = bound("minimum", "exclusiveMinimum"), bound("maximum", "exclusiveMaximum")
    value: float = fallback
    if low is not None:
        value = math.floor(low) + 1 if low_strict else math.ceil(low)
    if high is not None and (value > high or (high_strict and value >= high)):
        top = math.ceil(high) - 1 if high_strict else math.floor(high)  # the largest integer allowed
        fits = low is None or top > low or (top == low and not low_strict)
        value = top if fits else (low + high) / 2 if low is not None else high
    step = number("multipleOf")
    if step:
        value = math.ceil(value / step) * step
    return int(value) if float(value).is_integer() else value


def _declared(schema: dict[str, Any]) -> set[str]:
    properties = schema.get("properties")
    return set(properties) if isinstance(properties, dict) else set()
