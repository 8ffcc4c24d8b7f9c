"""caqh_profile on the wire, against loopback servers, sync and async: the DirectAssure practice-location
intake (query, ISO-8859-1 Basic credentials, JSON body), the extract sent to its own host whatever the
client's base_url (and `None` for its 294 "no data"), and the PDF downloads streamed to files.

Judged by parsers we did not write: the stdlib's query, JSON, base64 and MIME header parsers, and
openapi-core validating each request as it came against the spec."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests
from openapi_core import OpenAPI
from openapi_core.contrib.requests import RequestsOpenAPIRequest
from openapi_core.validation.request.exceptions import (InvalidParameter, InvalidRequestBody,
                                                        ParameterValidationError)

from .loopback import REPO, Answer, Seen, Server, serve, use_generated

use_generated("caqh_profile")

from caqh_profile_client import AsyncCaqhProfile, CaqhProfile, models  # noqa: E402

USER, PASSWORD = "Zoë", "pässwörd"
EXTRACT_HOST = "directassure.caqh.org"
BATCH = "123_20240115_103000"
# Every value a string (S2); a key the schema does not name goes along as given.
FILE: dict[str, Any] = {
    "organization_id": "123",
    "practice_location": [{
        "tax_id": "123456789", "practice_name": "Harbor Family Medicine",
        "practice_location_address1": "100 Main Street", "practice_location_city": "Baltimore",
        "practice_location_state": "MD", "practice_location_zipcode": "21201", "npi_type_2": "1234567893",
        "po_location_id": "LOC-0001", "location_type": "Primary", "practice_location_fax": "4105550100",
        "providers": [{
            "caqh_provider_id": "12345678", "provider_type": "MD", "provider_first_name": "Zoë",
            "provider_last_name": "Doe", "npi_type_1": "1245319599",
            "provider_dea": [{"dea_number": "AB1234563", "dea_state": "MD"}],
            "provider_license": [{"license_number": "D0012345", "license_state": "MD",
                                  "license_expiration_date": "20261231"}],
            "provider_practice_specialty": [],
        }],
    }],
}
EXTRACT = {"organization_id": 123, "extract_request_start_date": "20240108", "extract_request_end_date": "20240114",
           "extract_timestamp": "20240115 10:30:00", "extract_version": "5",
           "providers": [{"caqh_provider_id": 12345678, "attest_id": "a-1", "attestation_date": "20240110",
                          "first_name": "Jane", "last_name": "Doe", "npi_type_1": 1245319599,
                          "hospital_affiliations": {"admitting_privileges": []}}]}
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 2048 + b"\n%%EOF\n"


@pytest.fixture(scope="module")
def openapi() -> OpenAPI:
    return OpenAPI.from_file_path(str(REPO / "specs" / "caqh_profile" / "openapi.yaml"))


PROFILE = ('<?xml version="1.0" encoding="utf-8"?><Provider><CAQHProviderID>12345678</CAQHProviderID>'
           "<FirstName>Zo\u00eb</FirstName><LastName>Doe</LastName>"
           "<Licenses><License><Number>D0012345</Number><State>MD</State></License></Licenses></Provider>").encode()
REFUSALS = {"292": "not active on the roster", "293": "no authorization", "294": "not current and complete",
            "295": "no attestation data"}
REPORT = {"batch_id": BATCH, "matched": [{"po_provider_id": "PO-000123", "caqh_provider_id": "12345678"}]}


def route(server: Server, request: Seen) -> Answer:
    if request.path == "/credentialingapi/api/v8/entities":
        provider = request.query["caqhProviderId"][0]
        if provider in REFUSALS:
            return Answer(int(provider), {"Message": REFUSALS[provider]})
        if provider == "00000000":
            return Answer(204)
        if provider == "66666666":  # an entity-expansion document: refused unread
            bomb = b'<?xml version="1.0"?><!DOCTYPE P [<!ENTITY x "xxxxxxxxxx"><!ENTITY y "&x;&x;&x;">]><P>&y;</P>'
            return Answer(200, bomb, content_type="application/xml")
        return Answer(200, PROFILE, content_type="application/xml")
    if request.path == f"/DirectAssure/api/POPracticeLocation/MatchReport/{BATCH}":
        polls = server.state["polls"] = server.state.get("polls", 0) + 1
        return Answer(201, {"message": "Batch ID In Process"}) if polls < 3 else Answer(200, REPORT)
    if request.path == "/DirectAssure/api/POPracticeLocation/Intake":
        return Answer(200, {"message": f"Intake File has been successfully submitted. Submission_Batch_ID = {BATCH}"})
    if request.path == "/directassureextractapi/api/v5/entities":
        return Answer(294) if request.query["fromDate"] == ["01/01/2020"] else Answer(200, EXTRACT)
    if request.path == "/DocumentAPI/api/suppdocs":
        return Answer(200, PDF, content_type="application/pdf")
    if request.path == "/DocumentAPI/api/providerdocs/download":
        return Answer(200, PDF, {"Content-Disposition": "attachment; filename=12345678.pdf"}, "application/pdf")
    return Answer(404, {"error": "unrouted"})


@pytest.fixture
def server() -> Iterator[Server]:
    with serve(route) as running:
        yield running


@pytest.fixture
def extract_server() -> Iterator[Server]:
    """Stands in for https://directassure.caqh.org (reached through ToLoopback)."""
    with serve(route) as running:
        yield running


