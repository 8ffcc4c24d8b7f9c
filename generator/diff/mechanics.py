"""The `x-careforge-*` extensions: each changes what the generated client does, some what it is."""

from __future__ import annotations

import json
from collections.abc import Iterable

from ..resolve import Cursor
from .changes import Level
from .context import Context

PREFIX = "x-careforge-"
# (level when added or removed, level when changed, what it means for callers)
_EFFECT: dict[str, tuple[Level, Level, str]] = {
    "pagination": (Level.BREAKING, Level.BREAKING, "the method returns a pager instead of a page, or the items differ"),
    "long-running": (Level.BREAKING, Level.BREAKING, "the method returns a job to wait on instead of the response"),
    "error-statuses": (Level.BREAKING, Level.BREAKING, "a 2xx the method returned now raises, or the reverse"),
    "client-parameter": (Level.BREAKING, Level.BREAKING, "an argument moves between the client and the method"),
    "signing": (Level.BREAKING, Level.COMPATIBLE, "requests are signed (a signing secret is a client argument)"),
    "token-request": (Level.COMPATIBLE, Level.COMPATIBLE, "the token is requested another way"),
    "token-lifetime": (Level.COMPATIBLE, Level.COMPATIBLE, "tokens are refreshed at another time"),
    "rate-limit": (Level.COMPATIBLE, Level.COMPATIBLE, "the client paces requests differently"),
    "retry-safe": (Level.COMPATIBLE, Level.COMPATIBLE, "the client retries it differently"),
    "idempotent": (Level.COMPATIBLE, Level.COMPATIBLE, "the client retries it differently"),
    "value": (Level.COMPATIBLE, Level.COMPATIBLE, "the credential value is built another way"),
    "charset": (Level.COMPATIBLE, Level.COMPATIBLE, "credentials are encoded in another charset"),
    "token-url-placeholder": (Level.BREAKING, Level.BREAKING, "token_url= is now required, or no longer"),
    "request-content-type": (Level.COMPATIBLE, Level.COMPATIBLE, "requests carry another Content-Type"),
    "boolean-text": (Level.COMPATIBLE, Level.COMPATIBLE, "booleans are written another way in the query and forms"),
    "response-media-type": (Level.BREAKING, Level.BREAKING, "the body is read as another media type, so the method "
                            "returns another type"),
    # Each method the variants make is compared with the operation's (methods added, gone, bodies changed).
    "variants": (Level.DOCS, Level.DOCS, "the methods the operation makes"),
    "env": (Level.BREAKING, Level.BREAKING, "a client made without that argument reads another environment variable"),
    # Method and resource names are compared with the operation (they rename what callers call).
    "resource": (Level.DOCS, Level.DOCS, "the resource name"),
    "method": (Level.DOCS, Level.DOCS, "the method name"),
    "left-out": (Level.DOCS, Level.DOCS, "the README's list of what the client leaves out, and why"),
}


def compare_extensions(ctx: Context, old: Cursor, new: Cursor, what: str, skip: Iterable[str] = ()) -> None:
    if not isinstance(old.value, dict) or not isinstance(new.value, dict):
        return
    keys = sorted({k for k in (*old.value, *new.value) if isinstance(k, str) and k.startswith(PREFIX)} - set(skip))
    for key in keys:
        name = key[len(PREFIX):]
        if name in ("resource", "method"):
            continue
        was, now = old.value.get(key), new.value.get(key)
        if json.dumps(was, sort_keys=True) == json.dumps(now, sort_keys=True):
            continue
        on_off, changed, meaning = _EFFECT.get(name, (Level.MAY_BREAK, Level.MAY_BREAK, "an extension we do not know"))
        verb = "added" if key not in old.value else "removed" if key not in new.value else "changed"
        if name == "rate-limit" and _slower(was, now):
            changed, meaning = Level.MAY_BREAK, "the client now waits longer between requests"
        ctx.add(f"{name}-{verb}", changed if verb == "changed" else on_off, f"{what}: {key} {verb} ({meaning})",
                old.child(key) if key in old.value else old, new.child(key) if key in new.value else new)


def _slower(was: object, now: object) -> bool:
    """Whether a rate limit now lets fewer requests through each second (or appears)."""
    def rate(value: object) -> float | None:
        found = value.get("requests-per-second") if isinstance(value, dict) else None
        return float(found) if isinstance(found, (int, float)) and not isinstance(found, bool) else None

    before, after = rate(was), rate(now)
    return after is not None and (before is None or after < before)
