"""Credentials and base URL from environment variables, and `<PACKAGE>_LOG`, against a loopback server.

Sync and async: what the environment holds reaches the wire (an argument passed wins, an empty
variable is unset), and the package's log shows requests, retries, rate-limit waits and token
requests, at debug too, without a secret in any line.
"""

from __future__ import annotations

import asyncio
import base64
import importlib
import hashlib
import hmac
import logging
import os
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any
from urllib.parse import parse_qs

import pytest

from .loopback import REPO, Answer, Seen, Server, serve, use_generated

VENDORS = ("caqh", "carehq", "casebook", "commcare")
for _vendor in VENDORS:
    use_generated(_vendor)

import caqh_client  # noqa: E402
import carehq_client  # noqa: E402
import casebook_client  # noqa: E402
import commcare_client  # noqa: E402

PACKAGES = (caqh_client, carehq_client, casebook_client, commcare_client)
LOGGERS = tuple(p.__name__ for p in PACKAGES)
SENTINELS = {
    "password": "PASSWORD-sentinel-4e1b", "api_key": "APIKEY-sentinel-7a90", "api_secret": "SECRET-sentinel-c3d2",
    "client_secret": "CLIENTSECRET-sentinel-0f5e", "otp": "OTP-sentinel-9b8a", "access_token": "BEARER-sentinel-61aa",
}
TOKENS = ("TOKEN-sentinel-1", "TOKEN-sentinel-2")  # what the token endpoint hands out, in turn
Run = Callable[[Callable[[], Any], Callable[[], Awaitable[Any]]], Any]


