"""Vendor mechanics declared by extensions: rate limits (document), long-running writes (operation), and
how requests are written (document, or one operation): a Content-Type on every request, boolean text."""

from __future__ import annotations

import re

from ..resolve import Cursor, ResolvedSpec
from . import extensions as ext
from .model import LongRunning, Operation, RateLimit
from .schemas import SchemaRegistry


def rate_limit(spec: ResolvedSpec, problems: ext.Problems) -> RateLimit | None:
    node = spec.cursor.child(ext.RATE_LIMIT)
    if node.value is None:
        return None
    if not isinstance(node.value, dict):
        problems.error(node, "E-EXTENSION", f"{ext.RATE_LIMIT} must be a mapping", "see docs/spec-conventions.md")
        return None
    reset = ext.text(node, "reset", problems) or "epoch-seconds"
    if reset not in ("epoch-seconds", "delta-seconds"):
        problems.error(node.child("reset"), "E-EXTENSION", "'reset' must be epoch-seconds or delta-seconds",
                       "say how the reset header counts time")
    return RateLimit(
        requests_per_second=ext.number(node, "requests-per-second", problems, 1.0),
        limit_header=ext.text(node, "limit-header", problems) or "",
        remaining_header=ext.text(node, "remaining-header", problems) or "",
        reset_header=ext.text(node, "reset-header", problems) or "",
        reset=reset,
    )


def long_running(op: Cursor, registry: SchemaRegistry, problems: ext.Problems, hint: str) -> LongRunning | None:
    node = op.child(ext.LONG_RUNNING)
    if node.value is None:
        return None
    if not isinstance(node.value, dict):
        problems.error(node, "E-EXTENSION", f"{ext.LONG_RUNNING} must be a mapping", "see docs/spec-conventions.md")
        return None
    result_ref = ext.text(node, "result", problems)
    if result_ref is None:
        problems.error(node, "E-EXTENSION", "long-running operations need 'result' (a $ref to the result schema)",
                       "e.g. result: '#/components/schemas/JobResult'")
        return None
    result = Cursor(node.doc, node.pointer + "/result", {"$ref": result_ref})
    try:
        result_type = registry.type_of(result, f"{hint}Result", input=False)
    except (LookupError, ValueError):
        problems.error(node.child("result"), "E-EXTENSION", f"'result' {result_ref!r} points to nothing",
                       "point it at a schema, e.g. '#/components/schemas/JobResult'")
        return None
    return LongRunning(
        poll_operation_id=ext.text(node, "poll", problems) or "",
        parameter=ext.text(node, "poll-parameter", problems) or "",
        id_paths=tuple(tuple(path.split(".")) for path in ext.strings(node, "id", problems, required=True)),
        status_path=ext.dotted(node, "status", problems, required=True),
        pending=ext.strings(node, "pending", problems, required=False),
        success=ext.strings(node, "success", problems, required=True),
        failure=ext.strings(node, "failure", problems, required=False),
        result_type=result_type,
    )


def check_long_running(operations: list[Operation], cursors: dict[str, Cursor], problems: ext.Problems) -> None:
    """Each long-running write names a poll operation that exists and takes the id parameter."""
    by_id = {op.operation_id: op for op in operations}
    for op in operations:
        job = op.long_running
        if job is None:
            continue
        where = cursors[op.operation_id].child(ext.LONG_RUNNING)
        poll = by_id.get(job.poll_operation_id)
        if poll is None:
            problems.error(where.child("poll"), "E-EXTENSION", f"'poll' names no operation: {job.poll_operation_id!r}",
                           "give the operationId of the operation that reports the job's status")
        elif job.parameter not in {p.wire_name for p in poll.parameters}:
            problems.error(where.child("poll-parameter"), "E-EXTENSION",
                           f"{job.poll_operation_id} has no parameter {job.parameter!r}",
                           "name the poll operation's parameter that takes the job id")


_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_MEDIA_TYPE = re.compile(rf'^{_TOKEN}/{_TOKEN}(?:\s*;\s*{_TOKEN}=(?:{_TOKEN}|"[^"\\\x00-\x1f]*"))*$')
_PRINTABLE = re.compile(r"^[\x20-\x7e]*$")


def request_content_type(node: Cursor, problems: ext.Problems, inherited: str = "") -> str:
    """The Content-Type every request carries, a body or not: the node's (the document or an operation),
    else `inherited` (the document's, for an operation)."""
    value = ext.text(node, ext.REQUEST_CONTENT_TYPE, problems)
    if value is None:
        return inherited
    if not _MEDIA_TYPE.match(value):
        problems.error(node.child(ext.REQUEST_CONTENT_TYPE), "E-EXTENSION",
                       f"{ext.REQUEST_CONTENT_TYPE} {value!r} is not a media type", "write it as sent, e.g. "
                       "application/vnd.api+json")
        return ""
    return value


def response_media_type(node: Cursor, problems: ext.Problems, inherited: str = "") -> str:
    """The media type a response's body is read as, whatever the server labels it (the node's: an
    operation or a response), else `inherited` (the operation's, for a response); "" when none is given."""
    value = ext.text(node, ext.RESPONSE_MEDIA_TYPE, problems)
    if value is None:
        return inherited
    if not _MEDIA_TYPE.match(value):
        problems.error(node.child(ext.RESPONSE_MEDIA_TYPE), "E-EXTENSION",
                       f"{ext.RESPONSE_MEDIA_TYPE} {value!r} is not a media type", "write the media type the body "
                       "really is, e.g. application/xml")
        return inherited
    if isinstance(node.value, dict) and "responses" not in node.value and not node.value.get("content"):
        problems.style(node.child(ext.RESPONSE_MEDIA_TYPE), "L-RESPONSE-MEDIA-TYPE",
                       f"{ext.RESPONSE_MEDIA_TYPE} on a response without content has nothing to read",
                       "describe the response's content, or remove the extension")
    return value


def boolean_text(node: Cursor, problems: ext.Problems,
                 inherited: tuple[str, str] | None = None) -> tuple[str, str] | None:
    """How true and false are written in parameters and form fields: the node's, else `inherited`."""
    value = node.value.get(ext.BOOLEAN_TEXT) if isinstance(node.value, dict) else None
    if value is None:
        return inherited
    words = {str(k).lower(): v for k, v in value.items()} if isinstance(value, dict) else {}
    if set(words) != {"true", "false"} or not all(isinstance(v, str) and _PRINTABLE.match(v) for v in words.values()):
        problems.error(node.child(ext.BOOLEAN_TEXT), "E-EXTENSION", f"{ext.BOOLEAN_TEXT} must map true and false "
                       "to the text sent for each", 'quote the texts, e.g. {true: "True", false: "False"}')
        return None
    return str(words["true"]), str(words["false"])
