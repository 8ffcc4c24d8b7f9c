"""CAQH roster batches against a loopback server whose batches finish after a few polls (Prism cannot)."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Iterator

import pytest

from .loopback import Answer, Seen, Server, serve, use_generated

use_generated("caqh")

from caqh_client import AsyncCaqh, Caqh, LongRunningFailed, LongRunningTimeout, models  # noqa: E402

ROW = {"caqh_provider_id": "12345678", "organization_id": "1234", "roster_status": "ACTIVE",
       "provider": {"first_name": "Jane", "last_name": "Doe"}}
# batch id -> the statuses its polls report in turn (the last one repeats)
BATCHES = {"b-done": ["Queued", "In_Process", "Complete"], "b-failed": ["Queued", "Failed"], "b-slow": ["Queued"]}


def route(server: Server, request: Seen) -> Answer:
    if request.path != "/RosterAPI/API/Roster":
        return Answer(404, {"Message": "no such path"})
    if request.method == "POST":
        batch = server.state.setdefault("next", iter(["b-done", "b-failed", "b-slow"]))
        return Answer(200, {"batch_Id": next(batch)})
    batch_id = request.query["batch_id"][0]
    polls = server.state.setdefault(batch_id, 0)
    server.state[batch_id] = polls + 1
    statuses = BATCHES[batch_id]
    status = statuses[min(polls, len(statuses) - 1)]
    body: dict[str, object] = {"batch_status": status}
    if status == "Complete":
        body["roster_result"] = [ROW]
    return Answer(200, body)


@pytest.fixture
def server() -> Iterator[Server]:
    with serve(route) as running:
        yield running


def provider() -> models.ProviewQuickAdd:
    return models.ProviewQuickAdd.model_validate({"caqh_provider_id": "12345678", "organization_id": "1234",
                                                  "po_provider_id": "PO-1"})


def test_a_batch_is_polled_until_it_completes(server: Server) -> None:
    # Plain http is allowed without asking because the server is on loopback.
    with Caqh(username="org-user", password="s3cret", base_url=server.base_url) as client:
        job = client.roster.add(product="PV", body=[provider()])
        assert job.id == "b-done"
        result = job.wait(timeout=10.0, interval=0.01)
        failed_job = client.roster.add(product="PV", body=[provider()])
        slow_job = client.roster.add(product="PV", body=[provider()])
        with pytest.raises(LongRunningFailed):
            failed_job.wait(timeout=10.0, interval=0.01)
        with pytest.raises(LongRunningTimeout):
            slow_job.wait(timeout=0.05, interval=0.01)
    assert result.batch_status == "Complete"
    assert result.roster_result is not None and result.roster_result[0].caqh_provider_id == "12345678"
    assert server.state["b-done"] == 3  # Queued, In_Process, Complete: no poll after the terminal status
    posted = server.seen[0]
    assert posted.query == {"product": ["PV"]} and isinstance(posted.json(), list)
    assert posted.headers["Authorization"] == "Basic " + base64.b64encode(b"org-user:s3cret").decode()


def test_the_async_client_waits_the_same_way(server: Server) -> None:
    async def run() -> models.AddBatchResult:
        async with AsyncCaqh(username="u", password="p", base_url=server.base_url, allow_insecure_http=True) as c:
            job = await c.roster.add(product="PV", body=[provider()])
            return await job.wait(timeout=10.0, interval=0.01)

    result = asyncio.run(run())
    assert result.batch_status == "Complete" and server.state["b-done"] == 3