def variables(package: Any) -> dict[str, str]:
    """The variables a package's clients read: argument -> name (the log's under "log")."""
    env = importlib.import_module(f"{package.__name__}._client")._ENV
    return {**env.credentials, "base_url": env.base_url, "log": env.log}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No variable of ours leaks in from the machine, and no log level set by a test outlives it."""
    for package in PACKAGES:
        for name in variables(package).values():
            monkeypatch.delenv(name, raising=False)
    yield
    for name in LOGGERS:
        logging.getLogger(name).setLevel(logging.NOTSET)


@pytest.fixture(params=["sync", "async"])
def run(request: pytest.FixtureRequest) -> Run:
    """Runs the sync flow or the async one."""
    if request.param == "sync":
        return lambda sync, _: sync()
    return lambda _, coroutine: asyncio.run(coroutine())


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


# ---- routes: CAQH (a 503 first), CareHQ (a used-up window first), Casebook (the first token refused), CommCare


def caqh_route(server: Server, request: Seen) -> Answer:
    server.state["calls"] = server.state.get("calls", 0) + 1
    if server.state["calls"] == 1 and server.state.get("fail_first"):
        return Answer(503, {"Message": "busy"}, headers={"Retry-After": "0"})
    return Answer(200, {"provider_found_flag": "Y"})


def carehq_route(server: Server, request: Seen) -> Answer:
    server.state["calls"] = server.state.get("calls", 0) + 1
    remaining = "0" if server.state["calls"] == 1 else "5"
    limits = {"X-CareHQ-RateLimit-Limit": "10", "X-CareHQ-RateLimit-Remaining": remaining,
              "X-CareHQ-RateLimit-Reset": f"{time.time() + 0.2:.3f}"}
    return Answer(200, {"_id": request.path.rsplit("/", 1)[1], "name": "Rose House"}, headers=limits)


def casebook_route(server: Server, request: Seen) -> Answer:
    if request.path == "/oauth2/token":
        server.state.setdefault("token_forms", []).append(parse_qs(request.body.decode()))
        token = TOKENS[min(len(server.state["token_forms"]), 2) - 1]
        return Answer(200, {"access_token": token, "token_type": "Bearer"})
    if request.headers.get("Authorization") != f"Bearer {TOKENS[1]}":
        return Answer(401, {"errors": [{"status": "401", "title": "Unauthorized"}]},
                      content_type="application/vnd.api+json")
    document = {"data": {"type": "providers", "id": "p-1", "attributes": {"name": "Sunrise"}}}
    return Answer(200, document, content_type="application/vnd.api+json")


def commcare_route(server: Server, request: Seen) -> Answer:
    return Answer(404, {"error": "no such user"})


@pytest.fixture
def caqh() -> Iterator[Server]:
    with serve(caqh_route) as running:
        yield running


def status_of(client: Any) -> Any:
    return client.provider_statuses.retrieve(product="PV", organization_id="1", caqh_provider_id="12345678")


# ---- credentials and base URL from the environment


def test_credentials_and_base_url_come_from_the_environment(caqh: Server, run: Run,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAQH_USERNAME", "env-user")
    monkeypatch.setenv("CAQH_PASSWORD", "env-password")
    monkeypatch.setenv("CAQH_BASE_URL", caqh.base_url)

    def sync() -> Any:
        with caqh_client.Caqh() as client:
            return status_of(client)

    async def coroutine() -> Any:
        async with caqh_client.AsyncCaqh() as client:
            return await status_of(client)

    assert run(sync, coroutine).provider_found_flag == "Y"
    assert caqh.seen[0].headers["Authorization"] == basic("env-user", "env-password")


def test_an_argument_passed_wins_over_its_variable(caqh: Server, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAQH_USERNAME", "env-user")
    monkeypatch.setenv("CAQH_PASSWORD", "env-password")
    monkeypatch.setenv("CAQH_BASE_URL", "http://127.0.0.1:9")  # nothing listens there

    def sync() -> Any:
        with caqh_client.Caqh(password="passed", base_url=caqh.base_url) as client:
            return status_of(client)

    async def coroutine() -> Any:
        async with caqh_client.AsyncCaqh(password="passed", base_url=caqh.base_url) as client:
            return await status_of(client)

    run(sync, coroutine)
    assert caqh.seen[0].headers["Authorization"] == basic("env-user", "passed")  # the user name still from the env


def test_an_empty_variable_counts_as_unset(caqh: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAQH_BASE_URL", "")
    monkeypatch.setenv("CAQH_USERNAME", "env-user")
    monkeypatch.setenv("CAQH_PASSWORD", "")
    client = caqh_client.Caqh()
    assert str(client.base_url) == "https://proview.caqh.org"  # the spec's first server
    with caqh_client.Caqh(base_url=caqh.base_url) as client, pytest.raises(caqh_client.ConfigurationError) as caught:
        status_of(client)
    assert "password" in str(caught.value)
    assert caqh.seen == []


def test_the_environment_is_read_when_the_client_is_made(caqh: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAQH_USERNAME", "first")
    monkeypatch.setenv("CAQH_PASSWORD", "first-password")
    with caqh_client.Caqh(base_url=caqh.base_url) as client:
        monkeypatch.setenv("CAQH_USERNAME", "later")
        status_of(client)
    assert caqh.seen[0].headers["Authorization"] == basic("first", "first-password")


def test_signing_credentials_come_from_the_environment(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    with serve(carehq_route) as server:
        for name, value in {"CAREHQ_ACCOUNT_ID": "acc-env", "CAREHQ_API_KEY": "key-env",
                            "CAREHQ_API_SECRET": "secret-env", "CAREHQ_BASE_URL": f"{server.base_url}/v1"}.items():
            monkeypatch.setenv(name, value)

        def sync() -> Any:
            with carehq_client.CareHQ() as client:
                return client.locations.retrieve("loc-1")

        async def coroutine() -> Any:
            async with carehq_client.AsyncCareHQ() as client:
                return await client.locations.retrieve("loc-1")

        assert run(sync, coroutine).name == "Rose House"
    headers = server.seen[0].headers
    assert (headers["X-CareHQ-AccountId"], headers["X-CareHQ-APIKey"]) == ("acc-env", "key-env")
    message = "\n".join([headers["X-CareHQ-Timestamp"], headers["X-CareHQ-Nonce"], "GET", "/v1/locations/loc-1", ""])
    assert headers["X-CareHQ-Signature"] == hmac.new(b"secret-env", message.encode(), hashlib.sha256).hexdigest()


def test_oauth2_credentials_and_token_url_come_from_the_environment(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    with serve(casebook_route) as server:
        for name, value in {"CASEBOOK_CLIENT_ID": "app-env", "CASEBOOK_CLIENT_SECRET": "secret-env",
                            "CASEBOOK_TOKEN_URL": f"{server.base_url}/oauth2/token",
                            "CASEBOOK_BASE_URL": server.base_url}.items():
            monkeypatch.setenv(name, value)

        def sync() -> Any:
            with casebook_client.Casebook() as client:
                return client.providers.retrieve("p-1")

        async def coroutine() -> Any:
            async with casebook_client.AsyncCasebook() as client:
                return await client.providers.retrieve("p-1")

        run(sync, coroutine)
    form = server.state["token_forms"][0]
    assert (form["client_id"], form["client_secret"]) == (["app-env"], ["secret-env"])
    assert server.seen[-1].headers["Authorization"] == f"Bearer {TOKENS[1]}"


@pytest.mark.parametrize(("passed", "expected"), [
    ({}, "ApiKey env-user:env-key"),
    ({"api_key": "passed-key"}, "ApiKey env-user:passed-key"),
    # The environment completes the API-key option, but the bearer token passed is what is meant.
    ({"access_token": "passed-token"}, "Bearer passed-token"),
])
def test_the_security_option_passed_wins_over_one_the_environment_completes(
        passed: dict[str, str], expected: str, run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    with serve(commcare_route) as server:
        monkeypatch.setenv("COMMCARE_USERNAME", "env-user")
        monkeypatch.setenv("COMMCARE_API_KEY", "env-key")
        monkeypatch.setenv("COMMCARE_BASE_URL", server.base_url)

        def sync() -> None:
            with commcare_client.CommCare(domain="demo", **passed) as client, \
                    pytest.raises(commcare_client.NotFoundError):
                client.mobile_workers.retrieve("u-1")

        async def coroutine() -> None:
            async with commcare_client.AsyncCommCare(domain="demo", **passed) as client:
                with pytest.raises(commcare_client.NotFoundError):
                    await client.mobile_workers.retrieve("u-1")

        run(sync, coroutine)
    assert server.seen[0].headers["Authorization"] == expected


# ---- the package's log


def info_flows(run: Run, caqh: Server, carehq: Server, casebook: Server) -> None:
    """A retried request (CAQH), a rate-limit wait (CareHQ), a token fetched and renewed (Casebook)."""
    caqh.state["fail_first"] = True
    caqh_args = {"username": "u", "password": "p", "base_url": caqh.base_url}
    carehq_args = {"account_id": "a", "api_key": "k", "api_secret": "s", "base_url": f"{carehq.base_url}/v1"}
    casebook_args = {"client_id": "c", "client_secret": "s", "token_url": f"{casebook.base_url}/oauth2/token",
                     "base_url": casebook.base_url}

    def sync() -> None:
        with caqh_client.Caqh(**caqh_args) as one, carehq_client.CareHQ(**carehq_args) as two, \
                casebook_client.Casebook(**casebook_args) as three:
            status_of(one)
            two.locations.retrieve("loc-1")
            two.locations.retrieve("loc-2")
            three.providers.retrieve("p-1")

    async def coroutine() -> None:
        async with caqh_client.AsyncCaqh(**caqh_args) as one, carehq_client.AsyncCareHQ(**carehq_args) as two, \
                casebook_client.AsyncCasebook(**casebook_args) as three:
            await status_of(one)
            await two.locations.retrieve("loc-1")
            await two.locations.retrieve("loc-2")
            await three.providers.retrieve("p-1")

    run(sync, coroutine)


@pytest.fixture
def servers() -> Iterator[tuple[Server, Server, Server]]:
    with serve(caqh_route) as one, serve(carehq_route) as two, serve(casebook_route) as three:
        yield one, two, three


def test_info_logs_requests_retries_rate_limit_waits_and_token_requests(
        servers: tuple[Server, Server, Server], run: Run, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    for package in PACKAGES:
        monkeypatch.setenv(variables(package)["log"], "info")
    info_flows(run, *servers)
    caqh, carehq, casebook = servers
    ours = [r for r in caplog.records if r.name in LOGGERS]
    assert {r.levelno for r in ours} == {logging.INFO}  # no header lines below debug
    lines = {name: [r.getMessage() for r in ours if r.name == name] for name in LOGGERS}
    status_url = f"{caqh.base_url}/RosterAPI/API/ProviderStatus?Product=PV&Organization_Id=1&Caqh_Provider_Id=12345678"
    assert lines["caqh_client"][0].startswith(f'GET {status_url} "503 Service Unavailable"')
    assert lines["caqh_client"][1] == f"retrying GET {status_url} in 0.00 s (503 Service Unavailable; retry 1 of 2)"
    assert lines["caqh_client"][2].startswith(f'GET {status_url} "200 OK"')
    waits = [line for line in lines["carehq_client"] if line.startswith("rate limit: waiting ")]
    assert len(waits) >= 1 and waits[0].endswith("(the server said none remain)")
    assert f'GET {carehq.base_url}/v1/locations/loc-2 "200 OK"' in " ".join(lines["carehq_client"])
    oauth = [line for line in lines["casebook_client"] if line.startswith("OAuth2: ")]
    token_url = f"{casebook.base_url}/oauth2/token"
    assert oauth == [f"OAuth2: requesting a token from {token_url} (none yet)", "OAuth2: got a token, valid for 3600 s",
                     f"OAuth2: requesting a token from {token_url} (the API refused the cached one (401))",
                     "OAuth2: got a token, valid for 3600 s"]
    assert any('"200 OK"' in line for line in lines["casebook_client"])


def test_nothing_is_logged_without_the_variable(servers: tuple[Server, Server, Server], run: Run,
                                                caplog: pytest.LogCaptureFixture) -> None:
    info_flows(run, *servers)
    assert [r for r in caplog.records if r.name in LOGGERS] == []
    assert all(not logging.getLogger(name).isEnabledFor(logging.INFO) for name in LOGGERS)


def secret_flows(run: Run, caqh: Server, carehq: Server, casebook: Server, commcare: Server) -> None:
    """Every credential in use, each in a request that is logged, and a credential in a query string."""
    s = SENTINELS
    clients: list[tuple[Any, Any, Callable[[Any], Any]]] = [
        (caqh_client.Caqh, caqh_client.AsyncCaqh, status_of),
        (carehq_client.CareHQ, carehq_client.AsyncCareHQ, lambda c: c.locations.retrieve("loc-1")),
        (casebook_client.Casebook, casebook_client.AsyncCasebook, lambda c: c.providers.retrieve("p-1")),
    ]
    arguments = [
        {"username": "u", "password": s["password"], "base_url": caqh.base_url},
        {"account_id": "a", "api_key": s["api_key"], "api_secret": s["api_secret"], "base_url": f"{carehq.base_url}/v1"},
        {"client_id": "c", "client_secret": s["client_secret"], "token_url": f"{casebook.base_url}/oauth2/token",
         "base_url": casebook.base_url},
    ]
    commcare_arguments = [{"username": "u", "api_key": s["api_key"]},
                          {"username": "u", "password": s["password"], "otp": s["otp"]},
                          {"access_token": s["access_token"]}]

    def commcare_call(client: Any) -> Any:
        return client.mobile_workers.retrieve("u-1", extra_query={"api_key": s["api_key"]})

    def sync() -> None:
        for (make, _, call), kwargs in zip(clients, arguments):
            with make(**kwargs) as client:
                call(client)
        for kwargs in commcare_arguments:
            with commcare_client.CommCare(domain="d", base_url=commcare.base_url, **kwargs) as client, \
                    pytest.raises(commcare_client.NotFoundError):
                commcare_call(client)

    async def coroutine() -> None:
        for (_, make, call), kwargs in zip(clients, arguments):
            async with make(**kwargs) as client:
                await call(client)
        for kwargs in commcare_arguments:
            async with commcare_client.AsyncCommCare(domain="d", base_url=commcare.base_url, **kwargs) as client:
                with pytest.raises(commcare_client.NotFoundError):
                    await commcare_call(client)

    run(sync, coroutine)


def test_no_secret_in_any_line_at_debug(servers: tuple[Server, Server, Server], run: Run,
                                        monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    for package in PACKAGES:
        monkeypatch.setenv(variables(package)["log"], "debug")
    caplog.set_level(logging.DEBUG)  # httpx's and httpcore's lines too
    with serve(commcare_route) as commcare:
        secret_flows(run, *servers, commcare)
    ours = [r for r in caplog.records if r.name in LOGGERS]
    assert {r.name for r in ours} == set(LOGGERS)
    assert any(r.getMessage().startswith("request headers: ") and "'authorization': '<redacted>'" in r.getMessage()
               for r in ours)
    assert any("api_key=%3Credacted%3E" in r.getMessage() or "api_key=<redacted>" in r.getMessage() for r in ours)
    secrets = [*SENTINELS.values(), *TOKENS, basic("u", SENTINELS["password"]).split()[1]]
    shown = [r.getMessage() for r in caplog.records] + [repr(r.args) for r in caplog.records]
    leaks = sorted({secret for secret in secrets for line in shown if secret in line})
    assert leaks == []


# ---- the variable alone: a handler on stderr, as OPENAI_LOG does

SCRIPT = """
from caqh_client import Caqh
with Caqh() as client:
    client.provider_statuses.retrieve(product="PV", organization_id="1", caqh_provider_id="12345678")
