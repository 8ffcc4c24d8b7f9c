"""The generated CommCare client against a real HTTP server on loopback: pages, a user, a new case."""

from __future__ import annotations

import asyncio
import json
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "generated" / "commcare"))

from commcare_client import AsyncCommCare, CommCare, NotFoundError  # noqa: E402

Answer = tuple[int, Any]


def case(number: int) -> dict[str, Any]:
    return {"domain": "demo", "case_id": f"case-{number}", "case_type": "patient", "case_name": f"Patient {number}",
            "owner_id": "owner-1", "closed": False, "properties": {"visit": str(number)}, "indices": {}}


USER = {"id": "user-1", "username": "asha@demo.commcarehq.org", "first_name": "Asha", "last_name": "Otieno",
        "groups": [], "user_data": {"village": "Kisumu"}, "phone_numbers": [], "resource_uri": "/a/demo/api/v1/user/u/"}


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


@dataclass
class Server:
    base_url: str
    seen: list[Seen] = field(default_factory=list)


def _route(server: Server, request: Seen) -> Answer:
    if request.path == "/a/demo/api/case/v2/" and request.method == "GET":
        # Case API v2: an absolute `next` carrying the cursor; 7 cases, 3 per page.
        start = int(request.query.get("cursor", ["0"])[0])
        cases = [case(n) for n in range(start, min(start + 3, 7))]
        following = f"{server.base_url}/a/demo/api/case/v2/?cursor={start + 3}&limit=3" if start + 3 < 7 else None
        return 200, {"matching_records": 7, "cases": cases, "next": following}
    if request.path == "/a/demo/api/v0.5/case/" and request.method == "GET":
        # Tastypie: `meta.next` is a bare query string.
        offset = int(request.query.get("offset", ["0"])[0])
        objects = [{**case(n), "id": f"case-{n}"} for n in range(offset, min(offset + 2, 5))]
        following = f"?limit=2&offset={offset + 2}" if offset + 2 < 5 else None
        meta = {"limit": 2, "offset": offset, "total_count": 5, "next": following, "previous": None}
        return 200, {"meta": meta, "objects": objects}
    if request.path == "/a/demo/api/user/v1/user-1/":
        return 200, USER
    if request.path.startswith("/a/demo/api/user/v1/"):
        return 404, ""
    if request.path == "/a/demo/api/case/v2/" and request.method == "POST":
        sent = json.loads(request.body)
        created = {**case(100), "case_name": sent["case_name"], "case_type": sent["case_type"],
                   "owner_id": sent["owner_id"], "properties": sent.get("properties", {})}
        return 200, {"form_id": "form-1", "case": created}
    return 418, {"error": f"no route for {request.method} {request.path}"}


@pytest.fixture
def server() -> Iterator[Server]:
    state = Server(base_url="")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self) -> None:
            parts = urlsplit(self.path)
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            request = Seen(self.command, parts.path, parse_qs(parts.query), dict(self.headers.items()), body)
            state.seen.append(request)
            status, payload = _route(state, request)
            data = payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _answer

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


def make(server: Server) -> CommCare:
    return CommCare(domain="demo", username="asha@example.org", api_key="k3y", base_url=server.base_url)


def test_lists_cases_across_pages_lazily(server: Server) -> None:
    with make(server) as client:
        pager = client.cases.list(case_type="patient", limit=3)
        assert server.seen == []  # nothing is fetched before iterating
        names = [c.case_name for c in pager]
    assert names == [f"Patient {n}" for n in range(7)]
    assert [r.query.get("cursor") for r in server.seen] == [None, ["3"], ["6"]]
    assert all(r.headers["Authorization"] == "ApiKey asha@example.org:k3y" for r in server.seen)


def test_one_page_with_its_metadata(server: Server) -> None:
    with make(server) as client:
        page = client.cases.list(limit=3).first_page()
    assert len(page.items) == 3 and len(server.seen) == 1
    assert page.envelope.matching_records == 7


def test_tastypie_pages_follow_a_bare_query_string(server: Server) -> None:
    with make(server) as client:
        ids = [c.case_id for c in client.v0_5.cases.list(limit=2)]
    assert ids == [f"case-{n}" for n in range(5)]
    assert [r.query.get("offset") for r in server.seen] == [None, ["2"], ["4"]]
    assert {r.path for r in server.seen} == {"/a/demo/api/v0.5/case/"}


def test_fetches_a_user(server: Server) -> None:
    with make(server) as client:
        user = client.mobile_workers.retrieve("user-1")
        with pytest.raises(NotFoundError) as missing:
            client.mobile_workers.retrieve("nobody")
    assert (user.username, user.first_name) == ("asha@demo.commcarehq.org", "Asha")
    assert missing.value.status_code == 404 and missing.value.body is None


def test_creates_a_case(server: Server) -> None:
    with make(server) as client:
        result = client.cases.create(case_type="patient", case_name="Baraka", owner_id="owner-1",
                                     properties={"village": "Kisumu"})
    sent = server.seen[-1]
    assert (sent.method, sent.path) == ("POST", "/a/demo/api/case/v2/")
    assert sent.headers["Content-Type"].startswith("application/json")
    assert json.loads(sent.body) == {"case_type": "patient", "case_name": "Baraka", "owner_id": "owner-1",
                                     "properties": {"village": "Kisumu"}}
    assert result.form_id == "form-1" and result.case.case_name == "Baraka"


def test_the_async_client_does_the_same(server: Server) -> None:
    async def run() -> tuple[list[str], str, str]:
        async with AsyncCommCare(domain="demo", username="u", api_key="k", base_url=server.base_url) as client:
            names = [c.case_name async for c in client.cases.list(limit=3)]
            user = await client.mobile_workers.retrieve("user-1")
            created = await client.cases.create(case_type="patient", case_name="Baraka", owner_id="owner-1")
            return names, user.username, created.case.case_name

    names, username, created = asyncio.run(run())
    assert names == [f"Patient {n}" for n in range(7)]
    assert (username, created) == ("asha@demo.commcarehq.org", "Baraka")

