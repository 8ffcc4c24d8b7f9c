"""Every operation of the vendor packages, sync and async, sent over a socket to a loopback server and judged
from the bytes that server received, by openapi-core (an OpenAPI implementation we did not write).

The round-trip oracle (tests/oracle/test_round_trip.py) draws arguments from each operation's schemas and
judges the request the client hands its transport. Here the same drawings go through httpx's own network
transport to a real server on 127.0.0.1; the server rebuilds the request from what came off the wire (the
request line, the header lines as sent, the body) and the oracle judges that, then the drawn answer goes back
over the socket for the client to parse. Each operation the oracle cannot read has a test of its own, named in
its skip reason.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, Phase, given, settings

from oracle.conftest import VENDORS, vendor
from oracle.harness import Case, Draw
from oracle.unread import BY_BYTES, named as _named
from oracle.wire import Recorder

from .loopback import Answer, Seen, Server, serve

# Which dedicated loopback test proves an operation openapi-core cannot read (XML, 3.1 file parts).
ELSEWHERE = {
    "commcare": {
        "case_imports_create": "test_commcare_uploads.py",
        "lookup_tables_upload$": "test_commcare_uploads.py",
        "applications_upload_multimedia": "test_commcare_uploads.py",
        "forms_submit": "test_commcare_submission.py",
        "restores_retrieve": "test_commcare_restore.py",
    },
    "caqh_profile": {"credentialing_profiles_retrieve": "test_caqh_profile_wire.py"},
}
EXAMPLES = int(os.environ.get("CAREFORGE_WIRE_EXAMPLES", "3"))


def wire_request(request: Seen) -> httpx.Request:
    """The request as it came off the socket: its target from the request line, its URL's host from the
    Host header (the client addressed the API's host; only the connection was sent here)."""
    target = request.raw.split(b"\r\n", 1)[0].split(b" ")[1].decode("ascii")
    headers = [tuple(line.decode("latin-1").split(":", 1)) for line in request.header_lines()]
    pairs = [(name, value.strip()) for name, value in headers]
    host = next(value for name, value in pairs if name.lower() == "host")
    return httpx.Request(request.method, f"https://{host}{target}", headers=pairs, content=request.body)


def route(server: Server, request: Seen) -> Answer:
    recorder: Recorder = server.state["recorder"]
    answer = recorder.handle(wire_request(request))
    headers = {k: v for k, v in answer.headers.items() if k.lower() not in ("content-type", "content-length")}
    return Answer(answer.status_code, answer.content, headers,
                  answer.headers.get("content-type", "application/octet-stream"))


class Forward(httpx.BaseTransport):
    """httpx's network transport, connecting to the loopback server whatever host the URL names."""

    def __init__(self, server: Server) -> None:
        self.port = httpx.URL(server.base_url).port
        self.inner = httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(scheme="http", host="127.0.0.1", port=self.port)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


class AsyncForward(httpx.AsyncBaseTransport):
    def __init__(self, server: Server) -> None:
        self.port = httpx.URL(server.base_url).port
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(scheme="http", host="127.0.0.1", port=self.port)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with serve(route) as running:
        yield running


def _cases() -> list[Any]:
    params = []
    for name in VENDORS:
        for case in vendor(name).cases():
            own = next((f"proven on the wire by {test}" for key, test in ELSEWHERE.get(name, {}).items()
                        if _named(case.op.operation_id, key)), None)
            why = next((why for key, why in BY_BYTES.get(name, {}).items() if _named(case.op.operation_id, key)), None)
            marks = [pytest.mark.skip(reason=own or why)] if own or why else []
            params.append(pytest.param(name, case.id, id=f"{name}:{case.id}", marks=marks))
    return params


def test_every_operation_openapi_core_cannot_read_has_a_test_of_its_own() -> None:
    from oracle.harness import xml_reason

    for name in VENDORS:
        for case in vendor(name).cases():
            unread = xml_reason(case.op) or next(
                (why for key, why in BY_BYTES.get(name, {}).items() if _named(case.op.operation_id, key)), None)
            if unread:
                assert any(_named(case.op.operation_id, key) for key in ELSEWHERE.get(name, {})), (
                    f"{name}:{case.id} is not judged by openapi-core ({unread}) and has no loopback test named here")


@pytest.mark.filterwarnings("ignore:Unsupported scheme type:UserWarning")
@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize(("name", "case_id"), _cases())
def test_the_operation_on_the_wire(server: Server, name: str, case_id: str, use_async: bool) -> None:
    case: Case = next(c for c in vendor(name).cases() if c.id == case_id)

    def through(recorder: Recorder, asynchronous: bool) -> httpx.BaseTransport | httpx.AsyncBaseTransport:
        server.state["recorder"] = recorder
        return AsyncForward(server) if asynchronous else Forward(server)

    @settings(max_examples=EXAMPLES, derandomize=True, phases=[Phase.explicit, Phase.generate], deadline=None,
              database=None, suppress_health_check=list(HealthCheck))
    @given(case.strategy())
    def check(draw: Draw) -> None:
        before = len(server.seen)
        case.check(draw, use_async=use_async, through=through)
        assert len(server.seen) > before, "nothing reached the server"

    check()
