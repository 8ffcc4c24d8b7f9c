"""Request bodies and responses of an operation."""

from __future__ import annotations

import re
from collections.abc import Callable

from .. import names
from ..resolve import Cursor, ResolvedSpec
from ..spec_walk import given_examples, is_json, names_fields
from .model import (
    AnyType,
    ArrayType,
    BinaryType,
    BodyEncoding,
    BodyField,
    ContentEncoding,
    FieldEncoding,
    MapType,
    ParamStyle,
    PrimitiveType,
    Primitive,
    JsonText,
    PythonIdentifier,
    RequestBody,
    Response,
    ResponseKind,
    TypeRef,
    XmlDocument,
    is_error_status,
)
from .samples import Picked, Sampler
from .schemas import SchemaRegistry, json_text
from .xml_shapes import describes_document, is_scalar, xml_document

_FORM = "application/x-www-form-urlencoded"
_NO_CONTENT = frozenset({"204", "205", "304"})  # RFC 9110: these responses carry no content, whatever the spec lists
_MULTIPART = "multipart/form-data"


def _choose_media(content: Cursor) -> tuple[str, Cursor] | None:
    entries = list(content.items())
    for wanted in (is_json, lambda m: m.startswith(_FORM), lambda m: m.startswith(_MULTIPART)):
        for media_type, media in entries:
            if wanted(media_type.lower()):
                return media_type, media
    return entries[0] if entries else None


_XML = re.compile(r"(application|text)/xml|[^/;\s]+/[^;\s]+\+xml")


def is_xml(media_type: str) -> bool:
    """application/xml, text/xml and any +xml suffix (RFC 7303)."""
    return bool(_XML.fullmatch(media_type.split(";")[0].strip().lower()))


def _body_encoding(media_type: str) -> BodyEncoding:
    lowered = media_type.lower()
    if is_json(lowered):
        return BodyEncoding.JSON
    if lowered.startswith(_FORM):
        return BodyEncoding.FORM
    if lowered.startswith(_MULTIPART):
        return BodyEncoding.MULTIPART
    if lowered.startswith("text/"):
        return BodyEncoding.TEXT
    return BodyEncoding.BINARY


def build_body(spec: ResolvedSpec, registry: SchemaRegistry, sampler: Sampler, raw: Cursor, hint: str,
               param_names: set[PythonIdentifier]) -> RequestBody | None:
    body = spec.deref(raw)
    if not isinstance(body.value, dict):
        return None
    chosen = _choose_media(spec.deref(body.child("content")))
    if chosen is None:
        return None
    media_type, media = chosen
    encoding = _body_encoding(media_type)
    schema = media.child("schema")
    if is_xml(media_type) and schema.value is not None and describes_document(spec, schema):
        encoding = BodyEncoding.XML  # else the document is passed as text or bytes, as before
    body_type: TypeRef
    if encoding is BodyEncoding.BINARY:
        body_type = BinaryType()
    elif encoding is BodyEncoding.TEXT:
        body_type = PrimitiveType(kind=Primitive.STR)
    elif schema.value is None:
        body_type = AnyType()
    elif encoding in (BodyEncoding.FORM, BodyEncoding.MULTIPART) and not names_fields(spec, schema):
        # The lint warns (L-FORM-NOT-OBJECT): the fields have no names, so the caller gives them by name.
        return RequestBody(media_type=media_type, encoding=encoding, type=MapType(value=AnyType()),
                           required=body.value.get("required") is True, fields=None,
                           example_problem=f"the {media_type} body's schema is not an object, so its fields have "
                                           "no names",
                           description=string_or_empty(body.value.get("description")))
    else:
        body_type = registry.type_of(schema, f"{hint}Body", input=True)
    flattenable = encoding in (BodyEncoding.JSON, BodyEncoding.FORM, BodyEncoding.MULTIPART)
    fields = (_fields(spec, registry, schema, f"{hint}Body", param_names, files=encoding is BodyEncoding.MULTIPART)
              if flattenable else None)
    example = _media_example(spec, sampler, media, writing=True, filled=body.value.get("required") is True)
    required = body.value.get("required") is True
    xml = xml_document(spec, schema, registry.model_for(schema, f"{hint}Body") or f"{hint}Body") \
        if encoding is BodyEncoding.XML else None
    return RequestBody(
        media_type=media_type,
        encoding=encoding,
        type=body_type,
        required=body.value.get("required") is True,
        fields=fields,
        example=example.example,
        example_problem=example.problem,
        description=string_or_empty(body.value.get("description")),
        encodings=_encodings(spec, media) if encoding in (BodyEncoding.FORM, BodyEncoding.MULTIPART) else (),
        default=_default(spec, schema) if required and flattenable else None,
        xml=xml,
        xml_parts=_xml_parts(spec, media, schema) if encoding is BodyEncoding.MULTIPART else (),
        content_encoding=_content_encoding(spec, schema) if encoding is BodyEncoding.BINARY else None,
    )


