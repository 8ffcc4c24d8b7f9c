"""Errors the client raises.

    APIError                          everything the client raises
    ├── ConfigurationError            the call could not be made as configured (no credentials, ...)
    ├── APIConnectionError            no response: the connection failed or broke
    │   └── APITimeoutError           no response in time
    ├── APIResponseValidationError    a response that does not match the spec
    └── APIStatusError                a response with a 4xx or 5xx status (or an unfollowed 3xx)
        ├── BadRequestError               400
        ├── AuthenticationError           401
        ├── PermissionDeniedError         403
        ├── NotFoundError                 404
        ├── MethodNotAllowedError         405
        ├── ConflictError                 409
        ├── UnprocessableEntityError      422
        ├── RateLimitError                429
        └── InternalServerError           5xx

Messages never contain credentials: they name the method and path, never headers or the query.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

# The package exports these names (careforge reads this list); the module's other names are internal.
__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConfigurationError",
    "ConflictError",
    "ErrorDetail",
    "InternalServerError",
    "MethodNotAllowedError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "UnprocessableEntityError",
]


class APIError(Exception):
    def __init__(self, message: str, *, request: httpx.Request | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.request = request


class ConfigurationError(APIError):
    pass


class APIConnectionError(APIError):
    def __init__(self, message: str = "connection error", *, request: httpx.Request | None = None) -> None:
        super().__init__(message, request=request)


class APITimeoutError(APIConnectionError):
    def __init__(self, message: str = "request timed out", *, request: httpx.Request | None = None) -> None:
        super().__init__(message, request=request)


class APIResponseValidationError(APIError):
    """The server answered, but not with what the spec promised; `body` holds what it sent."""

    def __init__(self, message: str, *, response: httpx.Response, body: object) -> None:
        super().__init__(message, request=response.request)
        self.response = response
        self.status_code = response.status_code
        self.body = body


@dataclass(frozen=True, slots=True)
class ErrorDetail:
    """One entry of an error document (`{"errors": [...]}`, as JSON:API sends)."""

    status: str | None
    code: str | None
    title: str | None
    detail: str | None
    pointer: str | None  # JSON pointer into the request body, e.g. /data/attributes/name
    parameter: str | None  # the query parameter at fault

    @classmethod
    def from_json(cls, item: Mapping[str, Any]) -> ErrorDetail:
        source = item.get("source") if isinstance(item.get("source"), Mapping) else {}
        assert isinstance(source, Mapping)
        return cls(
            status=_text(item.get("status")),
            code=_text(item.get("code")),
            title=_text(item.get("title")),
            detail=_text(item.get("detail")),
            pointer=_text(source.get("pointer")),
            parameter=_text(source.get("parameter")),
        )


def _text(value: object) -> str | None:
    return None if value is None else str(value)


class APIStatusError(APIError):
    """An error status. `body` is the decoded JSON, or the text when it is not JSON, or None when empty."""

    def __init__(self, message: str, *, response: httpx.Response, body: object) -> None:
        super().__init__(message, request=response.request)
        self.response = response
        self.status_code = response.status_code
        self.headers = response.headers
        self.body = body
        # The body parsed into the error schema the spec documents for this status (a model, for
        # `isinstance` checks); None when none is documented or the body does not fit it.
        self.parsed: object = None

    @property
    def errors(self) -> list[ErrorDetail]:
        """The entries of an error document in the body, if it is one (else empty)."""
        items = self.body.get("errors") if isinstance(self.body, Mapping) else None
        if not isinstance(items, list):
            return []
        return [ErrorDetail.from_json(item) for item in items if isinstance(item, Mapping)]


class BadRequestError(APIStatusError):
    pass


class AuthenticationError(APIStatusError):
    pass


class PermissionDeniedError(APIStatusError):
    pass


class NotFoundError(APIStatusError):
    pass


class MethodNotAllowedError(APIStatusError):
    pass


class ConflictError(APIStatusError):
    pass


class UnprocessableEntityError(APIStatusError):
    pass


class RateLimitError(APIStatusError):
    @property
    def retry_after(self) -> float | None:
        """Seconds the server asked us to wait, if it said."""
        from ._retry import retry_after_seconds

        return retry_after_seconds(self.headers)


class InternalServerError(APIStatusError):
    pass
