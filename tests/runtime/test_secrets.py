"""Secrets (API keys, passwords, HMAC secrets, OAuth2 secrets and tokens) never show in reprs, errors or logs."""

from __future__ import annotations

import base64
import logging
import traceback
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from ._clients import SECRETS, TOKEN, Flavour
from ._server import Reply, Server, closed_port, ok

SECRET_VALUES = [v for k, v in SECRETS.items() if k not in ("username", "client_id")]
BASIC = base64.b64encode(f"{SECRETS['username']}:{SECRETS['password']}".encode()).decode()


def leaked(text: str) -> list[str]:
    return [s for s in [*SECRET_VALUES, TOKEN, BASIC] if s in text]


def every_credential(flavour: Flavour, base_url: str, **kwargs: Any) -> Any:
    arguments: dict[str, Any] = {**SECRETS, "token_url": f"{base_url}/token", **kwargs}
    return flavour.toy(base_url=base_url, **arguments)


CALLS: dict[str, Callable[[Any], Any]] = {
    "header-key": lambda c: c.secure.key(),
    "basic": lambda c: c.secure.basic(),
    "oauth2": lambda c: c.secure.oauth(),
    "signed": lambda c: c.secure.signed(q="x"),
    "query-key": lambda c: c.secure.query(),
    "oauth2-query": lambda c: c.secure.oauth_query(),
}
IN_URL = {"query-key", "oauth2-query"}  # these put a secret in a URL


def serve_everything(server: Server, status: int = 200) -> None:
    server.route("POST", "/token", ok({"access_token": f"{TOKEN}-1", "expires_in": 3600}))
    for path in ("key", "basic", "oauth", "signed", "query", "oauth-query"):
        server.route("GET", f"/secure/{path}", ok({"id": "1"} if status == 200 else {"message": "denied"}, status))


def test_repr_of_the_client_shows_no_secret(flavour: Flavour, server: Server) -> None:
    serve_everything(server)
    with every_credential(flavour, server.url) as client:
        for call in CALLS.values():
            call(client)
        assert leaked(repr(client)) == []
        assert leaked(repr(client.with_options(timeout=1.0))) == []


@pytest.mark.parametrize("name", sorted(CALLS))
def test_status_errors_show_no_secret(flavour: Flavour, server: Server, toy: ModuleType, name: str) -> None:
    serve_everything(server, status=403)
    with every_credential(flavour, server.url) as client, pytest.raises(toy.PermissionDeniedError) as caught:
        CALLS[name](client)
    assert leaked(str(caught.value) + repr(caught.value)) == []
    assert leaked("".join(traceback.format_exception(caught.value))) == []


@pytest.mark.parametrize("name", sorted(CALLS))
def test_connection_errors_show_no_secret(flavour: Flavour, toy: ModuleType, name: str) -> None:
    url = closed_port()
    with every_credential(flavour, url, max_retries=0) as client, pytest.raises(toy.APIConnectionError) as caught:
        CALLS[name](client)
    assert leaked("".join(traceback.format_exception(caught.value))) == []


def test_a_missing_credential_error_names_it_without_showing_the_others(flavour: Flavour, server: Server,
                                                                        toy: ModuleType) -> None:
    with flavour.toy(base_url=server.url, username=SECRETS["username"], password=SECRETS["password"],
                     api_key=SECRETS["api_key"]) as client, pytest.raises(toy.ConfigurationError) as caught:
        client.secure.signed()
    assert "api_secret" in str(caught.value)
    assert leaked(str(caught.value)) == []


@pytest.mark.parametrize("name", sorted(CALLS))
def test_debug_logs_show_no_secret(flavour: Flavour, server: Server, caplog: pytest.LogCaptureFixture,
                                   name: str) -> None:
    serve_everything(server)
    server.route("GET", "/secure/key", Reply(503), ok({"id": "1"}))  # a retry logs too
    caplog.set_level(logging.DEBUG)
    with every_credential(flavour, server.url) as client:
        CALLS[name](client)
    assert caplog.records, "nothing was logged: the check would prove nothing"
    assert leaked(caplog.text) == []
    assert leaked(" ".join(str(r.args) for r in caplog.records)) == []
