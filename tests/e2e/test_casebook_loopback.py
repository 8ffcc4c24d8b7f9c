"""Casebook over JSON:API and OAuth2 client credentials against a loopback server (links.next, tokens)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs

import pytest

from .loopback import Answer, Seen, Server, serve, use_generated

use_generated("casebook")

from casebook_client import AsyncCasebook, Casebook, UnprocessableEntityError, models  # noqa: E402

JSON_API = "application/vnd.api+json"


def provider(number: int) -> dict[str, Any]:
    return {"type": "providers", "id": f"p-{number}", "attributes": {"name": f"Provider {number}"},
            "relationships": {"locations": {"data": [{"type": "locations", "id": f"l-{number}"}]}}}


def route(server: Server, request: Seen) -> Answer:
    if request.path == "/oauth2/token":
        form = parse_qs(request.body.decode())
        assert form == {"grant_type": ["client_credentials"], "client_id": ["app-1"], "client_secret": ["sh-secret"]}
        server.state["tokens"] = server.state.get("tokens", 0) + 1
        return Answer(200, {"access_token": f"token-{server.state['tokens']}", "token_type": "Bearer"})
    if request.headers.get("Authorization") != f"Bearer token-{server.state.get('tokens')}":
        return Answer(401, {"errors": [{"status": "401", "title": "Unauthorized"}]}, content_type=JSON_API)
    if request.path == "/providers/providers" and request.method == "GET":
        number = int(request.query.get("page[number]", ["1"])[0])
        following = f"{server.base_url}/providers/providers?page%5Bnumber%5D={number + 1}&page%5Bsize%5D=2"
        document = {"data": [provider(2 * number - 1), provider(2 * number)],
                    "links": {"next": following if number < 3 else None},
                    "included": [{"type": "locations", "id": f"l-{2 * number}", "attributes": {"name": "Site"}}]}
        return Answer(200, document, content_type=JSON_API)
    if request.path == "/providers/providers" and request.method == "POST":
        server.state["content_type"] = request.headers["Content-Type"]
        sent = request.json()["data"]
        if not sent["attributes"].get("name"):
            problem = {"status": "422", "code": "blank", "title": "Invalid attribute", "detail": "name can't be blank",
                       "source": {"pointer": "/data/attributes/name"}}
            return Answer(422, {"errors": [problem]}, content_type=JSON_API)
        return Answer(201, {"data": {**sent, "id": "p-new"}}, content_type=JSON_API)
    if request.path == "/providers/providers/p-expired":
        server.state["tokens"] += 1  # the server forgets the token it gave: the next call gets a 401
        return Answer(200, {"data": provider(9)}, content_type=JSON_API)
    return Answer(404, {"errors": [{"status": "404", "title": "Not found"}]}, content_type=JSON_API)


@pytest.fixture
def server() -> Iterator[Server]:
    with serve(route) as running:
        yield running


def make(server: Server) -> Casebook:
    return Casebook(client_id="app-1", client_secret="sh-secret", token_url=f"{server.base_url}/oauth2/token",
                    base_url=server.base_url)


def test_pages_follow_links_next_with_one_token(server: Server) -> None:
    with make(server) as client:
        ids = [p.id for p in client.providers.list(page=models.PageQuery.model_validate({"size": 2}))]
    assert ids == [f"p-{n}" for n in range(1, 7)]
    assert server.state["tokens"] == 1  # fetched once, cached for every page
    pages = [r for r in server.seen if r.path == "/providers/providers"]
    assert [r.query.get("page[number]") for r in pages] == [None, ["2"], ["3"]]


def test_a_document_with_relationships_is_sent_as_json_api(server: Server) -> None:
    resource = models.ProviderCreateResource.model_validate({
        "type": "providers", "attributes": {"name": "Sunrise"},
        "relationships": {"parent_organization": {"data": {"type": "providers", "id": "p-1"}}},
    })
    with make(server) as client:
        document = client.providers.create(data=resource)
    assert server.state["content_type"] == JSON_API  # exactly, no charset
    assert document is not None and document.data.id == "p-new"
    sent = [r for r in server.seen if r.method == "POST" and r.path == "/providers/providers"][0].json()
    assert sent["data"]["relationships"] == {"parent_organization": {"data": {"type": "providers", "id": "p-1"}}}


def test_an_error_document_becomes_a_typed_error_with_its_pointer(server: Server) -> None:
    blank = models.ProviderCreateResource.model_validate({"type": "providers", "attributes": {"name": ""}})
    with make(server) as client, pytest.raises(UnprocessableEntityError) as raised:
        client.providers.create(data=blank)
    [detail] = raised.value.errors
    assert (detail.pointer, detail.code, detail.detail) == ("/data/attributes/name", "blank", "name can't be blank")
    assert "name can't be blank" in str(raised.value)


def test_a_401_fetches_a_new_token_once_and_repeats_the_call(server: Server) -> None:
    with make(server) as client:
        client.providers.retrieve("p-expired")
        again = client.providers.retrieve("p-expired")  # 401 with token-1, then token-2... rotated again
    assert again.data.id == "p-9"
    assert server.state["tokens"] >= 2
    secret_free = [r for r in server.seen if r.path != "/oauth2/token"]
    assert all("sh-secret" not in str(r.headers) and b"sh-secret" not in r.body for r in secret_free)


def test_the_async_client_pages_the_same_way(server: Server) -> None:
    async def run() -> list[str]:
        async with AsyncCasebook(client_id="app-1", client_secret="sh-secret",
                                 token_url=f"{server.base_url}/oauth2/token", base_url=server.base_url) as client:
            return [p.id async for p in client.providers.list()]

    assert asyncio.run(run()) == [f"p-{n}" for n in range(1, 7)]
