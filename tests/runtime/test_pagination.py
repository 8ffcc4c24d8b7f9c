"""Pagination: items across pages, fetched only when needed; next links (full or `?query`) and page numbers."""

from __future__ import annotations

import itertools
from types import ModuleType

import pytest

from ._clients import Flavour
from ._pages import NextLinkPages, NumberedPages
from ._server import Server, ok


def ids(items: object) -> list[str]:
    return [item.id for item in items]  # type: ignore[attr-defined]


@pytest.mark.parametrize("full", [True, False], ids=["full-url", "bare-query"])
def test_next_links_are_followed_to_the_end(flavour: Flavour, server: Server, full: bool) -> None:
    server.route("GET", "/cases", NextLinkPages(pages=4, base=server.url if full else ""))
    with flavour.toy(base_url=server.url) as client:
        assert ids(client.lists.cases(size=3)) == [str(i) for i in range(12)]
    requests = server.seen("GET", "/cases")
    assert [r.query for r in requests] == ["size=3", "cursor=1", "cursor=2", "cursor=3"]


def test_pages_are_fetched_only_when_needed(flavour: Flavour, server: Server) -> None:
    server.route("GET", "/cases", NextLinkPages(pages=100))
    with flavour.toy(base_url=server.url) as client:
        pager = client.lists.cases()
        assert server.hits() == 0
        items = iter(pager)
        assert ids(itertools.islice(items, 3)) == ["0", "1", "2"]
        assert server.hits() == 1
        next(items)
        assert server.hits() == 2


def test_one_page_with_its_metadata(flavour: Flavour, server: Server) -> None:
    server.route("GET", "/cases", NextLinkPages(pages=5, base=server.url))
    with flavour.toy(base_url=server.url) as client:
        page = client.lists.cases().first_page()
    assert ids(page.items) == ["0", "1", "2"]
    assert page.envelope.meta.total_count == 15
    assert page.envelope.meta.next == f"{server.url}/cases?cursor=1"
    assert page.response.status_code == 200
    assert page.page_number == 1
    assert server.hits() == 1


def test_page_by_page(flavour: Flavour, server: Server) -> None:
    server.route("GET", "/cases", NextLinkPages(pages=3))
    with flavour.toy(base_url=server.url) as client:
        pages = list(client.lists.cases().pages())
    assert [p.page_number for p in pages] == [1, 2, 3]
    assert [ids(p.items) for p in pages] == [["0", "1", "2"], ["3", "4", "5"], ["6", "7", "8"]]


def test_page_numbers_up_to_the_page_count(flavour: Flavour, server: Server) -> None:
    server.route("GET", "/records", NumberedPages(pages=3))
    with flavour.toy(base_url=server.url) as client:
        assert len(list(client.lists.records())) == 9
    assert [r.params.get("page") for r in server.seen()] == [None, "2", "3"]  # no request for page 4


def test_page_numbers_without_a_count_stop_at_an_empty_page(flavour: Flavour, server: Server) -> None:
    server.route("GET", "/records", NumberedPages(pages=2, count=False))
    with flavour.toy(base_url=server.url) as client:
        assert len(list(client.lists.records())) == 6
    assert [r.params.get("page") for r in server.seen()] == [None, "2", "3"]


def test_page_numbers_start_where_asked(flavour: Flavour, server: Server) -> None:
    server.route("GET", "/records", NumberedPages(pages=4))
    with flavour.toy(base_url=server.url) as client:
        assert [p.page_number for p in client.lists.records(page=3).pages()] == [3, 4]


def test_an_empty_first_page_is_the_end(flavour: Flavour, server: Server) -> None:
    server.route("GET", "/cases", ok({"meta": {"next": "?cursor=1"}, "objects": []}))
    with flavour.toy(base_url=server.url) as client:
        assert list(client.lists.cases()) == []
    assert server.hits() == 1


def test_a_link_back_to_a_seen_page_ends_the_iteration(flavour: Flavour, server: Server) -> None:
    server.route("GET", "/cases", ok({"meta": {"next": "?cursor=1"}, "objects": [{"id": "a"}]}))
    with flavour.toy(base_url=server.url) as client:
        assert ids(client.lists.cases()) == ["a", "a"]
    assert server.hits() == 2


def test_a_next_link_to_another_host_is_not_followed(flavour: Flavour, server: Server, other_server: Server,
                                                     toy: ModuleType) -> None:
    server.route("GET", "/cases", ok({"meta": {"next": f"{other_server.url}/cases?cursor=1"}, "objects": [{"id": "a"}]}))
    with flavour.toy(base_url=server.url) as client:
        items = iter(client.lists.cases())
        assert next(items).id == "a"
        with pytest.raises(toy.APIError, match="another host"):
            next(items)
    assert other_server.hits() == 0


def test_an_error_on_a_later_page_is_raised_there(flavour: Flavour, server: Server, toy: ModuleType) -> None:
    server.route("GET", "/cases", ok({"meta": {"next": "/gone?cursor=1"}, "objects": [{"id": "a"}]}))
    with flavour.toy(base_url=server.url) as client:
        items = iter(client.lists.cases())
        assert next(items).id == "a"
        with pytest.raises(toy.NotFoundError):
            next(items)
