"""Four small specs written for this test alone (tests/e2e/unseen/), generated and run against loopback
servers, sync and async, and judged by parsers we did not write: the standard library's MIME parser and
its RFC 2231 reading of Content-Disposition, ElementTree and xmltodict for XML, and openapi-core for every
request it can read.

- gallery.yaml: a multipart body with an array of files, text fields and a nested object sent as JSON;
- library.yaml: XML with two namespaces, prefixes, attributes, a wrapped and an unwrapped list;
- archive.yaml: a binary download named by Content-Disposition, streamed to a file;
- scans.yaml: a raw upload answered by a job, polled to its typed result.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.message
import email.parser
import email.policy
import importlib
import io
import json
import os
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import xmltodict
import yaml
from click.testing import CliRunner
from openapi_core import OpenAPI

from generator.cli import main

from oracle.wire import WireRequest

from .loopback import Answer, Seen, Server, serve

UNSEEN = Path(__file__).resolve().parent / "unseen"
LIB, TRADE, XLINK = "urn:example:library", "urn:example:trade", "http://www.w3.org/1999/xlink"


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ModuleType]]:
    root = tmp_path_factory.mktemp("unseen")
    found: dict[str, ModuleType] = {}
    for spec in sorted(UNSEEN.glob("*.yaml")):
        module = f"unseen_{spec.stem}_client"
        with contextlib.chdir(root):
            result = CliRunner().invoke(main, ["generate", "-q", str(spec), "--out", spec.stem, "--package", module],
                                        catch_exceptions=False)
        assert result.exit_code == 0, result.output
        sys.path.insert(0, str(root / spec.stem))
        found[spec.stem] = importlib.import_module(module)
    try:
        yield found
    finally:
        for spec in UNSEEN.glob("*.yaml"):
            with contextlib.suppress(ValueError):
                sys.path.remove(str(root / spec.stem))
        for name in [n for n in sys.modules if n.startswith("unseen_")]:
            del sys.modules[name]


def openapi(name: str) -> OpenAPI:
    return OpenAPI.from_dict(yaml.safe_load((UNSEEN / f"{name}.yaml").read_text(encoding="utf-8")))


def as_sent_to(request: Seen, origin: str) -> httpx.Request:
    """The request as it came off the socket, addressed to the spec's server (openapi-core matches on it)."""
    target = request.raw.split(b"\r\n", 1)[0].split(b" ")[1].decode("ascii")
    pairs = [tuple(p.strip() for p in line.decode("latin-1").split(":", 1)) for line in request.header_lines()]
    return httpx.Request(request.method, origin + target, headers=pairs, content=request.body)


def judged(name: str, request: Seen, origin: str) -> Any:
    """What openapi-core reads from the request; it must find nothing wrong."""
    outcome = openapi(name).unmarshal_request(WireRequest(as_sent_to(request, origin)))
    assert not outcome.errors, outcome.errors
    return outcome


def judged_but_the_xml(name: str, request: Seen, origin: str) -> Any:
    """openapi-core's verdict on all but an XML body, which it cannot read by its XML Objects (its document
    is a bare element no object schema accepts; ElementTree and xmltodict judge the body instead)."""
    outcome = openapi(name).unmarshal_request(WireRequest(as_sent_to(request, origin)))
    assert [type(e).__name__ for e in outcome.errors] in ([], ["InvalidRequestBody"]), outcome.errors
    return outcome


def mime_parts(request: Seen) -> list[email.message.Message]:
    head = f"Content-Type: {request.headers['Content-Type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.body)
    assert message.is_multipart() and not message.defects, message.defects
    return list(message.iter_parts())  # type: ignore[attr-defined]


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


# ---- gallery.yaml: an array of files, text fields and a nested object in one multipart body

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\r\n--boundary-lookalike\r\n" * 100


