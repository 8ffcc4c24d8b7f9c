"""Header parameter values: printable ASCII goes out; anything else is refused before a request is sent."""

from __future__ import annotations

from types import ModuleType

import pytest

from ._clients import Flavour
from ._server import Server, ok


def test_an_ascii_header_value_is_sent(flavour: Flavour, server: Server) -> None:
    server.route("GET", "/things/1", ok({"id": "1"}))
    with flavour.toy(base_url=server.url) as client:
        client.things.retrieve("1", x_label="north\twing")
    assert server.seen("GET", "/things/1")[0].headers["x-label"] == "north\twing"


@pytest.mark.parametrize("value", ["Zürich", "two\r\nX-Injected: 1", "bell\x07", "\u2028"])
def test_a_value_http_cannot_carry_is_refused_before_sending(flavour: Flavour, server: Server, toy: ModuleType,
                                                             value: str) -> None:
    server.route("GET", "/things/1", ok({"id": "1"}))
    with flavour.toy(base_url=server.url) as client, pytest.raises(toy.ConfigurationError) as caught:
        client.things.retrieve("1", x_label=value)
    assert "'X-Label' must be printable ASCII" in str(caught.value)
    assert value not in str(caught.value)
    assert server.seen() == []
