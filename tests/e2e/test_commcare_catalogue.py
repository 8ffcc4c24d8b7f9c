"""CommCare's catalogue APIs on the wire, against a loopback server that answers as commcare-hq's code does:
an invitation's body, the bulk-user search (repeated `fields`, never an `offset`), fixture pages linked by a
bare `?query`, and the two cursor lists (messaging events and a data source's export) whose `next` is an
absolute URL on the vendor's host and whose last page is empty."""

from __future__ import annotations

import asyncio
import base64
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from .loopback import Answer, Seen, Server, serve, use_generated

use_generated("commcare")

from commcare_client import AsyncCommCare, CommCare, models  # noqa: E402

HOST = "https://www.commcarehq.org"  # the spec's server: absolute next links name it


def ccz() -> bytes:
    """A small .ccz: a zip holding a profile and a suite, as CommCare's build writes them.

    Dates are fixed so two calls give the same bytes whatever the clock does between them.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (("profile.ccpr", "<profile/>"), ("suite.xml", "<suite version='3'/>" * 5000)):
            entry = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, text)
    return buffer.getvalue()


def event(number: int) -> dict[str, object]:
    return {"id": number, "content_type": "sms", "date": f"2024-01-0{number}T09:00:00", "domain": "demo",
            "error": None, "form": None, "case_id": None, "status": "completed",
            "recipient": {"recipient_id": "u-1", "type": "mobile-worker", "name": "jane"},
            "source": {"source_id": "7", "type": "keyword", "name": "VISIT"},
            "messages": [{"message_id": number * 10, "date": "2024-01-01T09:00:00", "type": "sms",
                          "direction": "outgoing", "content": "hello", "status": "sent", "backend": "twilio",
                          "phone_number": "+254700000001"}]}


def cursor(**values: str) -> str:
    return base64.b64encode(urlencode(values).encode()).decode()


def route(server: Server, request: Seen) -> Answer:
    path, query = request.path, request.query
    if path == "/a/demo/api/invitation/v1/" and request.method == "POST":
        return Answer(201, {**request.json(), "id": "0f1e2d3c-4b5a-4697-8877-665544332211", "profile": None})
    if path == "/a/demo/api/bulk-user/v1/":
        users = [{field: {"phone_numbers": []}.get(field, f"{field}-1") for field in query["fields"]}]
        return Answer(200, {"meta": {"limit": 500, "offset": 0, "total_count": 1, "next": None, "previous": None},
                            "objects": users})
    if path == "/a/demo/api/fixture/v1/":
        offset = int(query.get("offset", ["0"])[0])
        row = {"id": f"r-{offset}", "fixture_type": "district", "fields": {"name": f"D{offset}"}, "resource_uri": ""}
        nxt = "?fixture_type=district&limit=1&offset=1" if offset == 0 else None
        return Answer(200, {"meta": {"limit": 1, "offset": offset, "total_count": 2, "next": nxt, "previous": None},
                            "objects": [row]})
    if path == "/a/demo/api/messaging-event/v1/":
        page = {"": 1, cursor(last_object_id="2"): 2, cursor(last_object_id="3"): 3}[query.get("cursor", [""])[0]]
        objects = {1: [event(1), event(2)], 2: [event(3)], 3: []}[page]
        nxt = None if not objects else (
            f"{HOST}/a/demo/api/messaging-event/v1/?cursor={cursor(last_object_id=str(objects[-1]['id']))}")
        return Answer(200, {"objects": objects, "meta": {"limit": 2, "next": nxt}})
    if path == "/a/demo/api/ucr/v1/":
        if "data_source_id" not in query:
            return Answer(400, b"Missing data_source_id parameter", content_type="text/html")
        first = "cursor" not in query
        objects = [{"id": "d-1", "doc_id": "d-1", "inserted_at": "2023-08-17T11:08:01.915246Z", "village": "Kisumu"}]
        nxt = f"{HOST}/a/demo/api/ucr/v1/?data_source_id=ds-1&cursor={cursor(last_doc_id='d-1')}" if first else None
        return Answer(200, {"objects": objects if first else [], "meta": {"limit": "2", "next": nxt}})
    if path == "/a/demo/apps/api/download_ccz/":
        if "app_id" not in query:
            return Answer(400, {"status": "error", "message": "You must specify `app_id` in your GET parameters"})
        return Answer(200, ccz(), {"Content-Disposition": 'attachment; filename="visit-tracker.ccz"'},
                      content_type="application/zip")
    return Answer(404)


@pytest.fixture
def server() -> Iterator[Server]:
    with serve(route) as running:
        yield running


def client(server: Server) -> CommCare:
    return CommCare(domain="demo", username="me@example.org", api_key="k", base_url=server.base_url)


def test_an_invitation_sends_the_fields_given_and_reads_the_invitation(server: Server) -> None:
    with client(server) as commcare:
        made = commcare.invitations.create(email="new@example.org", role="App Editor",
                                           primary_location_id="loc-1", assigned_location_ids=["loc-1"])
    assert isinstance(made, models.Invitation) and made.id == "0f1e2d3c-4b5a-4697-8877-665544332211"
    assert made.role == "App Editor" and made.profile is None
    (sent,) = server.seen
    assert sent.json() == {"email": "new@example.org", "role": "App Editor", "primary_location_id": "loc-1",
                           "assigned_location_ids": ["loc-1"]}
    assert sent.headers["Content-Type"] == "application/json"


def test_the_bulk_user_search_repeats_fields_and_sends_no_offset(server: Server) -> None:
    with client(server) as commcare:
        page = commcare.bulk_users.list(q="first_name:Jane", fields=["id", "username"], limit=500)
    assert [u.model_dump(exclude_unset=True) for u in page.objects] == [{"id": "id-1", "username": "username-1"}]
    (sent,) = server.seen
    assert sent.query == {"q": ["first_name:Jane"], "fields": ["id", "username"], "limit": ["500"]}


def test_fixture_rows_follow_a_bare_query_next_link(server: Server) -> None:
    with client(server) as commcare:
        rows = list(commcare.fixtures.list(fixture_type="district", limit=1))
    assert [r.id for r in rows] == ["r-0", "r-1"]
    assert [s.query.get("offset") for s in server.seen] == [None, ["1"]]
    assert all(s.path == "/a/demo/api/fixture/v1/" for s in server.seen)


def test_messaging_events_page_by_cursor_until_an_empty_page(server: Server) -> None:
    with client(server) as commcare:
        events = list(commcare.messaging_events.list(source=["keyword", "reminder"], content_type=["sms"],
                                                     date_gte="2024-01-01", limit=2))
    assert [e.id for e in events] == [1, 2, 3]
    assert events[0].messages[0].phone_number == "+254700000001" and events[0].source.type == "keyword"
    first, second, third = server.seen
    # form style, explode false: one comma-separated value (OpenAPI 3.1 §4.8.12.4)
    assert first.query == {"source": ["keyword,reminder"], "content_type": ["sms"], "date.gte": ["2024-01-01"],
                           "limit": ["2"]}
    # the absolute link names the vendor's host; it is followed on the configured base_url, cursor alone
    assert second.query == {"cursor": [cursor(last_object_id="2")]}
    assert third.query == {"cursor": [cursor(last_object_id="3")]}


def test_a_data_source_exports_its_rows_by_cursor(server: Server) -> None:
    with client(server) as commcare:
        rows = list(commcare.data_sources.export(data_source_id="ds-1", limit=2))
    assert [(r.id, r.model_extra) for r in rows] == [("d-1", {"village": "Kisumu"})]
    assert [s.query.get("cursor") for s in server.seen] == [None, [cursor(last_doc_id="d-1")]]


def test_the_async_client_pages_messaging_events_the_same_way(server: Server) -> None:
    async def run() -> list[int]:
        async with AsyncCommCare(domain="demo", username="me@example.org", api_key="k",
                                 base_url=server.base_url) as commcare:
            return [e.id async for e in commcare.messaging_events.list(limit=2)]

    assert asyncio.run(run()) == [1, 2, 3]
    assert len(server.seen) == 3


def test_a_ccz_streams_to_a_file_that_is_the_zip_served(server: Server, tmp_path: Path) -> None:
    with client(server) as commcare:
        with commcare.with_streaming_response.applications.download_ccz(
                app_id="app-1", latest="release", include_multimedia=True) as response:
            target = tmp_path / "app.ccz"
            response.stream_to_file(target)
    with zipfile.ZipFile(target) as archive:  # the standard library reads what arrived
        assert archive.testzip() is None and sorted(archive.namelist()) == ["profile.ccpr", "suite.xml"]
    assert target.read_bytes() == ccz()
    (sent,) = server.seen
    assert sent.query == {"app_id": ["app-1"], "latest": ["release"], "include_multimedia": ["true"]}
    assert sent.headers["Authorization"] == "ApiKey me@example.org:k"


def test_a_ccz_needs_no_credentials(server: Server) -> None:
    with CommCare(domain="demo", base_url=server.base_url) as anonymous:
        download = anonymous.applications.download_ccz(app_id="app-1")
    assert download.filename == "visit-tracker.ccz" and download.content == ccz()
    assert "Authorization" not in server.seen[0].headers