class ToLoopback(httpx.BaseTransport):
    """Connects requests for the extract host to a loopback server, as a hosts-file entry would: the URL the
    client built (and its Host header) are left as they were."""

    def __init__(self, base_url: str) -> None:
        self.target = httpx.URL(base_url)
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(scheme="http", host=self.target.host, port=self.target.port)
        return self.inner.handle_request(request)


class AsyncToLoopback(httpx.AsyncBaseTransport):
    def __init__(self, base_url: str) -> None:
        self.target = httpx.URL(base_url)
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(scheme="http", host=self.target.host, port=self.target.port)
        return await self.inner.handle_async_request(request)


def sync_client(server: Server, extract_server: Server) -> CaqhProfile:
    http = httpx.Client(mounts={f"https://{EXTRACT_HOST}": ToLoopback(extract_server.base_url)})
    return CaqhProfile(username=USER, password=PASSWORD, base_url=server.base_url, http_client=http)


def async_client(server: Server, extract_server: Server) -> AsyncCaqhProfile:
    http = httpx.AsyncClient(mounts={f"https://{EXTRACT_HOST}": AsyncToLoopback(extract_server.base_url)})
    return AsyncCaqhProfile(username=USER, password=PASSWORD, base_url=server.base_url, http_client=http)


def target(request: Seen) -> str:
    """The request-target as sent (path and query, still encoded)."""
    return request.raw.split(b"\r\n", 1)[0].split(b" ")[1].decode("ascii")


def check_by_openapi_core(openapi: OpenAPI, request: Seen, origin: str) -> None:
    """openapi-core validates the request as it came, placed on the spec's server it was meant for."""
    headers = {k: v for k, v in request.headers.items() if k.lower() != "host"}
    sent = requests.Request(request.method, origin + target(request), headers=headers,
                            data=request.body or None).prepare()
    openapi.validate_request(RequestsOpenAPIRequest(sent))


def basic_credentials(request: Seen) -> tuple[bytes, bytes]:
    [line] = [h for h in request.header_lines() if h.lower().startswith(b"authorization:")]
    scheme, _, token = line.split(b":", 1)[1].strip().partition(b" ")
    assert scheme == b"Basic"
    user, _, password = base64.b64decode(token, validate=True).partition(b":")
    return user, password


# ---- the practice-location intake


def check_intake(server: Server, openapi: OpenAPI, calls: int) -> None:
    assert [(r.method, r.path) for r in server.seen] == [("POST", "/DirectAssure/api/POPracticeLocation/Intake")] * calls
    for request, eof in zip(server.seen, ["false", "true"][-calls:]):
        assert request.query == {"batchid": [BATCH], "eof": [eof]}
        assert request.headers["Content-Type"] == "application/json"
        assert json.loads(request.body) == FILE
        # The charset CAQH's specification names for Basic credentials (RFC 7617 leaves it to the server).
        assert basic_credentials(request) == (USER.encode("iso-8859-1"), PASSWORD.encode("iso-8859-1"))
        check_by_openapi_core(openapi, request, "https://proview.caqh.org")


