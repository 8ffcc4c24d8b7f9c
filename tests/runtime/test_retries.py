"""Retries: which failures are repeated, how many times, and how long the client waits in between."""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from ._clients import Flavour
from ._server import Reply, Server, closed_port, ok

Call = Callable[[Any], Any]

# (what the test calls, method, path, may it be repeated?)
OPERATIONS: list[tuple[str, Call, str, str, bool]] = [
    ("GET", lambda c: c.things.retrieve("1"), "GET", "/things/1", True),
    ("PUT", lambda c: c.things.replace("1", id="1"), "PUT", "/things/1", True),
    ("DELETE", lambda c: c.things.delete("1"), "DELETE", "/things/1", True),
    ("POST", lambda c: c.things.create(id="1"), "POST", "/things", False),
    ("PATCH", lambda c: c.things.update("1", id="1"), "PATCH", "/things/1", False),
    ("POST retry-safe", lambda c: c.things.search(id="1"), "POST", "/things/search", True),
    ("PUT not idempotent", lambda c: c.things.claim("1"), "PUT", "/things/1/slot", False),
]
BY_METHOD = pytest.mark.parametrize(("call", "method", "path", "repeatable"), [o[1:] for o in OPERATIONS],
                                    ids=[o[0] for o in OPERATIONS])


def test_a_get_is_retried_until_it_succeeds(flavour: Flavour, server: Server) -> None:
    server.route("GET", "/things/1", Reply(503), Reply(502), ok({"id": "1"}))
    with flavour.toy(base_url=server.url) as client:
        assert client.things.retrieve("1").id == "1"
    assert server.hits("GET", "/things/1") == 3


def test_backoff_doubles_with_each_retry(flavour: Flavour, server: Server, toy: ModuleType) -> None:
    server.route("GET", "/things/1", Reply(503))
    with flavour.toy(base_url=server.url, max_retries=4) as client, pytest.raises(toy.InternalServerError):
        client.things.retrieve("1")
    assert server.hits() == 5
    assert len(flavour.sleeps) == 4
    for attempt, delay in enumerate(flavour.sleeps):
        full = 0.5 * 2**attempt  # the runtime's initial delay, doubled each time, with up to 25% jitter off
        assert 0.75 * full <= delay <= full, flavour.sleeps


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_retryable_statuses_are_retried_a_bounded_number_of_times(flavour: Flavour, server: Server,
                                                                  toy: ModuleType, status: int) -> None:
    server.route("GET", "/things/1", Reply(status, json={"message": "try later"}))
    with flavour.toy(base_url=server.url, max_retries=2) as client, pytest.raises(toy.APIStatusError) as caught:
        client.things.retrieve("1")
    assert caught.value.status_code == status
    assert server.hits() == 3
    assert len(flavour.sleeps) == 2


@pytest.mark.parametrize("max_retries", [0, 1, 5])
def test_max_retries_bounds_the_attempts(flavour: Flavour, server: Server, toy: ModuleType, max_retries: int) -> None:
    server.route("GET", "/things/1", Reply(500))
    with flavour.toy(base_url=server.url, max_retries=max_retries) as client, pytest.raises(toy.InternalServerError):
        client.things.retrieve("1")
    assert server.hits() == max_retries + 1


def test_with_options_changes_the_retry_count(flavour: Flavour, server: Server, toy: ModuleType) -> None:
    server.route("GET", "/things/1", Reply(500))
    with flavour.toy(base_url=server.url, max_retries=2) as client:
        copy = client.with_options(max_retries=0)
        with pytest.raises(toy.InternalServerError):
            copy.things.retrieve("1")
    assert server.hits() == 1


@BY_METHOD
def test_a_503_is_repeated_only_where_repeating_is_safe(flavour: Flavour, server: Server, call: Call, method: str,
                                                        path: str, repeatable: bool) -> None:
    server.route(method, path, Reply(503), ok({"id": "1"}))
    with flavour.toy(base_url=server.url) as client:
        if repeatable:
            call(client)
        else:
            with pytest.raises(flavour.packages.toy.InternalServerError):
                call(client)
    assert server.hits(method, path) == (2 if repeatable else 1)


@BY_METHOD
def test_a_dropped_connection_is_repeated_only_where_repeating_is_safe(flavour: Flavour, server: Server, call: Call,
                                                                       method: str, path: str,
                                                                       repeatable: bool) -> None:
    server.route(method, path, Reply(drop=True), ok({"id": "1"}))
    with flavour.toy(base_url=server.url) as client:
        if repeatable:
            call(client)
        else:
            with pytest.raises(flavour.packages.toy.APIConnectionError):
                call(client)
    assert server.hits(method, path) == (2 if repeatable else 1)