def gallery_route(server: Server, request: Seen) -> Answer:
    if (request.method, request.path) == ("POST", "/v3/albums/a%2F1/photos"):
        return Answer(201, {"uploaded": 3, "ids": ["p-1", "p-2", "p-3"]})
    return Answer(404, {"message": request.path})


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_an_array_of_files_and_a_nested_object_in_one_multipart_body(packages: dict[str, ModuleType],
                                                                     tmp_path: Path, use_async: bool) -> None:
    gallery = packages["gallery"]
    photo = tmp_path / "harbour.jpg"
    photo.write_bytes(JPEG)
    details = gallery.models.Details.model_validate(
        {"place": {"name": "Quai", "lat": 46.2, "lon": 6.15}, "tags": ["lake", "été"], "taken": "2024-07-01"})
    arguments: dict[str, Any] = {
        "photos": [("sunset.png", PNG), photo, io.BytesIO(b"GIF89a not declared")],
        "caption": "Été à Zürich, 2024", "count": 3, "details": details}
    with serve(gallery_route) as server:
        if use_async:
            async def main() -> Any:
                async with gallery.AsyncGallery(access_token="t", base_url=server.base_url + "/v3") as client:
                    return await client.photos.upload("a/1", **arguments)
            uploaded = run(main())
        else:
            with gallery.Gallery(access_token="t", base_url=server.base_url + "/v3") as client:
                uploaded = client.photos.upload("a/1", **arguments)
    assert uploaded.uploaded == 3 and uploaded.ids == ["p-1", "p-2", "p-3"]
    [request] = server.seen
    assert request.headers["Authorization"] == "Bearer t"
    assert int(request.headers["Content-Length"]) == len(request.body)
    parts = mime_parts(request)
    names = [p.get_param("name", header="content-disposition") for p in parts]
    assert names == ["photos", "photos", "photos", "caption", "count", "details"]
    one, two, three = parts[:3]
    assert (one.get_filename(), one.get_content_type(), one.get_payload(decode=True)) == (
        "sunset.png", "image/png", PNG)
    assert (two.get_filename(), two.get_content_type(), two.get_payload(decode=True)) == (
        "harbour.jpg", "image/jpeg", JPEG)
    # No name to guess from: the first type the Encoding Object allows, and the neutral file name.
    assert (three.get_filename(), three.get_content_type(), three.get_payload(decode=True)) == (
        "upload", "image/png", b"GIF89a not declared")
    caption, count, nested = parts[3:]
    assert "content-type" not in caption and caption.get_filename() is None  # text/plain (RFC 7578 4.4)
    assert caption.get_payload(decode=True) == "Été à Zürich, 2024".encode()
    assert count.get_payload(decode=True) == b"3"
    assert nested.get_content_type() == "application/json" and nested.get_filename() is None
    assert json.loads(nested.get_payload(decode=True)) == {
        "place": {"name": "Quai", "lat": 46.2, "lon": 6.15}, "tags": ["lake", "été"], "taken": "2024-07-01"}
    # openapi-core reads multipart text parts as text, never as their schema's type (docs/serialization.md):
    # the integer part is the one thing it finds wrong, and what it read is the rest exactly.
    outcome = openapi("gallery").unmarshal_request(WireRequest(as_sent_to(request, "https://gallery.example.test")))
    [error] = outcome.errors
    read = error.__cause__.value  # type: ignore[union-attr]
    assert [e.message for e in error.__cause__.schema_errors] == ["'3' is not of type 'integer'"]  # type: ignore[union-attr]
    assert read == {"photos": [PNG, JPEG, b"GIF89a not declared"], "caption": "Été à Zürich, 2024", "count": "3",
                    "details": {"place": {"name": "Quai", "lat": 46.2, "lon": 6.15}, "tags": ["lake", "été"],
                                "taken": "2024-07-01"}}
    assert outcome.parameters.path == {"album_id": "a%2F1"} and outcome.security == {"token": "t"}


# ---- library.yaml: XML with namespaces, prefixes, attributes and wrapped lists

