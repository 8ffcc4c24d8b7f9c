"""The async client reads a multipart file part off the event loop: while a large part is read from a slow
file object, another task on the loop keeps running. The body on the wire is still exact (read back with the
standard library's MIME parser), and a redirect (307) sends it again from the file's start, as on the sync
client."""

from __future__ import annotations

import asyncio
import email.message
import email.parser
import email.policy
import io
import time
from collections.abc import Iterator

import pytest

from .loopback import Answer, Seen, Server, serve, use_generated

use_generated("commcare")

from commcare_client import AsyncCommCare  # noqa: E402

PATH = "/a/demo/importer/excel/bulk_upload_api/"
PAUSE = 0.3  # seconds each read of the file takes
DATA = bytes(range(256)) * 1024 + b"\r\n--not-a-boundary\r\n"  # several of httpx's 64 KiB reads


class SlowFile(io.BytesIO):
    """A file object on a slow disk: each read blocks the thread that makes it."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.reads = 0

    def read(self, size: int | None = -1) -> bytes:
        time.sleep(PAUSE)
        self.reads += 1
        return super().read(size)


def route(server: Server, request: Seen) -> Answer:
    if request.path == PATH:
        if server.state.get("redirect") and len(server.seen) == 1:
            return Answer(307, headers={"Location": PATH})
        return Answer(200, {"code": 200, "message": "success",
                            "status_url": f"{server.base_url}/a/demo/importer/status/u-1/"})
    return Answer(404)


@pytest.fixture
def server() -> Iterator[Server]:
    with serve(route) as running:
        yield running


def parts(request: Seen) -> dict[str, email.message.Message]:
    head = f"Content-Type: {request.headers['Content-Type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.body)
    assert message.is_multipart()
    return {p.get_param("name", header="content-disposition"): p  # type: ignore[misc]
            for p in message.iter_parts()}  # type: ignore[attr-defined]


def upload(server: Server, file: SlowFile) -> list[float]:
    """Uploads `file` with the async client while a ticker runs; the gaps between the ticker's ticks."""

    async def run() -> list[float]:
        ticks: list[float] = []
        done = asyncio.Event()

        async def ticker() -> None:
            while not done.is_set():
                ticks.append(time.monotonic())
                await asyncio.sleep(0.005)

        ticking = asyncio.create_task(ticker())
        async with AsyncCommCare(domain="demo", username="me@example.org", api_key="k",
                                 base_url=server.base_url) as commcare:
            try:
                await commcare.case_imports.create(file=("households.xlsx", file), case_type="household")
            finally:
                done.set()
                await ticking
        return [b - a for a, b in zip(ticks, ticks[1:])]

    return asyncio.run(run())


def check_body(request: Seen) -> None:
    assert (request.method, request.path) == ("POST", PATH)
    assert int(request.headers["Content-Length"]) == len(request.body)
    found = parts(request)
    assert list(found) == ["file", "case_type"]
    assert found["file"].get_filename() == "households.xlsx"
    assert found["file"].get_payload(decode=True) == DATA
    assert found["case_type"].get_payload(decode=True) == b"household"


def test_a_slow_file_part_does_not_stall_the_event_loop(server: Server) -> None:
    file = SlowFile(DATA)
    gaps = upload(server, file)
    assert file.reads >= 3  # the part took several reads, each PAUSE long
    # Read on the loop, each read would stop the ticker for PAUSE seconds.
    assert len(gaps) > 20 and max(gaps) < PAUSE / 2, max(gaps)
    [request] = server.seen
    check_body(request)


def test_a_redirect_sends_the_part_again_from_where_the_file_stood(server: Server) -> None:
    server.state["redirect"] = True
    file = SlowFile(b"header rows, not sent" + DATA)
    file.seek(len(b"header rows, not sent"))
    upload(server, file)
    first, again = server.seen
    check_body(first)
    check_body(again)


def test_a_cancelled_upload_raises_the_cancellation(server: Server) -> None:
    """Cancelled while a part is being read in its thread: the task ends cancelled, nothing else is raised."""

    async def run() -> None:
        async with AsyncCommCare(domain="demo", username="me@example.org", api_key="k",
                                 base_url=server.base_url) as commcare:
            upload = asyncio.create_task(
                commcare.case_imports.create(file=("households.xlsx", SlowFile(DATA)), case_type="household"))
            await asyncio.sleep(PAUSE / 2)
            upload.cancel()
            with pytest.raises(asyncio.CancelledError):
                await upload

    asyncio.run(run())
