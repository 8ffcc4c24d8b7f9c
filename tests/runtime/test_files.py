"""Files sent and received by a generated client, on a real loopback server, sync and async.

Each upload is read back by parsers we did not write: the standard library's MIME parser for multipart
(RFC 7578), and openapi-core's request validation for the raw body, which must be the given bytes exactly.
"""

from __future__ import annotations

import asyncio
import base64
import email.message
import email.parser
import email.policy
import importlib
import io
import urllib.parse
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

from ._clients import Blocking, generate_package
from ._file_specs import FILES, FILES_MODULE
from ._server import Reply, Seen, Server, ok

PDF = b"%PDF-1.7\r\n\x00\xff binary \r\n--not-a-boundary\r\n" * 50
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 3


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    folder = generate_package(tmp_path_factory.mktemp("files-package"), FILES_MODULE, FILES)
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(FILES_MODULE)
    finally:
        sys.path.remove(str(folder))
        for name in [n for n in sys.modules if n.split(".")[0] == FILES_MODULE]:
            del sys.modules[name]


@pytest.fixture(params=["sync", "async"])
def client(request: pytest.FixtureRequest, files: ModuleType, server: Server) -> Iterator[Any]:
    if request.param == "sync":
        made = files.Files(base_url=server.url, max_retries=2)
        made._sleep_sync = lambda delay: None
        try:
            yield made
        finally:
            made.close()
        return
    loop = asyncio.new_event_loop()
    made = files.AsyncFiles(base_url=server.url, max_retries=2)

    async def no_wait(delay: float) -> None:
        return None

    made._sleep_async = no_wait
    try:
        yield Blocking(made, loop)
    finally:
        loop.run_until_complete(made.close())
        loop.run_until_complete(loop.shutdown_default_executor())
        loop.close()


def _parts(seen: Seen) -> list[email.message.Message]:
    head = f"Content-Type: {seen.headers['content-type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + seen.body)
    assert message.is_multipart()
    return list(message.iter_parts())


def _file(part: email.message.Message) -> tuple[str | None, str | None, str, bytes]:
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return (part.get_param("name", header="content-disposition"), part.get_filename(),  # type: ignore[return-value]
            part.get_content_type(), payload)


# ---- multipart (RFC 7578)

def _inputs(folder: Path) -> list[tuple[str, Any, str, str]]:
    """(case, value given for the `file` field, filename expected, Content-Type expected)."""
    report = folder / "report.pdf"
    report.write_bytes(PDF)
    return [
        ("bytes", PDF, "upload", "application/pdf"),  # no name: a neutral one; the type declared by the spec
        ("bytearray", bytearray(PDF), "upload", "application/pdf"),
        ("memoryview", memoryview(PDF), "upload", "application/pdf"),
        ("path", report, "report.pdf", "application/pdf"),
        ("open", open(report, "rb"), "report.pdf", "application/pdf"),  # noqa: SIM115 - closed by the test
        ("bytesio", io.BytesIO(PDF), "upload", "application/pdf"),
        ("tuple2", ("scan.pdf", PDF), "scan.pdf", "application/pdf"),
        ("tuple3", ("scan.png", PDF, "image/png"), "scan.png", "image/png"),  # the tuple's type wins
        ("tuple-path", ("renamed.pdf", report), "renamed.pdf", "application/pdf"),
        ("tuple-dirs", ("..\\..\\secret/x.pdf", PDF), "x.pdf", "application/pdf"),  # no directory goes out
    ]


CASES = ["bytes", "bytearray", "memoryview", "path", "open", "bytesio", "tuple2", "tuple3", "tuple-path",
         "tuple-dirs"]


@pytest.mark.parametrize("case", CASES)
def test_each_file_input_is_one_file_part(client: Any, server: Server, tmp_path: Path, case: str) -> None:
    server.route("POST", "/documents", ok({"id": "d1"}, status=201))
    given, filename, content_type = next((v, f, t) for c, v, f, t in _inputs(tmp_path) if c == case)
    try:
        client.documents.upload(file=given, title="Q3")
    finally:
        if hasattr(given, "close"):
            given.close()
    file_part, title = _parts(server.seen("POST", "/documents")[0])
    assert _file(file_part) == ("file", filename, content_type, PDF)
    assert title.get_filename() is None and title.get_payload(decode=True) == b"Q3"


