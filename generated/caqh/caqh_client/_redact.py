"""Keeps credentials that travel in a query string out of httpx's request log lines."""

from __future__ import annotations

import logging
import threading

import httpx

__all__ = ["redact_query_parameter"]

_NAMES: set[str] = set()
_LOCK = threading.Lock()
_INSTALLED = False


class _QueryRedactor(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and any(isinstance(a, httpx.URL) for a in record.args):
            record.args = tuple(_redacted(a) if isinstance(a, httpx.URL) else a for a in record.args)
        return True


def _redacted(url: httpx.URL) -> httpx.URL:
    if not url.query or not _NAMES & set(url.params.keys()):
        return url
    params = [(k, "<redacted>" if k in _NAMES else v) for k, v in url.params.multi_items()]
    return url.copy_with(params=params)


def redact_query_parameter(name: str) -> None:
    """From now on, the value of query parameter `name` is shown as <redacted> in httpx's log."""
    global _INSTALLED
    with _LOCK:
        _NAMES.add(name)
        if not _INSTALLED:
            logging.getLogger("httpx").addFilter(_QueryRedactor())
            _INSTALLED = True
