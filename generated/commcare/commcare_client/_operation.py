"""What the generated code tells the runtime about each operation: built once, at import."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

from ._auth import SchemeSpec
from ._env import EnvSpec
from ._ratelimit import RateLimitSpec
from ._types import NOT_GIVEN, Headers, NotGiven, Query, Timeout


@dataclass(frozen=True, slots=True)
class ParamSpec:
    name: str  # as sent on the wire
    location: Literal["path", "query", "header", "cookie"]
    style: str = "form"
    explode: bool = True
    allow_reserved: bool = False
    key: str = ""  # its key in the call's values, where two parameters share a wire name; else the name
    deprecated: bool = False

    @property
    def value_key(self) -> str:
        return self.key or self.name


@dataclass(frozen=True, slots=True)
class FieldEncoding:
    """The Encoding Object of one form or multipart field."""

    style: str = ""  # "" when the spec gives none (form fields: objects go as JSON text)
    explode: bool = True
    allow_reserved: bool = False
    content_type: str = ""


@dataclass(frozen=True, slots=True)
class ResponseSpec:
    kind: Literal["json", "binary", "text", "empty", "xml"]
    type: Any = None  # the Python type a JSON (or XML) body is parsed into
    xml: Any = None  # an XML body's _xml_shape.XmlDocument; None with kind "xml": the safe element tree


@dataclass(frozen=True, slots=True)
class BodySpec:
    encoding: Literal["json", "form", "multipart", "binary", "text", "xml"]
    media_type: str
    fields: Mapping[str, FieldEncoding] = field(default_factory=dict)  # by wire name
    required: bool = False
    default: str = ""  # the schema's default as JSON text: sent when the caller passes no body
    xml: Any = None  # how an XML body (or a multipart part of XML) is written: an _xml_shape.XmlDocument
    content_encoding: str = ""  # base64 or base64url: a raw body's bytes are sent encoded (OAS 3.1)


@dataclass(frozen=True, slots=True)
class PaginationSpec:
    style: Literal["next-link", "page-number"]
    items: tuple[str, ...]
    next: tuple[str, ...] = ()
    page_param: str = ""
    total_pages: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OperationSpec:
    method: str
    path: str
    params: tuple[ParamSpec, ...] = ()
    responses: Mapping[str, ResponseSpec] = field(default_factory=dict)
    security: tuple[tuple[str, ...], ...] = ()
    body: BodySpec | None = None
    idempotent: bool = True
    retry_safe: bool = False
    pagination: PaginationSpec | None = None
    accept: str = "application/json"
    errors: Mapping[str, ResponseSpec] = field(default_factory=dict)  # documented error bodies
    server: str = ""  # the operation's own server: absolute, or relative to the client's base_url
    deprecated: bool = False
    content_type: str = ""  # sent on a request without a body too (some servers route on it)
    boolean_text: tuple[str, str] | None = None  # true and false in parameters and forms; None: true/false

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

    def response_for(self, status: int) -> ResponseSpec | None:
        exact = self.responses.get(str(status))
        if exact is not None:
            return exact
        ranged = self.responses.get(f"{str(status)[0]}XX") or self.responses.get("default")
        if ranged is not None:
            return ranged
        return next(iter(self.responses.values()), None)

    def refuses(self, status: int) -> bool:
        """A 2xx the spec files as a failure (x-careforge-error-statuses): raised like any error status."""
        return 200 <= status < 300 and str(status) in self.errors

    def error_for(self, status: int) -> ResponseSpec | None:
        """The error body the spec documents for `status`, if any (no fallback to other statuses)."""
        return self.errors.get(str(status)) or self.errors.get(f"{str(status)[0]}XX") or self.errors.get("default")


@dataclass(frozen=True, slots=True)
class ClientConfig:
    """What a generated client knows about its API."""

    default_base_url: str | None
    schemes: Mapping[str, SchemeSpec]
    user_agent: str
    rate_limit: RateLimitSpec | None = None
    servers: tuple[str, ...] = ()  # the spec's absolute servers: a link to one is followed against base_url
    logger: str = ""  # the package's import name, which names its logger
    env: EnvSpec = field(default_factory=EnvSpec)


@dataclass(slots=True)  # made for every call: not frozen, which would triple the cost; never changed once made
class RequestOptions:
    """Per-call additions; none of them is logged."""

    extra_headers: Headers | None = None
    extra_query: Query | None = None
    extra_body: Mapping[str, object] | None = None
    timeout: Timeout | NotGiven = NOT_GIVEN

    def timeout_or(self, default: Timeout) -> httpx.Timeout:
        chosen = default if isinstance(self.timeout, NotGiven) else self.timeout
        return chosen if isinstance(chosen, httpx.Timeout) else httpx.Timeout(chosen)


DEFAULT_OPTIONS = RequestOptions()
