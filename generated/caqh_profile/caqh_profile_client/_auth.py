"""Credentials on requests: Basic, Bearer, API keys (header, query or cookie), and their combinations.

Each scheme is an `httpx.Auth`, so it also works on a plain httpx client. None of them shows a
secret in its repr.
"""

from __future__ import annotations

import base64
import logging
import re
from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import httpx

from ._env import FromEnvironment
from ._oauth2 import ClientCredentials, TokenSpec
from ._redact import redact_header, redact_query_parameter
from ._signing import SignedAuth, SigningSpec
from .errors import ConfigurationError

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True, slots=True)
class SchemeSpec:
    """A security scheme of the spec: what it needs and where it puts it."""

    kind: Literal["basic", "bearer", "api_key", "oauth2_client_credentials"]
    credentials: tuple[str, ...]
    location: Literal["header", "query", "cookie"] = "header"
    parameter: str = ""
    template: str = ""
    signing: SigningSpec | None = None
    token: TokenSpec | None = None
    charset: str = "utf-8"  # of Basic credentials (RFC 7617's default); some servers read ISO-8859-1


class _HeaderAuth(httpx.Auth):
    def apply(self, request: httpx.Request) -> None:
        raise NotImplementedError

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        self.apply(request)
        yield request

    def __repr__(self) -> str:
        return f"{type(self).__name__}(<redacted>)"


class BasicAuth(_HeaderAuth):
    def __init__(self, username: str, password: str, charset: str = "utf-8") -> None:
        raw = _encoded("username", username, charset) + b":" + _encoded("password", password, charset)
        self._header = "Basic " + base64.b64encode(raw).decode("ascii")

    def apply(self, request: httpx.Request) -> None:
        request.headers["Authorization"] = self._header


def _encoded(label: str, value: str, charset: str) -> bytes:
    try:
        return value.encode(charset)
    except UnicodeEncodeError:
        pass
    # Raised after the except block, so the encoding error (which quotes the secret) is not its context.
    raise ConfigurationError(f"the Basic {label} has a character that {charset} cannot encode, and this API reads "
                             f"credentials as {charset}: use only characters {charset} has")


class BearerAuth(_HeaderAuth):
    def __init__(self, token: str) -> None:
        self._header = f"Bearer {token}"

    def apply(self, request: httpx.Request) -> None:
        request.headers["Authorization"] = self._header


class ApiKeyAuth(_HeaderAuth):
    def __init__(self, location: Literal["header", "query", "cookie"], name: str, value: str) -> None:
        self._location = location
        self._name = name
        self._value = value
        if location == "query":
            redact_query_parameter(name)
        elif location == "header":
            redact_header(name)

    def apply(self, request: httpx.Request) -> None:
        if self._location == "header":
            request.headers[self._name] = self._value
        elif self._location == "query":
            request.url = request.url.copy_merge_params({self._name: self._value})
        else:
            cookie = f"{self._name}={self._value}"
            existing = request.headers.get("Cookie")
            request.headers["Cookie"] = f"{existing}; {cookie}" if existing else cookie


class CombinedAuth(_HeaderAuth):
    """Several schemes on one request (e.g. Basic plus a one-time-password header), applied in order."""

    def __init__(self, parts: Sequence[_HeaderAuth | SignedAuth]) -> None:
        self.parts = tuple(parts)
        self.requires_request_body = any(p.requires_request_body for p in self.parts)

    def apply(self, request: httpx.Request) -> None:
        for part in self.parts:
            part.apply(request)

    def __repr__(self) -> str:
        return f"CombinedAuth({', '.join(repr(p) for p in self.parts)})"


_NO_ENV: Mapping[str, str] = {}


def _or_set(variables: Sequence[str]) -> str:
    """How the environment could supply what a message asks for ("" when the spec names no variable)."""
    unique = list(dict.fromkeys(variables))
    return f", or set {' / '.join(unique)} in the environment" if unique else ""


def _make(spec: SchemeSpec, values: Mapping[str, str], timeout: httpx.Timeout | None = None,
          base_url: httpx.URL | None = None, logger: logging.Logger | None = None,
          env: Mapping[str, str] = _NO_ENV) -> _HeaderAuth | SignedAuth | ClientCredentials:
    if spec.kind == "basic":
        return BasicAuth(values["username"], values["password"], spec.charset)
    if spec.kind == "bearer":
        return BearerAuth(values["access_token"])
    if spec.kind == "oauth2_client_credentials":
        assert spec.token is not None
        token = spec.token
        if token.placeholder and not values.get("token_url"):
            # Checked before any request: the placeholder's host must not even be looked up.
            raise ConfigurationError(f"the token endpoint differs for each account ({token.token_url} in the spec "
                                     "only stands in for it): pass token_url= to the client"
                                     f"{_or_set([env['token_url']] if 'token_url' in env else [])}")
        url = values.get("token_url") or token.token_url
        if base_url is not None and not httpx.URL(url).is_absolute_url:
            url = str(base_url.join(url))  # a relative tokenUrl is relative to the server (OpenAPI 3.x)
        return ClientCredentials(TokenSpec(url, token.placement, token.lifetime, token.scopes),
                                 values["client_id"], values["client_secret"], timeout=timeout, logger=logger)
    value = _PLACEHOLDER.sub(lambda m: values.get(m[1], ""), spec.template or "{api_key}")
    key = ApiKeyAuth(spec.location, spec.parameter, value)
    if spec.signing is None:
        return key
    return CombinedAuth([key, SignedAuth(spec.signing, values)])


def _combine(parts: list[_HeaderAuth | SignedAuth | ClientCredentials]) -> httpx.Auth | None:
    if len(parts) <= 1:
        return parts[0] if parts else None
    simple = [p for p in parts if not isinstance(p, ClientCredentials)]
    if len(simple) != len(parts):
        raise ConfigurationError("OAuth2 client credentials cannot be combined with another scheme on one request")
    return CombinedAuth(simple)


def select_auth(
    alternatives: Sequence[Sequence[str]],
    schemes: Mapping[str, SchemeSpec],
    credentials: Mapping[str, str | None],
    *,
    label: str,
    timeout: httpx.Timeout | None = None,
    base_url: httpx.URL | None = None,
    logger: logging.Logger | None = None,
    env: Mapping[str, str] = _NO_ENV,
) -> httpx.Auth | None:
    """The first alternative whose credentials were all given; no auth when the operation needs none.

    An alternative whose credentials were all passed to the client wins over one that the environment
    completes: passing `access_token=` uses it even where API-key variables are set.
    """
    if not alternatives:
        return None
    given = {name: value for name, value in credentials.items() if value is not None}
    passed = {name for name, value in given.items() if not isinstance(value, FromEnvironment)}
    needs = [{c for key in alternative for c in schemes[key].credentials} for alternative in alternatives]
    chosen = next((i for i, needed in enumerate(needs) if needed and needed <= passed), None)
    if chosen is None:
        chosen = next((i for i, needed in enumerate(needs) if needed <= given.keys()), None)
    if chosen is not None:
        return _combine([_make(schemes[key], given, timeout, base_url, logger, env) for key in alternatives[chosen]])
    options = " or ".join(
        "+".join(sorted({c for key in alt for c in schemes[key].credentials})) or "no credentials"
        for alt in alternatives
    )
    variables = [env[c] for alt in alternatives for key in alt for c in sorted(schemes[key].credentials) if c in env]
    raise ConfigurationError(f"{label} needs credentials: pass {options} to the client{_or_set(variables)}")
