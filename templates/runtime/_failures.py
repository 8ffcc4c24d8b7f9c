"""The error a failed exchange raises: by its status, or from the transport failure that left no response."""

from __future__ import annotations

import json
from typing import Any

import httpx

from .errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    MethodNotAllowedError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
)

_DETAIL_KEYS = ("message", "Message", "error_message", "detail", "error", "hint", "title", "errors")
_MAX_DETAIL = 500


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
