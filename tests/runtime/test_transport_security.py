"""TLS is verified by default; credentials are not sent over plain http except to loopback or when allowed."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from ._clients import SECRETS, Flavour, raw
from ._server import Server, ok, running


def ssl_context_of(client: object) -> ssl.SSLContext:
    http = raw(client)._http
    return http._transport._pool._ssl_context  # type: ignore[no-any-return]


def test_certificates_are_verified_by_default(flavour: Flavour) -> None:
    with flavour.toy(base_url="https://toy.example.test") as client:
        context = ssl_context_of(client)
        assert context.verify_mode == ssl.CERT_REQUIRED
        assert context.check_hostname is True


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is needed to make a self-signed certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    return cert, key


@pytest.fixture
def tls_server(certificate: tuple[Path, Path]) -> Iterator[Server]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    with running(tls=context) as server:
        yield server
    assert not server.live_threads()


def test_a_self_signed_certificate_is_refused(flavour: Flavour, tls_server: Server, toy: ModuleType) -> None:
    tls_server.route("GET", "/secure/key", ok({"id": "1"}))
    with flavour.toy(base_url=tls_server.url, api_key=SECRETS["api_key"], max_retries=0) as client:
        with pytest.raises(toy.APIConnectionError) as caught:
            client.secure.key()
    assert isinstance(caught.value.__cause__, httpx.ConnectError)
    assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value.__cause__)
    assert tls_server.hits() == 0


def test_a_trusted_certificate_is_accepted(flavour: Flavour, tls_server: Server,
                                           certificate: tuple[Path, Path]) -> None:
    # The control for the test above: the same server, with its certificate trusted by the caller's own client.
    tls_server.route("GET", "/secure/key", ok({"id": "1"}))
    trust = ssl.create_default_context(cafile=str(certificate[0]))
    http = httpx.AsyncClient(verify=trust) if flavour.is_async else httpx.Client(verify=trust)
    with flavour.toy(base_url=tls_server.url, api_key=SECRETS["api_key"], http_client=http) as client:
        assert client.secure.key().id == "1"
    if flavour.loop is not None:
        flavour.loop.run_until_complete(http.aclose())  # type: ignore[union-attr]
    else:
        http.close()  # type: ignore[union-attr]
    assert tls_server.seen()[0].headers["x-api-key"] == SECRETS["api_key"]


def test_credentials_are_refused_over_plain_http(flavour: Flavour, remote_server: Server, toy: ModuleType) -> None:
    remote_server.route("GET", "/secure/key", ok({"id": "1"}))
    with flavour.toy(base_url=remote_server.url, api_key=SECRETS["api_key"]) as client:
        with pytest.raises(toy.ConfigurationError, match="allow_insecure_http") as caught:
            client.secure.key()
    assert SECRETS["api_key"] not in str(caught.value)
    assert remote_server.hits() == 0


def test_plain_http_is_allowed_when_the_user_says_so(flavour: Flavour, remote_server: Server) -> None:
    remote_server.route("GET", "/secure/key", ok({"id": "1"}))
    with flavour.toy(base_url=remote_server.url, api_key=SECRETS["api_key"], allow_insecure_http=True) as client:
        assert client.secure.key().id == "1"
    assert remote_server.seen()[0].headers["x-api-key"] == SECRETS["api_key"]


def test_plain_http_without_credentials_is_fine(flavour: Flavour, remote_server: Server) -> None:
    remote_server.route("GET", "/things/1", ok({"id": "1"}))
    with flavour.toy(base_url=remote_server.url, api_key=SECRETS["api_key"]) as client:
        assert client.things.retrieve("1").id == "1"
    assert "x-api-key" not in remote_server.seen()[0].headers


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_loopback_may_use_plain_http_for_local_development(flavour: Flavour, server: Server, host: str) -> None:
    server.route("GET", "/secure/key", ok({"id": "1"}))
    with flavour.toy(base_url=f"http://{host}:{server.port}", api_key=SECRETS["api_key"]) as client:
        assert client.secure.key().id == "1"
