"""Pagination against Prism started from the vendor spec: the examples' next links point at the vendor's
real host (one of the spec's servers), and the pager follows them against the configured base URL.

Casebook's collection example links `https://api.casebook.net/providers/providers?...page[number]=2`:
page 2 must go to the mock with that query, and nothing may go to the real host.
"""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qs

import httpx
import pytest

from e2e.loopback import Answer, Seen, Server, serve, use_generated

from .prism import REPO, prism

use_generated("casebook")

from casebook_client import APIError, AsyncCasebook, Casebook  # noqa: E402

SPEC = REPO / "specs" / "casebook" / "openapi.yaml"


def token(server: Server, request: Seen) -> Answer:
    return Answer(200, {"access_token": "mock-token", "token_type": "bearer", "expires_in": 3600})


def test_next_link_to_a_declared_server_is_followed_against_the_mock_sync() -> None:
    sent: list[httpx.URL] = []
    with serve(token) as tokens, prism(SPEC) as mock:
        http = httpx.Client(event_hooks={"request": [lambda request: sent.append(request.url)]})
        with Casebook(client_id="app", client_secret="secret", token_url=f"{tokens.base_url}/oauth2/token",
                      base_url=mock, http_client=http) as client:
            pages = list(client.providers.list().pages())
        http.close()
    api_calls = [url for url in sent if url.path != "/oauth2/token"]
    assert len(pages) == 2  # page 2 repeats page 1's links (a static mock): the pager stops there
    assert [f"{u.scheme}://{u.host}:{u.port}" for u in api_calls] == [mock, mock]
    assert parse_qs(api_calls[1].query.decode())["page[number]"] == ["2"]
    assert api_calls[1].path == "/providers/providers"


def test_next_link_to_a_declared_server_is_followed_against_the_mock_async() -> None:
    sent: list[httpx.URL] = []

    async def record(request: httpx.Request) -> None:
        sent.append(request.url)

    async def main(mock: str, tokens: str) -> int:
        async with httpx.AsyncClient(event_hooks={"request": [record]}) as http:
            async with AsyncCasebook(client_id="app", client_secret="secret", token_url=f"{tokens}/oauth2/token",
                                     base_url=mock, http_client=http) as client:
                return len([page async for page in client.providers.list().pages()])

    with serve(token) as tokens, prism(SPEC) as mock:
        assert asyncio.run(main(mock, tokens.base_url)) == 2
    assert [u.port for u in sent if u.path != "/oauth2/token"] == [httpx.URL(mock).port] * 2


def test_a_link_to_an_undeclared_host_is_still_refused() -> None:
    def route(server: Server, request: Seen) -> Answer:
        if request.path == "/oauth2/token":
            return token(server, request)
        links = {"next": "https://elsewhere.example/providers/providers?page%5Bnumber%5D=2"}
        return Answer(200, {"data": [], "links": links, "meta": {}}, content_type="application/vnd.api+json")

    def route_with_item(server: Server, request: Seen) -> Answer:
        answer = route(server, request)
        if request.path != "/oauth2/token":
            answer.body["data"] = [{"type": "providers", "id": "p1", "attributes": {}}]
        return answer

    with serve(route_with_item) as server:
        client = Casebook(client_id="app", client_secret="secret", token_url=f"{server.base_url}/oauth2/token",
                          base_url=server.base_url)
        with pytest.raises(APIError, match="elsewhere.example"):
            list(client.providers.list().pages())