SERVED_BOOK = (  # the same book as a server might write it: a default namespace, other prefixes, another
    # order, whitespace, CDATA, an element and an attribute of no known name, xsd's "1" for true
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    f'<book xmlns="{LIB}" xmlns:t="{TRADE}" xmlns:xl="{XLINK}" ISBN="978-0-441-17271-9" id=" 7 "'
    ' xl:href="https://books.example.test/7?a=1&amp;b=2" href="not the xlink one">\n'
    '  <t:publisher code="CH"><t:name><![CDATA[Chilton]]></t:name></t:publisher>\n'
    "  <title>Dune &amp; after</title><shelfmark>ignored</shelfmark>\n"
    '  <subject xmlns="">sf</subject><pages xmlns="">412</pages><subject xmlns="">classic</subject>\n'
    '  <authors><author>Frank Herbert</author></authors><available xmlns="">1</available>\n'
    '  <added xmlns="">1965-08-01</added><printings xmlns=""><printing year="1965"><note>first</note></printing>'
    '<printing year="1990"/></printings>\n'
    '  <title xmlns="">a title in no namespace is another element</title>\n'
    "</book>")
SHELF = (f'<lib:shelf xmlns:lib="{LIB}" label="S9"><lib:books>{SERVED_BOOK.split("?>", 1)[1].strip()}'
         f'<lib:book id="8"><lib:title>Emma</lib:title></lib:book></lib:books></lib:shelf>')
BILLION = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">'
           f'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]><book xmlns="{LIB}"><title>&lol3;</title></book>')
EXTERNAL = ('<?xml version="1.0"?><!DOCTYPE book [<!ENTITY secret SYSTEM "file:///etc/hostname">]>'
            f'<book xmlns="{LIB}"><title>&secret;</title></book>')


def library_route(server: Server, request: Seen) -> Answer:
    served = server.state.get("serve")
    if (request.method, request.path) == ("POST", "/api/books"):
        return Answer(201, (served or SERVED_BOOK).encode(), content_type="application/xml")
    if (request.method, request.path) == ("GET", "/api/books"):
        return Answer(200, SHELF.encode(), content_type="application/xml; charset=utf-8")
    return Answer(404)


def a_book(library: ModuleType) -> Any:
    return library.models.Book(
        id=7, isbn="978-0-441-17271-9", title="Dune & after", authors=["Frank Herbert"], subjects=["sf", "classic"],
        link="https://books.example.test/7?a=1&b=2", pages=412, available=True, added="1965-08-01",
        editions=[library.models.Edition(year=1965, note="first"), library.models.Edition(year=1990)],
        publisher=library.models.Publisher(code="CH", name="Chilton"))


def call_library(library: ModuleType, server: Server, use_async: bool, method: str, **arguments: Any) -> Any:
    if use_async:
        async def main() -> Any:
            async with library.AsyncLibrary(username="u", password="p", base_url=server.base_url + "/api") as c:
                return await getattr(c.books, method)(**arguments)
        return run(main())
    with library.Library(username="u", password="p", base_url=server.base_url + "/api") as client:
        return getattr(client.books, method)(**arguments)


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_an_xml_body_carries_its_namespaces_prefixes_attributes_and_lists(packages: dict[str, ModuleType],
                                                                          use_async: bool) -> None:
    library = packages["library"]
    with serve(library_route) as server:
        added = call_library(library, server, use_async, "add", body=a_book(library))
    [request] = server.seen
    assert request.headers["Content-Type"].split(";")[0] == "application/xml"
    assert judged_but_the_xml("library", request, "https://library.example.test").security == {"basic": "dTpw"}
    root = ET.fromstring(request.body)
    assert root.tag == f"{{{LIB}}}book" and root.attrib == {
        "id": "7", "ISBN": "978-0-441-17271-9", f"{{{XLINK}}}href": "https://books.example.test/7?a=1&b=2"}
    assert [child.tag for child in root] == [f"{{{LIB}}}title", f"{{{LIB}}}authors", "subject", "subject", "pages",
                                             "available", "added", "printings", f"{{{TRADE}}}publisher"]
    assert [root.findtext(n) for n in ("pages", "available", "added")] == ["412", "true", "1965-08-01"]
    assert [(p.attrib, p.findtext("note")) for p in root.iterfind("printings/printing")] == [
        ({"year": "1965"}, "first"), ({"year": "1990"}, None)]
    assert root.findtext(f"{{{LIB}}}title") == "Dune & after"
    assert [a.text for a in root.iterfind(f"{{{LIB}}}authors/{{{LIB}}}author")] == ["Frank Herbert"]
    assert [s.text for s in root.iterfind("subject")] == ["sf", "classic"]  # in no namespace: none was given
    publisher = root.find(f"{{{TRADE}}}publisher")
    assert publisher is not None and publisher.attrib == {"code": "CH"}
    assert publisher.findtext(f"{{{TRADE}}}name") == "Chilton"
    # The prefixes the spec names are the ones written (xmltodict keeps them as written).
    written = xmltodict.parse(request.body)
    assert set(written) == {"lib:book"} and written["lib:book"]["@xmlns:lib"] == LIB
    assert written["lib:book"]["trade:publisher"]["@xmlns:trade"] == TRADE
    # The answer is read by namespace, not by prefix.
    assert added == a_book(library)


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_a_wrapped_list_of_namespaced_objects_is_read(packages: dict[str, ModuleType], use_async: bool) -> None:
    library = packages["library"]
    with serve(library_route) as server:
        shelf = call_library(library, server, use_async, "list", shelf="s 9")
    [request] = server.seen
    assert request.raw.startswith(b"GET /api/books?shelf=s%209 HTTP/1.1\r\n")
    judged("library", request, "https://library.example.test")
    expected = xmltodict.parse(SHELF, process_namespaces=True, namespaces={LIB: None, TRADE: None})["shelf"]
    assert shelf.label == expected["@label"] == "S9"
    assert [b.title for b in shelf.books] == ["Dune & after", "Emma"]
    assert expected["books"]["book"][0]["title"][0] == "Dune & after"  # the namespaced one comes first
    assert shelf.books[0] == a_book(library) and shelf.books[1].id == 8 and shelf.books[1].authors is None


