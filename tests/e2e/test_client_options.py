"""default_query, default_headers and with_options(base_url=, default_headers=, default_query=) on the wire,
sync and async, against real loopback servers."""

from __future__ import annotations

import asyncio

from .loopback import Answer, Seen, Server, serve, use_generated

use_generated("commcare")

from commcare_client import AsyncCommCare, CommCare  # noqa: E402

USER = {"id": "user-1", "username": "asha@demo.commcarehq.org", "first_name": "Asha", "last_name": "Otieno",
        "groups": [], "user_data": {}, "phone_numbers": [], "resource_uri": "/a/demo/api/v1/user/u/"}


def route(server: Server, request: Seen) -> Answer:
    if request.path == "/a/demo/api/case/v2/":
        return Answer(200, {"matching_records": 0, "cases": [], "next": None})
    return Answer(200, USER)


def test_default_query_and_headers_reach_the_wire_and_the_call_wins() -> None:
    with serve(route) as server:
        client = CommCare(domain="demo", username="u", api_key="k", base_url=server.base_url,
                          default_query={"format": "json", "limit": "999"}, default_headers={"X-Team": "a"})
        list(client.cases.list(limit=3))
        client.mobile_workers.retrieve("user-1", extra_query={"format": "xml"})
    listed, retrieved = server.seen
    assert listed.query == {"limit": ["3"], "format": ["json"]}  # the operation's own limit, sent once
    assert retrieved.query == {"format": ["xml"], "limit": ["999"]}  # extra_query wins over the default
    assert listed.headers["X-Team"] == "a" and retrieved.headers["X-Team"] == "a"


def test_with_options_moves_base_url_and_adds_headers_and_query() -> None:
    with serve(route) as first, serve(route) as second:
        client = CommCare(domain="demo", username="u", api_key="k", base_url=first.base_url,
                          default_query={"format": "json"}, default_headers={"X-Team": "a"})
        other = client.with_options(base_url=second.base_url, default_headers={"X-Team": "b", "X-Extra": "1"},
                                    default_query={"trace": "2"})
        other.mobile_workers.retrieve("user-1")
        client.mobile_workers.retrieve("user-1")  # the original is unchanged
    (moved,) = second.seen
    (original,) = first.seen
    assert moved.headers["X-Team"] == "b" and moved.headers["X-Extra"] == "1"
    assert moved.headers["Authorization"] == "ApiKey u:k"
    assert moved.query == {"format": ["json"], "trace": ["2"]}
    assert original.headers["X-Team"] == "a" and "X-Extra" not in original.headers
    assert original.query == {"format": ["json"]}
    assert str(other.base_url) == second.base_url and str(client.base_url) == first.base_url


def test_options_async() -> None:
    async def main(first: str, second: str) -> None:
        async with AsyncCommCare(domain="demo", username="u", api_key="k", base_url=first,
                                 default_query={"format": "json"}, default_headers={"X-Team": "a"}) as client:
            await client.mobile_workers.retrieve("user-1")
            other = client.with_options(base_url=second, default_headers={"X-Team": "b"}, default_query={"x": "1"})
            await other.mobile_workers.retrieve("user-1")

    with serve(route) as first, serve(route) as second:
        asyncio.run(main(first.base_url, second.base_url))
    assert first.seen[0].query == {"format": ["json"]} and first.seen[0].headers["X-Team"] == "a"
    assert second.seen[0].query == {"format": ["json"], "x": ["1"]} and second.seen[0].headers["X-Team"] == "b"
