"""An OpenAPI Schema Object as plain JSON Schema, for generating values with hypothesis-jsonschema.

References are inlined (a recursive schema to a bounded depth); OpenAPI 3.0's `nullable` and boolean
`exclusiveMinimum` become their JSON Schema forms; a property that is readOnly is left out of a request,
a writeOnly one out of a response, as the OpenAPI Specification says of the two keywords.
"""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import unquote

Direction = Literal["request", "response"]

# What hypothesis-jsonschema can generate; other formats are annotations to it, so they are dropped.
_FORMATS = {"date", "date-time", "time", "email", "uuid", "ipv4", "ipv6", "hostname"}
_DROPPED = {"discriminator", "xml", "example", "examples", "externalDocs", "deprecated", "readOnly", "writeOnly",
            "nullable", "$schema", "$id", "$comment", "title", "description", "default", "contentMediaType",
            "contentEncoding", "$defs", "definitions"}
_SUBSCHEMA = ("items", "additionalProperties", "not", "contains", "propertyNames", "unevaluatedProperties",
              "unevaluatedItems", "if", "then", "else")
_SUBSCHEMAS = ("allOf", "anyOf", "oneOf", "prefixItems")
MAX_REPEATS = 2  # how often one $ref may enclose itself before the branch is cut


class Unsupported(Exception):
    """The oracle cannot generate values for this schema; the reason says why."""


def pointer_get(document: Any, pointer: str) -> Any:
    node = document
    for raw in pointer.lstrip("#").split("/")[1:]:
        key = unquote(raw).replace("~1", "/").replace("~0", "~")
        node = node[int(key)] if isinstance(node, list) else node[key]
    return node


class Converter:
    def __init__(self, document: dict[str, Any], direction: Direction) -> None:
        self.document = document
        self.direction = direction
        self.openapi30 = str(document.get("openapi", "")).startswith("3.0")

    def convert(self, schema: Any, stack: tuple[str, ...] = ()) -> Any:
        """JSON Schema for `schema`, or None where a recursive branch had to be cut."""
        if isinstance(schema, bool):
            return schema
        if not isinstance(schema, dict):
            raise Unsupported(f"schema is a {type(schema).__name__}")
        ref = schema.get("$ref")
        if isinstance(ref, str):
            if not ref.startswith("#"):
                raise Unsupported(f"external reference {ref}")
            if stack.count(ref) >= MAX_REPEATS:
                return None
            inner = self.convert(pointer_get(self.document, ref), (*stack, ref))
            siblings = {k: v for k, v in schema.items() if k != "$ref"}
            if inner is None or not siblings or self.openapi30:
                return inner
            rest = self.convert(siblings, stack)
            return {"allOf": [inner, rest]} if rest not in (None, {}) else inner
        if schema.get("format") == "binary" or schema.get("contentMediaType") == "application/octet-stream":
            raise Unsupported("binary content")
        out: dict[str, Any] = {}
        for key, value in schema.items():
            if key in _DROPPED or key.startswith("x-") or key in ("properties", "required"):
                continue
            if key == "format":
                if value in _FORMATS:
                    out[key] = value
            elif key in _SUBSCHEMA:
                converted = self.convert(value, stack)
                if converted is None:
                    if key in ("items", "additionalProperties"):
                        out[key] = False if key == "additionalProperties" else value
                        if key == "items":
                            out["maxItems"] = 0
                    continue
                out[key] = converted
            elif key in _SUBSCHEMAS:
                parts = [self.convert(v, stack) for v in value]
                kept = [p for p in parts if p is not None]
                if key == "allOf" and len(kept) < len(parts):
                    return None
                if not kept:
                    return None
                out[key] = kept
            elif key in ("exclusiveMinimum", "exclusiveMaximum") and isinstance(value, bool):
                bound = "minimum" if key == "exclusiveMinimum" else "maximum"
                if value and bound in schema:
                    out[key] = schema[bound]
                    out.pop(bound, None)
            elif key in ("minimum", "maximum") and schema.get("exclusive" + key.title()) is True:
                continue
            else:
                out[key] = value
        if isinstance(schema.get("properties"), dict):
            required = [r for r in schema.get("required", []) if isinstance(r, str)]
            properties: dict[str, Any] = {}
            for name, sub in schema["properties"].items():
                if isinstance(sub, dict) and self._hidden(sub):
                    continue
                converted = self.convert(sub, stack)
                if converted is None:
                    if name in required:
                        return None
                    continue
                properties[name] = converted
            out["properties"] = properties
            kept_required = [r for r in required if r in properties]
            if kept_required:
                out["required"] = kept_required
        elif schema.get("required"):
            out["required"] = schema["required"]
        if self.openapi30 and schema.get("nullable") is True:
            return {"anyOf": [out, {"type": "null"}]}
        return out

    def _hidden(self, schema: dict[str, Any]) -> bool:
        target = schema
        if isinstance(schema.get("$ref"), str) and schema["$ref"].startswith("#"):
            target = pointer_get(self.document, schema["$ref"])
        flag = "readOnly" if self.direction == "request" else "writeOnly"
        return bool(schema.get(flag) or (isinstance(target, dict) and target.get(flag)))


def json_schema(schema: Any, document: dict[str, Any], direction: Direction) -> Any:
    converted = Converter(document, direction).convert(schema)
    if converted is None:
        raise Unsupported("the schema has no finite instance within the recursion bound")
    return converted
