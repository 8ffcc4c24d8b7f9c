"""Files sent by the client, read back by openapi-core (an OpenAPI implementation we did not write): a raw
body must be the file's bytes, a multipart body must have each file's bytes under its field's name.

Drawn bytes in every form the file arguments take are covered by the round trip over the `files` corpus
(test_round_trip.py with harness.Case); here, the forms a drawing cannot make: paths and files on disk.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import httpx
import pytest

from .corpus_packages import corpus_package
from .harness import Case, Draw, Package
from .wire import WireRequest

DATA = b"%PDF-1.7\r\n\x00\xff\r\n--x\r\n" * 40
PNG = b"\x89PNG\r\n\x1a\n\x00" * 30


@pytest.fixture(scope="module")
def files() -> Package:
    return corpus_package("files")


def _case(package: Package, operation_id: str) -> Case:
    return next(c for c in package.cases() if c.op.operation_id == operation_id)


def _read(package: Package, request: httpx.Request) -> Any:
    outcome = package.openapi.unmarshal_request(WireRequest(request))
    assert not outcome.errors, outcome.errors
    return outcome.body


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("form", ["path", "open", "tuple-path", "bytesio"])
@pytest.mark.parametrize("operation_id", ["documents_replace", "sheets_import"])
def test_a_raw_body_from_a_file(files: Package, tmp_path: Path, form: str, operation_id: str,
                                use_async: bool) -> None:
    source = tmp_path / "upload.bin"
    source.write_bytes(DATA)
    opened = open(source, "rb")  # noqa: SIM115 - closed below
    given: Any = {"path": source, "open": opened, "tuple-path": ("x.bin", source), "bytesio": io.BytesIO(DATA)}[form]
    params = {("path", "document_id"): "d1"} if operation_id == "documents_replace" else {}
    try:
        request, _ = _case(files, operation_id).call(Draw(params=params, body=given), use_async=use_async)
    finally:
        opened.close()
    assert _read(files, request) == DATA
    assert request.headers["content-length"] == str(len(DATA))


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_multipart_files_from_disk(files: Package, tmp_path: Path, use_async: bool) -> None:
    report, picture = tmp_path / "report.pdf", tmp_path / "picture.png"
    report.write_bytes(DATA)
    picture.write_bytes(PNG)
    with open(picture, "rb") as opened:
        body = {"file": report, "attachments": [picture, opened, ("old.bin", io.BytesIO(b"\x00old"))],
                "title": "Q3 report"}
        request, _ = _case(files, "documents_upload").call(Draw(body=body), use_async=use_async)
    read = _read(files, request)
    assert read["file"] == DATA and read["title"] == "Q3 report"
    assert read["attachments"] == [PNG, PNG, b"\x00old"]
