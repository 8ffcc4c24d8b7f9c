"""Broken answers: a body cut short, a connection closed without an answer."""

from __future__ import annotations

from types import ModuleType

import pytest

from ._clients import Flavour
from ._server import Reply, Server, ok


def test_a_truncated_body_is_a_connection_error_and_a_get_is_retried(flavour: Flavour, server: Server,
                                                                     toy: ModuleType) -> None:
    server.route("GET", "/things/1", Reply(json={"id": "1", "name": "a long enough name"}, truncate=10),
                 ok({"id": "1"}))
    with flavour.toy(base_url=server.url) as client:
        assert client.things.retrieve("1").id == "1"
    assert server.hits() == 2


def test_a_truncated_body_on_a_post_is_raised_not_repeated(flavour: Flavour, server: Server, toy: ModuleType) -> None:
    server.route("POST", "/things", Reply(status=201, json={"id": "1", "name": "a long enough name"}, truncate=10))
    with flavour.toy(base_url=server.url) as client, pytest.raises(toy.APIConnectionError) as caught:
        client.things.create(id="1")
    assert not isinstance(caught.value, (toy.APITimeoutError, toy.APIResponseValidationError))
    assert str(caught.value) == "POST /things failed: RemoteProtocolError"
    assert server.hits() == 1


def test_a_connection_closed_without_an_answer_is_a_connection_error(flavour: Flavour, server: Server,
                                                                     toy: ModuleType) -> None:
    server.route("GET", "/things/1", Reply(drop=True))
    with flavour.toy(base_url=server.url, max_retries=1) as client, pytest.raises(toy.APIConnectionError) as caught:
        client.things.retrieve("1")
    assert not isinstance(caught.value, toy.APITimeoutError)
    assert server.hits() == 2
