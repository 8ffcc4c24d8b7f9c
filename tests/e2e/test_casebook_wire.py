"""Casebook on the wire: `Content-Type: application/vnd.api+json` on every request, GET and DELETE included
(Casebook's request guide: "All requests ... must include" it), and no request at all, not even a DNS
lookup, without the application's own token URL (the spec's is a placeholder)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from .loopback import Answer, Seen, Server, serve, use_generated

use_generated("casebook")

from casebook_client import AsyncCasebook, Casebook, ConfigurationError, models  # noqa: E402

JSON_API = "application/vnd.api+json"
EXACT = b"Content-Type: " + JSON_API.encode()
PROVIDER = {"type": "providers", "id": "p-1", "attributes": {"name": "Sunrise"}}


def route(server: Server, request: Seen) -> Answer:
    if request.path == "/oauth2/token":
        return Answer(200, {"access_token": "t-1", "token_type": "Bearer", "expires_in": 3600})
    if request.method == "DELETE":
        return Answer(204)
    if request.path == "/providers/providers" and request.method == "GET":
        following = None if request.query else f"{server.base_url}/providers/providers?page%5Bnumber%5D=2"
        return Answer(200, {"data": [PROVIDER], "links": {"next": following}}, content_type=JSON_API)
    return Answer(201 if request.method == "POST" else 200, {"data": PROVIDER}, content_type=JSON_API)


@pytest.fixture
def server() -> Iterator[Server]:
    with serve(route) as running:
        yield running


def content_types(request: Seen) -> list[bytes]:
    return [line for line in request.header_lines() if line.lower().startswith(b"content-type:")]


def check_every_call(server: Server) -> None:
    calls = [r for r in server.seen if r.path != "/oauth2/token"]
    assert [(r.method, r.path, r.query) for r in calls] == [
        ("GET", "/providers/providers", {}),
        ("GET", "/providers/providers", {"page[number]": ["2"]}),  # the next page, from links.next
        ("GET", "/providers/providers/p-1", {}),
        ("POST", "/providers/providers", {}),
        ("PATCH", "/providers/providers/p-1", {}),
        ("DELETE", "/providers/providers/p-1", {}),
    ]
    for request in calls:
        assert content_types(request) == [EXACT], request.raw  # once, exactly: no charset
    assert [r.body for r in calls if r.method in ("GET", "DELETE")] == [b""] * 4
    posted = calls[3]
    assert posted.body == b'{"data":{"type":"providers","attributes":{"name":"Sunrise"}}}'
    [token] = [r for r in server.seen if r.path == "/oauth2/token"]
    assert content_types(token) == [b"Content-Type: application/x-www-form-urlencoded"]


def resources() -> tuple[models.ProviderCreateResource, models.ProviderUpdateResource]:
    created = models.ProviderCreateResource.model_validate({"type": "providers", "attributes": {"name": "Sunrise"}})
    changed = models.ProviderUpdateResource.model_validate({"type": "providers", "id": "p-1",
                                                            "attributes": {"name": "Sunset"}})
    return created, changed


def test_every_request_carries_the_json_api_content_type(server: Server) -> None:
    created, changed = resources()
    with Casebook(client_id="app", client_secret="sh", token_url=f"{server.base_url}/oauth2/token",
                  base_url=server.base_url) as client:
        assert [p.id for p in client.providers.list()] == ["p-1", "p-1"]
        client.providers.retrieve("p-1")
        client.providers.create(data=created)
        client.providers.update("p-1", data=changed)
        client.providers.delete("p-1")
    check_every_call(server)


def test_the_async_client_sends_it_too(server: Server) -> None:
    created, changed = resources()

    async def run() -> None:
        async with AsyncCasebook(client_id="app", client_secret="sh", token_url=f"{server.base_url}/oauth2/token",
                                 base_url=server.base_url) as client:
            assert [p.id async for p in client.providers.list()] == ["p-1", "p-1"]
            await client.providers.retrieve("p-1")
            await client.providers.create(data=created)
            await client.providers.update("p-1", data=changed)
            await client.providers.delete("p-1")

    asyncio.run(run())
    check_every_call(server)


def test_extra_headers_can_still_replace_it(server: Server) -> None:
    with Casebook(client_id="app", client_secret="sh", token_url=f"{server.base_url}/oauth2/token",
                  base_url=server.base_url) as client:
        client.providers.retrieve("p-1", extra_headers={"content-type": "application/vnd.api+json; ext=x"})
    assert content_types(server.seen[-1]) == [b"content-type: application/vnd.api+json; ext=x"]


class Recorder(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """A transport that keeps what reaches it and answers nothing useful."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(500)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(500)


@pytest.fixture
def lookups(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every DNS lookup the process makes (none should happen)."""
    seen: list[Any] = []
    real = socket.getaddrinfo

    def spy(host: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(host)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", spy)
    return seen


def refused_sync(client: Casebook) -> list[ConfigurationError]:
    errors = []
    with client:
        for call in (lambda: client.providers.retrieve("p-1"), lambda: list(client.providers.list()),
                     lambda: client.providers.delete("p-1")):
            with pytest.raises(ConfigurationError) as refused:
                call()
            errors.append(refused.value)
    return errors


def refused_async(client: AsyncCasebook) -> list[ConfigurationError]:
    async def run() -> list[ConfigurationError]:
        errors = []
        async with client:
            with pytest.raises(ConfigurationError) as refused:
                await client.providers.retrieve("p-1")
            errors.append(refused.value)
            with pytest.raises(ConfigurationError) as refused:
                [p async for p in client.providers.list()]
            errors.append(refused.value)
        return errors

    return asyncio.run(run())


def check_refusals(errors: list[ConfigurationError]) -> None:
    assert errors
    for error in errors:
        assert "pass token_url= to the client" in str(error)
        assert "sh-secret" not in str(error) and "sh-secret" not in repr(error)


def test_without_a_token_url_nothing_is_sent_anywhere(server: Server, lookups: list[Any]) -> None:
    transport = Recorder()
    errors = refused_sync(Casebook(client_id="app", client_secret="sh-secret", base_url=server.base_url,
                                   http_client=httpx.Client(transport=transport)))
    errors += refused_async(AsyncCasebook(client_id="app", client_secret="sh-secret", base_url=server.base_url,
                                          http_client=httpx.AsyncClient(transport=transport)))
    check_refusals(errors)
    assert transport.requests == [] and server.seen == [] and lookups == []


def test_without_a_token_url_the_default_server_is_not_even_looked_up(lookups: list[Any]) -> None:
    # The client's own connection pool and the spec's servers: a request would look up the placeholder host
    # (for the token) or api.casebook.net first.
    errors = refused_sync(Casebook(client_id="app", client_secret="sh-secret"))
    errors += refused_async(AsyncCasebook(client_id="app", client_secret="sh-secret"))
    check_refusals(errors)
    assert lookups == []
