"""Pagers: iterate items across pages, fetching each page only when it is needed.

    for case in client.cases.list(type="patient"):      # every item, page after page
        ...
    page = client.cases.list(type="patient").first_page()   # one page: .items, .envelope, .response
    for page in client.cases.list().pages():             # page by page

Only the page being read is kept in memory.
"""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx
import pydantic

from ._base_client import parse_json
from ._mode import MODE, Capture, Captured
from ._operation import OperationSpec, PaginationSpec, RequestOptions
from ._request import Call
from .errors import APIError

if TYPE_CHECKING:
    from ._base_client import AsyncAPIClient, SyncAPIClient

# The package exports these names (careforge reads this list); the module's other names are internal.
__all__ = ["AsyncPager", "Page", "SyncPager"]

ItemT = TypeVar("ItemT")
EnvelopeT = TypeVar("EnvelopeT")


@dataclass(frozen=True, slots=True)
class Page(Generic[ItemT, EnvelopeT]):
    """One page: its items, the whole parsed body (with counts and links), and the raw response."""

    items: list[ItemT]
    envelope: EnvelopeT
    response: httpx.Response
    page_number: int = 1


def member(value: Any, path: Sequence[str]) -> Any:
    """Follow `path` (wire names) into a parsed body: model fields by alias, extra fields, dict keys."""
    for name in path:
        if value is None:
            return None
        if isinstance(value, pydantic.BaseModel):
            value = _model_member(value, name)
        elif isinstance(value, Mapping):
            value = value.get(name)
        else:
            return None
    return value


def _model_member(model: pydantic.BaseModel, name: str) -> Any:
    for field_name, info in type(model).model_fields.items():
        if info.alias == name or (info.alias is None and field_name == name):
            return getattr(model, field_name)
    return (model.model_extra or {}).get(name)


class _Recent:
    """The last few page links: a server that links back to a page just read ends the walk, and
    memory stays flat however many pages there are."""

    def __init__(self, first: str, size: int = 8) -> None:
        self._links: deque[str] = deque([first], maxlen=size)

    def __contains__(self, link: str) -> bool:
        return link in self._links

    def add(self, link: str) -> None:
        self._links.append(link)


class _PagerBase(Generic[ItemT, EnvelopeT]):
    def __init__(self, op: OperationSpec, call: Call, auth: httpx.Auth | None, envelope: Any,
                 next_link: Callable[[OperationSpec, httpx.URL, str], httpx.URL | None]) -> None:
        assert op.pagination is not None
        self._op = op
        self._pagination: PaginationSpec = op.pagination
        self._call = call
        self._auth = auth
        self._envelope = envelope
        self._next_link = next_link
        self._seeded: httpx.Response | None = None  # a first page already received (a raw response's parse)

    def _seed(self, response: httpx.Response) -> None:
        self._seeded = response

    def _page(self, response: httpx.Response, number: int) -> Page[ItemT, EnvelopeT]:
        envelope = parse_json(self._envelope, response)
        items = member(envelope, self._pagination.items)
        return Page(items=list(items or []), envelope=envelope, response=response, page_number=number)

    def _next(self, page: Page[ItemT, EnvelopeT], seen: _Recent) -> tuple[Call, str | None] | None:
        """The call for the page after `page`, or None at the end."""
        if not page.items:
            return None
        spec = self._pagination
        if spec.style == "page-number":
            total = member(page.envelope, spec.total_pages) if spec.total_pages else None
            if isinstance(total, int) and page.page_number >= total:
                return None
            query = [(k, v) for k, v in self._call.query if k != spec.page_param]
            query.append((spec.page_param, str(page.page_number + 1)))
            return dataclasses.replace(self._call, query=query), None
        link = member(page.envelope, spec.next)
        if not isinstance(link, str) or not link.strip():
            return None
        target = self._next_link(self._op, page.response.request.url, link)
        if target is None:
            try:
                where = f"to another host ({httpx.URL(link).host})"
            except httpx.InvalidURL:
                where = "away from the API"
            raise APIError(f"the next page link of {self._op.label} points {where}, not one of the API's servers; "
                           "not followed, so credentials stay with the API's own host")
        if str(target) in seen:
            return None
        seen.add(str(target))
        return dataclasses.replace(self._call, method="GET", query=[], content=None, files=None, data=None), str(target)

    def _first_number(self) -> int:
        spec = self._pagination
        for key, value in self._call.query:
            if spec.style == "page-number" and key == spec.page_param and value.isdigit():
                return int(value)
        return 1


