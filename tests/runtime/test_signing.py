"""HMAC signing (x-careforge-signing): the server can verify every request, retries are signed afresh."""

from __future__ import annotations

import hashlib
import hmac
import time

from ._clients import SECRETS, Flavour
from ._server import Reply, Seen, Server, ok


def valid_signature(seen: Seen) -> bool:
    h = seen.headers
    message = "\n".join([h["x-toy-timestamp"], h["x-toy-nonce"], seen.method, seen.path,
                         "\n".join(f"{k}={v}" for k, v in sorted(seen.params.items()))])
    expected = hmac.new(SECRETS["api_secret"].encode(), message.encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, h["x-toy-signature"])


def test_the_server_can_verify_the_signature(flavour: Flavour, server: Server) -> None:
    server.route("GET", "/secure/signed", ok({"id": "1"}))
    with flavour.toy(base_url=server.url, api_key=SECRETS["api_key"], api_secret=SECRETS["api_secret"]) as client:
        client.secure.signed(q="caf\u00e9 & co")
    [seen] = server.seen()
    assert seen.headers["x-toy-key"] == SECRETS["api_key"]
    assert abs(int(seen.headers["x-toy-timestamp"]) - time.time()) < 60
    assert valid_signature(seen)


def test_a_retry_is_signed_again_with_a_new_nonce(flavour: Flavour, server: Server) -> None:
    server.route("GET", "/secure/signed", Reply(503), ok({"id": "1"}))
    with flavour.toy(base_url=server.url, api_key=SECRETS["api_key"], api_secret=SECRETS["api_secret"]) as client:
        client.secure.signed(q="x")
    first, second = server.seen()
    assert first.headers["x-toy-nonce"] != second.headers["x-toy-nonce"]
    assert valid_signature(first) and valid_signature(second)


def test_the_hmac_secret_is_never_sent(flavour: Flavour, server: Server) -> None:
    server.route("GET", "/secure/signed", ok({"id": "1"}))
    with flavour.toy(base_url=server.url, api_key=SECRETS["api_key"], api_secret=SECRETS["api_secret"]) as client:
        client.secure.signed(q="x")
    [seen] = server.seen()
    assert SECRETS["api_secret"] not in repr(seen)
