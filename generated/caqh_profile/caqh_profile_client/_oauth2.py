"""OAuth2 client credentials: fetch a token, cache it, renew it early and once on a 401.

The token and the client secret never appear in repr, logs or error messages.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time
from collections.abc import AsyncGenerator, Callable, Generator
from dataclasses import dataclass
from urllib.parse import urlencode

import httpx

from ._failures import status_error
from ._logs import package_logger
from ._redact import redact_query_parameter, redacted_url
from ._types import SENT_ONCE
from .errors import AuthenticationError

RENEW_MARGIN = 60.0  # seconds before expiry at which a token is renewed


@dataclass(frozen=True, slots=True)
class TokenSpec:
    token_url: str
    placement: str = "form"  # where client_id/client_secret go: "form" or "query"
    lifetime: float = 3600.0  # used when the token response has no expires_in
    scopes: tuple[str, ...] = ()
    placeholder: bool = False  # token_url only stands in for one the caller must give


class ClientCredentials(httpx.Auth):
    requires_response_body = True

    def __init__(self, spec: TokenSpec, client_id: str, client_secret: str, *,
                 clock: Callable[[], float] = time.monotonic, timeout: httpx.Timeout | None = None,
                 logger: logging.Logger | None = None) -> None:
        self._spec = spec
        self._log = logger or package_logger()
        self._timeout = timeout
        if spec.placement == "query":
            redact_query_parameter("client_secret")
        self._client_id = client_id
        self._client_secret = client_secret
        self._clock = clock
        self._token: str | None = None
        self._expires_at = 0.0
        self._thread_lock = threading.Lock()
        self._async_lock: asyncio.Lock | None = None

    def __repr__(self) -> str:
        return f"ClientCredentials(token_url={self._spec.token_url!r}, <redacted>)"

    @property
    def token_url(self) -> httpx.URL:
        return httpx.URL(self._spec.token_url)

    def _valid(self) -> bool:
        return self._token is not None and self._clock() < self._expires_at - RENEW_MARGIN

    def token_request(self) -> httpx.Request:
        fields = {"grant_type": "client_credentials", "client_id": self._client_id, "client_secret": self._client_secret}
        if self._spec.scopes:
            fields["scope"] = " ".join(self._spec.scopes)
        headers = {"Accept": "application/json"}
        # The client's timeout holds for the token request too: a stalled token endpoint must not hang.
        extensions = {"timeout": self._timeout.as_dict()} if self._timeout is not None else {}
        if self._spec.placement == "query":
            url = httpx.URL(self._spec.token_url).copy_merge_params(fields)
            return httpx.Request("POST", url, headers=headers, extensions=extensions)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        return httpx.Request("POST", self._spec.token_url, headers=headers, content=urlencode(fields).encode(),
                             extensions=extensions)

    def _store(self, response: httpx.Response) -> None:
        if not response.is_success:
            error = status_error(response)
            if response.status_code in (400, 401, 403):
                raise AuthenticationError(f"the token request was refused ({response.status_code})",
                                          response=response, body=error.body)
            raise error  # the token endpoint failed (a 5xx, a 429): typed by its status
        try:
            body = json.loads(response.content)
            token = body["access_token"]
        except (ValueError, KeyError, TypeError):
            raise AuthenticationError("the token response has no access_token", response=response, body=None) from None
        lifetime = body.get("expires_in", self._spec.lifetime)
        seconds = float(lifetime) if isinstance(lifetime, (int, float)) else self._spec.lifetime
        self._token = str(token)
        self._expires_at = self._clock() + seconds
        self._log.info("OAuth2: got a token, valid for %.0f s", seconds)

    def _log_fetch(self, renewing: bool) -> None:
        if self._log.isEnabledFor(logging.INFO):
            why = ("the API refused the cached one (401)" if renewing
                   else "none yet" if self._token is None else "the cached one is about to expire")
            self._log.info("OAuth2: requesting a token from %s (%s)", redacted_url(self.token_url), why)

    def _authorize(self, request: httpx.Request) -> None:
        request.headers["Authorization"] = f"Bearer {self._token}"

    # These flows replace httpx's own, which is what honours `requires_response_body`: so they read
    # the token responses themselves (a real transport streams them).
    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        with self._thread_lock:
            if not self._valid():
                self._log_fetch(renewing=False)
                token_response = yield self.token_request()
                token_response.read()
                self._store(token_response)
        self._authorize(request)
        response = yield request
        if response.status_code == 401 and not request.extensions.get(SENT_ONCE):
            with self._thread_lock:
                self._log_fetch(renewing=True)
                token_response = yield self.token_request()
                token_response.read()
                self._store(token_response)
            self._authorize(request)
            yield request

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        if self._async_lock is None:
            self._async_lock = asyncio.Lock()
        async with self._async_lock:
            if not self._valid():
                self._log_fetch(renewing=False)
                token_response = yield self.token_request()
                await token_response.aread()
                self._store(token_response)
        self._authorize(request)
        response = yield request
        if response.status_code == 401 and not request.extensions.get(SENT_ONCE):
            async with self._async_lock:
                self._log_fetch(renewing=True)
                token_response = yield self.token_request()
                await token_response.aread()
                self._store(token_response)
            self._authorize(request)
            yield request
