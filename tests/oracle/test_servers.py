"""Servers of an operation's own, and a relative tokenUrl, as the OpenAPI Specification resolves them.

Path-level and operation-level `servers` override the API's for that operation (an operation's own
first); a relative server URL or tokenUrl is resolved against the client's base URL (RFC 3986 5.2), the
server the client talks to, so a client pointed at another host takes them along.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest

from .corpus_packages import corpus_package
from .harness import Package


@pytest.fixture(scope="module")
def servers() -> Package:
    return corpus_package("servers")


def _record(package: Package, base_url: str, call: str, use_async: bool) -> list[httpx.Request]:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("/oauth/token"):
            return httpx.Response(200, json={"access_token": "t", "token_type": "Bearer", "expires_in": 3600})
        return httpx.Response(204)

    module = package.module
    kwargs = {"client_id": "id", "client_secret": "secret", "base_url": base_url, "max_retries": 0}
    if use_async:
        async def run() -> None:
            async def ahandle(request: httpx.Request) -> httpx.Response:
                await request.aread()
                return handle(request)
            client = module.AsyncServers(http_client=httpx.AsyncClient(transport=httpx.MockTransport(ahandle)),
                                         **kwargs)
            await eval(f"client.files.{call}", {"client": client})
            await client.close()
        asyncio.run(run())
    else:
        client = module.Servers(http_client=httpx.Client(transport=httpx.MockTransport(handle)), **kwargs)
        eval(f"client.files.{call}", {"client": client})
        client.close()
    return seen


CASES = [
    ("list()", "https://servers.example/api/v1", "https://servers.example/api/v1/files"),
    ("upload(name='a')", "https://servers.example/api/v1", "https://servers.example/upload/v2/uploads"),
    ("archived('x')", "https://servers.example/api/v1", "https://archive.servers.example/cold/archive/x"),
    # Pointed at another server (a sandbox, a mock): the relative server follows, the absolute one stays.
    ("upload(name='a')", "https://sandbox.example/api/v1", "https://sandbox.example/upload/v2/uploads"),
    ("archived('x')", "https://sandbox.example/api/v1", "https://archive.servers.example/cold/archive/x"),
]


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize(("call", "base_url", "url"), CASES)
def test_an_operation_goes_to_its_own_server(servers: Package, call: str, base_url: str, url: str,
                                            use_async: bool) -> None:
    token, request = _record(servers, base_url, call, use_async)
    assert str(request.url) == url
    assert request.headers["authorization"] == "Bearer t"
    # The relative tokenUrl, resolved against the client's base URL.
    assert str(token.url) == str(httpx.URL(base_url).join("/oauth/token"))
