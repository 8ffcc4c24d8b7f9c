"""OAuth2 client credentials: one token fetched and reused, renewed before it expires and once on a 401."""

from __future__ import annotations

import threading
import time
from types import ModuleType
from typing import Any

import pytest

from ._clients import SECRETS, TOKEN, Flavour, raw
from ._server import Reply, Seen, Server, ok


class TokenEndpoint:
    """POST /token: checks the client's credentials (form or query) and issues numbered tokens."""

    def __init__(self, lifetime: float | None = 3600.0) -> None:
        self.lifetime = lifetime
        self.issued: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, seen: Seen) -> Reply:
        fields = seen.form if seen.body else seen.params
        if (fields.get("grant_type"), fields.get("client_id"), fields.get("client_secret")) != (
                "client_credentials", SECRETS["client_id"], SECRETS["client_secret"]):
            return ok({"error": "invalid_client"}, status=401)
        with self._lock:
            token = f"{TOKEN}-{len(self.issued) + 1}"
            self.issued.append(token)
        body: dict[str, Any] = {"access_token": token, "token_type": "Bearer"}
        if self.lifetime is not None:
            body["expires_in"] = self.lifetime
        return ok(body)


def bearer(seen: Seen) -> str:
    return seen.headers.get("authorization", "").removeprefix("Bearer ")


def oauth_client(flavour: Flavour, server: Server, **kwargs: Any) -> Any:
    return flavour.toy(base_url=server.url, client_id=SECRETS["client_id"], client_secret=SECRETS["client_secret"],
                       token_url=f"{server.url}/token", **kwargs)


def test_the_token_is_fetched_once_and_reused(flavour: Flavour, server: Server) -> None:
    tokens = TokenEndpoint()
    server.route("POST", "/token", tokens)
    server.route("GET", "/secure/oauth", ok({"id": "1"}))
    with oauth_client(flavour, server) as client:
        for _ in range(3):
            client.secure.oauth()
    assert server.hits("POST", "/token") == 1
    assert [bearer(s) for s in server.seen("GET")] == [f"{TOKEN}-1"] * 3
    token_request = server.seen("POST", "/token")[0]
    assert token_request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert token_request.query == ""


def test_concurrent_calls_share_one_token_request(flavour: Flavour, server: Server) -> None:
    server.route("POST", "/token", TokenEndpoint())
    server.route("GET", "/secure/oauth", ok({"id": "1"}))
    with oauth_client(flavour, server) as client:
        results = flavour.concurrently(client, lambda c: c.secure.oauth(), 5)
    assert [r.id for r in results] == ["1"] * 5
    assert server.hits("POST", "/token") == 1


def test_the_token_is_renewed_before_it_expires(flavour: Flavour, server: Server, toy: ModuleType) -> None:
    # The runtime renews RENEW_MARGIN seconds early: a token that lives margin + 0.3 s is stale after 0.3 s.
    tokens = TokenEndpoint(lifetime=toy._oauth2.RENEW_MARGIN + 0.3)
    server.route("POST", "/token", tokens)
    server.route("GET", "/secure/oauth", ok({"id": "1"}))
    with oauth_client(flavour, server) as client:
        client.secure.oauth()
        client.secure.oauth()
        time.sleep(0.4)
        client.secure.oauth()
    assert [bearer(s) for s in server.seen("GET")] == [f"{TOKEN}-1", f"{TOKEN}-1", f"{TOKEN}-2"]


def test_a_token_response_without_expires_in_uses_the_spec_lifetime(flavour: Flavour, server: Server) -> None:
    server.route("POST", "/token", TokenEndpoint(lifetime=None))
    server.route("GET", "/secure/oauth", ok({"id": "1"}))
    with oauth_client(flavour, server) as client:
        client.secure.oauth()
        client.secure.oauth()
    assert server.hits("POST", "/token") == 1


def test_a_401_renews_the_token_once_and_repeats_the_call(flavour: Flavour, server: Server) -> None:
    server.route("POST", "/token", TokenEndpoint())
    server.route("GET", "/secure/oauth", ok({"message": "token revoked"}, status=401), ok({"id": "1"}))
    with oauth_client(flavour, server) as client:
        assert client.secure.oauth().id == "1"
    assert server.hits("POST", "/token") == 2
    assert [bearer(s) for s in server.seen("GET")] == [f"{TOKEN}-1", f"{TOKEN}-2"]


def test_a_401_that_persists_is_raised_after_one_renewal(flavour: Flavour, server: Server, toy: ModuleType) -> None:
    server.route("POST", "/token", TokenEndpoint())
    server.route("GET", "/secure/oauth", ok({"message": "no"}, status=401))
    with oauth_client(flavour, server) as client, pytest.raises(toy.AuthenticationError) as caught:
        client.secure.oauth()
    assert (server.hits("POST", "/token"), server.hits("GET")) == (2, 2)
    assert caught.value.status_code == 401


