"""The client machinery shared by every generated client: send, retry, parse, raise."""

from __future__ import annotations

import asyncio
import copy
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple, TypeVar

import httpx
import pydantic

from ._auth import select_auth
from ._failures import connection_error, status_error
from ._logs import log_exchange, log_retry, package_logger
from ._mode import MODE, Capture, Captured, Replay
from ._oauth2 import ClientCredentials
from ._operation import DEFAULT_OPTIONS, ClientConfig, OperationSpec, RequestOptions
from ._ratelimit import RateLimiter
from ._request import Call, default_items, merged_headers, prepare_call
from ._retry import RetryPolicy, never_sent, retryable_status
from ._types import NOT_GIVEN, BinaryResponse, NotGiven, Timeout, type_adapter
from ._warn import warn_deprecated
from .errors import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    ConfigurationError,
)

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
DEFAULT_MAX_RETRIES = 2
MAX_REDIRECTS = 5
_LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})

R = TypeVar("R")


def parse_json(tp: Any, response: httpx.Response) -> Any:
    """The body parsed into `tp`; a body that does not fit raises APIResponseValidationError."""
    try:
        return type_adapter(tp).validate_json(response.content)
    except pydantic.ValidationError as exc:
        from ._failures import decode_body

        first = exc.errors()[0] if exc.error_count() else {"loc": (), "msg": "invalid"}
        where = ".".join(str(p) for p in first["loc"]) or "body"
        message = (f"{response.request.method} {response.request.url.path} returned a body that does not match "
                   f"the spec ({exc.error_count()} problem(s); first at {where}: {first['msg']})")
        raise APIResponseValidationError(message, response=response, body=decode_body(response)) from None


class _Target(NamedTuple):
    """base_url as last seen, as text, and the auths already cleared to send credentials there."""

    url: httpx.URL
    text: str
    checked: set[httpx.Auth]


def _origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return url.scheme, url.host, url.port


def _moved(url: httpx.URL, prefixes: tuple[str, ...], to: str) -> httpx.URL | None:
    """`url` with the first of `prefixes` it lies under (at a path boundary) replaced by `to`, else None."""
    text = str(url)
    for prefix in prefixes:
        prefix = prefix.rstrip("/")
        if text == prefix or text.startswith((prefix + "/", prefix + "?", prefix + "#")):
            return httpx.URL(to + text[len(prefix):])
    return None


def _given(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if not isinstance(v, NotGiven)}


def _given_or_empty(values: Mapping[str, Any] | NotGiven | None) -> Mapping[str, Any]:
    return {} if values is None or isinstance(values, NotGiven) else values


