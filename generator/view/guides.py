"""README sections for the mechanisms a spec selects: long-running writes, signing, JSON:API, rate limits."""

from __future__ import annotations

import json
from collections.abc import Iterator

from ..escape import Markdown, md, md_code, name
from ..ir.model import Api, Operation, Resource
from .model import GuideView
from .samples import Shapes
from .tests import example_arguments

_JSON_API = "application/vnd.api+json"


def guides(api: Api, shapes: Shapes) -> tuple[GuideView, ...]:
    return tuple(g for g in (_long_running(api, shapes), _signing(api, shapes), _json_api(api, shapes),
                             _rate_limit(api)) if g is not None)


def _call(resource: Resource, op: Operation, shapes: Shapes) -> str:
    # Identifiers and repr literals only; black reflows it in the format stage.
    path = ".".join(name(p) for p in resource.path)
    return f"client.{path}.{name(op.name)}({example_arguments(op, shapes)})".replace("\n", " ")


def _pairs(api: Api) -> Iterator[tuple[Resource, Operation]]:
    return ((r, op) for r in api.resources for op in r.operations)


def _poll_name(operation_id: str) -> str:
    return f"`{md(operation_id)}`" if operation_id else "a GET of the status URL the first response gave"


def _long_running(api: Api, shapes: Shapes) -> GuideView | None:
    found = next(((r, op) for r, op in _pairs(api) if op.long_running is not None), None)
    if found is None or found[1].long_running is None:
        return None
    resource, op = found
    lro = found[1].long_running
    terminal = ", ".join(md_code(s) for s in (*lro.success, *lro.failure))
    text = (
        f"Some writes are accepted at once and finish later: they return a job handle instead of the result. "
        f"`.id` is the job's id and `.accepted` the first response; `.poll()` asks once "
        f"({_poll_name(lro.poll_operation_id)}), and `.wait()` polls with growing intervals until a terminal "
        f"status ({terminal}) or its `timeout` passes. A failed job raises `LongRunningFailed` with the "
        f"result, a deadline passed raises `LongRunningTimeout`. The async client's handle awaits the same way."
    )
    code = f"job = {_call(resource, op, shapes)}\nprint(job.id)\nresult = job.wait(timeout=600.0)\nprint(result)"
    return GuideView(title=Markdown("Long-running operations"), text=Markdown(text), code=Markdown(code))


def _signing(api: Api, shapes: Shapes) -> GuideView | None:
    scheme = next((s for s in api.security_schemes if s.signing is not None), None)
    if scheme is None or scheme.signing is None:
        return None
    signing = scheme.signing
    headers = ", ".join(md_code(h) for h in (*(h for h, _ in signing.headers), signing.signature_header))
    text = (
        f"Every request is signed with HMAC-SHA256 using `{md(signing.secret)}=`: the client stamps it with the "
        f"time and a fresh nonce, signs the method, the path and the sorted parameters (the query of a GET, the "
        f"form body otherwise), and sends the result in {headers}. Nothing else is needed: each call below is "
        f"signed, and a retried request is signed again with a new nonce."
    )
    first = next(iter(_pairs(api)), None)
    code = _call(*first, shapes) if first else "..."
    return GuideView(title=Markdown("Signed requests"), text=Markdown(text), code=Markdown(code))


def _json_api(api: Api, shapes: Shapes) -> GuideView | None:
    ops = [(r, op) for r, op in _pairs(api) if op.body is not None and op.body.media_type == _JSON_API]
    if not ops:
        return None
    resource, op = next(((r, op) for r, op in ops if _links(op)), ops[0])
    text = (
        "Requests and responses are JSON:API documents: a resource object under `data` with `type`, `id`, "
        "`attributes` and `relationships`, related resources under `included`, and `links` to the next page. "
        "Bodies are sent as `application/vnd.api+json` exactly. Relationships link existing resources by "
        "type and id:"
    )
    code = f"document = {_call(resource, op, shapes)}\nprint(document)"
    return GuideView(title=Markdown("JSON:API documents"), text=Markdown(text), code=Markdown(code))


def _links(op: Operation) -> bool:
    if op.body is None or op.body.example is None:
        return False
    document = json.loads(op.body.example)
    return isinstance(document, dict) and isinstance(document.get("data"), dict) and "relationships" in document["data"]


def null_note(api: Api) -> Markdown:
    json_bodies = any(op.body is not None and "json" in op.body.media_type for op in api.operations)
    note = "Leaving an argument out (its default, `NOT_GIVEN`) leaves it out of the request. `None` leaves a "
    note += "query or form value out too" + ("; in a JSON body it is sent as `null`." if json_bodies else ".")
    return Markdown(note)


def _rate_limit(api: Api) -> GuideView | None:
    limit = api.rate_limit
    if limit is None:
        return None
    text = (
        f"The client paces itself to stay within the rate limit ({limit.requests_per_second:g} requests per "
        f"second unless the server's `{md(limit.limit_header)}`, `{md(limit.remaining_header)}` and "
        f"`{md(limit.reset_header)}` headers say otherwise), so a burst of calls waits instead of drawing "
        f"429s. A 429 that still comes is retried after the reset time, whatever the method."
    )
    return GuideView(title=Markdown("Rate limits"), text=Markdown(text), code=Markdown(""))