def _content_encoding(spec: ResolvedSpec, schema: Cursor) -> ContentEncoding | None:
    """`base64`/`base64url` where a raw body's schema says its bytes travel encoded (OAS 3.1, File Uploads)."""
    value = spec.deref(schema).value
    found = value.get("contentEncoding") if isinstance(value, dict) else None
    known = {encoding.value: encoding for encoding in ContentEncoding}
    return known.get(found.lower()) if isinstance(found, str) else None


def _xml_parts(spec: ResolvedSpec, media: Cursor, schema: Cursor) -> tuple[tuple[str, XmlDocument], ...]:
    """The multipart fields whose Encoding Object gives an XML content type, with their XML shapes: an
    object sent there is written as an XML document (an inline schema's root element named after the
    field, a component's as for any body)."""
    found = []
    properties = spec.deref(schema).child("properties")
    for name, raw in spec.deref(media.child("encoding")).items():
        value = spec.deref(raw).value
        declared = value.get("contentType") if isinstance(value, dict) else None
        field = properties.child(name)
        if isinstance(declared, str) and is_xml(declared.split(",")[0]) and field.value is not None \
                and describes_document(spec, field):
            found.append((name, xml_document(spec, field, name)))
    return tuple(found)


def _default(spec: ResolvedSpec, schema: Cursor) -> JsonText | None:
    """A required body's default (beside a `$ref`, as OpenAPI 3.1 allows, or in the schema): what the client
    sends when the caller passes none, since the server must get a body."""
    for node in (schema, spec.deref(schema)):
        if isinstance(node.value, dict) and "default" in node.value:
            return json_text(node.value["default"])
    return None


def string_or_empty(value: object) -> str:
    return value if isinstance(value, str) else ""


_STYLES = {"form", "spaceDelimited", "pipeDelimited", "deepObject"}


def _encodings(spec: ResolvedSpec, media: Cursor) -> tuple[FieldEncoding, ...]:
    """The media type's Encoding Objects, by field. Setting any of style, explode and allowReserved selects
    RFC 6570 serialization (style defaulting to form); otherwise the field follows its content type."""
    found = []
    for name, raw in spec.deref(media.child("encoding")).items():
        value = spec.deref(raw).value
        if not isinstance(value, dict):
            continue
        content_type = str(value["contentType"]) if isinstance(value.get("contentType"), str) else ""
        styled = any(isinstance(value.get(k), bool) for k in ("explode", "allowReserved")) or "style" in value
        style = None
        if styled:
            style = ParamStyle(value["style"]) if value.get("style") in _STYLES else ParamStyle.FORM
        explode = value["explode"] if isinstance(value.get("explode"), bool) else style in (ParamStyle.FORM, None)
        found.append(FieldEncoding(wire_name=name, style=style, explode=explode,
                                   allow_reserved=value.get("allowReserved") is True, content_type=content_type))
    return tuple(found)