def test_several_files_of_one_field_are_parts_of_the_same_name(client: Any, server: Server, tmp_path: Path) -> None:
    server.route("POST", "/documents", ok({"id": "d1"}, status=201))
    notes, picture = tmp_path / "notes.txt", tmp_path / "dir" / "picture.png"
    picture.parent.mkdir()
    notes.write_bytes(b"line 1\r\nline 2\n")
    picture.write_bytes(PNG)
    with open(picture, "rb") as opened:
        client.documents.upload(file=PDF, attachments=[notes, opened, ("raw.bin", b"\x00\x01"), io.BytesIO(b"x")])
    parts = [_file(p) for p in _parts(server.seen("POST", "/documents")[0])]
    assert parts == [
        ("file", "upload", "application/pdf", PDF),
        # No Encoding Object for `attachments`: the type is guessed from the name (stdlib mimetypes).
        ("attachments", "notes.txt", "text/plain", b"line 1\r\nline 2\n"),
        ("attachments", "picture.png", "image/png", PNG),
        ("attachments", "raw.bin", "application/octet-stream", b"\x00\x01"),
        ("attachments", "upload", "application/octet-stream", b"x"),
    ]


def test_a_path_is_opened_for_each_request(client: Any, server: Server, tmp_path: Path) -> None:
    # The same path in two calls: each reads the whole file (nothing is left open or half read).
    # Retries are checked on the raw upload below (a PUT, so a 503 is retried).
    report = tmp_path / "report.pdf"
    report.write_bytes(PDF)
    server.route("POST", "/documents", ok({"id": "d1"}, status=201))
    client.documents.upload(file=report)
    client.documents.upload(file=report)
    bodies = [_file(_parts(s)[0])[3] for s in server.seen("POST", "/documents")]
    assert bodies == [PDF, PDF]


# ---- raw uploads

OPENAPI = OpenAPI.from_dict(yaml.safe_load(FILES))


class _Wire:
    """What the server received, as openapi-core reads a request."""

    def __init__(self, seen: Seen) -> None:
        self.seen = seen
        self.host_url = "https://files.example.test"
        self.path = seen.path
        self.full_url_pattern = self.host_url + self.path
        self.method = seen.method.lower()
        self.body = seen.body
        self.content_type = seen.headers.get("content-type", "")
        self.parameters = RequestParameters(query=ImmutableMultiDict(), header=Headers(list(seen.headers.items())),
                                            cookie=ImmutableMultiDict())


def _validated_body(seen: Seen) -> bytes:
    """The body as openapi-core reads it, after it found the request valid for the spec."""
    result = OPENAPI.unmarshal_request(_Wire(seen))
    assert not result.errors, result.errors
    assert isinstance(result.body, bytes)
    return result.body


class _Pipe:
    """A file object that cannot seek: the read end of an OS pipe, fed by a thread."""

    def __init__(self, data: bytes) -> None:
        read, write = os.pipe()
        self.file = os.fdopen(read, "rb")
        self._writer = threading.Thread(target=self._feed, args=(write, data))
        self._writer.start()

    @staticmethod
    def _feed(fd: int, data: bytes) -> None:
        with os.fdopen(fd, "wb") as out:
            out.write(data)

    def close(self) -> None:
        self.file.close()
        self._writer.join(timeout=5)


def _raw_inputs(folder: Path) -> list[tuple[str, Any, bytes]]:
    blob = folder / "blob.bin"
    blob.write_bytes(PDF)
    moved = io.BytesIO(b"skip me|" + PDF)
    moved.seek(len(b"skip me|"))  # sent from where the caller left it
    return [
        ("bytes", PDF, PDF),
        ("bytearray", bytearray(PDF), PDF),
        ("memoryview", memoryview(PDF), PDF),
        ("path", blob, PDF),
        ("open", open(blob, "rb"), PDF),  # noqa: SIM115 - closed by the test
        ("bytesio-offset", moved, PDF),
        ("tuple", ("blob.bin", PDF), PDF),
    ]


RAW_CASES = ["bytes", "bytearray", "memoryview", "path", "open", "bytesio-offset", "tuple"]


