"""Jobs of every x-careforge-long-running shape, and 2xx refusals, end to end on loopback (sync and async).

The package is generated from tests/e2e/specs/jobs.yaml; every request the client sends is checked
against that spec by openapi-core (an OpenAPI implementation we did not write), polls included.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import yaml
from click.testing import CliRunner
from openapi_core import OpenAPI

from generator.cli import main

from oracle.wire import WireRequest

from .loopback import Answer, Seen, Server, serve

SPEC = Path(__file__).resolve().parent / "specs" / "jobs.yaml"
MODULE = "e2e_jobs_client"


@pytest.fixture(scope="module")
def jobs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    root = tmp_path_factory.mktemp("e2e-jobs")
    (root / "jobs.yaml").write_text(SPEC.read_text(encoding="utf-8"), encoding="utf-8")
    with contextlib.chdir(root):
        result = CliRunner().invoke(main, ["generate", "-q", "jobs.yaml", "--out", "out", "--package", MODULE],
                                    catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    sys.path.insert(0, str(root / "out"))
    try:
        yield importlib.import_module(MODULE)
    finally:
        sys.path.remove(str(root / "out"))
        for name in [n for n in sys.modules if n.split(".")[0] == MODULE]:
            del sys.modules[name]


def route(server: Server, request: Seen) -> Answer:
    """A small job service: each job is done on its third poll."""
    polls = server.state.setdefault("polls", {})
    if request.method == "POST" and request.path == "/api/v1/imports":
        return Answer(202, {"import_id": "i1", "links": {"status": "https://jobs.example.test/api/v1/imports/i1/status"
                                                                    "?token=t1"}})
    if request.method == "POST" and request.path == "/api/v1/intakes":
        return Answer(202)
    if request.method == "POST" and request.path == "/api/v1/reports":
        return Answer(202, {"report_id": "r1"})
    if request.method == "GET":
        polls[request.path] = count = polls.get(request.path, 0) + 1
        if request.path == "/api/v1/imports/i1/status":
            return Answer(200, {"state": "done" if count >= 3 else "running"})
        if request.path == "/api/v1/intakes/b-7":
            return Answer(200, {"batchid": "b-7", "accepted": 2}) if count >= 3 else Answer(201)
        if request.path == "/api/v1/reports/r1":
            return Answer(200, b"Complete\n" if count >= 3 else b"In_Process", content_type="text/plain")
        if request.path == "/api/v1/profiles/refused":
            return Answer(292, {"code": 292, "message": "the provider has not authorized you"})
        if request.path == "/api/v1/profiles/none":
            return Answer(294)
    return Answer(404, {"message": "no route"})


@pytest.fixture
def server() -> Iterator[Server]:
    with serve(route) as running:
        yield running


class Oracle:
    """openapi-core's judgement of every request sent, against the spec pointed at the loopback server."""

    def __init__(self, base_url: str) -> None:
        document = copy.deepcopy(yaml.safe_load(SPEC.read_text(encoding="utf-8")))
        document["servers"] = [{"url": base_url}]
        self.openapi = OpenAPI.from_dict(document)
        self.sent: list[httpx.Request] = []

    def record(self, request: httpx.Request) -> None:
        self.sent.append(request)

    async def record_async(self, request: httpx.Request) -> None:
        self.sent.append(request)

    def check(self) -> list[str]:
        for request in self.sent:
            self.openapi.validate_request(WireRequest(request))  # raises on a request the spec does not allow
        return [f"{r.method} {r.url.raw_path.decode()}" for r in self.sent]


def sync_client(jobs: ModuleType, server: Server, oracle: Oracle) -> Any:
    http = httpx.Client(event_hooks={"request": [oracle.record]})
    return jobs.Jobs(api_key="k1", base_url=server.base_url + "/api/v1", http_client=http)


def async_client(jobs: ModuleType, server: Server, oracle: Oracle) -> Any:
    http = httpx.AsyncClient(event_hooks={"request": [oracle.record_async]})
    return jobs.AsyncJobs(api_key="k1", base_url=server.base_url + "/api/v1", http_client=http)


