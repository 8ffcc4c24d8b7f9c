"""The round-trip oracle: arguments from the spec's schemas, sent by the generated client, judged by openapi-core.

For one operation: hypothesis draws parameter values and a body from the operation's own schemas; they
are turned into the Python types the generated method declares and passed to it, sync and async; the
request it sends is recorded, validated and deserialized by openapi-core (an OpenAPI implementation we
did not write), and what openapi-core reads back must equal what was drawn. The answer is drawn from the
response schema the same way and must come back from the client equal to what was served.

Our own code is used only to know which Python method and argument stand for which operation and
parameter (the IR's names); nothing of the client's serialization is used to judge it.
"""

from __future__ import annotations

import asyncio
import io
import re
import importlib
import json
import os
import sys
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
import pydantic
from hypothesis import strategies as st

from jsonschema_path import SchemaPath
from openapi_core import OpenAPI
from openapi_core.unmarshalling.schemas import (
    oas30_read_schema_unmarshallers_factory,
    oas30_write_schema_unmarshallers_factory,
    oas31_schema_unmarshallers_factory,
)

from generator.ir.build import build as build_ir
from generator.ir.model import (
    Api,
    ArrayType,
    BinaryType,
    BodyEncoding,
    Operation,
    Parameter,
    ParamLocation,
    ResponseKind,
    TypeRef,
)
from generator.load import load
from generator.resolve import resolve
from generator.rules import apply_rules, load_rules, with_package_name

from .jsonschema_of import Unsupported, json_schema, pointer_get
from .strategies import from_schema
from .wire import Recorder, WireRequest

ABSENT = object()
_WORD = re.compile(r"[A-Za-z0-9_]+")
_HEADER_SAFE = st.characters(min_codepoint=0x21, max_codepoint=0x7E)


class Mismatch(AssertionError):
    """The client's request or parsed answer differs from what the spec means."""


@dataclass
class Package:
    """A generated package, its spec as one JSON document, and openapi-core's reading of that spec."""

    api: Api
    document: dict[str, Any]
    module: types.ModuleType

    @cached_property
    def openapi(self) -> OpenAPI:
        return OpenAPI.from_dict(self.document)

    @property
    def openapi30(self) -> bool:
        return str(self.document.get("openapi", "")).startswith("3.0")

    def cases(self) -> list[Case]:
        return [Case(self, resource.path, op) for resource in self.api.resources for op in resource.operations]

    def client(self, transport: httpx.BaseTransport | httpx.AsyncBaseTransport, *, use_async: bool) -> Any:
        cls = getattr(self.module, self.api.package.async_client if use_async else self.api.package.client)
        kwargs: dict[str, Any] = {p.name: f"oracle-{p.name}".replace("_", "-") for p in self.api.client_parameters}
        for scheme in self.api.security_schemes:
            for name in scheme.credentials:
                kwargs[name] = f"oracle-{name}".replace("_", "-")
            if "token_url" in scheme.options and scheme.token is not None:
                kwargs["token_url"] = self.token_url(scheme.token.url)
        http = httpx.AsyncClient(transport=transport) if use_async else httpx.Client(transport=transport)
        return cls(base_url=self.base_url, http_client=http, max_retries=0, allow_insecure_http=True, **kwargs)

    @property
    def base_url(self) -> str:
        servers = self.document.get("servers") or [{"url": "https://oracle.invalid"}]
        url = str(servers[0]["url"])
        return url if "://" in url else "https://oracle.invalid" + url

    def token_url(self, url: str) -> str:
        return url if "://" in url else httpx.URL(self.base_url).join(url).__str__()

    @property
    def token_urls(self) -> set[str]:
        return {self.token_url(s.token.url) for s in self.api.security_schemes if s.token is not None}


