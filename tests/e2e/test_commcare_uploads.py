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
    """Bytes shaped like an .xlsx (a zip); the importer is not run here, only carried.

    The entry's date is fixed: the test compares two calls' bytes, which a clock tick between them would part.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("xl/workbook.xml", date_time=(2026, 1, 1, 0, 0, 0)), "<workbook/>")
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


# ---- lookup tables from a spreadsheet, and an application's multimedia: jobs whose status is a flag

DOWNLOAD = "dl-7c5b3f2e9a1d4e8b6c0f4a2d9e7b1c3a"


def flag_route(server: Server, request: Seen) -> Answer:
    if request.path == "/a/demo/fixtures/fixapi/":
        if server.state.get("refuse"):
            return Answer(200, {"message": "Please fix the following formatting issues in your Excel file: ...",
                                "code": 405})
        return Answer(200, {"message": "File has been uploaded successfully and is queued for processing.",
                            "code": 200, "download_id": DOWNLOAD,
                            "status_url": f"https://www.commcarehq.org/a/demo/fixtures/fixapi/status/{DOWNLOAD}/"})
    if request.path == f"/a/demo/fixtures/fixapi/status/{DOWNLOAD}/":
        answers = server.state.setdefault("fixture", [{"message": "Task in progress. 40% complete", "progress": 40},
                                                      {"complete": True, "message": "Upload complete."}])
        return Answer(200, answers.pop(0) if len(answers) > 1 else answers[0])
    if request.path == "/a/demo/apps/api/app-1/multimedia/":
        return Answer(200, {"success": True, "processing_id": "p-1"})
    if request.path == "/a/demo/apps/api/app-1/multimedia/status/p-1/":
        done = server.state.setdefault("media", 0) >= 1
        server.state["media"] += 1
        return Answer(200, {"success": True, "complete": done, "matched_count": 2 if done else 0,
                            "matched_files": {"CommCareImage": ["jr://file/commcare/image/logo.png"]} if done else {},
                            "errors": []})
    return Answer(404)


@pytest.fixture
def flags() -> Iterator[Server]:
    with serve(flag_route) as running:
        yield running


def test_a_lookup_table_upload_waits_until_complete(flags: Server) -> None:
    with client(flags) as commcare:
        job = commcare.lookup_tables.upload(file_to_upload=("tables.xlsx", workbook()), replace=True, async_=True)
        assert job.id == DOWNLOAD
        status = job.wait(timeout=10, interval=0.01)
    assert status.complete is True and job.last_status == "complete"
    upload = flags.seen[0]
    found = {p.get_param("name", header="content-disposition"): p for p in parts(upload)}
    assert list(found) == ["file-to-upload", "replace", "async"]
    assert found["file-to-upload"].get_filename() == "tables.xlsx"
    assert (found["replace"].get_payload(decode=True), found["async"].get_payload(decode=True)) == (b"true", b"true")
    assert [r.path for r in flags.seen[1:]] == [f"/a/demo/fixtures/fixapi/status/{DOWNLOAD}/"] * 2


def test_a_failed_lookup_table_upload_raises_with_the_reason(flags: Server) -> None:
    flags.state["fixture"] = [{"error": True, "message": "Upload did not complete. Reason: 'bad sheet'"}]
    with client(flags) as commcare:
        job = commcare.lookup_tables.upload(file_to_upload=("tables.xlsx", workbook()), replace=False, async_=True)
        with pytest.raises(LongRunningFailed) as failed:
            job.wait(timeout=10, interval=0.01)
    assert failed.value.status == "error" and "bad sheet" in failed.value.result.message


def test_a_refused_spreadsheet_raises_at_once_though_the_status_is_200(flags: Server) -> None:
    flags.state["refuse"] = True
    with client(flags) as commcare, pytest.raises(LongRunningFailed) as refused:
        commcare.lookup_tables.upload(file_to_upload=("tables.xlsx", workbook()), replace=False, async_=True)
    assert refused.value.result.code == 405
    assert len(flags.seen) == 1


def test_multimedia_polls_its_status_in_the_same_application(flags: Server) -> None:
    async def run() -> models.MultimediaStatus:
        async with AsyncCommCare(domain="demo", username="me@example.org", api_key="k",
                                 base_url=flags.base_url) as commcare:
            job = await commcare.applications.upload_multimedia("app-1", bulk_upload_file=("media.zip", workbook()))
            return await job.wait(timeout=10, interval=0.01)

    status = asyncio.run(run())
    assert status.complete is True and status.matched_count == 2
    assert [r.path for r in flags.seen] == ["/a/demo/apps/api/app-1/multimedia/"] + [
        "/a/demo/apps/api/app-1/multimedia/status/p-1/"] * 2
    (zipped,) = parts(flags.seen[0])
    assert zipped.get_param("name", header="content-disposition") == "bulk_upload_file"
    assert zipped.get_content_type() == "application/zip"