@pytest.mark.parametrize("hostile", [BILLION, EXTERNAL], ids=["entity-expansion", "external-entity"])
def test_a_hostile_xml_answer_is_refused(packages: dict[str, ModuleType], hostile: str) -> None:
    library = packages["library"]
    with serve(library_route) as server:
        server.state["serve"] = hostile
        with pytest.raises(library.APIResponseValidationError) as raised:
            call_library(library, server, False, "add", body=a_book(library))
    # Refused at the DTD (defusedxml), before any entity is expanded or any file read.
    assert "DTDForbidden" in str(raised.value) and "lollol" not in str(raised.value)
    assert Path("/etc/hostname").read_text().strip() not in str(raised.value) if Path("/etc/hostname").is_file() \
        else True


# ---- archive.yaml: a binary download named by Content-Disposition

ZIP = os.urandom(3 * 1024 * 1024 + 17)
DISPOSITIONS = [
    "attachment; filename=\"fallback.zip\"; filename*=UTF-8''r%C3%A9sum%C3%A9%20final.zip",
    'attachment; filename="report 2024.zip"',
    'attachment; filename="../../etc/cron.d/evil.zip"',
    "attachment; filename*=ISO-8859-1''caf%E9%20cr%E8me.zip",
]


def stdlib_filename(disposition: str) -> str | None:
    """The file name as the standard library reads it (RFC 2231 decoding of `filename*`). The standard library
    does not pick between `filename*` and `filename` as RFC 6266 4.3 says (`filename*` wins), so it is given
    the one parameter the RFC picks."""
    params = [p.strip() for p in disposition.split(";")[1:]]
    star = [p for p in params if p.lower().startswith("filename*=")]
    chosen = star or [p for p in params if p.lower().startswith("filename=")]
    message = email.message.EmailMessage(policy=email.policy.HTTP)
    message["Content-Disposition"] = "attachment; " + chosen[0]
    return message.get_filename()


