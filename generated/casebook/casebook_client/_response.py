"""Raw and streaming responses: `client.with_raw_response` and `client.with_streaming_response`.

    response = client.with_raw_response.cases.get("abc")
    response.status_code, response.headers["x-request-id"]
    case = response.parse()                     # what client.cases.get("abc") returns

    with client.with_streaming_response.files.download("abc") as response:
        for chunk in response.iter_bytes():     # nothing is read before the caller reads it
            ...

A status error is raised as it is by the plain call; the body is parsed only by `parse()`.
"""

from __future__ import annotations

import functools
import inspect
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import timedelta
from types import TracebackType
from typing import Any, BinaryIO, Generic, ParamSpec, TypeVar

import httpx
import pydantic

from ._disposition import suggested_filename
from ._failures import connection_error
from ._mode import MODE, Capture, Captured, Replay
from ._pagination import AsyncPager, SyncPager
from .errors import APIError, APIResponseValidationError

# The package exports these names (careforge reads this list); the module's other names are internal.
__all__ = ["APIResponse", "AsyncAPIResponse", "ResponseHeaders"]

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")
ItemT = TypeVar("ItemT")
EnvelopeT = TypeVar("EnvelopeT")
_UNSET: Any = object()


class ResponseHeaders(pydantic.BaseModel):
    """The headers the spec documents for a response, typed; any other header is in `model_extra`
    under its lower-case name."""

    model_config = pydantic.ConfigDict(extra="allow", frozen=True, populate_by_name=True)


H = TypeVar("H", bound=ResponseHeaders)


class _Response(Generic[R, H]):
    def __init__(self, response: httpx.Response, call: Callable[[], Any], headers: type[H]) -> None:
        self.http_response = response
        self._call = call
        self._headers_type = headers
        self._parsed: Any = _UNSET
        self._typed_headers: H | None = None

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def http_request(self) -> httpx.Request:
        return self.http_response.request

    @property
    def url(self) -> httpx.URL:
        return self.http_response.url

    @property
    def method(self) -> str:
        return self.http_request.method

    @property
    def http_version(self) -> str:
        return self.http_response.http_version

    @property
    def elapsed(self) -> timedelta:
        """Time from sending the request to reading the whole body (only once the body is read)."""
        return self.http_response.elapsed

    @property
    def is_closed(self) -> bool:
        return self.http_response.is_closed

    @property
    def suggested_filename(self) -> str | None:
        """The file name the server suggests (Content-Disposition, RFC 6266; `filename*` preferred), as a
        bare name: directories are dropped, and None is returned for no name or an unsafe one."""
        return suggested_filename(self.headers)

    def parse_headers(self) -> H:
        """The documented headers, typed; a required one that is missing or malformed raises
        APIResponseValidationError."""
        if self._typed_headers is None:
            try:
                self._typed_headers = self._headers_type.model_validate(dict(self.headers.items()))
            except pydantic.ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(p) for p in first["loc"]) or "headers"
                raise APIResponseValidationError(
                    f"{self.method} {self.url.path} returned headers that do not match the spec "
                    f"(header {where}: {first['msg']})", response=self.http_response, body=None) from None
        return self._typed_headers

    def _consumed(self) -> APIError:
        return APIError(f"the body of {self.method} {self.url.path} was already read by iter_bytes(), iter_text() or "
                        "iter_lines(), or the response is closed: call read() or parse() first, inside the with "
                        "block", request=self.http_request)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status_code}] {self.method} {self.url.path}>"


