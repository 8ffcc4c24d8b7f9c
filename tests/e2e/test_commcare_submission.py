"""CommCare form submission on the wire: an XForm instance as raw XML, and as the `xml_submission_file` part of
a multipart form with an attachment. The server reads what arrived with parsers we did not write (the standard
library's ElementTree with namespaces, and its MIME parser) and checks the namespaces CommCare HQ requires
(OpenRosa's meta block, CommCare's appVersion, CaseXML 2.0 case blocks, the form's own XMLNS for its answers).
The answer is an OpenRosa response served as text/html, read as XML."""

from __future__ import annotations

import asyncio
import email.message
import email.parser
import email.policy
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from .loopback import Answer, Seen, Server, serve, use_generated

use_generated("commcare")

from commcare_client import APIResponseValidationError, AsyncCommCare, CommCare, models  # noqa: E402

FORM = "http://openrosa.org/formdesigner/5B6C1E6A-7A4D-4E5A-9C3E-1D2F3A4B5C6D"
ORX = "http://openrosa.org/jr/xforms"
CCX = "http://commcarehq.org/xforms"
CASE = "http://commcarehq.org/case/transaction/v2"
RESPONSE = "http://openrosa.org/http/response"
SUCCESS = (f'<OpenRosaResponse xmlns="{RESPONSE}"><message nature="submit_success">   \u221a   </message>'
           "</OpenRosaResponse>").encode()
PHOTO = bytes(range(256)) * 8


def submission() -> models.XFormSubmission:
    return models.XFormSubmission.model_validate({
        "xmlns": FORM, "name": "Registration", "uiVersion": "1", "version": "12",
        "meta": {"deviceID": "api", "timeStart": "2024-01-15T09:00:00Z", "timeEnd": "2024-01-15T09:05:00Z",
                 "username": "jane", "userID": "u-1", "instanceID": "8d7c6b5a-4e3f-4a2b-9c1d-0e9f8a7b6c5d",
                 "appVersion": "Formplayer 2.53"},
        "case": [{"case_id": "c-1", "date_modified": "2024-01-15T09:05:00Z", "user_id": "u-1",
                  "create": {"case_name": "Grace Otieno", "owner_id": "u-1", "case_type": "patient"},
                  "update": {"age": "29", "village": "Kisumu"}}],
        "patient_name": "Grace Otieno",
        "household": {"size": "5", "water_source": "borehole"},
    })


def route(server: Server, request: Seen) -> Answer:
    if request.path == "/a/demo/receiver/api/" and request.method == "POST":
        if server.state.get("hostile"):
            hostile = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                       b"<OpenRosaResponse>&b;</OpenRosaResponse>")
            return Answer(201, hostile, content_type="text/html; charset=utf-8")
        return Answer(201, SUCCESS, {"X-CommCareHQ-FormID": "f-1"}, content_type="text/html; charset=utf-8")
    return Answer(404)


@pytest.fixture
def server() -> Iterator[Server]:
    with serve(route) as running:
        yield running


def client(server: Server) -> CommCare:
    return CommCare(domain="demo", username="me@example.org", api_key="k", base_url=server.base_url)


def check_instance(document: bytes) -> None:
    assert document.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(document)
    assert root.tag == f"{{{FORM}}}data"
    assert root.attrib == {"name": "Registration", "uiVersion": "1", "version": "12"}
    meta = root.find(f"{{{ORX}}}meta")
    assert meta is not None
    assert [child.tag for child in meta] == [f"{{{ORX}}}{n}" for n in (
        "deviceID", "timeStart", "timeEnd", "username", "userID", "instanceID")] + [f"{{{CCX}}}appVersion"]
    assert meta.findtext(f"{{{ORX}}}instanceID") == "8d7c6b5a-4e3f-4a2b-9c1d-0e9f8a7b6c5d"
    case = root.find(f"{{{CASE}}}case")
    assert case is not None and case.attrib == {"case_id": "c-1", "date_modified": "2024-01-15T09:05:00Z",
                                                 "user_id": "u-1"}
    assert [c.tag for c in case] == [f"{{{CASE}}}create", f"{{{CASE}}}update"]
    assert case.findtext(f"{{{CASE}}}create/{{{CASE}}}case_type") == "patient"
    assert case.findtext(f"{{{CASE}}}update/{{{CASE}}}village") == "Kisumu"
    # the answers: in the form's namespace, in the order given, after the declared members
    assert [c.tag for c in root][-2:] == [f"{{{FORM}}}patient_name", f"{{{FORM}}}household"]
    assert root.findtext(f"{{{FORM}}}household/{{{FORM}}}water_source") == "borehole"


def check_answer(answer: ET.Element) -> None:
    message = answer.find(f"{{{RESPONSE}}}message")
    assert answer.tag == f"{{{RESPONSE}}}OpenRosaResponse" and message is not None
    assert message.get("nature") == "submit_success" and message.text == "   \u221a   "


def test_a_form_goes_as_an_xml_document(server: Server) -> None:
    with client(server) as commcare:
        check_answer(commcare.forms.submit(body=submission()))
    (sent,) = server.seen
    assert sent.headers["Content-Type"] == "application/xml"
    check_instance(sent.body)


def parts(request: Seen) -> list[email.message.Message]:
    head = f"Content-Type: {request.headers['Content-Type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.body)
    assert message.is_multipart()
    return list(message.iter_parts())  # type: ignore[attr-defined]


def test_a_form_with_an_attachment_goes_as_multipart(server: Server, tmp_path: Path) -> None:
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(PHOTO)
    with client(server) as commcare:
        check_answer(commcare.forms.submit_with_attachments(xml_submission_file=submission(),
                                                            extra_body={"photo.jpg": photo}))
    (sent,) = server.seen
    form, image = parts(sent)
    # the part name and an .xml file name, as CommCare HQ requires of the form part
    assert form.get_param("name", header="content-disposition") == "xml_submission_file"
    assert (form.get_filename() or "").endswith(".xml") and form.get_content_type() == "text/xml"
    document = form.get_payload(decode=True)
    assert isinstance(document, bytes)
    check_instance(document)
    assert image.get_param("name", header="content-disposition") == "photo.jpg"
    assert image.get_filename() == "photo.jpg" and image.get_content_type() == "image/jpeg"
    assert image.get_payload(decode=True) == PHOTO


def test_the_async_client_submits_the_same(server: Server) -> None:
    async def run() -> ET.Element:
        async with AsyncCommCare(domain="demo", username="me@example.org", api_key="k",
                                 base_url=server.base_url) as commcare:
            return await commcare.forms.submit(body=submission())

    check_answer(asyncio.run(run()))
    check_instance(server.seen[0].body)


def test_a_hostile_answer_is_refused_with_its_body(server: Server) -> None:
    server.state["hostile"] = True
    with client(server) as commcare, pytest.raises(APIResponseValidationError) as refused:
        commcare.forms.submit(body=submission())
    assert b"<!ENTITY" in refused.value.response.content
    assert len(server.seen) == 1  # a submission is never repeated
