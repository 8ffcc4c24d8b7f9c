"""Building the HTTP request for one call of an operation."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import httpx

from ._encoding import jsonable, spelled
from ._files import (
    OffLoopParts,
    RawBody,
    choose_type,
    encoded,
    parts_resendable,
    raw_body,
    raw_name,
)
from ._form import fields_of, form_body, multipart_body
from ._operation import OperationSpec, RequestOptions
from ._styles import cookie_items, header_value, path_expansion, query_items
from ._types import SENT_ONCE, NotGiven
from ._warn import warn_deprecated
from .errors import ConfigurationError


@dataclass(slots=True)  # not frozen, which costs a microsecond per call; never changed once made
class Call:
    """Everything needed to send (and resend) one call: kept so retries and pages can rebuild it."""

    method: str
    url: str
    query: list[tuple[str, str]]  # percent-encoded already (see _styles): sent exactly as they are
    headers: Mapping[str, str]
    content: bytes | RawBody | None  # RawBody: a path or file object, read again for each send
    files: Any
    data: Any
    timeout: httpx.Timeout

    def build(self, http: httpx.Client | httpx.AsyncClient, url: str | None = None) -> httpx.Request:
        # Only what is set: each empty argument still costs httpx work on every request.
        extra: dict[str, Any] = {}
        if url is None:
            url = self.url + ("?" + "&".join(f"{k}={v}" for k, v in self.query) if self.query else "")
        if isinstance(self.content, RawBody):
            extra["content"] = self.content.chunks(isinstance(http, httpx.AsyncClient))
        elif self.content is not None:
            extra["content"] = self.content
        if self.files:
            extra["files"] = self.files
        if self.data:
            extra["data"] = self.data
        # The timeout as httpx keeps it in the request, so build_request need not convert it again.
        extensions: dict[str, Any] = {"timeout": self.timeout.as_dict()}
        if not self.resendable:
            extensions[SENT_ONCE] = True
        request = http.build_request(self.method, url, headers=self.headers, extensions=extensions, **extra)
        if self.files and isinstance(http, httpx.AsyncClient):
            request.stream = OffLoopParts(request.stream)  # file parts read off the event loop
        return request

    @property
    def resendable(self) -> bool:
        """False when the body is a stream that cannot seek: once sent, there is nothing to send again."""
        if isinstance(self.content, RawBody):
            return self.content.resendable
        return parts_resendable(self.files)


def prepare_call(
    op: OperationSpec,
    values: Mapping[str, Any],
    body: Any,
    options: RequestOptions,
    *,
    base_url: str,
    headers: Mapping[str, str],
    timeout: httpx.Timeout | float | None,
    default_query: Mapping[str, object] | None = None,
) -> Call:
    """`headers` are the client's for this operation, shared between calls: changes go to a copy."""
    path = op.path
    query: list[tuple[str, str]] = []
    added: dict[str, str] = {}
    cookies: list[str] = []
    expanded = False
    for param in op.params:
        value = values.get(param.value_key)
        if isinstance(value, NotGiven) or (value is None and param.location != "path"):
            continue
        if param.deprecated:
            warn_deprecated(f"{op.label}: the parameter {param.name!r} is deprecated by the API")
        style = param.style
        if style == "content":  # a parameter described by a JSON media type: its JSON text, as one value
            value = json.dumps(jsonable(value), ensure_ascii=False, separators=(",", ":"))
            style = "form" if param.location in ("query", "cookie") else "simple"
        elif op.boolean_text is not None:
            value = spelled(value, op.boolean_text)
        if param.location == "path":
            if value is None or (value == "" and style == "simple"):
                raise ConfigurationError(f"{op.label} needs a non-empty value for {param.name!r}, got {value!r}")
            path = path.replace("{" + param.name + "}", path_expansion(param.name, value, style, param.explode))
            expanded = True
        elif param.location == "query":
            query.extend(query_items(param.name, value, style, param.explode, param.allow_reserved))
        elif param.location == "header":
            joined = header_value(value, param.explode)
            if joined is not None:
                added[param.name] = _ascii(op, param.name, joined)
        else:
            cookies.extend(_ascii(op, param.name, c) for c in cookie_items(param.name, value, param.explode))
    if expanded:
        _no_dot_segments(op, path)
    if cookies:
        added["Cookie"] = "; ".join(cookies)
    if options.extra_query:
        for key, extra in options.extra_query.items():
            query.extend(query_items(key, spelled(extra, op.boolean_text), "form", True))
    if default_query:
        # The call's own parameters win over the client's defaults.
        query.extend(default_items(default_query, {unquote(k) for k, _ in query}, op.boolean_text))
    if options.extra_headers:
        added.update(options.extra_headers)
    content, files, data = _body(op, body, options, added) if op.body is not None else (None, None, None)
    if op.content_type and content is None and not files and not data and not _has(added, "content-type"):
        added["Content-Type"] = op.content_type
    return Call(
        method=op.method,
        url=base_url + path,
        query=query,
        headers=merged_headers(headers, added) if added else headers,
        content=content,
        files=files,
        data=data,
        timeout=options.timeout_or(timeout),
    )


