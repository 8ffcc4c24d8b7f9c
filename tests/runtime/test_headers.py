"""The headers every request carries: the client's own, an httpx client's, and per-call ones, in that order of
precedence from weakest to strongest. The client precomputes them, so these also check nothing leaks between calls."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import httpx
import pytest

from ._clients import SECRETS, Flavour, raw
from ._server import Server, ok


def _user_agent(client: Any) -> str:
    return raw(client)._config.user_agent  # type: ignore[no-any-return]


def test_the_clients_own_headers_are_sent(flavour: Flavour, server: Server) -> None:
    server.route("GET", "/things/1", ok({"id": "1"}))
    with flavour.toy(base_url=server.url, default_headers={"X-Team": "blue"}) as client:
        client.things.retrieve("1")
        seen = server.seen()[0].headers
        assert seen["user-agent"] == _user_agent(client)
    assert seen["accept"] == "application/json"
    assert seen["x-team"] == "blue"


def test_a_given_httpx_client_keeps_its_headers_under_the_clients_own(flavour: Flavour, server: Server) -> None:
    server.route("GET", "/things/1", ok({"id": "1"}))
    theirs = {"User-Agent": "theirs/1", "Accept": "text/plain", "X-Theirs": "kept"}
    http = httpx.AsyncClient(headers=theirs) if flavour.is_async else httpx.Client(headers=theirs)
    with flavour.toy(base_url=server.url, http_client=http) as client:
        client.things.retrieve("1")
        seen = server.seen()[0].headers
        assert seen["user-agent"] == _user_agent(client)
    assert seen["accept"] == "application/json"
    assert seen["x-theirs"] == "kept"


def test_extra_headers_win_for_one_call_only(flavour: Flavour, server: Server) -> None:
    server.route("GET", "/things/1", ok({"id": "1"}))
    with flavour.toy(base_url=server.url) as client:
        client.things.retrieve("1", extra_headers={"User-Agent": "mine/2", "Accept": "application/json; v=2",
                                                   "X-Trace": "t1"})
        client.things.retrieve("1")
        first, second = (seen.headers for seen in server.seen())
        assert second["user-agent"] == _user_agent(client)
    assert (first["user-agent"], first["accept"], first["x-trace"]) == ("mine/2", "application/json; v=2", "t1")
    assert second["accept"] == "application/json"
    assert "x-trace" not in second


def test_a_copy_sends_the_same_headers(flavour: Flavour, server: Server) -> None:
    server.route("GET", "/secure/key", ok({"id": "1"}))
    with flavour.toy(base_url=server.url, api_key="first", default_headers={"X-Team": "blue"}) as client:
        client.secure.key()
        other = raw(client).with_options(api_key=SECRETS["api_key"])
        if flavour.is_async:
            assert flavour.loop is not None
            flavour.loop.run_until_complete(other.secure.key())
        else:
            other.secure.key()
    first, second = (seen.headers for seen in server.seen())
    assert (first["x-api-key"], second["x-api-key"]) == ("first", SECRETS["api_key"])
    assert first["x-team"] == second["x-team"] == "blue"
    assert first["user-agent"] == second["user-agent"]


def test_a_new_base_url_is_checked_again_before_credentials_go(flavour: Flavour, server: Server,
                                                               toy: ModuleType) -> None:
    server.route("GET", "/secure/key", ok({"id": "1"}))
    with flavour.toy(base_url=server.url, api_key=SECRETS["api_key"]) as client:
        client.secure.key()
        raw(client).base_url = httpx.URL("http://api.example.test")
        with pytest.raises(toy.ConfigurationError, match="plain http"):
            client.secure.key()
    assert server.hits() == 1