class APIResponse(_Response[R, H]):
    def read(self) -> bytes:
        try:
            return self.http_response.read()
        except httpx.StreamError:
            raise self._consumed() from None
        except httpx.TransportError as error:
            raise connection_error(error, f"{self.method} {self.url.path}", self.http_request) from error

    def text(self) -> str:
        self.read()
        return self.http_response.text

    def json(self) -> Any:
        self.read()
        return self.http_response.json()

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        return self.http_response.iter_bytes(chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> Iterator[str]:
        return self.http_response.iter_text(chunk_size)

    def iter_lines(self) -> Iterator[str]:
        return self.http_response.iter_lines()

    def close(self) -> None:
        self.http_response.close()

    def stream_to_file(self, file: str | os.PathLike[str], *, chunk_size: int | None = None) -> None:
        """Write the body to `file` as it arrives (never whole in memory); the file appears only once the
        whole body is in, so a broken download leaves nothing behind."""
        with _Partial(file) as out:
            try:
                for chunk in self.http_response.iter_bytes(chunk_size):
                    out.write(chunk)
            except httpx.StreamError:
                raise self._consumed() from None
            except httpx.TransportError as error:
                raise connection_error(error, f"{self.method} {self.url.path}", self.http_request) from error

    def parse(self) -> R:
        """What the plain call returns (a model, a pager from this first page, a job handle, ...)."""
        if self._parsed is _UNSET:
            self.read()
            token = MODE.set(Replay(self.http_response))
            try:
                result = self._call()
            finally:
                MODE.reset(token)
            if isinstance(result, SyncPager):
                result._seed(self.http_response)
            self._parsed = result
        return self._parsed  # type: ignore[no-any-return]


class AsyncAPIResponse(_Response[R, H]):
    async def read(self) -> bytes:
        try:
            return await self.http_response.aread()
        except httpx.StreamError:
            raise self._consumed() from None
        except httpx.TransportError as error:
            raise connection_error(error, f"{self.method} {self.url.path}", self.http_request) from error

    async def text(self) -> str:
        await self.read()
        return self.http_response.text

    async def json(self) -> Any:
        await self.read()
        return self.http_response.json()

    def iter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        return self.http_response.aiter_bytes(chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]:
        return self.http_response.aiter_text(chunk_size)

    def iter_lines(self) -> AsyncIterator[str]:
        return self.http_response.aiter_lines()

    async def close(self) -> None:
        await self.http_response.aclose()

    async def stream_to_file(self, file: str | os.PathLike[str], *, chunk_size: int | None = None) -> None:
        """Write the body to `file` as it arrives (never whole in memory); the file appears only once the
        whole body is in, so a broken download leaves nothing behind."""
        with _Partial(file) as out:
            try:
                async for chunk in self.http_response.aiter_bytes(chunk_size):
                    out.write(chunk)
            except httpx.StreamError:
                raise self._consumed() from None
            except httpx.TransportError as error:
                raise connection_error(error, f"{self.method} {self.url.path}", self.http_request) from error

    async def parse(self) -> R:
        """What the plain call returns (a model, a pager from this first page, a job handle, ...)."""
        if self._parsed is _UNSET:
            await self.read()
            token = MODE.set(Replay(self.http_response))
            try:
                result = self._call()
                if inspect.isawaitable(result):
                    result = await result
            finally:
                MODE.reset(token)
            if isinstance(result, AsyncPager):
                result._seed(self.http_response)
            self._parsed = result
        return self._parsed  # type: ignore[no-any-return]


class _Partial:
    """`file` written through a `.part` file beside it, moved into place on success and removed on failure."""

    def __init__(self, file: str | os.PathLike[str]) -> None:
        self._final = os.fspath(file)
        self._part = self._final + ".part"

    def __enter__(self) -> BinaryIO:
        self._out = open(self._part, "wb")
        return self._out

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._out.close()
        if kind is None:
            os.replace(self._part, self._final)
        else:
            os.unlink(self._part)


class ResponseContextManager(Generic[T]):
    """Sends on entry; closes the response on exit, read or not."""

    def __init__(self, make: Callable[[], T], close: Callable[[T], None]) -> None:
        self._make = make
        self._close = close
        self._response: T | None = None

    def __enter__(self) -> T:
        self._response = self._make()
        return self._response

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._response is not None:
            self._close(self._response)


class AsyncResponseContextManager(Generic[T]):
    """Sends on entry; closes the response on exit, read or not."""

    def __init__(self, make: Callable[[], Awaitable[T]], close: Callable[[T], Awaitable[None]]) -> None:
        self._make = make
        self._close = close
        self._response: T | None = None

    async def __aenter__(self) -> T:
        self._response = await self._make()
        return self._response

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        trace: TracebackType | None) -> None:
        if self._response is not None:
            await self._close(self._response)