@pytest.mark.parametrize("disposition", DISPOSITIONS, ids=["rfc8187", "quoted", "traversal", "latin-1"])
@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_a_download_streams_to_a_file_named_as_the_server_says(packages: dict[str, ModuleType], tmp_path: Path,
                                                               disposition: str, use_async: bool) -> None:
    archive = packages["archive"]

    def route(server: Server, request: Seen) -> Answer:
        return Answer(200, ZIP, {"Content-Disposition": disposition}, content_type="application/zip")

    target = tmp_path / "download.zip"
    with serve(route) as server:
        if use_async:
            async def main() -> tuple[str | None, int]:
                async with archive.AsyncArchive(api_key="k", base_url=server.base_url) as client:
                    async with client.with_streaming_response.exports.download("e-1", format="zip") as response:
                        chunks = 0
                        with open(target, "wb") as out:
                            async for chunk in response.iter_bytes():
                                chunks += 1
                                out.write(chunk)
                        return response.suggested_filename, chunks
            name, chunks = run(main())
            assert chunks > 1  # read as it came, not whole
        else:
            with archive.Archive(api_key="k", base_url=server.base_url) as client:
                with client.with_streaming_response.exports.download("e-1", format="zip") as response:
                    name = response.suggested_filename
                    response.stream_to_file(target)
                whole = client.exports.download("e-1")
            assert whole.content == ZIP and whole.filename == name
    assert target.read_bytes() == ZIP
    expected = stdlib_filename(disposition)
    assert expected is not None and name == expected.replace("\\", "/").rsplit("/", 1)[-1]
    request = server.seen[0]
    assert request.headers["X-Archive-Key"] == "k"
    assert judged("archive", request, "https://archive.example.test").parameters.query == {"format": "zip"}


# ---- scans.yaml: a raw upload answered by a job, polled to its typed result

PDF = b"%PDF-1.7\r\n" + os.urandom(200_000) + b"\r\n%%EOF\r\n"


def scans_route(server: Server, request: Seen) -> Answer:
    states = server.state.setdefault("states", ["queued", "scanning", server.state.get("last", "clean")])
    if (request.method, request.path) == ("POST", "/v1/scans"):
        return Answer(202, {"scan_id": "s-1", "links": {"status": "https://scans.example.test/v1/scans/s-1"}})
    if (request.method, request.path) == ("GET", "/v1/scans/s-1"):
        state = states.pop(0) if len(states) > 1 else states[0]
        done = state not in ("queued", "scanning")
        return Answer(200, {"scan_id": "s-1", "state": state, "pages": 3 if done else None,
                            "findings": [{"page": 2, "threat": "EICAR"}] if state == "infected" else []}
                      if done else {"scan_id": "s-1", "state": state})
    return Answer(404)


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_an_upload_answers_with_a_job_polled_to_its_result(packages: dict[str, ModuleType], tmp_path: Path,
                                                           use_async: bool) -> None:
    scans = packages["scans"]
    document = tmp_path / "letter.pdf"
    document.write_bytes(PDF)
    with serve(scans_route) as server:
        server.state["last"] = "infected"
        if use_async:
            async def main() -> Any:
                async with scans.AsyncScans(access_token="t", base_url=server.base_url + "/v1") as client:
                    job = await client.scans.create(body=document, language="en")
                    return await job.wait(timeout=10, interval=0.01)
            scan = run(main())
        else:
            with scans.Scans(access_token="t", base_url=server.base_url + "/v1") as client:
                job = client.scans.create(body=document, language="en")
                assert job.accepted.scan_id == "s-1"
                scan = job.wait(timeout=10, interval=0.01)
    assert isinstance(scan, scans.models.Scan)
    assert (scan.state, scan.pages, [(f.page, f.threat) for f in scan.findings or []]) == (
        "infected", 3, [(2, "EICAR")])
    upload, *polls = server.seen
    assert upload.body == PDF and upload.headers["Content-Type"] == "application/pdf"
    assert upload.headers["Content-Length"] == str(len(PDF))
    assert judged("scans", upload, "https://scans.example.test").body == PDF
    assert [p.path for p in polls] == ["/v1/scans/s-1"] * 3
    for poll in polls:
        judged("scans", poll, "https://scans.example.test")
        assert poll.headers["Authorization"] == "Bearer t"


def test_a_failed_scan_raises_with_its_status(packages: dict[str, ModuleType]) -> None:
    scans = packages["scans"]
    with serve(scans_route) as server:
        server.state["last"] = "failed"
        with scans.Scans(access_token="t", base_url=server.base_url + "/v1") as client:
            job = client.scans.create(body=("letter.pdf", PDF))
            with pytest.raises(scans.LongRunningFailed) as raised:
                job.wait(timeout=10, interval=0.01)
    assert "failed" in str(raised.value)

