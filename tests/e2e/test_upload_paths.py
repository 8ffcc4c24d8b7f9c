"""A pathlib.Path in a multipart field is the file it names (RFC 7578 file part), never text holding the path.

The body on the wire is read back with the standard library's MIME parser, not with our own code.
"""

from __future__ import annotations

import email.parser
import email.policy
from pathlib import Path

import httpx

from .loopback import use_generated

use_generated("commcare")

from commcare_client._form import multipart_body  # noqa: E402


def _parts(files: list[tuple[str, object]]) -> list[email.message.Message]:
    request = httpx.Request("POST", "https://example.org/upload", files=files)  # type: ignore[arg-type]
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.read())
    return list(message.iter_parts())


def test_a_path_is_sent_as_the_file_it_names(tmp_path: Path) -> None:
    sheet = tmp_path / "cases.xlsx"
    sheet.write_bytes(b"PK\x03\x04 not really a workbook \x00\xff")
    part, text = _parts(multipart_body({"file": sheet, "case_type": "patient"}, {}))
    assert part.get_param("name", header="content-disposition") == "file"
    assert part.get_filename() == "cases.xlsx"
    assert part.get_content_type() == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert part.get_payload(decode=True) == sheet.read_bytes()
    assert text.get_filename() is None and text.get_payload(decode=True) == b"patient"


def test_a_path_with_an_unknown_suffix_is_octet_stream_and_a_declared_type_wins(tmp_path: Path) -> None:
    from commcare_client._operation import FieldEncoding

    blob = tmp_path / "photo.unknownsuffix"
    blob.write_bytes(b"\x89PNG")
    (plain,) = _parts(multipart_body({"file": blob}, {}))
    assert plain.get_content_type() == "application/octet-stream"
    (declared,) = _parts(multipart_body({"file": blob}, {"file": FieldEncoding(content_type="image/png")}))
    assert declared.get_content_type() == "image/png" and declared.get_payload(decode=True) == b"\x89PNG"
