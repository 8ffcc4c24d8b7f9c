"""When to retry, and how long to wait first."""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass

import httpx

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_retries: int = 2
    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0  # a longer Retry-After is not waited for: the error is raised

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with jitter for retry number `attempt` (0 for the first retry)."""
        delay = min(self.initial_delay * (2.0**attempt), self.max_delay)
        return delay * (0.75 + random.random() * 0.25)

    def delay_for(self, attempt: int, headers: Mapping[str, str] | None) -> float | None:
        """Seconds to wait before retrying, or None when the server asked for longer than we wait."""
        if headers is not None:
            asked = retry_after_seconds(headers)
            if asked is not None:
                return asked if asked <= self.max_retry_after else None
        return self.backoff(attempt)


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """`Retry-After` as seconds: a number, or an HTTP date; also the common `retry-after-ms`."""
    millis = headers.get("retry-after-ms")
    if millis:
        try:
            return max(float(millis) / 1000.0, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    parsed = email.utils.parsedate_to_datetime(value) if _looks_like_date(value) else None
    if parsed is None:
        return None
    return max(parsed.timestamp() - time.time(), 0.0)


def _looks_like_date(value: str) -> bool:
    try:
        return email.utils.parsedate_to_datetime(value) is not None
    except (TypeError, ValueError, IndexError):
        return False


def retryable_status(response: httpx.Response) -> bool:
    return response.status_code in RETRY_STATUSES


def never_sent(error: httpx.TransportError) -> bool:
    """True when the request cannot have reached the server, so repeating it is always safe."""
    return isinstance(error, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout))