class BaseClient:
    _config: ClientConfig
    _owns_http: bool

    def __init__(
        self,
        *,
        config: ClientConfig,
        base_url: str | httpx.URL | None,
        credentials: Mapping[str, str | None],
        client_parameters: Mapping[str, str | None],
        timeout: Timeout,
        max_retries: int,
        default_headers: Mapping[str, str] | None,
        allow_insecure_http: bool,
        default_query: Mapping[str, object] | None = None,
    ) -> None:
        chosen = base_url if base_url is not None else config.default_base_url
        if not chosen:
            hint = f", or set {config.env.base_url} in the environment" if config.env.base_url else ""
            raise ConfigurationError(f"this API has no default server: pass base_url= to the client{hint}")
        self._config = config
        self.base_url = httpx.URL(str(chosen))
        self._credentials = dict(credentials)
        self._client_parameters = dict(client_parameters)
        self.timeout = timeout
        self.max_retries = max_retries
        self._policy = RetryPolicy(max_retries=max_retries)
        self._headers = {"User-Agent": config.user_agent, **(default_headers or {})}
        self._default_query: Mapping[str, object] = dict(default_query or {})
        self._allow_insecure_http = allow_insecure_http
        self._resources: dict[str, Any] = {}
        self._auths: dict[tuple[tuple[str, ...], ...], httpx.Auth | None] = {}
        # Headers the httpx client already sends (set on a client of our own): not merged again per request.
        self._http_sends: Mapping[str, str] = {}
        self._reset_caches()
        self._log = package_logger(config.logger, config.env.log)
        self._limiter = RateLimiter(config.rate_limit, logger=self._log) if config.rate_limit is not None else None
        self._sleep_sync: Callable[[float], None] = time.sleep

    def _own_http_headers(self) -> dict[str, str]:
        # Accept: JSON is what most operations take; the others send their own.
        return {**self._headers, "Accept": "application/json"}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={str(self.base_url)!r})"

    def _reset_caches(self) -> None:
        self._header_sets: dict[str, Mapping[str, str]] = {}  # per Accept value
        self._target: _Target | None = None

    def _resource(self, name: str, factory: Callable[[Any], R]) -> R:
        resource = self._resources.get(name)
        if resource is None:
            resource = self._resources[name] = factory(self)
        return resource

    def client_parameter(self, name: str) -> str:
        value = self._client_parameters.get(name)
        if value is None:
            raise ConfigurationError(f"this operation needs {name!r}: pass {name}= to the client")
        return value

    def _copy_with(self, **changes: Any) -> Any:
        clone = copy.copy(self)
        clone._resources = {}
        clone._reset_caches()
        credentials = _given(changes.pop("credentials", {}))
        clone._credentials = {**self._credentials, **credentials}
        clone._client_parameters = {**self._client_parameters, **_given(changes.pop("client_parameters", {}))}
        # Added to this client's: a header or query parameter given again replaces the old value.
        clone._headers = merged_headers(self._headers, _given_or_empty(changes.pop("default_headers", None)))
        clone._default_query = {**self._default_query, **_given_or_empty(changes.pop("default_query", None))}
        base_url = changes.pop("base_url", NOT_GIVEN)
        if not isinstance(base_url, NotGiven):
            clone.base_url = httpx.URL(str(base_url))
        # The same credentials to the same server: the auths (an OAuth2 token with them) are shared.
        clone._auths = {} if credentials or not isinstance(base_url, NotGiven) else self._auths
        for key, value in changes.items():
            if not isinstance(value, NotGiven):
                setattr(clone, key, value)
        clone._policy = RetryPolicy(max_retries=clone.max_retries)
        clone._owns_http = False  # the pool belongs to the original
        return clone

    def _prepare(self, op: OperationSpec, values: Mapping[str, Any], body: Any,
                 options: RequestOptions) -> tuple[Call, httpx.Auth | None]:
        if op.deprecated and not isinstance(MODE.get(), Replay):  # a replay is the same call again
            warn_deprecated(f"{op.label} is deprecated by the API")
        target = self._target
        if target is None or target.url is not self.base_url:
            # Worked out again only when base_url was reassigned; one object, so threads see all of it or none.
            if target is not None:
                self._auths = {}  # a relative token URL resolves against the new base_url
            target = self._target = _Target(self.base_url, str(self.base_url).rstrip("/"), set())
        try:
            auth = self._auths[op.security]
        except KeyError:
            # Built once per set of alternatives: an OAuth2 token is then reused across calls.
            timeout = self.timeout if isinstance(self.timeout, httpx.Timeout) else httpx.Timeout(self.timeout)
            auth = self._auths[op.security] = select_auth(op.security, self._config.schemes, self._credentials,
                                                          label=op.label, timeout=timeout, base_url=target.url,
                                                          logger=self._log, env=self._config.env.credentials)
        base = target.text
        if op.server:
            # An operation's own server (OpenAPI's path- or operation-level `servers`): a relative one is
            # resolved against base_url (RFC 3986 5.2), so a client pointed elsewhere takes it along.
            server = target.url.join(op.server)
            base = str(server).rstrip("/")
            if auth is not None and server.host != target.url.host:
                self._check_transport(server, auth)
        if auth is not None and auth not in target.checked:
            self._check_transport(target.url, auth)
            target.checked.add(auth)
        call = prepare_call(op, values, body, options, base_url=base, headers=self._headers_for(op.accept),
                            timeout=self.timeout, default_query=self._default_query)
        return call, auth

    def _check_transport(self, base_url: httpx.URL, auth: httpx.Auth) -> None:
        if self._allow_insecure_http:
            return
        # Where credentials go: the API, and for OAuth2 the token endpoint as well.
        for url in (base_url, *([auth.token_url] if isinstance(auth, ClientCredentials) else [])):
            if url.scheme == "http" and url.host not in _LOOPBACK:
                raise ConfigurationError(
                    f"refusing to send credentials over plain http to {url.host}: "
                    "use https, or pass allow_insecure_http=True if you mean it"
                )

    def _headers_for(self, accept: str) -> Mapping[str, str]:
        """The client's headers and Accept, less those the httpx client sends anyway (shared: never mutated)."""
        headers = self._header_sets.get(accept)
        if headers is None:
            wanted = {**self._headers, "Accept": accept}
            headers = self._header_sets[accept] = {k: v for k, v in wanted.items() if self._http_sends.get(k) != v}
        return headers

    def _retry_delay(self, op: OperationSpec, attempt: int, call: Call,
                     response: httpx.Response | None, error: httpx.TransportError | None) -> float | None:
        """Seconds to wait before trying again, or None to stop now."""
        if attempt >= self._policy.max_retries or not call.resendable:
            return None  # a body streamed from a file that cannot seek has been used up by the first try
        safe = op.idempotent or op.retry_safe
        if error is not None:
            return self._policy.backoff(attempt) if safe or never_sent(error) else None
        assert response is not None
        if response.status_code == 429 and self._limiter is not None:
            # Under a declared rate limit a 429 means "not processed": any method may be repeated.
            reset = self._limiter.reset_delay(response.headers)
            if reset is not None:
                return reset if reset <= self._policy.max_retry_after else None
            return self._policy.delay_for(attempt, response.headers)
        if not safe or not retryable_status(response):
            return None
        return self._policy.delay_for(attempt, response.headers)

    def _token_retry_delay(self, attempt: int, error: APIStatusError) -> float | None:
        if attempt >= self._policy.max_retries or not retryable_status(error.response):
            return None
        return self._policy.delay_for(attempt, error.headers)

    def from_declared_server(self, url: httpx.URL) -> httpx.URL | None:
        """`url` moved to base_url when it lies under one of the spec's servers (its path included), else
        None: a mock server or a proxy standing in for the API gets the links the API makes to itself."""
        return _moved(url, self._config.servers, str(self.base_url).rstrip("/"))

    def next_link(self, op: OperationSpec, here: httpx.URL, link: str) -> httpx.URL | None:
        """Where a page's next link leads, or None when it leaves the API. A relative link is resolved as
        the API means it (against the page's URL on the spec's own server), and a link to a server the
        spec declares is moved to base_url; the client's default query goes along."""
        base = str(self.base_url).rstrip("/")
        declared = _moved(here, (base,), self._config.servers[0].rstrip("/")) if self._config.servers else None
        target = (declared or here).join(link)
        moved = self.from_declared_server(target)
        if moved is None and _origin(target) != _origin(here):
            return None
        return self._with_default_query(op, moved or target)

    def _with_default_query(self, op: OperationSpec, url: httpx.URL) -> httpx.URL:
        if not self._default_query:
            return url
        present = {key for key, _ in url.params.multi_items()}
        extra = [f"{k}={v}" for k, v in default_items(self._default_query, present, op.boolean_text)]
        if not extra:
            return url
        text = str(url.copy_with(fragment=None))
        return httpx.URL(text + ("&" if url.query else "?") + "&".join(extra))

    def _redirect_target(self, response: httpx.Response) -> str | None:
        """Where to follow a redirect: only on the same origin, and only where the method may be repeated."""
        location = response.headers.get("location")
        if not response.is_redirect or not location:
            return None
        target = response.request.url.join(location)
        same_origin = (target.scheme, target.host, target.port) == (
            response.request.url.scheme, response.request.url.host, response.request.url.port)
        keeps_method = response.status_code in (307, 308) or response.request.method in ("GET", "HEAD")
        return str(target) if same_origin and keeps_method else None

    def _parse(self, op: OperationSpec, response: httpx.Response) -> Any:
        if not response.is_success or op.refuses(response.status_code):
            error = status_error(response)
            documented = op.error_for(response.status_code)
            if documented is not None and documented.kind == "json" and documented.type is not None:
                try:
                    error.parsed = type_adapter(documented.type).validate_json(response.content)
                except (pydantic.ValidationError, ValueError):
                    pass  # `body` still holds what came
            raise error
        spec = op.response_for(response.status_code)
        if spec is None or spec.kind == "empty":
            return None
        if spec.kind == "binary":
            return BinaryResponse(response.content, response.headers.get("content-type", ""), response.headers)
        if spec.kind == "text":
            return response.text
        if spec.kind == "xml":
            # only packages whose API speaks XML depend on the parser
            from ._xml import read_response

            return read_response(spec.type, spec.xml, response)
        return parse_json(spec.type, response)

    @staticmethod
    def _transport_error(error: httpx.TransportError, call: Call) -> APIConnectionError:
        where = f"{call.method} {httpx.URL(call.url).path}"
        try:
            request: httpx.Request | None = error.request
        except RuntimeError:  # raised before a request was made
            request = None
        return connection_error(error, where, request)


