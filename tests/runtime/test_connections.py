"""No connection leaks: calls share a kept-alive connection, and closing the client closes every connection."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from ._clients import Flavour, raw
from ._pages import NextLinkPages
from ._server import Reply, Server, ok


def pool_connections(client: Any) -> list[Any]:
    return list(raw(client)._http._transport._pool.connections)


def test_calls_reuse_one_connection_and_close_releases_it(flavour: Flavour, server: Server) -> None:
    server.route("GET", "/things/1", ok({"id": "1"}))
    with flavour.toy(base_url=server.url) as client:
        for _ in range(5):
            client.things.retrieve("1")
        assert server.connections_opened == 1
        assert server.open_connections == 1
    assert server.wait_all_closed()
    assert raw(client)._http.is_closed
    assert pool_connections(client) == []


SCENARIOS: dict[str, tuple[Callable[[Server], None], Callable[[Any], Any]]] = {
    "retried 503s": (lambda s: s.route("GET", "/things/1", Reply(503)), lambda c: c.things.retrieve("1")),
    "error status": (lambda s: s.route("POST", "/things", ok({"message": "no"}, status=400)),
                     lambda c: c.things.create(id="1")),
    "truncated body": (lambda s: s.route("GET", "/things/1", Reply(json={"id": "1"}, truncate=3)),
                       lambda c: c.things.retrieve("1")),
    "dropped connection": (lambda s: s.route("GET", "/things/1", Reply(drop=True)), lambda c: c.things.retrieve("1")),
    "malformed json": (lambda s: s.route("GET", "/things/1", Reply(body=b"{")), lambda c: c.things.retrieve("1")),
    "redirects": (lambda s: s.route("GET", "/things/1", Reply(302, headers={"Location": "/things/1"})),
                  lambda c: c.things.retrieve("1")),
    "abandoned pager": (lambda s: s.route("GET", "/cases", NextLinkPages(pages=50)),
                        lambda c: list(itertools.islice(iter(c.lists.cases()), 7))),
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_closing_after_a_failure_closes_every_connection(flavour: Flavour, server: Server, toy: ModuleType,
                                                         name: str) -> None:
    script, call = SCENARIOS[name]
    script(server)
    with flavour.toy(base_url=server.url) as client:
        try:
            call(client)
        except toy.APIError:
            pass
        assert server.open_connections <= 1  # a failed attempt's connection is not kept beside a new one
    assert server.wait_all_closed()
    assert pool_connections(client) == []


def test_a_timed_out_connection_is_dropped_from_the_pool(flavour: Flavour, server: Server, toy: ModuleType) -> None:
    server.route("GET", "/things/1", Reply(delay=30))
    with flavour.toy(base_url=server.url, timeout=0.2, max_retries=1) as client:
        with pytest.raises(toy.APITimeoutError):
            client.things.retrieve("1")
        assert pool_connections(client) == []


def test_an_exception_inside_the_with_block_still_closes(flavour: Flavour, server: Server) -> None:
    server.route("GET", "/things/1", ok({"id": "1"}))
    with pytest.raises(KeyError), flavour.toy(base_url=server.url) as client:
        client.things.retrieve("1")
        raise KeyError("the caller's own error")
    assert server.wait_all_closed()


def test_closing_a_with_options_copy_leaves_the_original_usable(flavour: Flavour, server: Server) -> None:
    server.route("GET", "/things/1", ok({"id": "1"}))
    with flavour.toy(base_url=server.url) as client:
        with client.with_options(timeout=5.0) as copy:
            copy.things.retrieve("1")
        assert client.things.retrieve("1").id == "1"
