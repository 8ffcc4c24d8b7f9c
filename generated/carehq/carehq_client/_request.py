"""Building the HTTP request for one call of an operation."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx

from ._encoding import form_pairs, jsonable, path_segment, query_pairs, text
from ._operation import OperationSpec, RequestOptions
from ._types import NotGiven
from .errors import ConfigurationError


@dataclass(slots=True)  # not frozen, which costs a microsecond per call; never changed once made
class Call:
    """Everything needed to send (and resend) one call: kept so retries and pages can rebuild it."""

    method: str
    url: str
    query: list[tuple[str, str]]
    headers: Mapping[str, str]
    content: bytes | None
    files: Any
    data: Any
    timeout: httpx.Timeout

    def build(self, http: httpx.Client | httpx.AsyncClient, url: str | None = None) -> httpx.Request:
        # Only what is set: each empty argument still costs httpx work on every request.
        extra: dict[str, Any] = {}
        if url is None and self.query:
            extra["params"] = httpx.QueryParams(tuple(self.query))
        if self.content is not None:
            extra["content"] = self.content
        if self.files:
            extra["files"] = self.files
        if self.data:
            extra["data"] = self.data
        # The timeout as httpx keeps it in the request, so build_request need not convert it again.
        return http.build_request(self.method, url or self.url, headers=self.headers,
                                  extensions={"timeout": self.timeout.as_dict()}, **extra)


def prepare_call(
    op: OperationSpec,
    values: Mapping[str, Any],
    body: Any,
    options: RequestOptions,
    *,
    base_url: str,
    headers: Mapping[str, str],
    timeout: httpx.Timeout | float | None,
) -> Call:
    """`headers` are the client's for this operation, shared between calls: changes go to a copy."""
    path = op.path
    query: list[tuple[str, str]] = []
    added: dict[str, str] = {}
    cookies: list[str] = []
    for param in op.params:
        value = values.get(param.name)
        if isinstance(value, NotGiven) or (value is None and param.location != "path"):
            continue
        if param.location == "path":
            if value is None:
                raise ConfigurationError(f"{op.label} needs a value for {param.name!r}, got None")
            path = path.replace("{" + param.name + "}", path_segment(value))
        elif param.location == "query":
            query.extend(query_pairs(param.name, value, param.style, param.explode))
        elif param.location == "header":
            joined = ",".join(text(v) for v in value) if isinstance(value, (list, tuple)) else text(value)
            added[param.name] = _ascii(op, param.name, joined)
        else:
            cookies.append(f"{param.name}={_ascii(op, param.name, text(value))}")
    if cookies:
        added["Cookie"] = "; ".join(cookies)
    if options.extra_query:
        for key, extra in options.extra_query.items():
            query.extend(query_pairs(key, extra, "form", True))
    if options.extra_headers:
        added.update(options.extra_headers)
    content, files, data = _body(op, body, options, added) if op.body is not None else (None, None, None)
    return Call(
        method=op.method,
        url=base_url + path,
        query=query,
        headers={**headers, **added} if added else headers,
        content=content,
        files=files,
        data=data,
        timeout=options.timeout_or(timeout),
    )


def _ascii(op: OperationSpec, name: str, value: str) -> str:
    """Header and cookie values: printable ASCII (a line break would end the header), refused before sending."""
    if _HEADER_UNSAFE.search(value):
        raise ConfigurationError(f"{op.label}: {name!r} must be printable ASCII text (HTTP headers carry no other "
                                 "characters)")
    return value


_HEADER_UNSAFE = re.compile(r"[^\t\x20-\x7e]")


def _body(op: OperationSpec, body: Any, options: RequestOptions, headers: dict[str, str]) -> tuple[bytes | None, Any, Any]:
    spec = op.body
    if spec is None or (isinstance(body, NotGiven) and not options.extra_body):
        return None, None, None
    if isinstance(body, NotGiven):
        body = {}
    if options.extra_body:
        base = jsonable(body)
        if not isinstance(base, Mapping):
            raise ConfigurationError(f"{op.method} {op.path}: extra_body adds fields to an object body; this body is "
                                     f"a {type(base).__name__}")
        body = {**base, **options.extra_body}
    if spec.encoding == "json":
        headers["Content-Type"] = spec.media_type
        return json.dumps(jsonable(body), ensure_ascii=False, separators=(",", ":")).encode("utf-8"), None, None
    if spec.encoding == "form":
        headers["Content-Type"] = spec.media_type.split(";")[0]
        fields = jsonable_fields(body)
        return urlencode(form_pairs(fields)).encode("ascii"), None, None
    if spec.encoding == "multipart":
        fields = dict(body) if isinstance(body, Mapping) else {}
        files = {k: v for k, v in fields.items() if isinstance(v, (bytes, tuple)) or hasattr(v, "read")}
        data = {k: text(v) for k, v in fields.items() if k not in files and v is not None and not isinstance(v, NotGiven)}
        return None, files or None, data or None
    headers["Content-Type"] = spec.media_type
    if isinstance(body, str):
        return body.encode("utf-8"), None, None
    return bytes(body), None, None


def jsonable_fields(body: Any) -> Mapping[str, Any]:
    """Form fields from a mapping or a model; nested objects are sent as JSON text."""
    fields = jsonable(body)
    if not isinstance(fields, Mapping):
        raise ConfigurationError("a form body must be a mapping of fields")
    return {k: json.dumps(v) if isinstance(v, Mapping) else v for k, v in fields.items()}