@pytest.mark.parametrize("case", RAW_CASES)
def test_a_raw_upload_arrives_byte_for_byte(client: Any, server: Server, tmp_path: Path, case: str) -> None:
    server.route("PUT", "/documents/d1/content", Reply(status=204))
    given, expected = next((v, e) for c, v, e in _raw_inputs(tmp_path) if c == case)
    try:
        client.documents.replace_content("d1", body=given)
    finally:
        if hasattr(given, "close"):
            given.close()
    (seen,) = server.seen("PUT", "/documents/d1/content")
    assert seen.headers["content-type"] == "application/octet-stream"
    assert seen.headers["content-length"] == str(len(expected))  # the size is known beforehand
    assert "transfer-encoding" not in seen.headers
    assert _validated_body(seen) == expected


def test_a_stream_that_cannot_seek_is_sent_chunked(client: Any, server: Server) -> None:
    server.route("PUT", "/documents/d1/content", Reply(status=204))
    pipe = _Pipe(PDF * 20)
    try:
        client.documents.replace_content("d1", body=pipe.file)
    finally:
        pipe.close()
    (seen,) = server.seen("PUT", "/documents/d1/content")
    assert seen.headers["transfer-encoding"] == "chunked" and "content-length" not in seen.headers
    assert _validated_body(seen) == PDF * 20


def test_a_tuple_names_the_content_type(client: Any, server: Server) -> None:
    server.route("PUT", "/documents/d1/content", Reply(status=204))
    client.documents.replace_content("d1", body=("a.bin", b"\x00", "application/x-custom"))
    assert server.seen()[0].headers["content-type"] == "application/x-custom"


def test_text_is_not_a_file(client: Any, server: Server) -> None:
    with pytest.raises(TypeError, match="bytes, a path, a binary file object"):
        client.documents.replace_content("d1", body=12)
    assert server.hits() == 0


# ---- retries resend the same bytes

BUSY = Reply(status=503, headers={"Retry-After": "0"})


@pytest.mark.parametrize("source", ["path", "open", "bytesio-offset"])
def test_a_retry_resends_the_same_bytes(client: Any, server: Server, tmp_path: Path, source: str) -> None:
    server.route("PUT", "/documents/d1/content", BUSY, Reply(status=204))
    given = next(v for c, v, _ in _raw_inputs(tmp_path) if c == source)
    try:
        client.documents.replace_content("d1", body=given)
    finally:
        if hasattr(given, "close"):
            given.close()
    first, second = server.seen("PUT", "/documents/d1/content")
    assert first.body == second.body == PDF
    assert first.headers["content-length"] == second.headers["content-length"] == str(len(PDF))


def test_a_stream_that_cannot_seek_is_sent_once(client: Any, server: Server, files: ModuleType) -> None:
    server.route("PUT", "/documents/d1/content", BUSY, Reply(status=204))
    pipe = _Pipe(PDF)
    try:
        with pytest.raises(files.InternalServerError) as raised:
            client.documents.replace_content("d1", body=pipe.file)
    finally:
        pipe.close()
    assert raised.value.status_code == 503
    (seen,) = server.seen("PUT", "/documents/d1/content")
    assert seen.body == PDF


def test_bytes_are_retried_as_before(client: Any, server: Server) -> None:
    server.route("PUT", "/documents/d1/content", BUSY, Reply(status=204))
    client.documents.replace_content("d1", body=PDF)
    assert [s.body for s in server.seen()] == [PDF, PDF]


# ---- downloads

DISPOSITION = "attachment; filename=\"..\\\\..\\\\evil.pdf\"; filename*=UTF-8''%E2%82%AC%20rates.pdf"


def test_a_download_names_its_file_safely(client: Any, server: Server, files: ModuleType, tmp_path: Path) -> None:
    server.route("GET", "/documents/d1/content",
                 Reply(body=PDF, headers={"Content-Type": "application/pdf", "Content-Disposition": DISPOSITION}))
    result = client.documents.download("d1")
    assert isinstance(result, files.BinaryResponse)
    assert result.content == PDF and result.filename == "€ rates.pdf"
    opening = client.with_streaming_response.documents.download("d1")
    with Blocking(opening, client._loop) if isinstance(client, Blocking) else opening as streamed:
        assert streamed.suggested_filename == "€ rates.pdf"
        streamed.stream_to_file(tmp_path / "out.pdf")
    assert (tmp_path / "out.pdf").read_bytes() == PDF