def _fields(spec: ResolvedSpec, registry: SchemaRegistry, schema: Cursor, hint: str,
            param_names: set[PythonIdentifier], *, files: bool = False) -> tuple[BodyField, ...] | None:
    """The body's properties as keyword arguments, or None when it must be passed whole. `files`: the
    parts of a multipart body, where OpenAPI 3.1's `contentMediaType` string is a file."""
    target = spec.deref(schema)
    value = target.value
    if not isinstance(value, dict) or not isinstance(value.get("properties"), dict) or not value["properties"]:
        return None
    if any(key in value for key in ("oneOf", "anyOf", "allOf")):
        return None
    model = registry.model_for(schema, hint) or hint
    required: list[object] = value["required"] if isinstance(value.get("required"), list) else []
    taken: set[str] = set(names.RESERVED_ARGUMENTS) | set(param_names)
    fields = []
    for prop, sub in target.child("properties").items():
        if isinstance(spec.deref(sub).value, dict) and spec.deref(sub).value.get("readOnly") is True:
            continue
        name = names.identifier(prop, reserved=names.RESERVED_ARGUMENTS)
        if name in taken:
            return None
        taken.add(name)
        description = spec.deref(sub).value.get("description") if isinstance(spec.deref(sub).value, dict) else None
        fields.append(BodyField(
            wire_name=prop,
            name=name,
            required=prop in required,
            type=(_part_file(spec, sub) if files else None)
                 or registry.type_of(sub, f"{model}{names.class_name(prop)}", input=True),
            description=description if isinstance(description, str) else "",
        ))
    # JSON Schema lets `required` name a property that `properties` does not describe: any value, required.
    for undeclared in required:
        if not isinstance(undeclared, str) or undeclared in value["properties"]:
            continue
        name = names.identifier(undeclared, reserved=names.RESERVED_ARGUMENTS)
        if name in taken:
            return None
        taken.add(name)
        fields.append(BodyField(wire_name=undeclared, name=name, required=True, type=AnyType(), description=""))
    return tuple(fields)


def _part_file(spec: ResolvedSpec, schema: Cursor) -> TypeRef | None:
    """A multipart property that is a file by OpenAPI 3.1's rule, or a list of them; else None. In a part,
    a string with `contentMediaType` and no `contentEncoding` holds that media type's raw bytes (in a JSON
    document the same schema is text, so the rule is applied here only)."""
    value = spec.deref(schema).value
    if not isinstance(value, dict):
        return None
    kinds = value.get("type")
    kind = next((k for k in kinds if k != "null"), None) if isinstance(kinds, list) else kinds
    if kind == "array" and "items" in value:
        item = _part_file(spec, spec.deref(schema).child("items"))
        return ArrayType(item=item) if item is not None else None
    if kind == "string" and isinstance(value.get("contentMediaType"), str) and "contentEncoding" not in value:
        return BinaryType()
    return None


def build_responses(spec: ResolvedSpec, registry: SchemaRegistry, sampler: Sampler, raw: Cursor,
                    hint: str, skip: frozenset[str] = frozenset(),
                    refused: frozenset[str] = frozenset(), read_as: Callable[[Cursor], str] | None = None,
                    ) -> tuple[tuple[Response, ...], tuple[Response, ...]]:
    """`skip`: statuses described elsewhere (by a variant of the operation), left unbuilt; `refused`: 2xx
    statuses that report a failure (x-careforge-error-statuses). `read_as`: the media type a response's
    body is read as when the server labels it wrongly, "" when it does not."""
    responses = spec.deref(raw)
    statuses = [status for status, _ in responses.items()]
    has_success = any(s.startswith("2") for s in statuses)
    successes: list[Response] = []
    failures: list[Response] = []
    for status, item in sorted(responses.items()):
        if status in skip:
            continue
        response = spec.deref(item)
        if not isinstance(response.value, dict):
            continue
        success = (status.startswith("2") and status not in refused) or (status == "default" and not has_success)
        label = hint + ("Response" if len(statuses) == 1 or status in ("200", "2XX") else f"Response{status}")
        # Examples cost a schema check each: made for the responses the generated tests answer with,
        # the first success and the first error status.
        tested = not successes if success else (is_error_status(status)
                                                and not any(f.error_status for f in failures))
        built = _response(spec, registry, sampler, status, response, label, typed=success, example=tested,
                          read_as=read_as(response) if read_as is not None else "")
        (successes if success else failures).append(built)
    return tuple(successes), tuple(failures)