def test_the_intake_sends_its_query_credentials_and_json_file(server: Server, extract_server: Server,
                                                              openapi: OpenAPI) -> None:
    with sync_client(server, extract_server) as client:
        # A file in two parts under one batch ID: eof=false, then eof=true.
        for eof in (False, True):
            job = client.practice_locations.submit(batchid=BATCH, eof=eof, **FILE)
            assert job.id == BATCH  # the caller's batch ID names the job
            answer = job.accepted
            assert isinstance(answer, models.IntakeMessageObject)
            assert answer.message is not None and answer.message.endswith(BATCH)
    check_intake(server, openapi, calls=2)
    assert extract_server.seen == []


def check_polls(server: Server, openapi: OpenAPI, report: models.MatchReport) -> None:
    assert report.batch_id == BATCH and report.model_extra == {"matched": REPORT["matched"]}
    paths = [(r.method, r.path) for r in server.seen]
    # one POST, never repeated, then the match report until it stops answering 201
    assert paths == [("POST", "/DirectAssure/api/POPracticeLocation/Intake")] + [
        ("GET", f"/DirectAssure/api/POPracticeLocation/MatchReport/{BATCH}")] * 3
    for request in server.seen[1:]:
        check_by_openapi_core(openapi, request, "https://proview.caqh.org")


def test_waiting_on_the_last_part_polls_the_match_report_until_it_is_ready(
        server: Server, extract_server: Server, openapi: OpenAPI) -> None:
    with sync_client(server, extract_server) as client:
        job = client.practice_locations.submit(batchid=BATCH, eof=True, **FILE)
        report = job.wait(timeout=10, interval=0.01)
    check_polls(server, openapi, report)


def test_the_async_job_polls_the_same(server: Server, extract_server: Server, openapi: OpenAPI) -> None:
    async def run() -> models.MatchReport:
        async with async_client(server, extract_server) as client:
            job = await client.practice_locations.submit(batchid=BATCH, eof=True, **FILE)
            return await job.wait(timeout=10, interval=0.01)

    check_polls(server, openapi, asyncio.run(run()))


def test_the_async_intake_sends_the_same(server: Server, extract_server: Server, openapi: OpenAPI) -> None:
    async def run() -> None:
        async with async_client(server, extract_server) as client:
            body = models.PracticeLocationRequest.model_validate(FILE)
            await client.practice_locations.submit(batchid=BATCH, eof=True,
                                                   organization_id=body.organization_id,
                                                   practice_location=body.practice_location)

    asyncio.run(run())
    check_intake(server, openapi, calls=1)


@pytest.mark.parametrize(("query", "body", "refused"), [
    ("batchid=1234_2024-01-15&eof=true", FILE, InvalidParameter),  # what CAQH answers 420 to
    (f"batchid={BATCH}&eof=maybe", FILE, ParameterValidationError),
    (f"batchid={BATCH}&eof=true", {**FILE, "organization_id": 123}, InvalidRequestBody),  # a number, not a string
])
def test_the_spec_check_can_fail(openapi: OpenAPI, query: str, body: dict[str, Any], refused: type[Exception]) -> None:
    path = "/DirectAssure/api/POPracticeLocation/Intake"
    wrong = Seen("POST", path, {}, {"Content-Type": "application/json", "Authorization": "Basic eDp5"},
                 json.dumps(body).encode(), f"POST {path}?{query} HTTP/1.1\r\n\r\n".encode())
    with pytest.raises(refused):
        check_by_openapi_core(openapi, wrong, "https://proview.caqh.org")


# ---- the extract, on its own host


