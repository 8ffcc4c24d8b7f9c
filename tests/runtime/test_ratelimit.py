"""Rate limits (x-careforge-rate-limit): a burst is paced to the limit, and a 429 waits for the reset."""

from __future__ import annotations

import importlib
import math
import threading
import time
from typing import Any

import pytest

from ._clients import Flavour
from ._server import Reply, Seen, Server, ok

LIMIT = 10


class FixedWindow:
    """At most LIMIT requests per one-second window (it opens with the first request after the last one ended).

    Every answer says how many requests remain and when the window ends (epoch seconds); over the limit, 429.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ends = 0.0
        self._used = 0
        self.served = 0
        self.rejected = 0

    def __call__(self, seen: Seen) -> Reply:
        with self._lock:
            if seen.at >= self._ends:
                self._ends, self._used = seen.at + 1.0, 0
            self._used += 1
            headers = {"X-RateLimit-Limit": str(LIMIT), "X-RateLimit-Remaining": str(max(LIMIT - self._used, 0)),
                       "X-RateLimit-Reset": f"{math.ceil(self._ends * 1000) / 1000:.3f}"}
            if self._used > LIMIT:
                self.rejected += 1
                return Reply(429, json={"message": "slow down"}, headers=headers)
            self.served += 1
            return ok({"n": self.served}, headers=headers)


def test_a_burst_in_sequence_draws_no_429(flavour: Flavour, server: Server) -> None:
    window = FixedWindow()
    server.route("GET", "/ping", window)
    with flavour.limited(base_url=server.url) as client:
        for _ in range(30):
            client.pings.get()
    assert (window.served, window.rejected) == (30, 0)


def test_a_concurrent_burst_draws_no_429(flavour: Flavour, server: Server) -> None:
    # New connections are slow to start (as with TLS): the first requests arrive late, opening the server's
    # window later than the client's booking clock thinks; the server's Reset header says when it really ends.
    window = FixedWindow()
    server.route("GET", "/ping", window)
    server.connect_delay = 0.3
    with flavour.limited(base_url=server.url, max_retries=0) as client:
        results = flavour.concurrently(client, lambda c: c.pings.get(), 30)
    assert (window.served, window.rejected) == (30, 0)
    assert not [r for r in results if isinstance(r, BaseException)]


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_429_is_retried_after_the_reset(flavour: Flavour, server: Server, method: str) -> None:
    # Under a declared limit a 429 means "not processed", so even a POST is sent again.
    reset = time.time() + 0.3
    server.route(method, "/ping", Reply(429, headers={"X-RateLimit-Remaining": "0",
                                                      "X-RateLimit-Reset": f"{reset:.3f}"}), ok({"n": 1}))
    with flavour.limited(base_url=server.url) as client:
        assert (client.pings.get() if method == "GET" else client.pings.send()).n == 1
    first, second = server.seen()
    assert second.at >= reset - 0.01


def test_nothing_remaining_makes_the_next_call_wait_for_the_reset(flavour: Flavour, server: Server) -> None:
    reset = time.time() + 0.3
    server.route("GET", "/ping", ok({"n": 1}, headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": f"{reset:.3f}"}),
                 ok({"n": 2}))
    with flavour.limited(base_url=server.url) as client:
        client.pings.get()
        client.pings.get()
    first, second = server.seen()
    assert second.at >= reset - 0.01


def test_a_429_that_persists_is_raised_in_the_end(flavour: Flavour, server: Server, packages: Any) -> None:
    server.route("GET", "/ping", Reply(429, headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "0"}))
    with flavour.limited(base_url=server.url, max_retries=2, fast_sleep=True) as client:
        with pytest.raises(packages.limited.RateLimitError):
            client.pings.get()
    assert server.hits() == 3


def test_a_429_whose_reset_is_an_hour_away_is_raised_at_once(flavour: Flavour, server: Server, packages: Any) -> None:
    reset = time.time() + 3600
    server.route("GET", "/ping", Reply(429, headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": f"{reset:.0f}"}))
    with flavour.limited(base_url=server.url, fast_sleep=True) as client:
        with pytest.raises(packages.limited.RateLimitError):
            client.pings.get()
    assert server.hits() == 1
    assert flavour.sleeps == []


class FakeClock:
    """Time that moves only when a waiter sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_bookings_leave_room_for_arrival_jitter(packages: Any) -> None:
    # The guarantee pacing gives a fixed-window server: in any span of one second plus the margin, at most
    # `limit` sends. A request that reaches the server up to MARGIN later than its neighbours still cannot
    # share a server window with `limit` others.
    ratelimit = importlib.import_module(f"{packages.limited.__name__}._ratelimit")
    clock = FakeClock()
    limiter = ratelimit.RateLimiter(ratelimit.RateLimitSpec(requests_per_second=LIMIT), clock=clock, wall=clock)
    sent = []
    for _ in range(45):
        limiter.wait_sync(clock.sleep)
        sent.append(clock.now)
    span = ratelimit.WINDOW + ratelimit.MARGIN
    assert ratelimit.MARGIN > 0
    for i in range(len(sent) - LIMIT):
        assert sent[i + LIMIT] - sent[i] >= span - 1e-9
    # ...and no slower than that: the first `limit` go at once, then one slot frees per span.
    assert sent[:LIMIT] == [1000.0] * LIMIT
    assert sent[-1] == pytest.approx(1000.0 + 4 * span)


def test_nothing_remaining_blocks_until_the_reset(packages: Any) -> None:
    ratelimit = importlib.import_module(f"{packages.limited.__name__}._ratelimit")
    clock = FakeClock()
    spec = ratelimit.RateLimitSpec(requests_per_second=LIMIT, remaining_header="R", reset_header="T")
    limiter = ratelimit.RateLimiter(spec, clock=clock, wall=clock)
    limiter.wait_sync(clock.sleep)
    limiter.observe({"R": "0", "T": f"{clock.now + 0.4:.3f}"})
    limiter.wait_sync(clock.sleep)
    assert clock.now == pytest.approx(1000.4)
