"""The headers an operation's success responses document, typed for `parse_headers()`."""

from __future__ import annotations

from .. import names
from ..resolve import Cursor, ResolvedSpec
from .model import Primitive, PrimitiveType, PythonIdentifier, ResponseHeader

_KINDS = {"integer": Primitive.INT, "number": Primitive.FLOAT, "boolean": Primitive.BOOL}
# Attributes of pydantic's BaseModel that a field must not shadow (besides everything named model_*).
# And the modules the field annotations and defaults name (`pydantic.Field`, `builtins.int`).
_MODEL_ATTRIBUTES = frozenset({"copy", "dict", "json", "schema", "schema_json", "construct", "validate", "fields",
                               "parse_obj", "parse_raw", "parse_file", "from_orm", "update_forward_refs",
                               "pydantic", "builtins", "typing"})


def response_headers(spec: ResolvedSpec, responses: Cursor) -> tuple[ResponseHeader, ...]:
    successes = [spec.deref(item) for status, item in spec.deref(responses).items() if status.startswith("2")]
    seen: dict[str, list[tuple[str, Cursor]]] = {}
    for response in successes:
        for wire, header in spec.deref(response.child("headers")).items():
            # OpenAPI: a Content-Type header entry is ignored; it is the media type's to say.
            if wire.lower() != "content-type":
                seen.setdefault(wire.lower(), []).append((wire, spec.deref(header)))
    taken: set[str] = set()
    result = []
    for documented in seen.values():
        wire, first = documented[0]
        identifier = names.identifier(wire, reserved=_MODEL_ATTRIBUTES)
        if identifier.startswith("model_"):
            identifier = PythonIdentifier(f"header_{identifier}")
        description = first.value.get("description") if isinstance(first.value, dict) else None
        result.append(ResponseHeader(
            wire_name=wire.lower(),
            name=PythonIdentifier(names.unique(identifier, taken)),
            type=_type(spec, first),
            required=len(documented) == len(successes) and all(_required(h) for _, h in documented),
            description=description if isinstance(description, str) else "",
        ))
    return tuple(result)


def _required(header: Cursor) -> bool:
    return isinstance(header.value, dict) and header.value.get("required") is True


def _type(spec: ResolvedSpec, header: Cursor) -> PrimitiveType:
    schema = spec.deref(header.child("schema"))
    if schema.value is None:
        for _, media in header.child("content").items():
            schema = spec.deref(media.child("schema"))
            break
    declared = schema.value.get("type") if isinstance(schema.value, dict) else None
    if isinstance(declared, list):  # 3.1: ["integer", "null"]
        declared = next((t for t in declared if t != "null"), None)
    return PrimitiveType(kind=_KINDS.get(declared, Primitive.STR) if isinstance(declared, str) else Primitive.STR)