def load_package(spec: Path, rules: Path | None, package_root: Path, package: str | None = None) -> Package:
    """The IR of `spec` (our names for its operations) and the package generated from it under `package_root`."""
    resolved = resolve(load(spec, spec.name))
    api, _ = build_ir(resolved, strict=False)
    found_rules, _ = load_rules(rules, "rules.toml")
    api, _ = apply_rules(api, found_rules, "rules.toml")
    api = with_package_name(api, package)
    bundle = json.loads((package_root / "tests" / "spec.json").read_text(encoding="utf-8"))
    if len(bundle["documents"]) != 1:
        raise Unsupported("a spec of several files")
    document = bundle["documents"][bundle["root"]]
    if str(package_root) not in sys.path:
        sys.path.insert(0, str(package_root))
    module = importlib.import_module(api.package.module)
    return Package(api, document, module)


def xml_reason(op: Operation) -> str | None:
    """Why openapi-core cannot judge the operation, when it sends or reads an XML document: openapi-core
    0.23 does not apply the XML Object (its `xml_loads` returns a bare element, which no object schema
    accepts), so test_xml.py judges these with hand-written XSDs, xmltodict and the Specification's own
    examples instead of passing them here unchecked."""
    body = op.body
    if body is not None and (body.encoding is BodyEncoding.XML or body.xml_parts):
        return "openapi-core does not apply the XML Object to request bodies (test_xml.py judges them)"
    if any(r.kind is ResponseKind.XML for r in op.responses):
        return "openapi-core does not apply the XML Object to responses (test_xml.py judges them)"
    return None


Through = Callable[[Recorder, bool], "httpx.BaseTransport | httpx.AsyncBaseTransport"]


def in_process(recorder: Recorder, use_async: bool) -> httpx.BaseTransport | httpx.AsyncBaseTransport:
    """The recorder as the client's transport itself: no socket between them."""
    return recorder.async_transport() if use_async else recorder.sync_transport()


@dataclass
class Draw:
    """One drawing of an operation's inputs (JSON values, as the spec's schemas describe them)."""

    params: dict[tuple[str, str], Any] = field(default_factory=dict)  # (location, wire name) -> value
    body: Any = ABSENT
    answer: Any = ABSENT


