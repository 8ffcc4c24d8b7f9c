"""Hypothesis strategies for small valid OpenAPI documents, with examples that fit their schemas.

A spec has 1-4 paths, each with some of GET/POST/PUT/DELETE, path and query parameters of scalar
types, JSON request bodies and responses whose schemas are random objects: nested objects, arrays,
string and integer enums, optional and nullable fields, `$ref`s to components. Every example is
drawn from its schema, so it is valid by construction.

Names stay clear of the generator bugs the hostile corpus already records (see KNOWN_BUGS in
test_hostile_specs.py), so a failure here is a new finding.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

Schema = dict[str, Any]
Components = dict[str, Schema]

TITLE = "Random"
MODULE = "random_client"
TAGS = ("pets", "owners", "visits")
COMPONENT_NAMES = ("Pet", "Owner", "Visit", "Address", "Tag")
# Names that trip recorded bugs (bug-parameter-shadows-module, bug-property-model-dump).
_AVOID = frozenset({"typing", "models", "builtins", "datetime"})

_name_text = st.from_regex(r"\A[a-z][a-z0-9]{0,7}(?:[_-][a-z0-9]{1,4})?\Z", fullmatch=True)
names = _name_text.filter(lambda n: n not in _AVOID and not n.startswith("model"))
_enum_text = st.text(alphabet=string.ascii_letters + string.digits + " -_.'\"", min_size=1, max_size=8)
# Descriptions: any text but control characters and line/paragraph separators, which reach models.py
# raw (bug-control-characters-in-models, bug-line-separator-in-schema-text; a run found the latter).
_description = st.text(st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=20)


@dataclass
class Built:
    """A spec and what the test needs to know about it."""

    spec: dict[str, Any]
    openapi: str
    file_name: str  # openapi.json or openapi.yaml
    # component name -> examples that fit it: those of the bodies and responses it types, and more
    component_examples: dict[str, list[Any]] = field(default_factory=dict)


# -- schemas ----------------------------------------------------------------------------------------

def _nullable(schema: Schema, openapi: str) -> Schema:
    if "$ref" in schema:  # a $ref cannot carry `nullable` in 3.0; anyOf with null works in both
        return {"anyOf": [schema, {"type": "null"}]} if openapi.startswith("3.1") else {**schema}
    if openapi.startswith("3.0"):
        return {**schema, "nullable": True, **({"enum": [*schema["enum"], None]} if "enum" in schema else {})}
    kind = schema.get("type")
    if "enum" in schema:
        return {**schema, "enum": [*schema["enum"], None], "type": [kind, "null"]}
    return {**schema, "type": [kind, "null"]}


def _scalar() -> st.SearchStrategy[Schema]:
    return st.one_of(
        st.just({"type": "string"}),
        st.just({"type": "string", "format": "date"}),
        st.just({"type": "integer"}),
        st.just({"type": "number"}),
        st.just({"type": "boolean"}),
        st.lists(_enum_text, min_size=1, max_size=4, unique=True).map(lambda v: {"type": "string", "enum": v}),
        st.lists(st.integers(-5, 50), min_size=1, max_size=4, unique=True).map(
            lambda v: {"type": "integer", "enum": v}),
    )


@st.composite
def object_schema(draw: st.DrawFn, refs: tuple[str, ...], openapi: str, depth: int = 0) -> Schema:
    """An object with 1-4 properties; some required, some nullable, some nested or referenced."""
    props = draw(st.lists(names, min_size=1, max_size=4, unique_by=lambda n: n.replace("-", "_")))
    properties: dict[str, Schema] = {}
    for prop in props:
        choices = [_scalar(), _scalar().map(lambda s: {"type": "array", "items": s})]
        if refs:
            ref = st.sampled_from(refs).map(lambda r: {"$ref": f"#/components/schemas/{r}"})
            choices += [ref, ref.map(lambda s: {"type": "array", "items": s})]
        if depth < 1:
            choices.append(object_schema(refs, openapi, depth + 1))
        schema = draw(st.one_of(*choices))
        if draw(st.integers(0, 4)) == 0:
            schema = _nullable(schema, openapi)
        if draw(st.integers(0, 5)) == 0:
            schema = {**schema, "description": draw(_description)}
        properties[prop] = schema
    required = [p for p in props if draw(st.booleans())]
    return {"type": "object", "properties": properties, **({"required": required} if required else {})}


# -- values that fit a schema -----------------------------------------------------------------------

def values(schema: Schema, components: Components, depth: int = 0) -> st.SearchStrategy[Any]:
    if "$ref" in schema:
        return values(components[schema["$ref"].rsplit("/", 1)[-1]], components, depth)
    if "anyOf" in schema:
        return st.one_of(*(values(s, components, depth) for s in schema["anyOf"]))
    kind = schema.get("type")
    nullable = schema.get("nullable") is True or (isinstance(kind, list) and "null" in kind)
    if isinstance(kind, list):
        kind = next(k for k in kind if k != "null")
    plain = _plain_values(schema, kind, components, depth)
    return st.one_of(st.none(), plain) if nullable else plain


def _plain_values(schema: Schema, kind: Any, components: Components, depth: int) -> st.SearchStrategy[Any]:
    if kind == "null":
        return st.none()
    if "enum" in schema:
        return st.sampled_from([v for v in schema["enum"] if v is not None])
    if kind == "object":
        props: dict[str, Schema] = schema.get("properties", {})
        required = set(schema.get("required", []))
        return st.fixed_dictionaries(
            {p: values(s, components, depth + 1) for p, s in props.items() if p in required},
            optional={p: values(s, components, depth + 1) for p, s in props.items() if p not in required},
        )
    if kind == "array":
        return st.lists(values(schema["items"], components, depth + 1), max_size=2 if depth < 2 else 0)
    if kind == "string" and schema.get("format") == "date":
        return st.dates().map(lambda d: d.isoformat())
    if kind == "string":
        return st.text(alphabet=string.printable.strip() + " éß", max_size=10)
    if kind == "integer":
        return st.integers(-(2**40), 2**40)
    if kind == "number":
        return st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False).map(lambda f: round(f, 3))
    return st.booleans()


# -- documents --------------------------------------------------------------------------------------

def _param_schema() -> st.SearchStrategy[Schema]:
    return st.one_of(
        st.just({"type": "string"}), st.just({"type": "integer"}), st.just({"type": "number"}),
        st.just({"type": "boolean"}),
        st.lists(st.from_regex(r"\A[a-z]{1,6}\Z", fullmatch=True), min_size=1, max_size=3, unique=True).map(
            lambda v: {"type": "string", "enum": v}),
    )


def _body_schema(draw: st.DrawFn, component_names: list[str], openapi: str) -> Schema:
    use_ref: bool = draw(st.booleans())
    if component_names and use_ref:
        return {"$ref": f"#/components/schemas/{draw(st.sampled_from(component_names))}"}
    return draw(object_schema(tuple(component_names), openapi))


def _media(draw: st.DrawFn, schema: Schema, components: Components, found: dict[str, list[Any]]) -> dict[str, Any]:
    """A JSON media type with an example drawn from `schema`; examples of components are also kept in `found`."""
    example = draw(values(schema, components))
    if "$ref" in schema:
        found.setdefault(schema["$ref"].rsplit("/", 1)[-1], []).append(example)
    elif "$ref" in schema.get("items", {}):
        found.setdefault(schema["items"]["$ref"].rsplit("/", 1)[-1], []).extend(example)
    return {"application/json": {"schema": schema, "example": example}}


@st.composite
def operation(draw: st.DrawFn, method: str, index: int, path_param: tuple[str, Schema] | None,
              component_names: list[str], components: Components, openapi: str,
              found: dict[str, list[Any]]) -> dict[str, Any]:
    tag = draw(st.sampled_from(TAGS))
    taken = {path_param[0]} if path_param else set()
    parameters = []
    if path_param:
        parameters.append({"name": path_param[0], "in": "path", "required": True, "schema": path_param[1]})
    for name in draw(st.lists(names, max_size=3, unique=True)):
        if name in taken or name.replace("-", "_") in {t.replace("-", "_") for t in taken}:
            continue
        taken.add(name)
        required: bool = draw(st.booleans())
        parameters.append({"name": name, "in": "query", "required": required, "schema": draw(_param_schema())})
    op: dict[str, Any] = {"operationId": f"{tag}_{method}{index}", "tags": [tag]}
    if parameters:
        op["parameters"] = parameters
    if method in ("post", "put"):
        body = _body_schema(draw, component_names, openapi)
        op["requestBody"] = {"required": draw(st.booleans()), "content": _media(draw, body, components, found)}
    if method == "delete":
        op["responses"] = {"204": {"description": "deleted"}}
    else:
        schema = _body_schema(draw, component_names, openapi)
        if method == "get" and draw(st.booleans()):
            schema = {"type": "array", "items": schema}
        status = "201" if method == "post" else "200"
        op["responses"] = {status: {"description": "ok", "content": _media(draw, schema, components, found)}}
    return op


@st.composite
def specs(draw: st.DrawFn) -> Built:
    openapi = draw(st.sampled_from(["3.0.3", "3.1.0"]))
    component_names = list(draw(st.lists(st.sampled_from(COMPONENT_NAMES), max_size=3, unique=True)))
    components: Components = {}
    for i, name in enumerate(component_names):  # each may refer to the ones before it: no cycles
        components[name] = draw(object_schema(tuple(component_names[:i]), openapi))
    paths: dict[str, Any] = {}
    found: dict[str, list[Any]] = {}  # examples of bodies and responses that are components
    for index in range(draw(st.integers(1, 4))):
        path_param = None
        path = f"/r{index}"
        if draw(st.booleans()):
            path_param = (draw(names), draw(st.sampled_from([{"type": "string"}, {"type": "integer"}])))
            path += f"/{{{path_param[0]}}}"
        methods = draw(st.lists(st.sampled_from(["get", "post", "put", "delete"]), min_size=1, max_size=2, unique=True))
        paths[path] = {m: draw(operation(m, index, path_param, component_names, components, openapi, found))
                       for m in methods}
    spec: dict[str, Any] = {
        "openapi": openapi,
        "info": {"title": TITLE, "version": "1.0.0"},
        "servers": [{"url": "https://random.example.test/api"}],
        "tags": [{"name": t, "description": f"The {t}."} for t in TAGS],
        "paths": paths,
    }
    if components:
        spec["components"] = {"schemas": components}
    examples = {name: [*found.get(name, []), *draw(st.lists(values(schema, components), min_size=1, max_size=3))]
                for name, schema in components.items()}
    return Built(spec, openapi, draw(st.sampled_from(["openapi.json", "openapi.yaml"])), examples)
