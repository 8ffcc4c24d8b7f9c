"""Our signed requests carry the signature the official CareHQ SDK (carehq 0.1.3) makes for the same inputs.

Ours: the generated CareHQ client's own request path (encoding, then signing) with a transport that
keeps the request. Theirs: the SDK's `APIClient.__call__`, with its clock and nonce set to the ones
our request used and `requests` replaced so that nothing leaves the machine.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import carehq.client
import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "generated" / "carehq"))

from carehq_client import CareHQ  # noqa: E402
from carehq_client._operation import BodySpec, OperationSpec, RequestOptions  # noqa: E402

ACCOUNT, KEY, SECRET = "acc-1", "key-1", "s3cr\u00e9t"
Fields = Mapping[str, str | Sequence[str]]

_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
_segment = st.text(st.characters(whitelist_categories=("Ll", "Lu", "Nd"), whitelist_characters="-_."), min_size=1,
                   max_size=10).filter(lambda s: s not in (".", ".."))
fields_strategy = st.dictionaries(
    st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=8),
    st.one_of(_text, st.lists(_text, max_size=4), st.lists(st.sampled_from(["a", "b", ""]), min_size=2, max_size=4)),
    max_size=6,
)


def ours(method: str, path: str, fields: Fields) -> httpx.Request:
    sent: list[httpx.Request] = []

    def keep(request: httpx.Request) -> httpx.Response:
        request.read()
        sent.append(request)
        return httpx.Response(200, json={})

    client = CareHQ(account_id=ACCOUNT, api_key=KEY, api_secret=SECRET, base_url="https://api.carehq.co.uk/v1",
                    http_client=httpx.Client(transport=httpx.MockTransport(keep)), max_retries=0)
    security = (("carehq_signed",),)
    if method == "GET":
        op = OperationSpec(method=method, path=path, security=security)
        client.request(op, {}, options=RequestOptions(extra_query=fields))
    else:
        op = OperationSpec(method=method, path=path, security=security,
                           body=BodySpec("form", "application/x-www-form-urlencoded"))
        client.request(op, {}, body=dict(fields))
    client.close()
    return sent[0]


def theirs(method: str, path: str, fields: Fields, timestamp: str, nonce: str, monkeypatch: pytest.MonkeyPatch) -> str:
    seen: dict[str, Any] = {}

    def send(url: str, headers: Mapping[str, str], **kwargs: object) -> Any:
        seen.update(headers)
        return types.SimpleNamespace(status_code=200, headers={}, json=lambda: {})

    fake_requests = types.SimpleNamespace(get=send, put=send, patch=send, delete=send, post=send)
    monkeypatch.setattr(carehq.client, "requests", fake_requests)
    monkeypatch.setattr(carehq.client.time, "time", lambda: float(timestamp))
    monkeypatch.setattr(carehq.client.secrets, "token_urlsafe", lambda n: nonce)
    sdk = carehq.client.APIClient(ACCOUNT, KEY, SECRET)
    if method == "GET":
        sdk(method, path, params=dict(fields))
    else:
        sdk(method, path, data=dict(fields))
    return str(seen["X-CareHQ-Signature"])


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(method=st.sampled_from(["GET", "PUT", "PATCH", "DELETE"]), segments=st.lists(_segment, min_size=1, max_size=3),
       fields=fields_strategy)
def test_signature_matches_the_sdk(method: str, segments: list[str], fields: Fields,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path = "/" + "/".join(segments)
    request = ours(method, path, fields)
    timestamp, nonce = request.headers["X-CareHQ-Timestamp"], request.headers["X-CareHQ-Nonce"]
    with monkeypatch.context() as patched:
        expected = theirs(method, path, fields, timestamp, nonce, patched)
    assert request.headers["X-CareHQ-Signature"] == expected
    assert request.headers["X-CareHQ-AccountId"] == ACCOUNT
    assert request.headers["X-CareHQ-Signature-Version"] == "2.0"


@pytest.mark.parametrize(("method", "fields"), [
    ("GET", {"attributes": ["last_name", "first_name", "first_name"], "filters-q": "M\u00fcller & S\u00f6hne"}),
    ("PUT", {"note": "", "genders": ["female", "female"], "numbers": ["10", "9", "-1"]}),
    ("DELETE", {}),
    ("PATCH", {"emoji": "\U0001f600", "line": "a\nb", "plus": "1+1=2"}),
])
def test_signature_matches_the_sdk_on_known_hard_cases(method: str, fields: Fields,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    request = ours(method, "/care-enquiries", fields)
    expected = theirs(method, "/care-enquiries", fields, request.headers["X-CareHQ-Timestamp"],
                      request.headers["X-CareHQ-Nonce"], monkeypatch)
    assert request.headers["X-CareHQ-Signature"] == expected


def test_a_different_secret_gives_a_different_signature(monkeypatch: pytest.MonkeyPatch) -> None:
    # The comparison above could not pass by accident: the SDK's signature depends on what we vary.
    request = ours("GET", "/locations", {"page": "1"})
    monkeypatch.setattr(carehq.client.APIClient, "__init__", _init_with_secret("other"))
    expected = theirs("GET", "/locations", {"page": "1"}, request.headers["X-CareHQ-Timestamp"],
                      request.headers["X-CareHQ-Nonce"], monkeypatch)
    assert request.headers["X-CareHQ-Signature"] != expected


def _init_with_secret(secret: str) -> Any:
    original = carehq.client.APIClient.__init__

    def init(self: Any, account_id: str, api_key: str, api_secret: str, *args: Any, **kwargs: Any) -> None:
        original(self, account_id, api_key, secret, *args, **kwargs)

    return init


def through_methods(method: str, fields: Mapping[str, object]) -> httpx.Request:
    """The generated methods, with the spec's own operation settings (x-careforge-boolean-text among them)."""
    sent: list[httpx.Request] = []

    def keep(request: httpx.Request) -> httpx.Response:
        request.read()
        sent.append(request)
        return httpx.Response(200, json={"_id": "enq-1"} if method == "PUT" else {"items": []})

    with CareHQ(account_id=ACCOUNT, api_key=KEY, api_secret=SECRET, base_url="https://api.carehq.co.uk/v1",
                http_client=httpx.Client(transport=httpx.MockTransport(keep)), max_retries=0) as client:
        if method == "GET":
            client.care_enquiries.list(extra_query=fields).first_page()
        else:
            client.care_enquiries.create(extra_body=fields)
    return sent[0]


@pytest.mark.parametrize(("method", "fields"), [
    ("GET", {"filters-archived": True, "flags": [True, False], "q": "yes"}),
    ("PUT", {"dementia": True, "enquiring_for_self": False, "genders": ["female"]}),
])
def test_booleans_are_written_and_signed_as_the_sdk_does(method: str, fields: dict[str, object],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    request = through_methods(method, fields)
    expected = theirs(method, "/care-enquiries", fields, request.headers["X-CareHQ-Timestamp"],  # type: ignore[arg-type]
                      request.headers["X-CareHQ-Nonce"], monkeypatch)
    assert request.headers["X-CareHQ-Signature"] == expected
    sent = request.url.query if method == "GET" else request.content
    assert b"=True" in sent and b"=False" in sent and b"=true" not in sent and b"=false" not in sent