@dataclass
class Case:
    package: Package
    resource: tuple[str, ...]
    op: Operation

    @property
    def id(self) -> str:
        return ".".join((*self.resource, self.op.name))

    # ---- the spec's own view of the operation

    @cached_property
    def raw(self) -> dict[str, Any]:
        return typing.cast(dict[str, Any], pointer_get(self.package.document, self.op.pointer))

    @cached_property
    def raw_params(self) -> dict[tuple[str, str], tuple[dict[str, Any], SchemaPath]]:
        """(location, name) -> the Parameter Object and openapi-core's path to it."""
        path_item_pointer = self.op.pointer.rsplit("/", 1)[0]
        spec = self.package.openapi.spec
        found: dict[tuple[str, str], tuple[dict[str, Any], SchemaPath]] = {}
        for pointer in (path_item_pointer, self.op.pointer):
            node = pointer_get(self.package.document, pointer)
            at = _schema_path(spec, pointer)
            for index, raw in enumerate(node.get("parameters", [])):
                resolved = pointer_get(self.package.document, raw["$ref"]) if "$ref" in raw else raw
                found[(resolved["in"], resolved["name"])] = (resolved, at / "parameters" / index)
        return found

    def _own(self, key: str, status: str | None = None) -> tuple[dict[str, Any], str]:
        """The node that holds `key` (a status under `responses`) for this method: its x-careforge-variants
        entry where that sets it, else the operation; and that node's pointer."""
        if self.op.variant:
            pointer = f"{self.op.pointer}/x-careforge-variants/{self.op.variant}"
            node = typing.cast(dict[str, Any], pointer_get(self.package.document, pointer))
            if key in node and (status is None or status in node[key]):
                return node, pointer
        return self.raw, self.op.pointer

    @cached_property
    def body_media(self) -> tuple[str, Any, SchemaPath] | None:
        if self.op.body is None:
            return None
        return self._body_media(*self._own("requestBody"))

    @cached_property
    def read_body_media(self) -> tuple[str, Any, SchemaPath] | None:
        """The body as openapi-core reads it back: the operation's own (a variant's is one of its forms)."""
        return None if self.op.body is None else self._body_media(self.raw, self.op.pointer)

    def _body_media(self, node: dict[str, Any], pointer: str) -> tuple[str, Any, SchemaPath]:
        assert self.op.body is not None
        raw = node.get("requestBody", {})
        at = _schema_path(self.package.openapi.spec, pointer) / "requestBody"
        if "$ref" in raw:
            at = _schema_path(self.package.openapi.spec, raw["$ref"])
            raw = pointer_get(self.package.document, raw["$ref"])
        media = raw["content"][self.op.body.media_type]
        return self.op.body.media_type, media, at / "content" / self.op.body.media_type

    @cached_property
    def answer_media(self) -> tuple[str, str, Any, SchemaPath] | None:
        """(status, media type, schema, path to the Media Type Object) of the answer to serve."""
        for response in self.op.responses:
            if response.kind is not ResponseKind.JSON or response.type is None:
                continue
            node, pointer = self._own("responses", response.status)
            raw = node["responses"][response.status]
            at = _schema_path(self.package.openapi.spec, pointer) / "responses" / response.status
            if "$ref" in raw:
                at = _schema_path(self.package.openapi.spec, raw["$ref"])
                raw = pointer_get(self.package.document, raw["$ref"])
            media = raw.get("content", {}).get(response.media_type)
            if isinstance(media, dict) and "schema" in media:
                return response.status, response.media_type, media["schema"], at / "content" / response.media_type
        return None

    # ---- values

    def strategy(self) -> st.SearchStrategy[Draw]:
        parts: dict[str, st.SearchStrategy[Any]] = {}
        for param in self.op.parameters:
            if param.client_parameter:
                continue
            raw, _ = self.raw_params[(param.location.value, param.wire_name)]
            value = self._param_strategy(param, raw)
            parts[f"p:{param.location.value}:{param.wire_name}"] = (
                value if param.required else st.one_of(st.just(ABSENT), value))
        if self.body_media is not None and self.op.body is not None:
            _, media, _ = self.body_media
            files = self._files_strategy(media)
            if files is not None:
                value = files
            else:
                value = from_schema(json_schema(media.get("schema", {}), self.package.document, "request"))
            if self.op.body.fields is not None and files is None:
                value = value.filter(lambda v: isinstance(v, dict)).map(self._known_fields)
            parts["body"] = value if self.op.body.required else st.one_of(st.just(ABSENT), value)
        if self.answer_media is not None:
            parts["answer"] = from_schema(json_schema(self.answer_media[2], self.package.document, "response"))
        return st.fixed_dictionaries(parts).map(self._draw)

    def _files_strategy(self, media: dict[str, Any]) -> st.SearchStrategy[Any] | None:
        """Bytes for a raw body, and a field mapping with bytes for the files of a multipart body (JSON
        Schema has no bytes to draw); None for a body without files."""
        body = self.op.body
        assert body is not None
        if body.encoding is BodyEncoding.BINARY:
            return FILE_BYTES
        if body.encoding is not BodyEncoding.MULTIPART or not body.fields or not any(
                _file_type(f.type) for f in body.fields):
            return None
        schema = media.get("schema", {})
        if "$ref" in schema:
            schema = pointer_get(self.package.document, schema["$ref"])
        required: dict[str, st.SearchStrategy[Any]] = {}
        optional: dict[str, st.SearchStrategy[Any]] = {}
        for f in body.fields:
            if _file_type(f.type):
                value = FILE_BYTES if isinstance(f.type, BinaryType) else st.lists(FILE_BYTES, min_size=1, max_size=3)
            else:
                value = from_schema(json_schema(schema["properties"][f.wire_name], self.package.document, "request"))
            (required if f.required else optional)[f.wire_name] = value
        return st.fixed_dictionaries(required, optional=optional)

    def _known_fields(self, body: dict[str, Any]) -> dict[str, Any]:
        # Properties the schema does not name have no keyword argument; `extra_body` would carry them.
        assert self.op.body is not None and self.op.body.fields is not None
        known = {f.wire_name for f in self.op.body.fields}
        return {k: v for k, v in body.items() if k in known}

    def _param_strategy(self, param: Parameter, raw: dict[str, Any]) -> st.SearchStrategy[Any]:
        schema = raw["schema"] if "schema" in raw else next(iter(raw["content"].values())).get("schema", {})
        strategy = from_schema(json_schema(schema, self.package.document, "request"))
        if param.location in (ParamLocation.HEADER, ParamLocation.COOKIE):
            # Header and cookie values are printable ASCII with no edge spaces (RFC 9110 field values); the
            # client refuses others before sending (tests/oracle/test_refusals.py).
            strategy = strategy.filter(lambda v: _header_safe(v))
        if param.location is ParamLocation.QUERY and not raw.get("allowEmptyValue"):
            # allowEmptyValue defaults to false: the spec forbids sending `name=` for this parameter.
            strategy = strategy.filter(lambda v: v != "")
        if raw.get("style") == "deepObject":
            # openapi-core reads deepObject keys of word characters only; other keys (dotted, non-ASCII)
            # are judged by exact bytes in the feature corpus (tests/oracle/test_styles.py).
            strategy = strategy.filter(lambda v: not isinstance(v, dict) or all(_WORD.fullmatch(k) for k in v))
        delimiter = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(raw.get("style", ""))
        if param.location is ParamLocation.QUERY and raw.get("explode") is False:
            delimiter = delimiter or ","
        if delimiter is not None:
            # An item holding its style's delimiter: spaceDelimited and pipeDelimited cannot tell the two
            # apart at all; for form, the client encodes the item's comma (%2C, test_styles.py) but the
            # query reader decodes before splitting.
            strategy = strategy.filter(lambda v: all(delimiter not in t for t in _texts(v)))
        if param.location is ParamLocation.PATH:
            # An empty value or a "." / ".." segment would address another resource: refused, tested apart.
            strategy = strategy.filter(lambda v: _path_safe(v))
        return strategy

    @staticmethod
    def _draw(parts: dict[str, Any]) -> Draw:
        draw = Draw()
        for key, value in parts.items():
            if key.startswith("p:"):
                _, location, name = key.split(":", 2)
                if value is not ABSENT:
                    draw.params[(location, name)] = value
            elif key == "body":
                draw.body = value
            else:
                draw.answer = value
        return draw

    # ---- calling the client

    def call(self, draw: Draw, *, use_async: bool, through: Through | None = None) -> tuple[httpx.Request, Any]:
        """The request the client sent for `draw`, and what the call returned. `through` makes the transport
        that carries it to the recorder (in process unless given: a loopback server, say)."""
        recorder = Recorder(self._responder(draw), self.package.token_urls)
        transport = (through or in_process)(recorder, use_async)
        if use_async:
            async def run() -> Any:
                client = self.package.client(transport, use_async=True)
                try:
                    return await self._invoke_async(client, draw)
                finally:
                    await client.close()
            result = asyncio.run(run())
        else:
            client = self.package.client(transport, use_async=False)
            try:
                result = self._invoke_sync(client, draw)
            finally:
                client.close()
        if len(recorder.requests) != 1:
            raise Mismatch(f"{self.id}: expected one request, the client sent {len(recorder.requests)}")
        return recorder.requests[0], result

    def _responder(self, draw: Draw) -> Callable[[httpx.Request], httpx.Response]:
        def respond(request: httpx.Request) -> httpx.Response:
            if self.answer_media is None or draw.answer is ABSENT:
                status = next((r.status for r in self.op.responses if r.status[0] == "2" and r.status.isdigit()), "200")
                return httpx.Response(int(status) if status != "204" else 204)
            status, media_type, _, _ = self.answer_media
            code = int(status) if status.isdigit() else 200
            content = json.dumps(draw.answer, ensure_ascii=False).encode("utf-8")
            return httpx.Response(code, content=content, headers={"Content-Type": media_type})
        return respond

    def _method(self, client: Any) -> Callable[..., Any]:
        target = client
        for attribute in self.resource:
            target = getattr(target, attribute)
        return typing.cast(Callable[..., Any], getattr(target, self.op.name))

    def _arguments(self, method: Callable[..., Any], draw: Draw) -> tuple[list[Any], dict[str, Any]]:
        hints = typing.get_type_hints(method)
        positional: list[Any] = []
        keywords: dict[str, Any] = {}
        for param in self.op.parameters:
            key = (param.location.value, param.wire_name)
            if param.client_parameter or key not in draw.params:
                continue
            value = _python_value(hints[param.name], draw.params[key], f"{self.id}({param.name})")
            if param.location is ParamLocation.PATH:
                positional.append(value)
            else:
                keywords[param.name] = value
        body = self.op.body
        if body is not None and draw.body is not ABSENT:
            if body.fields is None:
                keywords["body"] = _python_value(hints["body"], _file_input(draw.body), f"{self.id}(body)")
            else:
                for f in body.fields:
                    if f.wire_name in draw.body:
                        keywords[f.name] = _python_value(hints[f.name], _file_input(draw.body[f.wire_name]),
                                                         f"{self.id}({f.name})")
        return positional, keywords

    def _invoke_sync(self, client: Any, draw: Draw) -> Any:
        method = self._method(client)
        positional, keywords = self._arguments(method, draw)
        result = method(*positional, **keywords)
        if self.op.pagination is not None:
            return result.first_page().envelope
        if self.op.long_running is not None and hasattr(result, "accepted"):
            return result.accepted
        return result

    async def _invoke_async(self, client: Any, draw: Draw) -> Any:
        method = self._method(client)
        positional, keywords = self._arguments(method, draw)
        if self.op.pagination is not None:
            return (await method(*positional, **keywords).first_page()).envelope
        result = await method(*positional, **keywords)
        if self.op.long_running is not None and hasattr(result, "accepted"):
            return result.accepted
        return result

    # ---- judging

    def check(self, draw: Draw, *, use_async: bool, through: Through | None = None) -> None:
        request, result = self.call(draw, use_async=use_async, through=through)
        self.check_request(request, draw)
        self.check_answer(result, draw)

    def check_request(self, request: httpx.Request, draw: Draw) -> None:
        label = f"{self.id} ({request.method} {request.url})"
        outcome = self.package.openapi.unmarshal_request(WireRequest(request))
        if self._empty_form(request, draw, outcome.errors):
            outcome.errors.clear()
            outcome.body = {}
        if outcome.errors:
            raise Mismatch(f"{label}: openapi-core rejects the request: {_describe(outcome.errors)}")
        for (location, name), value in draw.params.items():
            raw, at = self.raw_params[(location, name)]
            at = at / "schema" if "schema" in raw else at / "content" / next(iter(raw["content"])) / "schema"
            expected = self._unmarshal(at, value, "request")
            got = getattr(outcome.parameters, location).get(name, ABSENT)
            if value in ([], {}) and location != "path":
                # RFC 6570 treats an empty list or map as undefined: nothing is sent, and a reader sees the
                # parameter as absent (openapi-core then gives the schema's default, if it has one).
                if got is ABSENT or got == self._default(at):
                    continue
            if location == "path":
                got = _decoded(got)  # openapi-core hands back path values as they appear in the URL
            if got != expected:
                raise Mismatch(f"{label}: {location} parameter {name!r}: sent {got!r}, meant {expected!r}")
        if draw.body is not ABSENT and self.body_media is not None and self._check_files(label, outcome.body, draw):
            return
        if draw.body is not ABSENT and self.body_media is not None:
            meant = draw.body
            if self.body_media[0].startswith("application/x-www-form-urlencoded") and isinstance(meant, dict):
                meant = {k: v for k, v in meant.items() if v not in ([], {})}  # undefined, as in a query
            assert self.read_body_media is not None
            expected = self._unmarshal(self.read_body_media[2] / "schema", meant, "request")
            got = outcome.body
            if self.op.variant and self.body_media[0].endswith("json"):
                # A variant's body is one form of the operation's: both sides are read through that form's
                # schema, where openapi-core applies its defaults (through a oneOf it applies none), so a
                # default sent and a default left out read the same.
                at = self.body_media[2] / "schema"
                got = self._unmarshal(at, json.loads(request.content), "request")
                expected = self._unmarshal(at, meant, "request")
            if got != expected:
                raise Mismatch(f"{label}: body read back as {got!r}, meant {expected!r}")

    def _check_files(self, label: str, got: Any, draw: Draw) -> bool:
        """A body with files, as openapi-core read it: a raw body is the drawn bytes; a multipart body has
        each file's bytes under its field's name (a list for several), and its text fields as drawn
        (openapi-core leaves a text part as text, so only string fields are compared). False when the
        body has no files."""
        body = self.op.body
        assert body is not None
        if body.encoding is BodyEncoding.BINARY:
            if got != draw.body:
                raise Mismatch(f"{label}: the raw body read back as {got!r}, sent {draw.body!r}")
            return True
        if body.encoding is not BodyEncoding.MULTIPART or not body.fields or not any(
                _file_type(f.type) for f in body.fields):
            return False
        for f in body.fields:
            if f.wire_name not in draw.body:
                if got.get(f.wire_name, []) != []:  # openapi-core reads a missing list as []
                    raise Mismatch(f"{label}: part {f.wire_name!r} was sent but not given")
                continue
            meant = draw.body[f.wire_name]
            if _file_type(f.type) or isinstance(meant, str):
                if got.get(f.wire_name, ABSENT) != meant:
                    raise Mismatch(f"{label}: part {f.wire_name!r} read back as {got.get(f.wire_name)!r}, "
                                   f"sent {meant!r}")
        return True

    def _empty_form(self, request: httpx.Request, draw: Draw, errors: list[Exception]) -> bool:
        """openapi-core takes an empty body for a missing one; an empty form is a form with no fields."""
        return (len(errors) == 1 and type(errors[0]).__name__ == "MissingRequiredRequestBody"
                and draw.body == {} and request.content == b""
                and request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"))

    def check_answer(self, result: Any, draw: Draw) -> None:
        if self.answer_media is None or draw.answer is ABSENT:
            return
        at = self.answer_media[3] / "schema"
        served = self._unmarshal(at, draw.answer, "response")
        try:
            parsed = self._unmarshal(at, _as_json(result), "response")
        except Exception as error:  # openapi-core's verdict that the parsed value breaks the schema
            raise Mismatch(f"{self.id}: answer parsed as a value the schema refuses ({error}), served "
                           f"{served!r}") from None
        if parsed != served:
            raise Mismatch(f"{self.id}: answer parsed as {parsed!r}, served {served!r}")

    def _default(self, schema_at: SchemaPath) -> Any:
        schema = schema_at.read_value()
        return schema.get("default", ABSENT) if isinstance(schema, Mapping) else ABSENT

    def _unmarshal(self, at: SchemaPath, value: Any, direction: str) -> Any:
        if self.package.openapi30:
            factory = (oas30_write_schema_unmarshallers_factory if direction == "request"
                       else oas30_read_schema_unmarshallers_factory)
        else:
            factory = oas31_schema_unmarshallers_factory
        return factory.create(self.package.openapi.spec, at).unmarshal(value)


def _schema_path(spec: SchemaPath, pointer: str) -> SchemaPath:
    at = spec
    for raw in pointer.lstrip("#").split("/")[1:]:
        key = unquote(raw).replace("~1", "/").replace("~0", "~")
        at = at / (int(key) if key.isdigit() and isinstance(at.read_value(), list) else key)
    return at


def _python_value(annotation: Any, value: Any, where: str) -> Any:
    """The drawn JSON value as the type the method declares (a model, an enum, a date). A file (bytes, a
    path, a file object, a tuple naming one) given where the method takes files is passed as it is."""
    if _is_file_value(value) and _takes_files(annotation):
        return value
    try:
        return pydantic.TypeAdapter(_without_not_given(annotation)).validate_python(value)
    except pydantic.ValidationError as error:
        raise Mismatch(f"{where}: the declared type refuses a value the spec allows ({value!r}): {error}") from None


FILE_BYTES = st.binary(min_size=1, max_size=48)  # openapi-core takes an empty body for a missing one


def _file_type(t: TypeRef) -> bool:
    return isinstance(t, BinaryType) or (isinstance(t, ArrayType) and isinstance(t.item, BinaryType))


def _file_input(value: Any) -> Any:
    """Drawn bytes as one of the forms a file argument takes (bytes, a file object, a named tuple), picked
    by the bytes themselves so a drawing is repeatable; a list of them item by item; other values as they are."""
    if isinstance(value, list) and value and all(isinstance(v, bytes) for v in value):
        return [_file_input(v) for v in value]
    if not isinstance(value, bytes):
        return value
    form = len(value) % 3
    return value if form == 0 else io.BytesIO(value) if form == 1 else ("drawn.bin", value)


def _is_file_value(value: Any) -> bool:
    if isinstance(value, list):
        return bool(value) and all(_is_file_value(v) for v in value)
    return isinstance(value, (bytes, bytearray, memoryview, os.PathLike, tuple)) or hasattr(value, "read")


def _takes_files(annotation: Any) -> bool:
    """The annotation is, or holds, the packages' FileInput (whose members include bytes)."""
    if annotation is bytes:
        return True
    return any(_takes_files(a) for a in typing.get_args(annotation))


def _without_not_given(annotation: Any) -> Any:
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        kept = tuple(a for a in args if getattr(a, "__name__", "") != "NotGiven")
        return typing.Union[kept] if len(kept) > 1 else kept[0]
    return annotation


def _as_json(result: Any) -> Any:
    if isinstance(result, pydantic.BaseModel):
        return result.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(result, (list, tuple)):
        return [_as_json(r) for r in result]
    if isinstance(result, Mapping):
        return {k: _as_json(v) for k, v in result.items()}
    return pydantic.TypeAdapter(Any).dump_python(result, mode="json")


def _decoded(value: Any) -> Any:
    if isinstance(value, str):
        return unquote(value)
    if isinstance(value, list):
        return [_decoded(v) for v in value]
    if isinstance(value, dict):
        return {unquote(k): _decoded(v) for k, v in value.items()}
    return value


def _header_safe(value: Any) -> bool:
    texts = _texts(value)
    return all(t == t.strip() and all(0x20 <= ord(c) < 0x7F for c in t) and ";" not in t and "," not in t
               and '"' not in t and "\\" not in t for t in texts)


def _path_safe(value: Any) -> bool:
    return all(t not in ("", ".", "..") for t in _texts(value)) and value not in ([], {})


def _texts(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [str(k) for k in value] + [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    if isinstance(value, bool):
        return ["true" if value else "false"]
    return [str(value)]


def _describe(errors: Any) -> str:
    parts = []
    for error in errors:
        cause = error.__cause__
        detail = getattr(cause, "schema_errors", None) or cause or ""
        parts.append(f"{type(error).__name__}({error}) {detail}")
    return "; ".join(parts)
