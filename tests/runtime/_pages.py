"""Server handlers that serve a collection page by page, the way the toy spec's two pagination styles say."""

from __future__ import annotations

import json
from dataclasses import dataclass

from ._server import Reply, Seen


def _items(page: int, per_page: int) -> list[dict[str, str]]:
    return [{"id": str(page * per_page + i), "name": f"item {page * per_page + i}"} for i in range(per_page)]


@dataclass
class NextLinkPages:
    """GET /cases?cursor=N: `meta.next` links to the next cursor, as a full URL or a bare `?query`."""

    pages: int
    per_page: int = 3
    base: str = ""  # the server URL for full links; empty for bare `?cursor=N` links

    def __call__(self, seen: Seen) -> Reply:
        cursor = int(seen.params.get("cursor", "0"))
        following = f"{self.base}{'/cases' if self.base else ''}?cursor={cursor + 1}"
        body = {"meta": {"next": following if cursor + 1 < self.pages else None,
                         "total_count": self.pages * self.per_page},
                "objects": _items(cursor, self.per_page) if cursor < self.pages else []}
        return Reply(body=json.dumps(body).encode(), headers={"Content-Type": "application/json"})


@dataclass
class NumberedPages:
    """GET /records?page=N (from 1): `page_count` says how many there are, unless `count` is False."""

    pages: int
    per_page: int = 3
    count: bool = True

    def __call__(self, seen: Seen) -> Reply:
        number = int(seen.params.get("page", "1"))
        body: dict[str, object] = {"items": _items(number - 1, self.per_page) if number <= self.pages else []}
        if self.count:
            body["page_count"] = self.pages
        return Reply(body=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
