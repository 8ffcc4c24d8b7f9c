"""CommCare on the wire: activate and deactivate send an empty JSON object (`{}`, the body the server
reads), and several cases are created with one POST of a JSON list to `case/v2/`."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from .loopback import Answer, Seen, Server, serve, use_generated

use_generated("commcare")

from commcare_client import AsyncCommCare, CommCare, models  # noqa: E402

CASE = {"case_id": "c-1", "case_type": "household", "case_name": "Otieno household", "owner_id": "o-1",
        "closed": False, "date_closed": None, "properties": {}, "indices": {}}
# Items in the order given, their fields in the schema's order, `create: true` on each though never passed.
MANY = (b'[{"case_type":"household","case_name":"Otieno household","owner_id":"o-1","temporary_id":"hh1",'
        b'"create":true},{"case_type":"patient","case_name":"Grace Otieno","owner_id":"o-1",'
        b'"properties":{"age":"29"},"indices":{"parent":{"temporary_id":"hh1","case_type":"household",'
        b'"relationship":"child"}},"create":true}]')


def route(server: Server, request: Seen) -> Answer:
    if request.path.endswith(("/activate/", "/deactivate/")):
        return Answer(202, {})
    if request.path == "/a/demo/api/case/v2/" and request.method == "POST":
        return Answer(200, {"form_id": "f-1", "cases": [CASE, {**CASE, "case_id": "c-2"}]})
    return Answer(404, {"error": "not found"})


@pytest.fixture
def server() -> Iterator[Server]:
    with serve(route) as running:
        yield running


def head(request: Seen, name: bytes) -> list[bytes]:
    return [line for line in request.header_lines() if line.lower().startswith(name.lower() + b":")]


def check_empty_objects(server: Server) -> None:
    assert [(r.method, r.path) for r in server.seen] == [("POST", "/a/demo/api/user/v1/u-1/activate/"),
                                                         ("POST", "/a/demo/api/user/v1/u-1/deactivate/")]
    for request in server.seen:
        assert request.body == b"{}"
        assert head(request, b"Content-Type") == [b"Content-Type: application/json"]
        assert head(request, b"Content-Length") == [b"Content-Length: 2"]
        assert request.raw.endswith(b"\r\n\r\n{}")


def test_activate_and_deactivate_send_an_empty_json_object(server: Server) -> None:
    with CommCare(domain="demo", username="me@example.org", api_key="k", base_url=server.base_url) as client:
        assert client.mobile_workers.activate("u-1") == {}
        assert client.mobile_workers.deactivate("u-1") == {}
    check_empty_objects(server)


def test_the_async_client_sends_it_too(server: Server) -> None:
    async def run() -> None:
        async with AsyncCommCare(domain="demo", username="me@example.org", api_key="k",
                                 base_url=server.base_url) as client:
            assert await client.mobile_workers.activate("u-1") == {}
            assert await client.mobile_workers.deactivate("u-1") == {}

    asyncio.run(run())
    check_empty_objects(server)


def items() -> list[models.CaseCreateItem]:
    household = models.CaseCreateItem(case_type="household", case_name="Otieno household", owner_id="o-1",
                                      temporary_id="hh1")
    patient = models.CaseCreateItem.model_validate({
        "case_type": "patient", "case_name": "Grace Otieno", "owner_id": "o-1", "properties": {"age": "29"},
        "indices": {"parent": {"temporary_id": "hh1", "case_type": "household", "relationship": "child"}},
    })
    return [household, patient]


def check_many(server: Server, written: models.CaseBulkWriteResult) -> None:
    assert written.form_id == "f-1" and [c.case_id for c in written.cases or []] == ["c-1", "c-2"]
    [request] = server.seen
    assert request.raw.startswith(b"POST /a/demo/api/case/v2/ HTTP/1.1\r\n")
    assert head(request, b"Content-Type") == [b"Content-Type: application/json"]
    assert request.body == MANY


def test_several_cases_are_created_with_one_post_of_a_list(server: Server) -> None:
    with CommCare(domain="demo", username="me@example.org", api_key="k", base_url=server.base_url) as client:
        written = client.cases.create_many(body=items())
    check_many(server, written)


def test_the_async_client_creates_them_alike(server: Server) -> None:
    async def run() -> models.CaseBulkWriteResult:
        async with AsyncCommCare(domain="demo", username="me@example.org", api_key="k",
                                 base_url=server.base_url) as client:
            return await client.cases.create_many(body=items())

    check_many(server, asyncio.run(run()))
