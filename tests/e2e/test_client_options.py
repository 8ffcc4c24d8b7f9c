"""default_query, default_headers and with_options(base_url=, default_headers=, default_query=) on the wire,
sync and async, against real loopback servers."""

from __future__ import annotations

import asyncio

from .loopback import Answer, Seen, Server, serve, use_generated

use_generated("commcare")
use_generated("casebook")
use_generated("carehq")

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


# ---- pages after the first, behind a proxy path, and what stays refused


def report_route(server: Server, request: Seen) -> Answer:
    """Report rows whose next_page is an absolute path (`/a/demo/...`), as the spec's example writes it."""
    offset = int(request.query.get("offset", ["0"])[0])
    following = f"/a/demo/api/configurablereportdata/v1/r1/?offset={offset + 2}&limit=2" if offset < 4 else None
    rows = [{"n": n} for n in range(offset, offset + 2)]
    return Answer(200, {"data": rows, "next_page": following, "total_records": 6, "columns": []})


def test_an_absolute_path_link_stays_under_a_proxy_path_and_default_query_goes_along() -> None:
    with serve(report_route) as server:
        client = CommCare(domain="demo", username="u", api_key="k", base_url=f"{server.base_url}/proxy",
                          default_query={"tenant": "t1"})
        rows = list(client.report_data.list("r1"))
    assert len(rows) == 6
    assert [s.path for s in server.seen] == ["/proxy/a/demo/api/configurablereportdata/v1/r1/"] * 3
    assert [s.query.get("tenant") for s in server.seen] == [["t1"]] * 3
    assert [s.query.get("offset") for s in server.seen[1:]] == [["2"], ["4"]]


def casebook_route(server: Server, request: Seen) -> Answer:
    if request.path == "/oauth2/token":
        server.state["tokens"] = server.state.get("tokens", 0) + 1
        return Answer(200, {"access_token": "t", "token_type": "Bearer"})
    number = int(request.query.get("page[number]", ["1"])[0])
    following = f"https://api.casebook.net/providers/providers?page%5Bnumber%5D={number + 1}" if number < 2 else None
    document = {"data": [{"type": "providers", "id": f"p{number}", "attributes": {}}], "links": {"next": following}}
    return Answer(200, document, content_type="application/vnd.api+json")


def test_default_query_reaches_every_page_of_a_declared_server_link_sync_and_async() -> None:
    from casebook_client import AsyncCasebook, Casebook

    with serve(casebook_route) as server:
        client = Casebook(client_id="i", client_secret="s", token_url=f"{server.base_url}/oauth2/token",
                          base_url=server.base_url, default_query={"tenant": "t1"})
        assert [p.id for p in client.providers.list()] == ["p1", "p2"]

        async def main() -> list[str]:
            async with AsyncCasebook(client_id="i", client_secret="s", token_url=f"{server.base_url}/oauth2/token",
                                     base_url=server.base_url, default_query={"tenant": "t1"}) as aclient:
                return [p.id async for p in aclient.providers.list()]

        assert asyncio.run(main()) == ["p1", "p2"]
    pages = [s for s in server.seen if s.path == "/providers/providers"]
    assert [s.query.get("tenant") for s in pages] == [["t1"]] * 4  # once on each page, never repeated
    assert [s.query.get("page[number]") for s in pages] == [None, ["2"], None, ["2"]]


def test_with_options_keeps_the_oauth2_token_unless_credentials_or_server_change() -> None:
    from casebook_client import Casebook

    with serve(casebook_route) as server:
        client = Casebook(client_id="i", client_secret="s", token_url=f"{server.base_url}/oauth2/token",
                          base_url=server.base_url)
        for n in range(5):
            list(client.with_options(timeout=30.0, default_headers={"X-Call": str(n)}).providers.list())
        assert server.state["tokens"] == 1
        list(client.with_options(client_secret="other").providers.list())
        assert server.state["tokens"] == 2


def test_a_header_given_again_in_another_case_replaces_it() -> None:
    import httpx

    with serve(route) as server:
        client = CommCare(domain="demo", username="u", api_key="k", base_url=server.base_url,
                          default_headers={"X-Tenant": "one"}, http_client=httpx.Client())
        client.with_options(default_headers={"x-tenant": "two"}).mobile_workers.retrieve("user-1")
        client.mobile_workers.retrieve("user-1", extra_headers={"x-TENANT": "three"})
    first, second = server.seen
    assert [v for k, v in first.headers.items() if k.lower() == "x-tenant"] == ["two"]
    assert [v for k, v in second.headers.items() if k.lower() == "x-tenant"] == ["three"]


def test_links_that_leave_a_declared_servers_path_are_not_moved() -> None:
    import httpx

    from carehq_client import CareHQ

    client = CareHQ(account_id="a", api_key="k", api_secret="s", base_url="https://gw.example/carehq/v1")
    moved = client.from_declared_server
    assert moved(httpx.URL("https://api.carehq.co.uk/v1/things?page=2")) == httpx.URL(
        "https://gw.example/carehq/v1/things?page=2")
    assert moved(httpx.URL("https://api.carehq.co.uk/v1/../admin/secret")) is None
    assert moved(httpx.URL("https://api.carehq.co.uk/V1/x")) is None
    assert moved(httpx.URL("https://api.carehq.co.uk/v1x")) is None
    assert moved(httpx.URL("https://api.carehq.co.uk/v1#top")) == httpx.URL("https://gw.example/carehq/v1#top")