def no_sleep(client: Any) -> Any:
    client._sleep_sync = lambda delay: None

    async def sleep_async(delay: float) -> None:
        return None

    client._sleep_async = sleep_async
    return client


IMPORT = ["POST /api/v1/imports"] + ["GET /api/v1/imports/i1/status?token=t1"] * 3
INTAKE = ["POST /api/v1/intakes?batchid=b-7"] + ["GET /api/v1/intakes/b-7"] * 3
REPORT = ["POST /api/v1/reports"] + ["GET /api/v1/reports/r1"] * 3


def test_jobs_finish_after_three_polls_sync(jobs: ModuleType, server: Server) -> None:
    oracle = Oracle(server.base_url + "/api/v1")
    with no_sleep(sync_client(jobs, server, oracle)) as client:
        assert client.imports.start(case_type="patient").wait(interval=0.01).state == "done"
        intake = client.intakes.submit(batchid="b-7", providers=["p1", "p2"])
        assert intake.id == "b-7" and intake.wait(interval=0.01).accepted == 2
        assert client.reports.request().wait(interval=0.01) == "Complete\n"
    assert oracle.check() == IMPORT + INTAKE + REPORT


def test_jobs_finish_after_three_polls_async(jobs: ModuleType, server: Server) -> None:
    oracle = Oracle(server.base_url + "/api/v1")

    async def run() -> None:
        async with no_sleep(async_client(jobs, server, oracle)) as client:
            assert (await (await client.imports.start(case_type="patient")).wait(interval=0.01)).state == "done"
            intake = await client.intakes.submit(batchid="b-7", providers=["p1", "p2"])
            assert intake.id == "b-7" and (await intake.wait(interval=0.01)).accepted == 2
            assert await (await client.reports.request()).wait(interval=0.01) == "Complete\n"

    asyncio.run(run())
    assert oracle.check() == IMPORT + INTAKE + REPORT


def test_a_raw_job_response_parses_to_the_same_handle(jobs: ModuleType, server: Server) -> None:
    oracle = Oracle(server.base_url + "/api/v1")
    with no_sleep(sync_client(jobs, server, oracle)) as client:
        response = client.with_raw_response.imports.start(case_type="patient")
        assert response.status_code == 202
        assert response.parse().wait(interval=0.01).state == "done"

    async def run() -> None:
        async with no_sleep(async_client(jobs, server, oracle)) as client:
            raw = await client.with_raw_response.imports.start(case_type="patient")
            job = await raw.parse()
            assert (await job.poll()).state == "done"  # the server's fourth poll of i1

    asyncio.run(run())
    assert oracle.check() == IMPORT + ["POST /api/v1/imports", "GET /api/v1/imports/i1/status?token=t1"]


def test_refusals_raise_with_the_body_and_no_data_is_none(jobs: ModuleType, server: Server) -> None:
    oracle = Oracle(server.base_url + "/api/v1")
    with sync_client(jobs, server, oracle) as client:
        with pytest.raises(jobs.APIStatusError) as refused:
            client.profiles.retrieve("refused")
        with pytest.raises(jobs.APIStatusError) as raw_refused:
            client.with_raw_response.profiles.retrieve("refused")
        assert client.profiles.retrieve("none") is None

    async def run() -> Any:
        async with async_client(jobs, server, oracle) as client:
            assert await client.profiles.retrieve("none") is None
            with pytest.raises(jobs.APIStatusError) as caught:
                await client.with_raw_response.profiles.retrieve("refused")
            return caught.value

    async_refused = asyncio.run(run())
    for error in (refused.value, raw_refused.value, async_refused):
        assert error.status_code == 292
        assert error.body == {"code": 292, "message": "the provider has not authorized you"}
        assert error.parsed.message == "the provider has not authorized you"
    assert len(oracle.check()) == 5
