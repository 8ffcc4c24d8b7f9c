"""Sentinel secrets never show: not in repr, exception text, tracebacks' messages or debug logs, for every client."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from .loopback import Answer, Seen, Server, serve, use_generated

for _vendor in ("caqh", "carehq", "casebook", "commcare"):
    use_generated(_vendor)

import caqh_client  # noqa: E402
import carehq_client  # noqa: E402
import casebook_client  # noqa: E402
import commcare_client  # noqa: E402

SENTINELS = {
    "password": "PASSWORD-sentinel-1f3a", "api_key": "APIKEY-sentinel-9c2e", "api_secret": "SECRET-sentinel-77b0",
    "client_secret": "CLIENTSECRET-sentinel-5d1c", "otp": "OTP-sentinel-404d", "token": "TOKEN-sentinel-e8f1",
}


def route(server: Server, request: Seen) -> Answer:
    if request.path.endswith("/oauth2/token"):
        return Answer(200, {"access_token": SENTINELS["token"], "token_type": "Bearer", "expires_in": 3600})
    # Refuse everything, echoing nothing back: the client's own messages are what is checked.
    return Answer(401, {"error": "not allowed"})


@pytest.fixture
def server() -> Iterator[Server]:
    with serve(route) as running:
        yield running


Call = Callable[..., tuple[Any, Callable[[Any], object]]]

CLIENTS: dict[str, Call] = {
    "caqh": lambda url, **kw: (
        caqh_client.Caqh(username="org", password=SENTINELS["password"], base_url=url, max_retries=1, **kw),
        lambda c: c.provider_statuses.retrieve(product="PV", caqh_provider_id="12345678", organization_id="1")),
    "carehq": lambda url, **kw: (
        carehq_client.CareHQ(account_id="acc", api_key=SENTINELS["api_key"], api_secret=SENTINELS["api_secret"],
                             base_url=url + "/v1", max_retries=1, **kw),
                           lambda c: c.locations.retrieve("x")),
    "casebook": lambda url, **kw: (
        casebook_client.Casebook(client_id="app", client_secret=SENTINELS["client_secret"],
                                 token_url=url + "/oauth2/token", base_url=url, max_retries=1, **kw),
                             lambda c: c.providers.retrieve("x")),
    "commcare-key": lambda url, **kw: (
        commcare_client.CommCare(domain="demo", username="u", api_key=SENTINELS["api_key"], base_url=url,
                                 max_retries=1, **kw),
                                 lambda c: c.mobile_workers.retrieve("x")),
    "commcare-otp": lambda url, **kw: (
        commcare_client.CommCare(domain="demo", username="u", password=SENTINELS["password"], otp=SENTINELS["otp"],
                                 base_url=url, max_retries=1, **kw),
                                 lambda c: c.mobile_workers.retrieve("x")),
}


@pytest.mark.parametrize("which", sorted(CLIENTS))
def test_no_secret_shows_anywhere(which: str, server: Server, caplog: pytest.LogCaptureFixture,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    caplog.set_level(logging.DEBUG)
    client, call = CLIENTS[which](server.base_url)
    shown = [repr(client), str(client)]
    with client, pytest.raises(Exception) as raised:
        call(client)
    error = raised.value
    shown += [str(error), repr(error), repr(getattr(error, "body", None)), str(raised.getrepr(style="short"))]
    shown += [r.getMessage() for r in caplog.records] + list(capsys.readouterr())
    assert server.seen, "the call reached the server"  # so the secrets were really used
    for secret in SENTINELS.values():
        assert all(secret not in text for text in shown), f"{secret} shown by {which}"


@pytest.mark.parametrize("which", sorted(CLIENTS))
def test_credentials_are_refused_over_plain_http_to_other_hosts(which: str) -> None:
    # No request may leave: a transport that fails the test if it is ever called.
    def never(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"sent {request.url} over plain http")

    client, call = CLIENTS[which]("http://api.example.test", http_client=httpx.Client(transport=httpx.MockTransport(never)))
    with client, pytest.raises(Exception) as raised:
        call(client)
    assert "http" in str(raised.value) and "allow_insecure_http" in str(raised.value)