def test_a_refused_token_request_is_an_authentication_error(flavour: Flavour, server: Server,
                                                            toy: ModuleType) -> None:
    server.route("POST", "/token", TokenEndpoint())
    with flavour.toy(base_url=server.url, client_id=SECRETS["client_id"], client_secret="wrong-SECRET",
                     token_url=f"{server.url}/token") as client:
        with pytest.raises(toy.AuthenticationError) as caught:
            client.secure.oauth()
    assert caught.value.body == {"error": "invalid_client"}
    assert "wrong-SECRET" not in str(caught.value) and "wrong-SECRET" not in repr(caught.value)
    assert server.hits("GET") == 0


def test_a_transient_token_endpoint_failure_is_retried(flavour: Flavour, server: Server) -> None:
    server.route("POST", "/token", ok({"message": "busy"}, status=503), TokenEndpoint())
    server.route("GET", "/secure/oauth", ok({"id": "1"}))
    with oauth_client(flavour, server) as client:
        assert client.secure.oauth().id == "1"


def test_a_token_response_without_a_token_is_an_authentication_error(flavour: Flavour, server: Server,
                                                                     toy: ModuleType) -> None:
    server.route("POST", "/token", ok({"token_type": "Bearer"}))
    with oauth_client(flavour, server) as client, pytest.raises(toy.AuthenticationError, match="no access_token"):
        client.secure.oauth()


def test_credentials_go_in_the_query_when_the_spec_says_so(flavour: Flavour, server: Server) -> None:
    server.route("POST", "/token", TokenEndpoint())
    server.route("GET", "/secure/oauth-query", ok({"id": "1"}))
    with oauth_client(flavour, server) as client:
        client.secure.oauth_query()
    token_request = server.seen("POST", "/token")[0]
    assert token_request.params["client_secret"] == SECRETS["client_secret"]
    assert token_request.body == b""


def test_the_secret_and_token_stay_out_of_reprs(flavour: Flavour, server: Server) -> None:
    server.route("POST", "/token", TokenEndpoint())
    server.route("GET", "/secure/oauth", ok({"id": "1"}))
    with oauth_client(flavour, server) as client:
        client.secure.oauth()
        texts = [repr(client), repr(raw(client)._auths), str(vars(raw(client)).get("_auths"))]
    for text in texts:
        assert SECRETS["client_secret"] not in text and TOKEN not in text, text


def test_a_slow_token_endpoint_times_out_like_any_request(flavour: Flavour, server: Server, toy: ModuleType) -> None:
    # The token comes after 3 s (the server cuts the wait short when it stops); the bound is generous.
    server.route("POST", "/token", Reply(delay=3.0, json={"access_token": "late"},
                                         headers={"Content-Type": "application/json"}))
    server.route("GET", "/secure/oauth", ok({"id": "1"}))
    with oauth_client(flavour, server, timeout=0.1, max_retries=0) as client:
        start = time.monotonic()
        with pytest.raises(toy.APITimeoutError):
            client.secure.oauth()
        assert time.monotonic() - start < 0.1 * 15


def test_the_client_secret_is_not_sent_over_plain_http(flavour: Flavour, server: Server, remote_server: Server,
                                                       toy: ModuleType) -> None:
    remote_server.route("POST", "/token", TokenEndpoint())
    server.route("GET", "/secure/oauth", ok({"id": "1"}))
    with flavour.toy(base_url=server.url, client_id=SECRETS["client_id"], client_secret=SECRETS["client_secret"],
                     token_url=f"{remote_server.url}/token") as client:
        with pytest.raises(toy.ConfigurationError):
            client.secure.oauth()
    assert remote_server.hits() == 0


def test_a_401_to_a_stream_sent_once_is_the_answer_not_a_resend(flavour: Flavour, server: Server, toy: ModuleType) -> None:
    """A body that cannot be read again is not resent after a token renewal: the 401 is raised as it is."""
    import os

    server.route("POST", "/token", TokenEndpoint())
    server.route("PUT", "/secure/oauth", Reply(status=401), Reply(status=204))
    read, write = os.pipe()
    os.write(write, b"stream")
    os.close(write)
    with oauth_client(flavour, server) as client, os.fdopen(read, "rb") as pipe:
        with pytest.raises(toy.AuthenticationError):
            client.secure.oauth_upload(body=pipe)
    assert server.hits("PUT", "/secure/oauth") == 1 and server.seen("PUT")[0].body == b"stream"
