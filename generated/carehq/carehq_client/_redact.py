"""Keeps credentials out of log lines: httpx's request lines, and the package's own."""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable

import httpx

REDACTED = "<redacted>"
# Query parameters that carry a credential wherever they appear (auth schemes add their own).
_NAMES: set[str] = {"access_token", "api_key", "apikey", "client_secret", "password"}
_HEADERS: set[str] = {"authorization", "proxy-authorization", "cookie", "set-cookie"}
# Any header named like a credential: default_headers a user adds are covered too.
_SECRET_HEADER = re.compile(r"auth|key|secret|token|passw|signature|otp|session|credential", re.IGNORECASE)
_LOCK = threading.Lock()


class _QueryRedactor(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and any(isinstance(a, httpx.URL) for a in record.args):
            record.args = tuple(redacted_url(a) if isinstance(a, httpx.URL) else a for a in record.args)
        return True


def redacted_url(url: httpx.URL) -> httpx.URL:
    """`url` with the values of credential query parameters, and any password in it, shown as <redacted>."""
    if url.password:
        url = url.copy_with(password=REDACTED)
    if not url.query or not _NAMES & set(url.params.keys()):
        return url
    params = [(k, REDACTED if k in _NAMES else v) for k, v in url.params.multi_items()]
    return url.copy_with(params=params)


def redacted_headers(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Headers for a log line: those that may carry a credential shown as <redacted>."""
    return {name: REDACTED if name.lower() in _HEADERS or _SECRET_HEADER.search(name) else value
            for name, value in headers}


def redact_query_parameter(name: str) -> None:
    """From now on, the value of query parameter `name` is shown as <redacted> in log lines (httpx's too)."""
    with _LOCK:
        _NAMES.add(name)


def redact_header(name: str) -> None:
    """From now on, the value of header `name` is shown as <redacted> in the package's log lines."""
    with _LOCK:
        _HEADERS.add(name.lower())


# httpx logs each request's URL at INFO; a filter on its logger costs nothing until it does.
if not any(isinstance(f, _QueryRedactor) for f in logging.getLogger("httpx").filters):
    logging.getLogger("httpx").addFilter(_QueryRedactor())
