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

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

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

_DETAIL_KEYS = ("message", "Message", "error_message", "detail", "error", "hint", "title", "errors")
_MAX_DETAIL = 500


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


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    405: MethodNotAllowedError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def error_class(status: int) -> type[APIStatusError]:
    if status >= 500:
        return InternalServerError
    return _BY_STATUS.get(status, APIStatusError)


def decode_body(response: httpx.Response) -> object:
    """JSON if the body is JSON, else its text; None when it is empty."""
    content = response.content
    if not content.strip():
        return None
    try:
        return json.loads(content)
    except (ValueError, UnicodeDecodeError):
        return response.text


def status_error(response: httpx.Response) -> APIStatusError:
    body = decode_body(response)
    request = response.request
    message = f"{request.method} {request.url.path} returned {response.status_code} {response.reason_phrase}".rstrip()
    detail = _detail(body)
    if detail:
        message += f": {detail}"
    return error_class(response.status_code)(message, response=response, body=body)


def _detail(body: object) -> str:
    text = _find_detail(body)
    return text if len(text) <= _MAX_DETAIL else text[: _MAX_DETAIL - 3] + "..."


def _find_detail(body: object) -> str:
    if isinstance(body, str):
        return " ".join(body.split())[:_MAX_DETAIL]
    if isinstance(body, list):
        return "; ".join(filter(None, (_find_detail(item) for item in body[:5])))
    if isinstance(body, dict):
        for key in _DETAIL_KEYS:
            value: Any = body.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
            if isinstance(value, (list, dict)) and value:
                found = _find_detail(value)
                if found:
                    return found
    return ""


def connection_error(error: httpx.TransportError, where: str,
                     request: httpx.Request | None) -> APIConnectionError:
    """No (whole) response: APITimeoutError for a timeout, else APIConnectionError; `where` is "METHOD path"."""
    if isinstance(error, httpx.TimeoutException):
        return APITimeoutError(f"{where} timed out ({type(error).__name__})", request=request)
    return APIConnectionError(f"{where} failed: {type(error).__name__}", request=request)