@BY_METHOD
def test_a_refused_connection_is_retried_for_every_method(flavour: Flavour, toy: ModuleType, call: Call, method: str,
                                                          path: str, repeatable: bool) -> None:
    # Nothing was sent, so repeating cannot do anything twice.
    with flavour.toy(base_url=closed_port(), max_retries=3) as client:
        with pytest.raises(toy.APIConnectionError) as caught:
            call(client)
    assert not isinstance(caught.value, toy.APITimeoutError)
    assert len(flavour.sleeps) == 3
    assert flavour.sleeps == sorted(flavour.sleeps)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422, 501])
def test_other_statuses_are_not_retried(flavour: Flavour, server: Server, toy: ModuleType, status: int) -> None:
    server.route("GET", "/things/1", Reply(status))
    with flavour.toy(base_url=server.url) as client, pytest.raises(toy.APIStatusError):
        client.things.retrieve("1")
    assert server.hits() == 1


@pytest.mark.parametrize("status", [505, 511])
def test_statuses_above_504_are_not_retried(flavour: Flavour, server: Server, toy: ModuleType, status: int) -> None:
    server.route("GET", "/things/1", Reply(status))
    with flavour.toy(base_url=server.url) as client, pytest.raises(toy.APIStatusError):
        client.things.retrieve("1")
    assert server.hits() == 1


def test_a_429_on_a_post_is_not_retried_without_a_declared_rate_limit(flavour: Flavour, server: Server,
                                                                      toy: ModuleType) -> None:
    server.route("POST", "/things", Reply(429, headers={"Retry-After": "1"}))
    with flavour.toy(base_url=server.url) as client, pytest.raises(toy.RateLimitError):
        client.things.create(id="1")
    assert server.hits() == 1


def test_retry_after_in_seconds_is_the_wait(flavour: Flavour, server: Server) -> None:
    server.route("GET", "/things/1", Reply(503, headers={"Retry-After": "7"}), ok({"id": "1"}))
    with flavour.toy(base_url=server.url) as client:
        client.things.retrieve("1")
    assert flavour.sleeps == [7.0]


def test_retry_after_as_an_http_date_is_the_wait(flavour: Flavour, server: Server) -> None:
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    server.route("GET", "/things/1", Reply(429, headers={"Retry-After": when}), ok({"id": "1"}))
    with flavour.toy(base_url=server.url) as client:
        client.things.retrieve("1")
    assert len(flavour.sleeps) == 1
    assert 27.0 <= flavour.sleeps[0] <= 30.0  # the date has whole seconds


def test_retry_after_in_the_past_means_retry_now(flavour: Flavour, server: Server) -> None:
    when = email.utils.formatdate(time.time() - 30, usegmt=True)
    server.route("GET", "/things/1", Reply(503, headers={"Retry-After": when}), ok({"id": "1"}))
    with flavour.toy(base_url=server.url) as client:
        client.things.retrieve("1")
    assert flavour.sleeps == [0.0]


def test_an_unreadable_retry_after_falls_back_to_backoff(flavour: Flavour, server: Server) -> None:
    server.route("GET", "/things/1", Reply(503, headers={"Retry-After": "soon"}), ok({"id": "1"}))
    with flavour.toy(base_url=server.url) as client:
        client.things.retrieve("1")
    assert len(flavour.sleeps) == 1 and 0.375 <= flavour.sleeps[0] <= 0.5


def test_a_retry_after_longer_than_a_minute_is_not_waited_for(flavour: Flavour, server: Server,
                                                              toy: ModuleType) -> None:
    server.route("GET", "/things/1", Reply(429, headers={"Retry-After": "3600"}))
    with flavour.toy(base_url=server.url) as client, pytest.raises(toy.RateLimitError) as caught:
        client.things.retrieve("1")
    assert server.hits() == 1
    assert flavour.sleeps == []
    assert caught.value.retry_after == 3600.0


def test_retry_after_is_honoured_on_the_clock(flavour: Flavour, server: Server) -> None:
    server.route("GET", "/things/1", Reply(503, headers={"Retry-After": "1"}), ok({"id": "1"}))
    with flavour.toy(base_url=server.url, fast_sleep=False) as client:
        client.things.retrieve("1")
    first, second = server.seen()
    assert second.at - first.at >= 0.9