def _response(spec: ResolvedSpec, registry: SchemaRegistry, sampler: Sampler, status: str, response: Cursor,
              hint: str, *, typed: bool, example: bool, read_as: str = "") -> Response:
    description = response.value.get("description")
    description = description if isinstance(description, str) else ""
    chosen = _choose_media(spec.deref(response.child("content")))
    if chosen is None or status in _NO_CONTENT:
        return Response(status=status, kind=ResponseKind.EMPTY, type=None, description=description)
    media_type, media = chosen
    lowered = (read_as or media_type).lower()  # the Accept header still names what the server says it sends
    if is_xml(lowered):
        return _xml_response(spec, registry, sampler, status, media_type, media, hint, description, typed=typed,
                             example=example)
    picked = _media_example(spec, sampler, media, writing=False) if is_json(lowered) and example else Picked(None)
    if is_json(lowered):
        schema = media.child("schema")
        # Error bodies are typed when they name a schema; an inline one would add a model per status.
        wanted = schema.value is not None and (typed or schema.ref is not None)
        kind, body_type = ResponseKind.JSON, (registry.type_of(schema, hint, input=False) if wanted else AnyType())
        if isinstance(body_type, BinaryType):  # `format: binary` says the body is raw bytes, whatever its media type
            kind, picked = ResponseKind.BINARY, Picked(None)
    elif lowered.startswith("text/"):
        kind, body_type = ResponseKind.TEXT, PrimitiveType(kind=Primitive.STR)
    else:
        kind, body_type = ResponseKind.BINARY, BinaryType()
    return Response(status=status, kind=kind, type=body_type, media_type=media_type, description=description,
                    example=picked.example, example_problem=picked.problem)


def _xml_response(spec: ResolvedSpec, registry: SchemaRegistry, sampler: Sampler, status: str, media_type: str,
                  media: Cursor, hint: str, description: str, *, typed: bool, example: bool) -> Response:
    """Typed by its schema when that describes a document (an object or array); text when the schema is
    a string; else (no schema, or an error body) the safe element tree of the document."""
    schema = media.child("schema")
    if schema.value is None or not typed or not describes_document(spec, schema):
        if is_scalar(spec, schema):
            return Response(status=status, kind=ResponseKind.TEXT, type=PrimitiveType(kind=Primitive.STR),
                            media_type=media_type, description=description)
        return Response(status=status, kind=ResponseKind.XML, type=AnyType(), media_type=media_type,
                        description=description)
    body_type = registry.type_of(schema, hint, input=False)
    fallback = registry.model_for(schema, hint) or hint
    # The example as the JSON value the document stands for: a generated test writes it as XML.
    picked = _media_example(spec, sampler, media, writing=False) if example else Picked(None)
    return Response(status=status, kind=ResponseKind.XML, type=body_type, media_type=media_type,
                    description=description, xml=xml_document(spec, schema, fallback), example=picked.example,
                    example_problem=picked.problem)


def _media_example(spec: ResolvedSpec, sampler: Sampler, media: Cursor, *, writing: bool,
                   filled: bool = False) -> Picked:
    """The media type's example (or its first named example) if it fits the schema, else a value made up."""
    given = [value for _, value in given_examples(spec, media)]
    if media.child("schema").value is None:
        return Picked(json_text(given[0]) if given else None)
    return sampler.pick(media.child("schema"), given, writing=writing, filled=filled)


def success_schema(spec: ResolvedSpec, raw: Cursor) -> Cursor | None:
    """The schema of the first JSON success response: where paginated items are found."""
    responses = spec.deref(raw)
    for status, item in sorted(responses.items()):
        if not status.startswith("2"):
            continue
        chosen = _choose_media(spec.deref(spec.deref(item).child("content")))
        if chosen and is_json(chosen[0].lower()) and chosen[1].child("schema").value is not None:
            return chosen[1].child("schema")
    return None