class SyncAPIClient(BaseClient):
    def __init__(self, *, http_client: httpx.Client | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._owns_http = http_client is None
        if http_client is None:
            self._http_sends = self._own_http_headers()
            http_client = httpx.Client(follow_redirects=False, headers=self._http_sends)
        self._http = http_client

    def request(self, op: OperationSpec, values: Mapping[str, Any], *, body: Any = NOT_GIVEN,
                options: RequestOptions = DEFAULT_OPTIONS) -> Any:
        mode = MODE.get()
        if mode is not None:
            return self._request_in(mode, op, values, body, options)
        call, auth = self._prepare(op, values, body, options)
        return self._parse(op, self.send(op, call, auth))

    def _request_in(self, mode: Capture | Replay, op: OperationSpec, values: Mapping[str, Any], body: Any,
                    options: RequestOptions) -> Any:
        if isinstance(mode, Replay):
            return self._parse(op, mode.response)
        call, auth = self._prepare(op, values, body, options)
        raise Captured(self.capture(op, call, auth, None, mode.stream))

    def capture(self, op: OperationSpec, call: Call, auth: httpx.Auth | None, url: str | None,
                stream: bool) -> httpx.Response:
        """The response to one call for a raw or streaming wrapper; an error status raises as usual."""
        token = MODE.set(None)  # a call an event hook makes meanwhile is a plain call
        try:
            response = self.send(op, call, auth, url, stream=stream)
        finally:
            MODE.reset(token)
        if not response.is_success or op.refuses(response.status_code):
            try:
                response.read()  # a streamed body too: the error keeps it (and reading it closes the stream)
            except httpx.TransportError as error:
                raise self._transport_error(error, call) from error
            self._parse(op, response)  # raises the typed error
        return response

    def send(self, op: OperationSpec, call: Call, auth: httpx.Auth | None, url: str | None = None, *,
             stream: bool = False) -> httpx.Response:
        attempt, redirects = 0, 0
        while True:
            if self._limiter is not None:
                self._limiter.wait_sync(self._sleep_sync)
            try:
                response = self._http.send(call.build(self._http, url), auth=auth or httpx.USE_CLIENT_DEFAULT,
                                           stream=stream)
            except APIStatusError as error:
                # Raised by an auth flow: the token endpoint failed and the request was never sent.
                delay = self._token_retry_delay(attempt, error)
                if delay is None:
                    raise
                why: object = error
            except httpx.TransportError as error:
                delay = self._retry_delay(op, attempt, call, None, error)
                if delay is None:
                    raise self._transport_error(error, call) from error
                why = error
            else:
                if self._log.isEnabledFor(logging.INFO):
                    log_exchange(self._log, response)
                if self._limiter is not None:
                    self._limiter.observe(response.headers)
                if response.status_code < 300:
                    return response  # neither a redirect nor a retry: the usual case, decided at once
                target = self._redirect_target(response)
                if target is not None and redirects < MAX_REDIRECTS and call.resendable:
                    response.close()
                    url, redirects = target, redirects + 1
                    continue
                delay = self._retry_delay(op, attempt, call, response, None)
                if delay is None:
                    return response
                why = response
                response.close()
            if self._log.isEnabledFor(logging.INFO):
                log_retry(self._log, call.method, url or call.url, delay, why, attempt, self._policy.max_retries)
            self._sleep_sync(delay)
            attempt += 1

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self: R) -> R:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncAPIClient(BaseClient):
    def __init__(self, *, http_client: httpx.AsyncClient | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._owns_http = http_client is None
        if http_client is None:
            self._http_sends = self._own_http_headers()
            http_client = httpx.AsyncClient(follow_redirects=False, headers=self._http_sends)
        self._http = http_client
        self._sleep_async: Callable[[float], Any] = asyncio.sleep

    async def request(self, op: OperationSpec, values: Mapping[str, Any], *, body: Any = NOT_GIVEN,
                      options: RequestOptions = DEFAULT_OPTIONS) -> Any:
        mode = MODE.get()
        if mode is not None:
            return await self._request_in(mode, op, values, body, options)
        call, auth = self._prepare(op, values, body, options)
        return self._parse(op, await self.send(op, call, auth))

    async def _request_in(self, mode: Capture | Replay, op: OperationSpec, values: Mapping[str, Any], body: Any,
                          options: RequestOptions) -> Any:
        if isinstance(mode, Replay):
            return self._parse(op, mode.response)
        call, auth = self._prepare(op, values, body, options)
        raise Captured(await self.capture(op, call, auth, None, mode.stream))

    async def capture(self, op: OperationSpec, call: Call, auth: httpx.Auth | None, url: str | None,
                      stream: bool) -> httpx.Response:
        """The response to one call for a raw or streaming wrapper; an error status raises as usual."""
        token = MODE.set(None)  # a call an event hook makes meanwhile is a plain call
        try:
            response = await self.send(op, call, auth, url, stream=stream)
        finally:
            MODE.reset(token)
        if not response.is_success or op.refuses(response.status_code):
            try:
                await response.aread()  # a streamed body too: the error keeps it (and reading it closes the stream)
            except httpx.TransportError as error:
                raise self._transport_error(error, call) from error
            self._parse(op, response)  # raises the typed error
        return response

    async def send(self, op: OperationSpec, call: Call, auth: httpx.Auth | None,
                   url: str | None = None, *, stream: bool = False) -> httpx.Response:
        attempt, redirects = 0, 0
        while True:
            if self._limiter is not None:
                await self._limiter.wait_async(self._sleep_async)
            try:
                response = await self._http.send(call.build(self._http, url), auth=auth or httpx.USE_CLIENT_DEFAULT,
                                                 stream=stream)
            except APIStatusError as error:
                # Raised by an auth flow: the token endpoint failed and the request was never sent.
                delay = self._token_retry_delay(attempt, error)
                if delay is None:
                    raise
                why: object = error
            except httpx.TransportError as error:
                delay = self._retry_delay(op, attempt, call, None, error)
                if delay is None:
                    raise self._transport_error(error, call) from error
                why = error
            else:
                if self._log.isEnabledFor(logging.INFO):
                    log_exchange(self._log, response)
                if self._limiter is not None:
                    self._limiter.observe(response.headers)
                if response.status_code < 300:
                    return response  # neither a redirect nor a retry: the usual case, decided at once
                target = self._redirect_target(response)
                if target is not None and redirects < MAX_REDIRECTS and call.resendable:
                    await response.aclose()
                    url, redirects = target, redirects + 1
                    continue
                delay = self._retry_delay(op, attempt, call, response, None)
                if delay is None:
                    return response
                why = response
                await response.aclose()
            if self._log.isEnabledFor(logging.INFO):
                log_retry(self._log, call.method, url or call.url, delay, why, attempt, self._policy.max_retries)
            await self._sleep_async(delay)
            attempt += 1

    async def close(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self: R) -> R:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


class SyncAPIResource:
    def __init__(self, client: SyncAPIClient) -> None:
        self._client = client


class AsyncAPIResource:
    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client
