"""Reading the `x-careforge-*` extensions (documented in docs/spec-conventions.md)."""

from __future__ import annotations

from typing import Any

from ..diagnostics import Diagnostic, Severity
from ..resolve import Cursor

PREFIX = "x-careforge-"
CLIENT_PARAMETER = PREFIX + "client-parameter"
VALUE = PREFIX + "value"
PAGINATION = PREFIX + "pagination"
RETRY_SAFE = PREFIX + "retry-safe"
IDEMPOTENT = PREFIX + "idempotent"
RESOURCE = PREFIX + "resource"
METHOD = PREFIX + "method"
SIGNING = PREFIX + "signing"
RATE_LIMIT = PREFIX + "rate-limit"
LONG_RUNNING = PREFIX + "long-running"
TOKEN_REQUEST = PREFIX + "token-request"
TOKEN_LIFETIME = PREFIX + "token-lifetime"
TOKEN_URL_PLACEHOLDER = PREFIX + "token-url-placeholder"
CHARSET = PREFIX + "charset"
REQUEST_CONTENT_TYPE = PREFIX + "request-content-type"
RESPONSE_MEDIA_TYPE = PREFIX + "response-media-type"
BOOLEAN_TEXT = PREFIX + "boolean-text"
VARIANTS = PREFIX + "variants"
ENV = PREFIX + "env"
LEFT_OUT = PREFIX + "left-out"
ERROR_STATUSES = PREFIX + "error-statuses"


class Problems:
    """Collects diagnostics for one build; every extension error is reported, none is fatal alone."""

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.found: list[Diagnostic] = []

    def error(self, cursor: Cursor, code: str, message: str, hint: str) -> None:
        self._add(cursor, Severity.ERROR, code, message, hint)

    def style(self, cursor: Cursor, code: str, message: str, hint: str) -> None:
        """A problem that is an error for our own specs and a warning for any other spec."""
        self._add(cursor, Severity.ERROR if self.strict else Severity.WARNING, code, message, hint)

    def _add(self, cursor: Cursor, severity: Severity, code: str, message: str, hint: str) -> None:
        where = cursor.doc.locate(cursor.pointer)
        found = Diagnostic(severity=severity, code=code, message=message, location=where, hint=hint)
        if found not in self.found:  # an operation read again for each of its variants says it once
            self.found.append(found)


def flag(cursor: Cursor, key: str, problems: Problems) -> bool | None:
    value = cursor.value.get(key) if isinstance(cursor.value, dict) else None
    if value is None or isinstance(value, bool):
        return value
    problems.error(cursor.child(key), "E-EXTENSION", f"{key} must be true or false, got {value!r}", "write true or false")
    return None


def text(cursor: Cursor, key: str, problems: Problems) -> str | None:
    value = cursor.value.get(key) if isinstance(cursor.value, dict) else None
    if value is None or (isinstance(value, str) and value.strip()):
        return value
    problems.error(cursor.child(key), "E-EXTENSION", f"{key} must be a non-empty string, got {value!r}",
                   "see docs/spec-conventions.md")
    return None


def dotted(cursor: Cursor, key: str, problems: Problems, *, required: bool) -> tuple[str, ...]:
    value: Any = cursor.value.get(key) if isinstance(cursor.value, dict) else None
    if value is None and not required:
        return ()
    if isinstance(value, str) and value and all(value.split(".")):
        return tuple(value.split("."))
    problems.error(cursor.child(key) if value is not None else cursor, "E-EXTENSION",
                   f"'{key}' must be a dotted path such as 'meta.next', got {value!r}",
                   "name the member of the response body, with dots between levels")
    return ()


def strings(cursor: Cursor, key: str, problems: Problems, *, required: bool) -> tuple[str, ...]:
    """A list of strings (a single string is taken as a list of one)."""
    value: Any = cursor.value.get(key) if isinstance(cursor.value, dict) else None
    if value is None and not required:
        return ()
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list) and value and all(isinstance(v, (str, int)) for v in value):
        return tuple(str(v) for v in value)
    problems.error(cursor.child(key) if value is not None else cursor, "E-EXTENSION",
                   f"'{key}' must be a list of strings, got {value!r}", "see docs/spec-conventions.md")
    return ()


def number(cursor: Cursor, key: str, problems: Problems, default: float) -> float:
    value: Any = cursor.value.get(key) if isinstance(cursor.value, dict) else None
    if value is None:
        return default
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return float(value)
    problems.error(cursor.child(key), "E-EXTENSION", f"'{key}' must be a positive number, got {value!r}",
                   "see docs/spec-conventions.md")
    return default
