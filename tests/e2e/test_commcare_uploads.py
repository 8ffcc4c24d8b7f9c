"""CommCare's spreadsheet case import on the wire: the file and fields go as RFC 7578 parts (read back by the
standard library's MIME parser), and the job follows the absolute `status_url` of the answer, moved from the
vendor's host to the configured base_url, until the import is done or failed; a status URL elsewhere is
never requested."""

from __future__ import annotations

import asyncio
import email.message
import email.parser
import email.policy
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from .loopback import Answer, Seen, Server, serve, use_generated

use_generated("commcare")

from commcare_client import AsyncCommCare, CommCare, InternalServerError, LongRunningFailed, models  # noqa: E402

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UPLOAD = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"


def workbook() -> bytes:
    """Bytes shaped like an .xlsx (a zip); the importer is not run here, only carried."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def parts(request: Seen) -> list[email.message.Message]:
    head = f"Content-Type: {request.headers['Content-Type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.body)
    assert message.is_multipart()
    return list(message.iter_parts())  # type: ignore[attr-defined]


def route(server: Server, request: Seen) -> Answer:
    if request.path == "/a/demo/importer/excel/bulk_upload_api/":
        if server.state.get("refuse"):
            return Answer(500, {"code": 500, "message": "Please upload file with one of the following extensions: xlsx"})
        where = server.state.get("status_host", "https://www.commcarehq.org")
        return Answer(200, {"code": 200, "message": "success",
                            "status_url": f"{where}/a/demo/importer/status/{UPLOAD}/"})
    if request.path == f"/a/demo/importer/status/{UPLOAD}/":
        states = server.state.setdefault("states", [0, 1, 2])
        state = states.pop(0) if len(states) > 1 else states[0]
        result = {"match_count": 3, "created_count": 2, "num_chunks": 1,
                  "errors": [{"title": "Invalid date", "description": "dob", "column": "dob", "rows": [4]}]}
        return Answer(200, {"state": state, "progress": {"percent": 100 if state >= 2 else 40},
                            "result": result if state >= 2 else None})
    return Answer(404)


@pytest.fixture
def server() -> Iterator[Server]:
    with serve(route) as running:
        yield running


def client(server: Server) -> CommCare:
    return CommCare(domain="demo", username="me@example.org", api_key="k", base_url=server.base_url)


def check_upload(server: Server) -> None:
    upload = server.seen[0]
    assert (upload.method, upload.path) == ("POST", "/a/demo/importer/excel/bulk_upload_api/")
    found = {p.get_param("name", header="content-disposition"): p for p in parts(upload)}
    assert list(found) == ["file", "case_type", "search_field", "create_new_cases"]
    sheet = found["file"]
    assert sheet.get_filename() == "households.xlsx" and sheet.get_content_type() == XLSX
    assert sheet.get_payload(decode=True) == workbook()
    assert {k: found[k].get_payload(decode=True) for k in ("case_type", "search_field", "create_new_cases")} == {
        "case_type": b"household", "search_field": b"external_id", "create_new_cases": b"on"}


def test_an_import_uploads_the_file_and_waits_for_its_result(server: Server, tmp_path: Path) -> None:
    sheet = tmp_path / "households.xlsx"
    sheet.write_bytes(workbook())
    with client(server) as commcare:
        job = commcare.case_imports.create(file=sheet, case_type="household", search_field="external_id",
                                           create_new_cases=True)
        assert job.accepted.status_url is not None and job.accepted.status_url.endswith(f"/{UPLOAD}/")
        status = job.wait(timeout=10, interval=0.01)
    assert isinstance(status, models.CaseImportStatus) and status.state == 2
    assert status.result is not None and status.result.created_count == 2
    assert status.result.errors is not None and status.result.errors[0].rows == [4]
    check_upload(server)
    assert [r.path for r in server.seen[1:]] == [f"/a/demo/importer/status/{UPLOAD}/"] * 3


def test_the_async_client_does_the_same(server: Server) -> None:
    async def run() -> models.CaseImportStatus:
        async with AsyncCommCare(domain="demo", username="me@example.org", api_key="k",
                                 base_url=server.base_url) as commcare:
            job = await commcare.case_imports.create(file=("households.xlsx", workbook()), case_type="household",
                                                     search_field="external_id", create_new_cases=True)
            return await job.wait(timeout=10, interval=0.01)

    assert asyncio.run(run()).state == 2
    check_upload(server)


def test_a_failed_import_raises_with_its_status(server: Server) -> None:
    server.state["states"] = [1, 3]
    with client(server) as commcare:
        job = commcare.case_imports.create(file=("households.xlsx", workbook()), case_type="household")
        with pytest.raises(LongRunningFailed) as failed:
            job.wait(timeout=10, interval=0.01)
    assert failed.value.status == "3"


def test_a_refused_file_raises_the_server_error_with_its_message(server: Server) -> None:
    server.state["refuse"] = True
    with client(server) as commcare, pytest.raises(InternalServerError) as refused:
        commcare.case_imports.create(file=("households.csv", b"a,b\n"), case_type="household")
    assert refused.value.body == {"code": 500, "message": "Please upload file with one of the following extensions: xlsx"}
    assert len(server.seen) == 1  # an upload is not retried


def test_a_status_url_on_another_host_is_never_followed(server: Server) -> None:
    server.state["status_host"] = "https://collector.example"
    with client(server) as commcare, pytest.raises(LongRunningFailed):
        commcare.case_imports.create(file=("households.xlsx", workbook()), case_type="household")
    assert len(server.seen) == 1
