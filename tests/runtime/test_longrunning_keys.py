"""The optional keys of x-careforge-long-running, and 2xx refusals (x-careforge-error-statuses), against a
loopback server, with the sync client and the async one. The spec is tests/e2e/specs/jobs.yaml."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from ._clients import Flavour, generate_package
from ._server import Reply, Server, ok

SPEC = Path(__file__).resolve().parents[1] / "e2e" / "specs" / "jobs.yaml"
MODULE = "rt_jobs_client"
KEY = {"api_key": "key-jobs"}


@pytest.fixture(scope="module")
def jobs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    folder = generate_package(tmp_path_factory.mktemp("jobs-package"), MODULE, SPEC.read_text(encoding="utf-8"))
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(MODULE)
    finally:
        sys.path.remove(str(folder))
        for name in [n for n in sys.modules if n.split(".")[0] == MODULE]:
            del sys.modules[name]


def client(flavour: Flavour, jobs: ModuleType, server: Server) -> Any:
    return flavour._make(jobs, "Jobs", True, {**KEY, "base_url": server.url + "/api/v1"})


def text(body: str, status: int = 200) -> Reply:
    return Reply(status=status, body=body.encode(), headers={"Content-Type": "text/plain; charset=utf-8"})


def empty(status: int) -> Reply:
    return Reply(status=status)


# ---- poll-url: the immediate response says where to poll


def started(link: str) -> Reply:
    return ok({"import_id": "i1", "links": {"status": link}}, status=202)


@pytest.mark.parametrize("link", ["{base}/api/v1/imports/i1/status?token=t1", "imports/i1/status?token=t1",
                                  "/api/v1/imports/i1/status?token=t1", "./imports/i1/status?token=t1"])
def test_the_job_is_polled_at_the_url_it_gives(flavour: Flavour, jobs: ModuleType, server: Server, link: str) -> None:
    server.route("POST", "/api/v1/imports", started(link.format(base=server.url)))
    server.route("GET", "/api/v1/imports/i1/status", ok({"state": "queued"}), ok({"state": "running"}),
                 ok({"state": "done", "created": 7}))
    with client(flavour, jobs, server) as api:
        job = api.imports.start(case_type="patient")
        result = job.wait(interval=1.0)
    assert (job.id, result.state, result.created) == ("i1", "done", 7)
    polls = server.seen("GET")
    assert [(s.path, s.params) for s in polls] == [("/api/v1/imports/i1/status", {"token": "t1"})] * 3
    assert all(s.headers["x-api-key"] == "key-jobs" for s in polls)  # the poll operation's security
    assert flavour.sleeps == [1.0, 1.5]


def test_a_url_on_the_specs_own_server_is_polled_on_the_clients(flavour: Flavour, jobs: ModuleType,
                                                                server: Server) -> None:
    server.route("POST", "/api/v1/imports", started("https://jobs.example.test/api/v1/imports/i1/status"))
    server.route("GET", "/api/v1/imports/i1/status", ok({"state": "running"}), ok({"state": "done"}))
    with client(flavour, jobs, server) as api:
        assert api.imports.start(case_type="patient").wait().state == "done"
    assert server.hits("GET", "/api/v1/imports/i1/status") == 2


@pytest.mark.parametrize("link", ["{other}/api/v1/imports/i1/status", "//{other_host}/api/v1/imports/i1/status",
                                  "{base}/admin/imports/i1/status", "{base}/api/v1x/imports/i1/status",
                                  "../../admin/i1", "https://{host}/api/v1/imports/i1/status",
                                  "https://jobs.example.test/elsewhere/i1", "{base}/api/v1/../../admin/i1",
                                  "/api/v1/%2E%2e/%2e%2E/admin/i1", "/api/v1/imports%2f..%2f..%2fadmin/i1",
                                  "/api/v1/imports/..;/..;/admin/i1"])
def test_a_url_off_the_clients_server_is_refused_and_never_requested(
        flavour: Flavour, jobs: ModuleType, server: Server, other_server: Server, link: str) -> None:
    host = server.url.split("//")[1]
    server.route("POST", "/api/v1/imports", started(link.format(
        base=server.url, other=other_server.url, other_host=other_server.url.split("//")[1], host=host)))
    server.route("GET", "/admin/imports/i1/status", ok({"state": "done"}))
    server.route("GET", "/admin/i1", ok({"state": "done"}))
    with client(flavour, jobs, server) as api:
        with pytest.raises(jobs.LongRunningFailed) as refused:
            api.imports.start(case_type="patient")
    assert "leaves the client's server" in str(refused.value)
    assert server.hits("GET") == 0 and other_server.hits() == 0


def test_no_url_to_poll_fails_at_once(flavour: Flavour, jobs: ModuleType, server: Server) -> None:
    server.route("POST", "/api/v1/imports", ok({"import_id": "i1", "links": {}}, status=202))
    with client(flavour, jobs, server) as api:
        with pytest.raises(jobs.LongRunningFailed) as failed:
            api.imports.start(case_type="patient")
    assert failed.value.status == "" and failed.value.result.import_id == "i1"


# ---- status as a list of paths (booleans read as "true"/"false"), and immediate failure


def test_the_first_status_path_present_wins(flavour: Flavour, jobs: ModuleType, server: Server) -> None:
    server.route("POST", "/api/v1/fixtures", ok({"upload_id": "u1", "complete": False}))
    server.route("GET", "/api/v1/fixtures/u1", ok({"complete": False}), ok({"complete": False}),
                 ok({"complete": True, "message": "3 rows"}))
    with client(flavour, jobs, server) as api:
        job = api.fixtures.upload(table="cities")
        result = job.wait(interval=1.0)
    assert (result.complete, result.message, job.last_status) == (True, "3 rows", "true")
    assert server.hits("GET", "/api/v1/fixtures/u1") == 3


def test_a_failure_under_an_earlier_path_wins_over_a_flag(flavour: Flavour, jobs: ModuleType, server: Server) -> None:
    server.route("POST", "/api/v1/fixtures", ok({"upload_id": "u1"}))
    server.route("GET", "/api/v1/fixtures/u1", ok({"complete": False}), ok({"state": "failed", "complete": True}))
    with client(flavour, jobs, server) as api:
        with pytest.raises(jobs.LongRunningFailed) as failed:
            api.fixtures.upload(table="cities").wait()
    assert failed.value.status == "failed" and failed.value.result.complete is True


@pytest.mark.parametrize(("body", "status"), [({"code": 405, "message": "not an xlsx file"}, ""),
                                              ({"upload_id": "u1", "state": "failed", "code": 405}, "failed")])
def test_an_immediate_failure_raises_with_the_body(flavour: Flavour, jobs: ModuleType, server: Server,
                                                   body: dict[str, Any], status: str) -> None:
    server.route("POST", "/api/v1/fixtures", ok(body))
    with client(flavour, jobs, server) as api:
        with pytest.raises(jobs.LongRunningFailed) as failed:
            api.fixtures.upload(table="cities")
    assert failed.value.status == status and failed.value.result.code == 405
    assert server.hits("GET") == 0


# ---- id-parameter and status-code: the caller names the job, the poll's HTTP status is its status


def test_a_job_named_by_the_caller_and_judged_by_status_codes(flavour: Flavour, jobs: ModuleType,
                                                               server: Server) -> None:
    server.route("POST", "/api/v1/intakes", empty(202))
    server.route("GET", "/api/v1/intakes/b-7", empty(201), text("In_Process", 201),
                 ok({"batchid": "b-7", "accepted": 3}))
    with client(flavour, jobs, server) as api:
        job = api.intakes.submit(batchid="b-7", providers=["p1", "p2", "p3"])
        assert (job.id, job.accepted) == ("b-7", None)
        result = job.wait(interval=1.0)
    assert (result.accepted, job.last_status) == (3, "200")
    assert server.seen("POST")[0].params == {"batchid": "b-7"}
    assert server.hits("GET", "/api/v1/intakes/b-7") == 3


def test_a_failure_status_code_raises_with_the_body(flavour: Flavour, jobs: ModuleType, server: Server) -> None:
    server.route("POST", "/api/v1/intakes", empty(202))
    server.route("GET", "/api/v1/intakes/b-8", empty(201), ok({"message": "batch expired"}, status=410))
    with client(flavour, jobs, server) as api:
        with pytest.raises(jobs.LongRunningFailed) as failed:
            api.intakes.submit(batchid="b-8", providers=["p1"]).wait()
    assert failed.value.status == "410" and failed.value.result == {"message": "batch expired"}


def test_another_error_status_while_polling_raises_as_usual(flavour: Flavour, jobs: ModuleType,
                                                            server: Server) -> None:
    server.route("POST", "/api/v1/intakes", empty(202))
    server.route("GET", "/api/v1/intakes/b-9", empty(201), ok({"message": "no such batch"}, status=404))
    with client(flavour, jobs, server) as api:
        with pytest.raises(jobs.NotFoundError):
            api.intakes.submit(batchid="b-9", providers=["p1"]).wait()


# ---- a poll answering in text: the whole body, trimmed, is the status


def test_a_text_status(flavour: Flavour, jobs: ModuleType, server: Server) -> None:
    server.route("POST", "/api/v1/reports", ok({"report_id": "r1"}, status=202))
    server.route("GET", "/api/v1/reports/r1", text("Queued\n"), text("  In_Process "), text("Complete\r\n"))
    with client(flavour, jobs, server) as api:
        job = api.reports.request()
        assert job.poll() == "Queued\n"
        result = job.wait()
    assert (result, job.last_status) == ("Complete\r\n", "Complete")
    assert server.hits("GET", "/api/v1/reports/r1") == 3


def test_a_text_failure(flavour: Flavour, jobs: ModuleType, server: Server) -> None:
    server.route("POST", "/api/v1/reports", ok({"report_id": "r1"}, status=202))
    server.route("GET", "/api/v1/reports/r1", text("Failed"))
    with client(flavour, jobs, server) as api:
        with pytest.raises(jobs.LongRunningFailed) as failed:
            api.reports.request().wait()
    assert (failed.value.status, failed.value.result) == ("Failed", "Failed")


# ---- x-careforge-error-statuses: 2xx refusals raise; a documented empty 2xx is None


def test_a_refusal_in_a_2xx_raises_with_its_body(flavour: Flavour, jobs: ModuleType, server: Server) -> None:
    server.route("GET", "/api/v1/profiles/p1", ok({"code": 292, "message": "not authorized"}, status=292))
    server.route("GET", "/api/v1/profiles/p2", text("profile incomplete", 293))
    with client(flavour, jobs, server) as api:
        with pytest.raises(jobs.APIStatusError) as refused:
            api.profiles.retrieve("p1")
        with pytest.raises(jobs.APIStatusError) as incomplete:
            api.profiles.retrieve("p2")
    assert refused.value.status_code == 292 and refused.value.body == {"code": 292, "message": "not authorized"}
    assert isinstance(refused.value.parsed, jobs.models.Refusal) and refused.value.parsed.code == 292
    assert "not authorized" in str(refused.value)
    assert (incomplete.value.status_code, incomplete.value.body) == (293, "profile incomplete")


def test_no_data_is_none_and_a_profile_is_a_profile(flavour: Flavour, jobs: ModuleType, server: Server) -> None:
    server.route("GET", "/api/v1/profiles/p3", empty(294))
    server.route("GET", "/api/v1/profiles/p4", ok({"profile_id": "p4", "name": "Ann"}))
    with client(flavour, jobs, server) as api:
        assert api.profiles.retrieve("p3") is None
        assert api.profiles.retrieve("p4") == jobs.models.Profile(profile_id="p4", name="Ann")
