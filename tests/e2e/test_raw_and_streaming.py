"""with_raw_response and with_streaming_response against real loopback servers, sync and async.

The conventions are Stainless's (the openai and anthropic packages): a raw response has `.status_code`,
`.headers`, `.http_response` and `.parse()`; a streaming one is a context manager whose body is read
only when the caller reads it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from .loopback import Answer, Seen, Server, serve, use_generated

use_generated("carehq")
use_generated("commcare")
use_generated("caqh")

from caqh_client import AsyncCaqh, Caqh, LongRunning  # noqa: E402
from carehq_client import AsyncCareHQ, CareHQ, NotFoundError, models  # noqa: E402
from commcare_client import AsyncCommCare, CommCare  # noqa: E402

LIMITS = {"X-CareHQ-RateLimit-Limit": "10", "X-CareHQ-RateLimit-Remaining": "7",
          "X-CareHQ-RateLimit-Reset": "1700000000.250", "X-Request-Id": "req-42"}


def carehq_route(server: Server, request: Seen) -> Answer:
    if request.path == "/v1/care-fund-types/missing":
        return Answer(404, {"error": "not_found", "hint": "no such type"}, LIMITS)
    if request.path.startswith("/v1/care-fund-types/"):
        return Answer(200, {"_id": request.path.rsplit("/", 1)[1], "name": "Allowance"}, LIMITS)
    if request.path == "/v1/care-fund-types":
        page = int(request.query.get("page", ["1"])[0])
        items = [{"_id": f"t{page}-{n}", "name": f"Type {page}.{n}"} for n in range(2)]
        return Answer(200, {"items": items, "page": page, "page_count": 2, "per_page": 2, "total_count": 4}, LIMITS)
    return Answer(404, {"error": "unrouted"})


def carehq(server: Server) -> CareHQ:
    return CareHQ(account_id="acc", api_key="key", api_secret="secret", base_url=f"{server.base_url}/v1")


def async_carehq(server: Server) -> AsyncCareHQ:
    return AsyncCareHQ(account_id="acc", api_key="key", api_secret="secret", base_url=f"{server.base_url}/v1")


def test_raw_response_sync() -> None:
    with serve(carehq_route) as server, carehq(server) as client:
        response = client.with_raw_response.care_fund_types.retrieve("abc")
        assert response.status_code == 200
        assert response.headers["x-request-id"] == "req-42"
        assert response.http_response.request.url.path == "/v1/care-fund-types/abc"
        assert response.method == "GET"
        parsed = response.parse()
        assert isinstance(parsed, models.CareFundType) and parsed.field_id == "abc"
        assert response.parse() is parsed  # parsed once
        assert len(server.seen) == 1  # parse() did not send again


def test_documented_headers_are_typed() -> None:
    with serve(carehq_route) as server, carehq(server) as client:
        headers = client.with_raw_response.care_fund_types.retrieve("abc").parse_headers()
        assert headers.x_care_hq_rate_limit_limit == 10
        assert headers.x_care_hq_rate_limit_remaining == 7
        assert headers.x_care_hq_rate_limit_reset == 1700000000.25
        assert (headers.model_extra or {})["x-request-id"] == "req-42"  # undocumented headers stay reachable


def test_malformed_documented_header_is_a_validation_error() -> None:
    from carehq_client import APIResponseValidationError

    def route(server: Server, request: Seen) -> Answer:
        return Answer(200, {"_id": "abc"}, {**LIMITS, "X-CareHQ-RateLimit-Remaining": "many"})

    with serve(route) as server, carehq(server) as client:
        response = client.with_raw_response.care_fund_types.retrieve("abc")
        assert response.parse().field_id == "abc"
        with pytest.raises(APIResponseValidationError, match="x-carehq-ratelimit-remaining"):
            response.parse_headers()


def test_raw_response_of_a_pager_starts_from_the_page_received() -> None:
    with serve(carehq_route) as server, carehq(server) as client:
        response = client.with_raw_response.care_fund_types.list(per_page=2)
        assert response.status_code == 200 and len(server.seen) == 1
        pager = response.parse()
        names = [item.name for item in pager]
        assert names == ["Type 1.0", "Type 1.1", "Type 2.0", "Type 2.1"]
        assert [s.query.get("page", ["1"])[0] for s in server.seen] == ["1", "2"]  # page 1 was not fetched twice


def test_raw_response_status_error_raises_like_the_plain_call() -> None:
    with serve(carehq_route) as server, carehq(server) as client:
        with pytest.raises(NotFoundError) as raised:
            client.with_raw_response.care_fund_types.retrieve("missing")
        assert raised.value.status_code == 404
        with pytest.raises(NotFoundError):
            with client.with_streaming_response.care_fund_types.retrieve("missing"):
                pass


def test_raw_response_async() -> None:
    async def main() -> None:
        with serve(carehq_route) as server:
            async with async_carehq(server) as client:
                response = await client.with_raw_response.care_fund_types.retrieve("abc")
                assert response.status_code == 200
                assert response.parse_headers().x_care_hq_rate_limit_remaining == 7
                parsed = await response.parse()
                assert parsed.field_id == "abc"
                pager_response = await client.with_raw_response.care_fund_types.list(per_page=2)
                pager = await pager_response.parse()
                assert [item.field_id async for item in pager] == ["t1-0", "t1-1", "t2-0", "t2-1"]
                assert len(server.seen) == 3

    asyncio.run(main())


def test_streaming_json_parse_sync_and_async() -> None:
    with serve(carehq_route) as server, carehq(server) as client:
        with client.with_streaming_response.care_fund_types.retrieve("abc") as response:
            assert response.status_code == 200
            assert response.parse().name == "Allowance"
        assert response.is_closed

    async def main() -> None:
        with serve(carehq_route) as server:
            async with async_carehq(server) as client:
                async with client.with_streaming_response.care_fund_types.retrieve("abc") as response:
                    assert json.loads(await response.read())["name"] == "Allowance"
                    assert (await response.parse()).name == "Allowance"
                assert response.is_closed

    asyncio.run(main())


# ---- a download whose body the server holds back: proves nothing is read before the caller reads


class _Gate:
    """A server that sends the headers and a first chunk, then waits for `release` before the rest."""

    FIRST = b"line one\nline two\n"
    REST = b"line three\n" * 1000

    def __init__(self) -> None:
        self.release = threading.Event()
        self.waited_out = False
        self.requests: list[str] = []

    @contextlib.contextmanager
    def serve(self) -> Iterator[str]:
        gate = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                gate.requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "application/pdf")
                self.send_header("Content-Length", str(len(gate.FIRST) + len(gate.REST)))
                self.end_headers()
                self.wfile.write(gate.FIRST)
                self.wfile.flush()
                if not gate.release.wait(5):
                    gate.waited_out = True
                self.wfile.write(gate.REST)

            def log_message(self, format: str, *args: object) -> None:
                pass

        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        httpd.daemon_threads = True
        thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{httpd.server_address[1]}"
        finally:
            self.release.set()
            httpd.shutdown()
            httpd.server_close()


def test_streaming_download_reads_nothing_before_the_caller_sync() -> None:
    gate = _Gate()
    with gate.serve() as base, CommCare(domain="demo", username="u", api_key="k", base_url=base) as client:
        with client.with_streaming_response.case_attachments.retrieve("case-1", "scan.pdf") as response:
            assert response.status_code == 200
            assert response.headers["content-type"] == "application/pdf"
            assert not gate.release.is_set()  # the server still holds the body back: we are in already
            lines = response.iter_lines()
            assert next(lines) == "line one"
            gate.release.set()
            rest = list(lines)
        assert rest[0] == "line two" and len(rest) == 1001
        assert not gate.waited_out and response.is_closed
        assert len(gate.requests) == 1


def test_streaming_download_reads_nothing_before_the_caller_async() -> None:
    gate = _Gate()

    async def main(base: str) -> bytes:
        async with AsyncCommCare(domain="demo", username="u", api_key="k", base_url=base) as client:
            async with client.with_streaming_response.case_attachments.retrieve("case-1", "scan.pdf") as response:
                assert not gate.release.is_set()
                chunks = response.iter_bytes()
                first = await chunks.__anext__()
                gate.release.set()
                return first + b"".join([chunk async for chunk in chunks])

    with gate.serve() as base:
        body = asyncio.run(main(base))
    assert body == gate.FIRST + gate.REST and not gate.waited_out


def test_streaming_download_parse_gives_the_binary_response() -> None:
    gate = _Gate()
    gate.release.set()
    with gate.serve() as base, CommCare(domain="demo", username="u", api_key="k", base_url=base) as client:
        with client.with_streaming_response.case_attachments.retrieve("case-1", "scan.pdf") as response:
            download = response.parse()
        assert download.content == gate.FIRST + gate.REST
        assert download.content_type == "application/pdf"


# ---- a long-running job: parse() gives the same handle the plain call gives


def caqh_route(server: Server, request: Seen) -> Answer:
    if request.method == "POST" and request.path == "/RosterAPI/API/Roster":
        return Answer(200, {"batch_Id": "batch-7"}, {"Location": "/RosterAPI/API/Roster/Result?batchId=batch-7"})
    return Answer(404, {"error": "unrouted"})


def test_raw_response_of_a_long_running_write() -> None:
    with serve(caqh_route) as server:
        client = Caqh(username="u", password="p", base_url=server.base_url)
        response = client.with_raw_response.roster.add(product="PV", body=[])
        assert response.status_code == 200
        job = response.parse()
        assert isinstance(job, LongRunning) and job.id == "batch-7"

        async def main() -> str:
            async with AsyncCaqh(username="u", password="p", base_url=server.base_url) as aclient:
                raw = await aclient.with_raw_response.roster.add(product="PV", body=[])
                return (await raw.parse()).id

        assert asyncio.run(main()) == "batch-7"
        assert len(server.seen) == 2


# ---- errors carry the request


def _closed_port() -> str:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def test_connection_error_carries_the_request_sync_and_async() -> None:
    from carehq_client import APIConnectionError

    base = _closed_port()
    client = CareHQ(account_id="acc", api_key="key", api_secret="secret", base_url=f"{base}/v1", max_retries=0)
    with pytest.raises(APIConnectionError) as raised:
        client.care_fund_types.retrieve("abc")
    assert raised.value.request is not None
    assert raised.value.request.url == f"{base}/v1/care-fund-types/abc"

    async def main() -> APIConnectionError:
        async with AsyncCareHQ(account_id="acc", api_key="key", api_secret="secret", base_url=f"{base}/v1",
                               max_retries=0) as aclient:
            try:
                await aclient.care_fund_types.retrieve("abc")
            except APIConnectionError as error:
                return error
        raise AssertionError("no error")

    error = asyncio.run(main())
    assert error.request is not None and error.request.method == "GET"


# ---- calls made while a wrapped call is on its way are plain calls


def test_a_call_an_event_hook_makes_during_a_raw_call_is_a_plain_call() -> None:
    import httpx

    looked_up: list[object] = []

    with serve(carehq_route) as server:
        def audit(response: httpx.Response) -> None:
            if response.request.url.path.endswith("/abc"):
                looked_up.append(client.care_fund_types.retrieve("audit"))

        client = CareHQ(account_id="acc", api_key="key", api_secret="secret", base_url=f"{server.base_url}/v1",
                        http_client=httpx.Client(event_hooks={"response": [audit]}))
        raw = client.with_raw_response.care_fund_types.retrieve("abc")
        assert raw.url.path == "/v1/care-fund-types/abc" and raw.parse().field_id == "abc"
        assert isinstance(looked_up[0], models.CareFundType) and looked_up[0].field_id == "audit"


def test_a_task_started_during_a_streaming_call_is_a_plain_call() -> None:
    import httpx

    async def main(base: str) -> object:
        tasks: list[asyncio.Task[object]] = []

        async def audit(response: httpx.Response) -> None:
            if response.request.url.path.endswith("/abc"):
                tasks.append(asyncio.ensure_future(client.care_fund_types.retrieve("audit")))

        client = AsyncCareHQ(account_id="acc", api_key="key", api_secret="secret", base_url=f"{base}/v1",
                             http_client=httpx.AsyncClient(event_hooks={"response": [audit]}))
        async with client.with_streaming_response.care_fund_types.retrieve("abc") as response:
            assert (await response.parse()).field_id == "abc"
        return await tasks[0]

    with serve(carehq_route) as server:
        found = asyncio.run(main(server.base_url))
    assert isinstance(found, models.CareFundType) and found.field_id == "audit"


# ---- reading a streamed body: errors are the package's own


def test_reading_a_consumed_stream_is_an_api_error() -> None:
    from commcare_client import APIError

    gate = _Gate()
    gate.release.set()
    with gate.serve() as base, CommCare(domain="demo", username="u", api_key="k", base_url=base) as client:
        with client.with_streaming_response.case_attachments.retrieve("case-1", "scan.pdf") as response:
            assert b"".join(response.iter_bytes()) == gate.FIRST + gate.REST
            with pytest.raises(APIError, match="already read"):
                response.parse()


def test_a_stalled_error_body_in_streaming_mode_is_a_timeout_error() -> None:
    import httpx

    from commcare_client import APITimeoutError

    class Stalled(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self.send_response(500)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.write(b'{"error"')
            self.wfile.flush()
            stop.wait(5)

        def log_message(self, format: str, *args: object) -> None:
            pass

    stop = threading.Event()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Stalled)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        client = CommCare(domain="demo", username="u", api_key="k", base_url=f"http://127.0.0.1:{httpd.server_address[1]}",
                          max_retries=0, timeout=httpx.Timeout(0.5))
        with pytest.raises(APITimeoutError) as raised:
            with client.with_streaming_response.case_attachments.retrieve("case-1", "scan.pdf"):
                pass
        assert raised.value.request is not None
    finally:
        stop.set()
        httpd.shutdown()
        httpd.server_close()


# ---- downloads to a file


def test_stream_to_file_writes_the_body_as_it_arrives_sync_and_async(tmp_path: Path) -> None:
    gate = _Gate()
    gate.release.set()
    with gate.serve() as base:
        with CommCare(domain="demo", username="u", api_key="k", base_url=base) as client:
            with client.with_streaming_response.case_attachments.retrieve("case-1", "scan.pdf") as response:
                response.stream_to_file(tmp_path / "sync.pdf", chunk_size=4096)
            client.case_attachments.retrieve("case-1", "scan.pdf").write_to_file(tmp_path / "whole.pdf")

        async def main() -> None:
            async with AsyncCommCare(domain="demo", username="u", api_key="k", base_url=base) as aclient:
                async with aclient.with_streaming_response.case_attachments.retrieve("case-1", "scan.pdf") as streamed:
                    await streamed.stream_to_file(tmp_path / "async.pdf")

        asyncio.run(main())
    for name in ("sync.pdf", "async.pdf", "whole.pdf"):
        assert (tmp_path / name).read_bytes() == gate.FIRST + gate.REST
    assert sorted(p.name for p in tmp_path.iterdir()) == ["async.pdf", "sync.pdf", "whole.pdf"]


def test_a_broken_download_leaves_no_file(tmp_path: Path) -> None:
    from commcare_client import APIConnectionError

    class Broken(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.write(b"%PDF-1.7 only the start")
            self.wfile.flush()
            self.close_connection = True

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Broken)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        client = CommCare(domain="demo", username="u", api_key="k", base_url=f"http://127.0.0.1:{httpd.server_address[1]}")
        with client.with_streaming_response.case_attachments.retrieve("case-1", "scan.pdf") as response:
            with pytest.raises(APIConnectionError) as broken:
                response.stream_to_file(tmp_path / "scan.pdf")
        assert broken.value.request is not None
        assert list(tmp_path.iterdir()) == []
    finally:
        httpd.shutdown()
        httpd.server_close()