def _nothing_sent(call: Callable[[], Any]) -> APIError:
    return APIError(f"{getattr(call, '__name__', 'the call')} sent no request, so there is no response to return")


def _capture(call: Callable[[], Any], stream: bool) -> httpx.Response:
    token = MODE.set(Capture(stream))
    try:
        result = call()
        if isinstance(result, SyncPager):
            result.first_page()
    except Captured as captured:
        return captured.response
    finally:
        MODE.reset(token)
    raise _nothing_sent(call)


async def _capture_async(call: Callable[[], Any], stream: bool) -> httpx.Response:
    token = MODE.set(Capture(stream))
    try:
        result = call()
        if isinstance(result, AsyncPager):
            await result.first_page()
        elif inspect.isawaitable(result):
            await result
    except Captured as captured:
        return captured.response
    finally:
        MODE.reset(token)
    raise _nothing_sent(call)


def _sync_close(response: APIResponse[Any, Any]) -> None:
    response.close()


async def _async_close(response: AsyncAPIResponse[Any, Any]) -> None:
    await response.close()


def to_raw_response_wrapper(fn: Callable[P, R], headers: type[H]) -> Callable[P, APIResponse[R, H]]:
    @functools.wraps(fn)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[R, H]:
        call = functools.partial(fn, *args, **kwargs)
        return APIResponse(_capture(call, stream=False), call, headers)

    return wrapped


def to_streamed_response_wrapper(
    fn: Callable[P, R], headers: type[H]
) -> Callable[P, ResponseContextManager[APIResponse[R, H]]]:
    @functools.wraps(fn)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> ResponseContextManager[APIResponse[R, H]]:
        call = functools.partial(fn, *args, **kwargs)
        return ResponseContextManager(lambda: APIResponse(_capture(call, stream=True), call, headers), _sync_close)

    return wrapped


def _async_raw(fn: Callable[..., Any], headers: type[H]) -> Callable[..., Awaitable[AsyncAPIResponse[Any, H]]]:
    @functools.wraps(fn)
    async def wrapped(*args: Any, **kwargs: Any) -> AsyncAPIResponse[Any, H]:
        call = functools.partial(fn, *args, **kwargs)
        return AsyncAPIResponse(await _capture_async(call, stream=False), call, headers)

    return wrapped


def _async_streamed(fn: Callable[..., Any],
                    headers: type[H]) -> Callable[..., AsyncResponseContextManager[AsyncAPIResponse[Any, H]]]:
    @functools.wraps(fn)
    def wrapped(*args: Any, **kwargs: Any) -> AsyncResponseContextManager[AsyncAPIResponse[Any, H]]:
        call = functools.partial(fn, *args, **kwargs)

        async def make() -> AsyncAPIResponse[Any, H]:
            return AsyncAPIResponse(await _capture_async(call, stream=True), call, headers)

        return AsyncResponseContextManager(make, _async_close)

    return wrapped


# The async wrappers are typed per kind of method: a coroutine, or a pager (a plain method whose first
# page is fetched here). One implementation each; the signatures only tell the type checker.
def async_to_raw_response_wrapper(
    fn: Callable[P, Awaitable[R]], headers: type[H]
) -> Callable[P, Awaitable[AsyncAPIResponse[R, H]]]:
    return _async_raw(fn, headers)


def async_pager_to_raw_response_wrapper(
    fn: Callable[P, AsyncPager[ItemT, EnvelopeT]], headers: type[H]
) -> Callable[P, Awaitable[AsyncAPIResponse[AsyncPager[ItemT, EnvelopeT], H]]]:
    return _async_raw(fn, headers)


def async_to_streamed_response_wrapper(
    fn: Callable[P, Awaitable[R]], headers: type[H]
) -> Callable[P, AsyncResponseContextManager[AsyncAPIResponse[R, H]]]:
    return _async_streamed(fn, headers)


def async_pager_to_streamed_response_wrapper(
    fn: Callable[P, AsyncPager[ItemT, EnvelopeT]], headers: type[H]
) -> Callable[P, AsyncResponseContextManager[AsyncAPIResponse[AsyncPager[ItemT, EnvelopeT], H]]]:
    return _async_streamed(fn, headers)
