"""CareHQ on the wire: a boolean in `extra_query` or `extra_body` is written `True`/`False`, as the official
Python SDK writes and signs it (str(True)); the server checks each signature over what was sent."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from .loopback import Answer, Seen, Server, serve, use_generated
from .test_carehq_loopback import ACCOUNT, KEY, SECRET, expected_signature

use_generated("carehq")

from carehq_client import AsyncCareHQ, CareHQ  # noqa: E402

QUERY = {"filters-archived": True, "flags": [True, False]}
LIST_LINE = b"GET /v1/care-enquiries?attributes=first_name&filters-archived=True&flags=True&flags=False HTTP/1.1"
BODY = b"first_name=Anna&dementia=True&enquiring_for_self=False&genders=female"


def route(server: Server, request: Seen) -> Answer:
    if request.headers.get("X-CareHQ-Signature") != expected_signature(request):
        return Answer(401, {"hint": "Invalid signature"})
    if request.method == "GET":
        return Answer(200, {"items": [], "item_count": 0, "page_count": 0})
    return Answer(200, {"_id": "enq-1", "first_name": "Anna"})


@pytest.fixture
def server() -> Iterator[Server]:
    with serve(route) as running:
        yield running


def check(server: Server) -> None:
    listed, created = server.seen
    assert listed.raw.split(b"\r\n", 1)[0] == LIST_LINE
    assert created.raw.startswith(b"PUT /v1/care-enquiries HTTP/1.1\r\n")
    assert created.body == BODY
    assert created.raw.endswith(b"\r\n\r\n" + BODY)


def test_booleans_go_and_are_signed_as_the_sdk_writes_them(server: Server) -> None:
    with CareHQ(account_id=ACCOUNT, api_key=KEY, api_secret=SECRET, base_url=f"{server.base_url}/v1") as client:
        assert list(client.care_enquiries.list(attributes=["first_name"], extra_query=QUERY)) == []
        created = client.care_enquiries.create(first_name="Anna", extra_body={
            "dementia": True, "enquiring_for_self": False, "genders": ["female"]})
    assert created.field_id == "enq-1"
    check(server)


def test_the_async_client_writes_them_alike(server: Server) -> None:
    async def run() -> None:
        async with AsyncCareHQ(account_id=ACCOUNT, api_key=KEY, api_secret=SECRET,
                               base_url=f"{server.base_url}/v1") as client:
            assert [e async for e in client.care_enquiries.list(attributes=["first_name"], extra_query=QUERY)] == []
            await client.care_enquiries.create(first_name="Anna", extra_body={
                "dementia": True, "enquiring_for_self": False, "genders": ["female"]})

    asyncio.run(run())
    check(server)