def check_extract(server: Server, extract_server: Server, openapi: OpenAPI) -> None:
    assert server.seen == []  # nothing went to base_url
    assert [(r.method, r.path) for r in extract_server.seen] == [("GET", "/directassureextractapi/api/v5/entities")] * 2
    for request, start in zip(extract_server.seen, ["01/08/2024", "01/01/2020"]):
        assert request.headers["Host"] == EXTRACT_HOST
        assert request.query == {"organizationId": ["123"], "fromDate": [start],
                                 "toDate": ["01/14/2024" if start == "01/08/2024" else "01/07/2020"]}
        assert basic_credentials(request) == (USER.encode("iso-8859-1"), PASSWORD.encode("iso-8859-1"))
        check_by_openapi_core(openapi, request, f"https://{EXTRACT_HOST}")


def check_extract_result(found: models.Extract | None, empty: models.Extract | None) -> None:
    assert found is not None and empty is None
    assert found.organization_id == 123 and found.providers is not None
    [provider] = found.providers
    assert provider.caqh_provider_id == 12345678 and provider.npi_type_1 == 1245319599
    # A key the spec does not describe is kept.
    assert provider.model_dump(by_alias=True)["hospital_affiliations"] == {"admitting_privileges": []}


def test_the_extract_goes_to_its_own_host_whatever_base_url(server: Server, extract_server: Server,
                                                            openapi: OpenAPI) -> None:
    with sync_client(server, extract_server) as client:
        found = client.extracts.retrieve(organization_id="123", from_date="01/08/2024", to_date="01/14/2024")
        empty = client.extracts.retrieve(organization_id="123", from_date="01/01/2020", to_date="01/07/2020")
    check_extract_result(found, empty)
    check_extract(server, extract_server, openapi)


def test_the_async_extract_goes_there_too(server: Server, extract_server: Server, openapi: OpenAPI) -> None:
    async def run() -> tuple[models.Extract | None, models.Extract | None]:
        async with async_client(server, extract_server) as client:
            return (await client.extracts.retrieve(organization_id="123", from_date="01/08/2024", to_date="01/14/2024"),
                    await client.extracts.retrieve(organization_id="123", from_date="01/01/2020", to_date="01/07/2020"))

    check_extract_result(*asyncio.run(run()))
    check_extract(server, extract_server, openapi)


# ---- PDF downloads, streamed to files


def stdlib_filename(disposition: str) -> str | None:
    message = EmailMessage()
    message["Content-Disposition"] = disposition
    return message.get_filename()


def check_downloads(server: Server, openapi: OpenAPI, folder: Path) -> None:
    assert [r.path for r in server.seen] == ["/DocumentAPI/api/suppdocs", "/DocumentAPI/api/providerdocs/download"]
    supporting, profile = server.seen
    assert supporting.query == {"caqhProviderID": ["12345678"], "organizationID": ["1234"], "docType": ["100000009"]}
    assert profile.query == {"applicationType": ["100000001"], "docURL": ["replica"], "organizationId": ["1234"],
                             "caqhProviderId": ["12345678"]}
    for request in server.seen:
        assert request.headers["Accept"] == "application/pdf"
        check_by_openapi_core(openapi, request, "https://proview.caqh.org")
    assert (folder / "license.pdf").read_bytes() == PDF
    assert (folder / "profile.pdf").read_bytes() == PDF
    assert sorted(p.name for p in folder.iterdir()) == ["license.pdf", "profile.pdf"]  # no .part left


def test_pdfs_stream_to_files(server: Server, extract_server: Server, openapi: OpenAPI, tmp_path: Path) -> None:
    with sync_client(server, extract_server) as client:
        with client.with_streaming_response.documents.supporting(
                caqh_provider_id="12345678", organization_id="1234", doc_type="100000009") as response:
            assert response.headers["content-type"] == "application/pdf"
            response.stream_to_file(tmp_path / "license.pdf", chunk_size=65536)
        with client.with_streaming_response.documents.profile_pdf(
                application_type="100000001", doc_url="replica", organization_id="1234",
                caqh_provider_id="12345678") as streamed:
            disposition = streamed.parse_headers().content_disposition
            streamed.stream_to_file(tmp_path / "profile.pdf")
    assert disposition is not None and stdlib_filename(disposition) == "12345678.pdf"
    check_downloads(server, openapi, tmp_path)


