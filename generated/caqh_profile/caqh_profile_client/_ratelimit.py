"""Pacing requests to a documented rate limit, and reading the limit headers the server sends.

A sliding window of send times keeps any one second (plus a margin) under the limit, however calls
burst; when the server says nothing remains in its window, the next request waits for the window to reset.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from ._logs import package_logger

WINDOW = 1.0  # seconds
# Requests reach the server a little later than they are booked, and not all equally late; counted in the
# server's fixed windows, a burst paced to exactly one second could spill into the next. The margin absorbs
# that jitter for the cost of 5 % of the peak rate.
MARGIN = 0.05  # seconds
MAX_WAIT = 60.0  # never wait longer than this on the server's word


@dataclass(frozen=True, slots=True)
class RateLimitSpec:
    requests_per_second: float
    limit_header: str = ""
    remaining_header: str = ""
    reset_header: str = ""
    reset: str = "epoch-seconds"  # or "delta-seconds"


class RateLimiter:
    def __init__(self, spec: RateLimitSpec, *, clock: Callable[[], float] = time.monotonic,
                 wall: Callable[[], float] = time.time, logger: logging.Logger | None = None) -> None:
        self._spec = spec
        self._log = logger or package_logger()
        self._clock = clock
        self._wall = wall
        self._limit = max(int(spec.requests_per_second), 1)
        self._sent: deque[float] = deque()
        self._blocked_until = 0.0
        self._thread_lock = threading.Lock()
        self._async_lock: asyncio.Lock | None = None

    def _take(self) -> float:
        """Books a send now and returns 0, or returns how long to wait before asking again."""
        now = self._clock()
        span = WINDOW + MARGIN
        while self._sent and self._sent[0] <= now - span:
            self._sent.popleft()
        start = max(now, self._blocked_until)
        if len(self._sent) >= self._limit:
            start = max(start, self._sent[-self._limit] + span)
        if start > now:
            return start - now
        self._sent.append(now)
        return 0.0

    # Waiters ask again after sleeping: headers that arrived meanwhile (nothing remains, the
    # window resets later) count, and a burst of waiters cannot all wake into the same slot.
    def wait_sync(self, sleep: Callable[[float], None]) -> None:
        while True:
            with self._thread_lock:
                delay = self._take()
            if delay <= 0:
                return
            self._log_wait(delay)
            sleep(delay)

    async def wait_async(self, sleep: Callable[[float], Awaitable[object]]) -> None:
        if self._async_lock is None:
            self._async_lock = asyncio.Lock()
        while True:
            async with self._async_lock:
                delay = self._take()
            if delay <= 0:
                return
            self._log_wait(delay)
            await sleep(delay)

    def _log_wait(self, delay: float) -> None:
        if self._log.isEnabledFor(logging.INFO):
            why = ("the server said none remain" if self._blocked_until > self._clock()
                   else f"at most {self._limit} requests per second")
            self._log.info("rate limit: waiting %.2f s before the next request (%s)", delay, why)

    def observe(self, headers: Mapping[str, str]) -> None:
        """Learn the real limit, and whether the current window is used up."""
        spec = self._spec
        limit = _number(headers.get(spec.limit_header)) if spec.limit_header else None
        if limit is not None and limit >= 1:
            self._limit = int(limit)
        remaining = _number(headers.get(spec.remaining_header)) if spec.remaining_header else None
        if remaining is not None and remaining <= 0:
            wait = self.reset_delay(headers)
            if wait is not None:
                self._blocked_until = max(self._blocked_until, self._clock() + min(wait, MAX_WAIT))

    def reset_delay(self, headers: Mapping[str, str]) -> float | None:
        """Seconds until the server's window resets, if it said."""
        value = _number(headers.get(self._spec.reset_header)) if self._spec.reset_header else None
        if value is None:
            return None
        delay = value - self._wall() if self._spec.reset == "epoch-seconds" else value
        return max(delay, 0.0)


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return None
