"""A recorded httpx request as openapi-core reads requests, and a transport that records them."""

from __future__ import annotations

from collections.abc import Callable
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl

import httpx
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict


class WireRequest:
    """openapi-core's Request protocol over the bytes the client sent (nothing taken from the client)."""

    def __init__(self, request: httpx.Request) -> None:
        self.request = request
        cookie = SimpleCookie()
        cookie.load(request.headers.get("cookie", ""))
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(parse_qsl(request.url.query.decode("ascii"), keep_blank_values=True)),
            header=Headers(list(request.headers.multi_items())),
            cookie=ImmutableMultiDict([(k, v.value) for k, v in cookie.items()]),
        )

    @property
    def host_url(self) -> str:
        return f"{self.request.url.scheme}://{self.request.url.netloc.decode('ascii')}"

    @property
    def path(self) -> str:
        return self.request.url.raw_path.split(b"?")[0].decode("ascii")

    @property
    def full_url_pattern(self) -> str:
        return self.host_url + self.path

    @property
    def method(self) -> str:
        return self.request.method.lower()

    @property
    def body(self) -> bytes | None:
        content = self.request.read()
        # An empty form is a body; a request with no Content-Type has none.
        return content if content or "content-type" in self.request.headers else None

    @property
    def content_type(self) -> str:
        return self.request.headers.get("content-type", "").lower()


Responder = Callable[[httpx.Request], httpx.Response]


class Recorder:
    """Keeps every request; answers token requests with a token and the rest with `respond`."""

    def __init__(self, respond: Responder, token_urls: set[str]) -> None:
        self.respond = respond
        self.token_urls = token_urls
        self.requests: list[httpx.Request] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        request.read()
        if str(request.url.copy_with(query=None)) in self.token_urls:
            return httpx.Response(200, json={"access_token": "oracle-token", "token_type": "Bearer",
                                             "expires_in": 3600})
        self.requests.append(request)
        return self.respond(request)

    async def handle_async(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        return self.handle(request)

    def sync_transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def async_transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle_async)