def test_an_unsafe_name_is_none(client: Any, server: Server) -> None:
    server.route("GET", "/documents/d1/content",
                 Reply(body=b"x", headers={"Content-Type": "application/pdf",
                                           "Content-Disposition": 'attachment; filename=".."'}))
    assert client.documents.download("d1").filename is None
    raw = client.with_raw_response.documents.download("d1")
    if isinstance(client, Blocking):
        raw = client._loop.run_until_complete(raw)
    assert raw.suggested_filename is None


def test_the_docstring_of_a_download_points_at_streaming(files: ModuleType) -> None:
    for cls in (files.resources.documents.Documents, files.resources.documents.AsyncDocuments):
        text = " ".join((cls.download.__doc__ or "").split())
        assert "client.with_streaming_response" in text and "stream_to_file(path)" in text
        assert "with_streaming_response" not in (cls.replace_content.__doc__ or "")


def test_file_input_is_exported(files: ModuleType) -> None:
    assert files.FileInput is importlib.import_module(f"{FILES_MODULE}._files").FileInput


# ---- the type checker

USER_CODE = '''\
from __future__ import annotations

import io
from pathlib import Path

from rt_files_client import AsyncFiles, FileInput, Files


def send(client: Files, folder: Path) -> None:
    client.documents.upload(file=folder / "a.pdf", title="t")
    with open(folder / "a.pdf", "rb") as opened:
        client.documents.upload(file=opened, attachments=[folder / "b.png", io.BytesIO(b"x"), b"raw"])
    client.documents.upload(file=("a.pdf", b"%PDF"))
    client.documents.upload(file=("a.png", io.BytesIO(b"x"), "image/png"))
    client.documents.upload(file=(None, bytearray(b"x")))
    client.documents.replace_content("d1", body=folder / "a.bin")
    client.documents.replace_content("d1", body=memoryview(b"x"))
    given: FileInput = b"x"
    client.documents.replace_content("d1", body=given)


async def send_async(client: AsyncFiles, folder: Path) -> None:
    with open(folder / "a.bin", "rb") as opened:
        await client.documents.replace_content("d1", body=opened)
'''

WRONG_CODE = '''\
from __future__ import annotations

from rt_files_client import Files


def send(client: Files) -> None:
    client.documents.upload(file="a.pdf")
    client.documents.replace_content("d1", body=12)
    with open("a.txt") as text:
        client.documents.replace_content("d1", body=text)
'''


def test_mypy_strict_takes_paths_files_and_tuples(files: ModuleType, tmp_path: Path) -> None:
    import subprocess

    (tmp_path / "user_ok.py").write_text(USER_CODE, encoding="utf-8")
    (tmp_path / "user_wrong.py").write_text(WRONG_CODE, encoding="utf-8")
    folder = Path(files.__file__).parent.parent
    done = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / "cache"),
                           "user_ok.py", "user_wrong.py"], cwd=tmp_path, capture_output=True, text=True,
                          env={**os.environ, "MYPYPATH": str(folder)}, timeout=600, check=False)
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    assert not [e for e in errors if e.startswith("user_ok.py")], done.stdout
    # A str (a path given as text), an int and a text-mode file are refused (lines 7, 8, 10).
    assert sorted({int(e.split(":")[1]) for e in errors if e.startswith("user_wrong.py")}) == [7, 8, 10], done.stdout


# ---- file parts: from where a file stands, chunked when it cannot seek, and then sent once


def test_a_file_part_goes_from_where_the_file_stands_and_again_on_a_retry(client: Any, server: Server) -> None:
    server.route("POST", "/documents", BUSY, ok({"id": "d1"}, status=201))
    given = io.BytesIO(b"HEADER" + PDF)
    given.seek(6)
    client.documents.upload(file=given, title="Q3")
    first, second = server.seen("POST", "/documents")
    assert _file(_parts(first)[0])[3] == _file(_parts(second)[0])[3] == PDF


def test_a_file_part_that_cannot_seek_is_sent_chunked_and_once(client: Any, server: Server,
                                                              files: ModuleType) -> None:
    server.route("POST", "/documents", BUSY, ok({"id": "d1"}, status=201))
    pipe = _Pipe(PDF * 4)
    try:
        with pytest.raises(files.InternalServerError):
            client.documents.upload(file=pipe.file, title="Q3")
    finally:
        pipe.close()
    (seen,) = server.seen("POST", "/documents")  # not resent: a second send would carry an empty part
    assert seen.headers.get("transfer-encoding") == "chunked" and "content-length" not in seen.headers
    assert _file(_parts(seen)[0])[3] == PDF * 4


