"""Timeouts: a server that never accepts, or never answers, raises APITimeoutError soon after the limit.

Bounds are generous (10x the configured timeout; the servers wait 30 s): these machines are noisy; speed is not asserted.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import httpx
import pytest

from ._clients import Flavour
from ._server import Reply, Server, unresponsive_listener

TIMEOUT = 0.2
MARGIN = 10.0


def timed(call: Callable[[], Any]) -> tuple[BaseException | None, float]:
    start = time.monotonic()
    try:
        call()
    except Exception as error:  # noqa: BLE001 - the test inspects it
        return error, time.monotonic() - start
    return None, time.monotonic() - start


@pytest.fixture
def blackhole() -> Iterator[str]:
    with unresponsive_listener() as url:
        yield url


def test_connect_timeout(flavour: Flavour, blackhole: str, toy: ModuleType) -> None:
    with flavour.toy(base_url=blackhole, timeout=TIMEOUT, max_retries=0) as client:
        error, elapsed = timed(lambda: client.things.retrieve("1"))
    assert isinstance(error, toy.APITimeoutError), error
    assert str(error) == "GET /things/1 timed out (ConnectTimeout)"
    assert elapsed < TIMEOUT * MARGIN


def test_connect_timeouts_are_retried_even_for_a_post(flavour: Flavour, blackhole: str, toy: ModuleType) -> None:
    # A connection that was never made carried nothing: repeating the POST is safe.
    with flavour.toy(base_url=blackhole, timeout=httpx.Timeout(30.0, connect=TIMEOUT), max_retries=2) as client:
        error, elapsed = timed(lambda: client.things.create(id="1"))
    assert isinstance(error, toy.APITimeoutError), error
    assert len(flavour.sleeps) == 2
    assert elapsed < 3 * TIMEOUT * MARGIN


def test_read_timeout_on_a_slow_server(flavour: Flavour, server: Server, toy: ModuleType) -> None:
    server.route("GET", "/things/1", Reply(delay=30, json={"id": "1"}))
    with flavour.toy(base_url=server.url, timeout=TIMEOUT, max_retries=0) as client:
        error, elapsed = timed(lambda: client.things.retrieve("1"))
    assert isinstance(error, toy.APITimeoutError), error
    assert str(error) == "GET /things/1 timed out (ReadTimeout)"
    assert elapsed < TIMEOUT * MARGIN


def test_a_timeout_per_call_overrides_the_client_timeout(flavour: Flavour, server: Server, toy: ModuleType) -> None:
    server.route("GET", "/things/1", Reply(delay=30, json={"id": "1"}))
    with flavour.toy(base_url=server.url, timeout=60.0, max_retries=0) as client:
        error, elapsed = timed(lambda: client.things.retrieve("1", timeout=TIMEOUT))
    assert isinstance(error, toy.APITimeoutError), error
    assert elapsed < TIMEOUT * MARGIN


def test_a_read_timeout_is_retried_for_a_get_only(flavour: Flavour, server: Server, toy: ModuleType) -> None:
    server.route("GET", "/things/1", Reply(delay=30))
    server.route("POST", "/things", Reply(delay=30))
    with flavour.toy(base_url=server.url, timeout=TIMEOUT, max_retries=1) as client:
        get_error, get_elapsed = timed(lambda: client.things.retrieve("1"))
        post_error, _ = timed(lambda: client.things.create(id="1"))
    assert isinstance(get_error, toy.APITimeoutError) and isinstance(post_error, toy.APITimeoutError)
    assert server.hits("GET", "/things/1") == 2
    assert server.hits("POST", "/things") == 1  # it may have been processed: not sent twice
    assert get_elapsed < 2 * TIMEOUT * MARGIN


def test_a_slow_answer_within_the_timeout_is_fine(flavour: Flavour, server: Server) -> None:
    server.route("GET", "/things/1", Reply(delay=0.05, json={"id": "1"}))
    with flavour.toy(base_url=server.url, timeout=5.0, max_retries=0) as client:
        assert client.things.retrieve("1").id == "1"