class SyncPager(_PagerBase[ItemT, EnvelopeT]):
    def __init__(self, client: SyncAPIClient, op: OperationSpec, call: Call, auth: httpx.Auth | None,
                 envelope: Any) -> None:
        super().__init__(op, call, auth, envelope, client.next_link)
        self._client = client

    def _fetch(self, call: Call, url: str | None, number: int) -> Page[ItemT, EnvelopeT]:
        mode = MODE.get()
        if isinstance(mode, Capture):
            raise Captured(self._client.capture(self._op, call, self._auth, url, mode.stream))
        response = self._client.send(self._op, call, self._auth, url)
        if not response.is_success or self._op.refuses(response.status_code):
            self._client._parse(self._op, response)  # raises the typed error
        return self._page(response, number)

    def first_page(self) -> Page[ItemT, EnvelopeT]:
        seeded, self._seeded = self._seeded, None
        if seeded is not None:
            return self._page(seeded, self._first_number())
        return self._fetch(self._call, None, self._first_number())

    def pages(self) -> Iterator[Page[ItemT, EnvelopeT]]:
        page = self.first_page()
        seen = _Recent(str(page.response.request.url))
        while True:
            yield page
            following = self._next(page, seen)
            if following is None:
                return
            call, url = following
            page = self._fetch(call, url, page.page_number + 1)

    def __iter__(self) -> Iterator[ItemT]:
        for page in self.pages():
            yield from page.items


class AsyncPager(_PagerBase[ItemT, EnvelopeT]):
    def __init__(self, client: AsyncAPIClient, op: OperationSpec, call: Call, auth: httpx.Auth | None,
                 envelope: Any) -> None:
        super().__init__(op, call, auth, envelope, client.next_link)
        self._client = client

    async def _fetch(self, call: Call, url: str | None, number: int) -> Page[ItemT, EnvelopeT]:
        mode = MODE.get()
        if isinstance(mode, Capture):
            raise Captured(await self._client.capture(self._op, call, self._auth, url, mode.stream))
        response = await self._client.send(self._op, call, self._auth, url)
        if not response.is_success or self._op.refuses(response.status_code):
            self._client._parse(self._op, response)  # raises the typed error
        return self._page(response, number)

    async def first_page(self) -> Page[ItemT, EnvelopeT]:
        seeded, self._seeded = self._seeded, None
        if seeded is not None:
            return self._page(seeded, self._first_number())
        return await self._fetch(self._call, None, self._first_number())

    async def pages(self) -> AsyncIterator[Page[ItemT, EnvelopeT]]:
        page = await self.first_page()
        seen = _Recent(str(page.response.request.url))
        while True:
            yield page
            following = self._next(page, seen)
            if following is None:
                return
            call, url = following
            page = await self._fetch(call, url, page.page_number + 1)

    async def __aiter__(self) -> AsyncIterator[ItemT]:
        async for page in self.pages():
            for item in page.items:
                yield item


def paginate_sync(client: SyncAPIClient, op: OperationSpec, values: Mapping[str, Any], options: RequestOptions,
                  envelope: Any) -> SyncPager[Any, Any]:
    call, auth = client._prepare(op, values, None, options)
    return SyncPager(client, op, call, auth, envelope)


def paginate_async(client: AsyncAPIClient, op: OperationSpec, values: Mapping[str, Any], options: RequestOptions,
                   envelope: Any) -> AsyncPager[Any, Any]:
    call, auth = client._prepare(op, values, None, options)
    return AsyncPager(client, op, call, auth, envelope)
