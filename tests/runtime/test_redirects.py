"""Redirects: followed on the same origin (credentials and all), never to another origin."""

from __future__ import annotations

import json
from types import ModuleType

import pytest

from ._clients import SECRETS, Flavour
from ._server import Reply, Server, ok


def moved(location: str, status: int = 302) -> Reply:
    return Reply(status=status, headers={"Location": location})


def test_a_same_origin_redirect_is_followed_with_credentials(flavour: Flavour, server: Server) -> None:
    server.route("GET", "/secure/key", moved("/secure/key-v2"))
    server.route("GET", "/secure/key-v2", ok({"id": "moved"}))
    with flavour.toy(base_url=server.url, api_key=SECRETS["api_key"]) as client:
        assert client.secure.key().id == "moved"
    first, second = server.seen()
    assert (first.path, second.path) == ("/secure/key", "/secure/key-v2")
    assert second.headers["x-api-key"] == SECRETS["api_key"]


def test_an_absolute_same_origin_redirect_is_followed(flavour: Flavour, server: Server) -> None:
    server.route("GET", "/things/1", moved(f"{server.url}/things/2", status=301))
    server.route("GET", "/things/2", ok({"id": "2"}))
    with flavour.toy(base_url=server.url) as client:
        assert client.things.retrieve("1").id == "2"


def test_a_307_keeps_the_method_and_the_body(flavour: Flavour, server: Server) -> None:
    server.route("PUT", "/things/1", moved("/things/1b", status=307))
    server.route("PUT", "/things/1b", ok({"id": "1"}))
    with flavour.toy(base_url=server.url) as client:
        client.things.replace("1", id="1", name="Ann")
    followed = server.seen("PUT", "/things/1b")[0]
    assert json.loads(followed.body) == {"id": "1", "name": "Ann"}


def test_a_cross_origin_redirect_is_not_followed(flavour: Flavour, server: Server, other_server: Server,
                                                 toy: ModuleType) -> None:
    server.route("GET", "/secure/key", moved(f"{other_server.url}/steal"))
    with flavour.toy(base_url=server.url, api_key=SECRETS["api_key"]) as client:
        with pytest.raises(toy.APIStatusError) as caught:
            client.secure.key()
    assert caught.value.status_code == 302
    assert other_server.hits() == 0
    assert SECRETS["api_key"] not in str(caught.value)


def test_another_host_on_the_same_port_is_another_origin(flavour: Flavour, server: Server, toy: ModuleType) -> None:
    server.route("GET", "/secure/key", moved(f"http://localhost:{server.port}/secure/key-v2"))
    server.route("GET", "/secure/key-v2", ok({"id": "moved"}))
    with flavour.toy(base_url=server.url, api_key=SECRETS["api_key"]) as client:
        with pytest.raises(toy.APIStatusError):
            client.secure.key()
    assert server.hits() == 1


def test_a_303_after_a_post_is_not_followed(flavour: Flavour, server: Server, toy: ModuleType) -> None:
    server.route("POST", "/things", moved("/things/1", status=303))
    with flavour.toy(base_url=server.url) as client, pytest.raises(toy.APIStatusError) as caught:
        client.things.create(id="1")
    assert caught.value.status_code == 303
    assert server.hits() == 1


def test_a_redirect_loop_ends(flavour: Flavour, server: Server, toy: ModuleType) -> None:
    server.route("GET", "/things/1", moved("/things/2"))
    server.route("GET", "/things/2", moved("/things/1"))
    with flavour.toy(base_url=server.url) as client, pytest.raises(toy.APIStatusError) as caught:
        client.things.retrieve("1")
    assert caught.value.status_code == 302
    assert server.hits() == 6  # the call and five redirects
