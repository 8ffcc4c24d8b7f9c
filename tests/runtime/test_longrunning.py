"""Long-running writes (x-careforge-long-running): a handle that polls with growing intervals until an end state."""

from __future__ import annotations

from types import ModuleType

import pytest

from ._clients import Flavour
from ._server import Server, ok


def job(state: str) -> dict[str, str]:
    return {"job_id": "j1", "state": state}


def test_wait_polls_until_success(flavour: Flavour, server: Server) -> None:
    server.route("POST", "/jobs", ok(job("queued"), status=202))
    server.route("GET", "/jobs/j1", ok(job("queued")), ok(job("running")), ok(job("running")), ok(job("done")))
    with flavour.toy(base_url=server.url) as client:
        handle = client.jobs.start()
        assert (handle.id, handle.accepted.state) == ("j1", "queued")
        result = handle.wait(timeout=600, interval=2.0, max_interval=4.0)
    assert result.state == "done"
    assert server.hits("GET", "/jobs/j1") == 4
    assert flavour.sleeps == [2.0, 3.0, 4.0]  # growing by half each time, up to max_interval


def test_a_failure_state_raises(flavour: Flavour, server: Server, toy: ModuleType) -> None:
    server.route("POST", "/jobs", ok(job("queued"), status=202))
    server.route("GET", "/jobs/j1", ok(job("running")), ok(job("failed")))
    with flavour.toy(base_url=server.url) as client:
        handle = client.jobs.start()
        with pytest.raises(toy.LongRunningFailed) as caught:
            handle.wait(interval=0.5)
    assert caught.value.status == "failed"
    assert caught.value.result.state == "failed"


def test_the_deadline_raises_with_the_last_state(flavour: Flavour, server: Server, toy: ModuleType) -> None:
    server.route("POST", "/jobs", ok(job("queued"), status=202))
    server.route("GET", "/jobs/j1", ok(job("running")))
    with flavour.toy(base_url=server.url) as client:
        handle = client.jobs.start()
        with pytest.raises(toy.LongRunningTimeout) as caught:
            handle.wait(timeout=10, interval=2.0, max_interval=2.0)
    assert caught.value.status == "running"
    assert sum(flavour.sleeps) <= 10


def test_a_poll_that_fails_is_retried_like_any_get(flavour: Flavour, server: Server) -> None:
    server.route("POST", "/jobs", ok(job("queued"), status=202))
    server.route("GET", "/jobs/j1", ok({"message": "busy"}, status=503), ok(job("done")))
    with flavour.toy(base_url=server.url) as client:
        assert client.jobs.start().poll().state == "done"
    assert server.hits("GET", "/jobs/j1") == 2