def test_async_pdfs_stream_to_files(server: Server, extract_server: Server, openapi: OpenAPI, tmp_path: Path) -> None:
    async def run() -> str | None:
        async with async_client(server, extract_server) as client:
            async with client.with_streaming_response.documents.supporting(
                    caqh_provider_id="12345678", organization_id="1234", doc_type="100000009") as response:
                await response.stream_to_file(tmp_path / "license.pdf")
            async with client.with_streaming_response.documents.profile_pdf(
                    application_type="100000001", doc_url="replica", organization_id="1234",
                    caqh_provider_id="12345678") as streamed:
                await streamed.stream_to_file(tmp_path / "profile.pdf")
                disposition: str | None = streamed.parse_headers().content_disposition
                return disposition

    disposition = asyncio.run(run())
    assert disposition is not None and stdlib_filename(disposition) == "12345678.pdf"
    check_downloads(server, openapi, tmp_path)


def test_a_whole_pdf_names_its_file_as_the_stdlib_reads_it(server: Server, extract_server: Server) -> None:
    with sync_client(server, extract_server) as client:
        document = client.documents.profile_pdf(application_type="100000001", doc_url="replica",
                                                organization_id="1234", caqh_provider_id="12345678")
    assert document.content == PDF and document.content_type == "application/pdf"
    assert document.filename == stdlib_filename(document.headers["content-disposition"]) == "12345678.pdf"


# ---- the credentialing profile: XML with no schema, and 2xx statuses that are refusals


def test_the_profile_is_the_document_the_server_sent(server: Server, extract_server: Server,
                                                     openapi: OpenAPI) -> None:
    import xml.etree.ElementTree as ET

    with sync_client(server, extract_server) as client:
        profile = client.credentialing_profiles.retrieve(caqh_provider_id="12345678", organization_id="123",
                                                         attestation_date="01/15/2024")
        assert client.credentialing_profiles.retrieve(caqh_provider_id="00000000", organization_id="123",
                                                      attestation_date="01/15/2024") is None  # 204
    assert profile is not None
    expected = ET.fromstring(PROFILE)  # the standard library's reading of the same bytes
    assert ET.tostring(profile) == ET.tostring(expected) and profile.findtext("FirstName") == "Zoë"
    request = server.seen[0]
    assert request.query == {"caqhProviderId": ["12345678"], "organizationId": ["123"],
                             "attestationDate": ["01/15/2024"]}
    assert basic_credentials(request) == (USER.encode("iso-8859-1"), PASSWORD.encode("iso-8859-1"))
    check_by_openapi_core(openapi, request, "https://proview.caqh.org")


@pytest.mark.parametrize("status", sorted(REFUSALS))
def test_a_refusal_in_a_2xx_status_raises_with_its_body(server: Server, extract_server: Server, status: str) -> None:
    from caqh_profile_client import APIStatusError

    async def run() -> None:
        async with async_client(server, extract_server) as client:
            await client.credentialing_profiles.retrieve(caqh_provider_id=status, organization_id="123",
                                                         attestation_date="01/15/2024")

    with sync_client(server, extract_server) as client, pytest.raises(APIStatusError) as refused:
        client.credentialing_profiles.retrieve(caqh_provider_id=status, organization_id="123",
                                               attestation_date="01/15/2024")
    assert refused.value.status_code == int(status) and refused.value.body == {"Message": REFUSALS[status]}
    with pytest.raises(APIStatusError):
        asyncio.run(run())
    assert len(server.seen) == 2  # not retried


def test_an_entity_expanding_profile_is_refused(server: Server, extract_server: Server) -> None:
    from caqh_profile_client import APIResponseValidationError

    with sync_client(server, extract_server) as client, pytest.raises(APIResponseValidationError) as refused:
        client.credentialing_profiles.retrieve(caqh_provider_id="66666666", organization_id="123",
                                               attestation_date="01/15/2024")
    assert b"<!ENTITY" in refused.value.response.content
