"""HMAC request signing, as described by a spec's `x-careforge-signing` block.

The string to sign is built from the request as it is sent (method, full path, and the decoded
query or form values), so a retried request is signed again with a new timestamp and nonce.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import time
from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl

import httpx

from ._redact import redact_header

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True, slots=True)
class SigningSpec:
    secret: str  # the credential used as the HMAC key
    string_to_sign: tuple[str, ...]
    signature_header: str
    headers: tuple[tuple[str, str], ...] = ()
    fields: str = "query-for-get-else-form"
    canonical_line: str = "{key}={value}"
    nonce_bytes: int = 16


def _fill(template: str, values: Mapping[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m[1], ""), template)


def canonical_lines(pairs: Sequence[tuple[str, str]], line: str = "{key}={value}") -> str:
    """One line per value: keys sorted, the values of each key sorted, duplicates kept."""
    grouped: dict[str, list[str]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    return "\n".join(
        _fill(line, {"key": key, "value": value}) for key in sorted(grouped) for value in sorted(grouped[key])
    )


def signature(secret: str, message: str) -> str:
    return hmac.new(secret.encode("utf-8"), message.encode("utf-8"), hashlib.sha256).hexdigest()


def signed_pairs(request: httpx.Request, fields: str) -> list[tuple[str, str]]:
    """The values that are signed, decoded, in the order they were sent."""
    use_query = fields == "query" or (fields == "query-for-get-else-form" and request.method == "GET")
    if use_query:
        return list(request.url.params.multi_items())
    if fields == "none":
        return []
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("application/x-www-form-urlencoded"):
        return []
    return parse_qsl(request.content.decode("utf-8"), keep_blank_values=True)


class SignedAuth(httpx.Auth):
    """Signs the request as it is (apply it after anything else that changes the request)."""

    requires_request_body = True

    def __init__(
        self,
        spec: SigningSpec,
        credentials: Mapping[str, str],
        *,
        clock: Callable[[], float] = time.time,
        nonce: Callable[[int], bytes] = os.urandom,
    ) -> None:
        self._spec = spec
        self._credentials = dict(credentials)
        self._clock = clock
        self._nonce = nonce
        # Headers that carry a credential (an account id, say) or the signature stay out of logs.
        redact_header(spec.signature_header)
        for name, template in spec.headers:
            if set(_PLACEHOLDER.findall(template)) & self._credentials.keys():
                redact_header(name)

    def __repr__(self) -> str:
        return "SignedAuth(<redacted>)"

    def apply(self, request: httpx.Request) -> None:
        spec = self._spec
        values = dict(self._credentials)
        values["timestamp"] = str(int(self._clock()))
        values["nonce"] = base64.urlsafe_b64encode(self._nonce(spec.nonce_bytes)).decode("ascii").rstrip("=")
        values["method"] = request.method.upper()
        values["path"] = request.url.path
        values["canonical"] = canonical_lines(signed_pairs(request, spec.fields), spec.canonical_line)
        message = "\n".join(_fill(part, values) for part in spec.string_to_sign)
        for name, template in spec.headers:
            request.headers[name] = _fill(template, values)
        request.headers[spec.signature_header] = signature(self._credentials[spec.secret], message)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        self.apply(request)
        yield request