def test_extra_body_adds_a_field_and_the_file_stays_a_file(client: Any, server: Server) -> None:
    server.route("POST", "/documents", ok({"id": "d1"}, status=201))
    client.documents.upload(file=("report.pdf", PDF), title="Q3", extra_body={"client_ref": "abc"})
    parts = _parts(server.seen("POST", "/documents")[0])
    assert _file(parts[0]) == ("file", "report.pdf", "application/pdf", PDF)
    assert [(p.get_param("name", header="content-disposition"), p.get_payload(decode=True)) for p in parts[1:]] == [
        ("title", b"Q3"), ("client_ref", b"abc")]


def test_bytes_in_a_urlencoded_form_are_their_octets_and_a_file_is_refused(client: Any, server: Server,
                                                                            files: ModuleType, tmp_path: Path) -> None:
    server.route("POST", "/documents/d1/signature", Reply(status=204))
    client.documents.sign("d1", signature=b"\x00\xff a+b")
    (seen,) = server.seen("POST", "/documents/d1/signature")
    assert urllib.parse.parse_qs(seen.body.decode("ascii"), encoding="latin-1") == {"signature": ["\x00\xff a+b"]}
    secret = tmp_path / "secret.bin"
    secret.write_bytes(b"x")
    with pytest.raises(files.ConfigurationError, match="urlencoded form"):
        client.documents.sign("d1", signature=secret)
    assert server.hits("POST", "/documents/d1/signature") == 1  # the path never went out


# ---- a Content-Type is a type, never a range (RFC 9110 8.3)


def test_a_part_is_typed_by_its_file_where_the_spec_allows_several(client: Any, server: Server) -> None:
    server.route("POST", "/documents", ok({"id": "d1"}, status=201))
    client.documents.upload(file=("scan.png", PNG), scans=[("a.png", PNG), ("b.jpg", b"\xff\xd8"), b"?"])
    parts = [_file(p)[:3] for p in _parts(server.seen("POST", "/documents")[0])]
    assert parts == [("file", "scan.png", "image/png"),  # one of "application/pdf, image/png"
                     ("scans", "a.png", "image/png"), ("scans", "b.jpg", "image/jpeg"),  # under image/*
                     ("scans", "upload", "application/octet-stream")]  # nothing concrete to go by


def test_a_raw_body_under_a_range_is_typed_by_its_file(client: Any, server: Server) -> None:
    server.route("PUT", "/documents/d1/picture", Reply(status=204), Reply(status=204))
    client.documents.replace_picture("d1", body=("cat.jpg", b"\xff\xd8"))
    client.documents.replace_picture("d1", body=b"\x89PNG")
    assert [s.headers["content-type"] for s in server.seen("PUT", "/documents/d1/picture")] == [
        "image/jpeg", "application/octet-stream"]


def test_a_file_name_that_is_not_utf8_goes_with_replacement_characters(client: Any, server: Server,
                                                                       tmp_path: Path) -> None:
    server.route("POST", "/documents", ok({"id": "d1"}, status=201))
    odd = Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9.pdf"))  # the name as Linux hands it over
    odd.write_bytes(PDF)
    client.documents.upload(file=odd)
    assert _file(_parts(server.seen("POST", "/documents")[0])[0]) == ("file", "caf\ufffd.pdf", "application/pdf", PDF)


def test_a_body_whose_schema_says_base64_goes_as_base64(client: Any, server: Server, tmp_path: Path) -> None:
    """OpenAPI 3.1.0, Considerations for File Uploads: `contentEncoding: base64` is the bytes in base64."""
    server.route("PUT", "/documents/d1/thumbnail", Reply(status=204), Reply(status=204))
    picture = tmp_path / "thumb.png"
    picture.write_bytes(PNG)
    client.documents.replace_thumbnail("d1", body=PNG)
    client.documents.replace_thumbnail("d1", body=picture)
    for seen in server.seen("PUT", "/documents/d1/thumbnail"):
        assert base64.b64decode(seen.body, validate=True) == PNG
        assert seen.headers["content-type"] == "image/png" and seen.headers["content-length"] == str(len(seen.body))