"""


@pytest.mark.parametrize("level", ["debug", ""])
def test_the_variable_alone_prints_the_log_to_stderr(caqh: Server, level: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CAQH_")}
    env.update(PYTHONPATH=str(REPO / "generated" / "caqh"), CAQH_CLIENT_LOG=level, CAQH_USERNAME="u",
               CAQH_PASSWORD=SENTINELS["password"], CAQH_BASE_URL=caqh.base_url)
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=60,
                          check=True)
    if not level:
        assert done.stderr == ""
        return
    lines = done.stderr.splitlines()
    assert any(" - caqh_client - INFO] GET " in line and '"200 OK"' in line for line in lines), done.stderr
    assert any(" - caqh_client - DEBUG] request headers: " in line for line in lines), done.stderr
    assert SENTINELS["password"] not in done.stderr
    assert basic("u", SENTINELS["password"]).split()[1] not in done.stderr


def test_a_missing_credential_message_names_the_variables_that_would_supply_it(
        monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in [v for v in os.environ if v.startswith(("CAQH_", "CASEBOOK_"))]:
        monkeypatch.delenv(variable)
    client = caqh_client.Caqh(base_url="https://proview.caqh.org")
    with pytest.raises(caqh_client.ConfigurationError) as missing:
        client.provider_statuses.retrieve(product="PV", caqh_provider_id="1", organization_id="2")
    assert "or set CAQH_PASSWORD / CAQH_USERNAME in the environment" in str(missing.value)
    oauth = casebook_client.Casebook(client_id="app", client_secret="secret")
    with pytest.raises(casebook_client.ConfigurationError, match="or set CASEBOOK_TOKEN_URL in the environment"):
        oauth.providers.retrieve("p1")