def default_items(defaults: Mapping[str, object], present: set[str],
                  words: tuple[str, str] | None) -> list[tuple[str, str]]:
    """The client's default query parameters (percent-encoded) whose names `present` (decoded) lacks."""
    found: list[tuple[str, str]] = []
    for key, default in defaults.items():
        items = query_items(key, spelled(default, words), "form", True)
        if not any(unquote(k) in present for k, _ in items):
            found.extend(items)
    return found


def merged_headers(base: Mapping[str, str], added: Mapping[str, str]) -> dict[str, str]:
    """`base` with `added` on top; header names are case-insensitive, so `x-a` replaces `X-A`."""
    replaced = {name.lower() for name in added}
    return {**{k: v for k, v in base.items() if k.lower() not in replaced}, **added}


def _no_dot_segments(op: OperationSpec, path: str) -> None:
    """A segment of "." or ".." made from a value would be removed by the URL's normalisation (RFC 3986
    5.2.4) and the request would reach another resource: refused before anything is sent."""
    template = op.path.split("/")
    for index, segment in enumerate(path.split("/")):
        if segment in (".", "..") and (index >= len(template) or template[index] != segment):
            raise ConfigurationError(f"{op.label}: a path parameter makes the segment {segment!r}, which would "
                                     "address another resource; pass the value the API expects")


def _ascii(op: OperationSpec, name: str, value: str) -> str:
    """Header and cookie values: printable ASCII (a line break would end the header), refused before sending."""
    if _HEADER_UNSAFE.search(value):
        raise ConfigurationError(f"{op.label}: {name!r} must be printable ASCII text (HTTP headers carry no other "
                                 "characters)")
    return value


_HEADER_UNSAFE = re.compile(r"[^\t\x20-\x7e]")


def _has(headers: Mapping[str, str], name: str) -> bool:
    return any(key.lower() == name for key in headers)


def _nothing(body: Any) -> bool:
    """No body from the caller: not passed, or keyword fields none of which was passed."""
    if isinstance(body, NotGiven):
        return True
    return isinstance(body, Mapping) and bool(body) and all(isinstance(v, NotGiven) for v in body.values())


def _body(op: OperationSpec, body: Any, options: RequestOptions,
          headers: dict[str, str]) -> tuple[bytes | RawBody | None, Any, Any]:
    spec = op.body
    if spec is not None and spec.default and _nothing(body):
        body = json.loads(spec.default)  # what the spec says the body is when none is given
    if spec is None or (isinstance(body, NotGiven) and not options.extra_body):
        return None, None, None
    if isinstance(body, NotGiven):
        body = {}
    if options.extra_body:
        # A form's fields as they are (files stay files); any other body as its JSON value.
        base = fields_of(body) if spec.encoding in ("multipart", "form") else jsonable(body, body=True)
        if not isinstance(base, Mapping):
            raise ConfigurationError(f"{op.method} {op.path}: extra_body adds fields to an object body; this body is "
                                     f"a {type(base).__name__}")
        body = {**base, **options.extra_body}
    if spec.encoding == "json":
        headers["Content-Type"] = spec.media_type
        return json.dumps(jsonable(body, body=True), ensure_ascii=False, separators=(",", ":")).encode("utf-8"), None, None
    if spec.encoding == "form":
        headers["Content-Type"] = spec.media_type.split(";")[0]
        return form_body(body, spec.fields, op.boolean_text), None, None
    if spec.encoding == "multipart":
        return None, multipart_body(body, spec.fields, op.boolean_text, spec.xml), None
    if spec.encoding == "xml":
        # only packages whose API speaks XML depend on the parser
        from ._xml import dump_xml

        headers["Content-Type"] = spec.media_type
        return dump_xml(body, spec.xml), None, None
    if spec.encoding == "text" and isinstance(body, str):
        headers["Content-Type"] = spec.media_type
        return body.encode("utf-8"), None, None
    content, kind = raw_body(body)
    if spec.content_encoding:  # the schema's contentEncoding: the bytes go as base64 text (RFC 4648)
        content = encoded(content, spec.content_encoding)
    # A media-type key may be a range (image/*, */*): the header names a type (RFC 9110 8.3).
    headers["Content-Type"] = kind or (choose_type(spec.media_type, raw_name(body)) if "*" in spec.media_type
                                       else spec.media_type)
    if isinstance(content, RawBody) and content.length is not None:
        headers["Content-Length"] = str(content.length)  # else httpx sends it chunked
    return content, None, None
