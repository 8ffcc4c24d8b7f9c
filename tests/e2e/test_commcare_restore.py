"""CommCare's restore on the wire: the OpenRosa document a phone syncs, read as XML (compared with the
standard library's reading of the same bytes), a 202 "being prepared" answer with its Retry-After, a 412
sync-token refusal raised with its XML body, and a large restore streamed to a file."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from .loopback import Answer, Seen, Server, serve, use_generated

use_generated("commcare")

from commcare_client import APIStatusError, CommCare  # noqa: E402

RESPONSE = "http://openrosa.org/http/response"
SYNC = "http://commcarehq.org/sync"
CASES = "".join(f'<case xmlns="http://commcarehq.org/case/transaction/v2" case_id="c-{n}"><create>'
                f"<case_type>patient</case_type></create></case>" for n in range(2000))
RESTORE = (f'<OpenRosaResponse xmlns="{RESPONSE}" items="2001"><message nature="ota_restore_success">Successfully '
           f'restored account jane!</message><Sync xmlns="{SYNC}"><restore_id>r-2</restore_id></Sync>{CASES}'
           "</OpenRosaResponse>").encode()
PENDING = (f'<OpenRosaResponse xmlns="{RESPONSE}"><message nature="ota_restore_pending">Asynchronous restore under '
           f'way for jane</message><Sync xmlns="{SYNC}"><progress done="40" total="100" retry-after="5"/></Sync>'
           "</OpenRosaResponse>").encode()
REFUSED = (f'<OpenRosaResponse xmlns="{RESPONSE}"><message nature="ota_restore_error">Invalid sync token r-0'
           "</message></OpenRosaResponse>").encode()


def route(server: Server, request: Seen) -> Answer:
    if request.path != "/a/demo/phone/restore/":
        return Answer(404)
    if request.query.get("since") == ["r-0"]:
        return Answer(412, REFUSED, content_type="text/xml; charset=utf-8")
    if server.state.setdefault("pending", 1) > 0:
        server.state["pending"] -= 1
        return Answer(202, PENDING, {"Retry-After": "5"}, content_type="text/xml; charset=utf-8")
    return Answer(200, RESTORE, content_type="text/xml; charset=utf-8")


@pytest.fixture
def server() -> Iterator[Server]:
    with serve(route) as running:
        yield running


def worker(server: Server) -> CommCare:
    return CommCare(domain="demo", username="jane@demo.commcarehq.org", password="pw", base_url=server.base_url)


def test_a_restore_after_it_was_prepared(server: Server) -> None:
    with worker(server) as commcare:
        first = commcare.with_raw_response.restores.retrieve(items=True, device_id="api")
        assert first.status_code == 202 and first.headers["Retry-After"] == "5"
        progress = first.parse().find(f"{{{SYNC}}}Sync/{{{SYNC}}}progress")
        assert progress is not None and (progress.get("done"), progress.get("total")) == ("40", "100")
        restore = commcare.restores.retrieve(items=True, device_id="api")
    assert ET.tostring(restore) == ET.tostring(ET.fromstring(RESTORE))
    assert restore.findtext(f"{{{SYNC}}}Sync/{{{SYNC}}}restore_id") == "r-2"
    assert [r.query for r in server.seen] == [{"items": ["true"], "device_id": ["api"]}] * 2
    assert all(r.headers["Authorization"].startswith("Basic ") for r in server.seen)


def test_a_refused_sync_token_raises_with_the_openrosa_answer(server: Server) -> None:
    with worker(server) as commcare, pytest.raises(APIStatusError) as refused:
        commcare.restores.retrieve(since="r-0")
    assert refused.value.status_code == 412 and refused.value.response.content == REFUSED
    assert len(server.seen) == 1


def test_a_large_restore_streams_to_a_file(server: Server, tmp_path: Path) -> None:
    server.state["pending"] = 0
    with worker(server) as commcare:
        with commcare.with_streaming_response.restores.retrieve() as response:
            response.stream_to_file(tmp_path / "restore.xml")
    assert (tmp_path / "restore.xml").read_bytes() == RESTORE
