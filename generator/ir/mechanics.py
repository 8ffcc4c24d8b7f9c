"""Vendor mechanics declared by extensions: rate limits (document), long-running writes (operation), and
how requests are written (document, or one operation): a Content-Type on every request, boolean text."""

from __future__ import annotations

import re

from ..resolve import Cursor, ResolvedSpec
from . import extensions as ext
from .model import LongRunning, Operation, RateLimit, ResetClock, ResponseKind
from .schemas import SchemaRegistry


def rate_limit(spec: ResolvedSpec, problems: ext.Problems) -> RateLimit | None:
    node = spec.cursor.child(ext.RATE_LIMIT)
    if node.value is None:
        return None
    if not isinstance(node.value, dict):
        problems.error(node, "E-EXTENSION", f"{ext.RATE_LIMIT} must be a mapping", "see docs/spec-conventions.md")
        return None
    clocks = {clock.value: clock for clock in ResetClock}
    reset = clocks.get(ext.text(node, "reset", problems) or ResetClock.EPOCH_SECONDS.value)
    if reset is None:
        problems.error(node.child("reset"), "E-EXTENSION", "'reset' must be epoch-seconds or delta-seconds",
                       "say how the reset header counts time")
    return RateLimit(
        requests_per_second=ext.number(node, "requests-per-second", problems, 1.0),
        limit_header=ext.text(node, "limit-header", problems) or "",
        remaining_header=ext.text(node, "remaining-header", problems) or "",
        reset_header=ext.text(node, "reset-header", problems) or "",
        reset=reset or ResetClock.EPOCH_SECONDS,
    )


_JOB_KEYS = ("id", "id-parameter", "poll", "poll-parameter", "poll-url", "status", "status-code", "flags", "pending",
             "success", "failure", "result")


def long_running(op: Cursor, registry: SchemaRegistry, problems: ext.Problems, hint: str) -> LongRunning | None:
    node = op.child(ext.LONG_RUNNING)
    if node.value is None:
        return None
    if not isinstance(node.value, dict):
        problems.error(node, "E-EXTENSION", f"{ext.LONG_RUNNING} must be a mapping", "see docs/spec-conventions.md")
        return None
    for key in node.value:
        if key not in _JOB_KEYS:
            problems.error(node.child(str(key)), "E-EXTENSION", f"{ext.LONG_RUNNING} has no key {key!r}",
                           "the keys are " + ", ".join(_JOB_KEYS))
    result_type = None
    result_ref = ext.text(node, "result", problems)
    if result_ref is not None:  # without it the poll must answer in text (checked with the poll operation)
        result = Cursor(node.doc, node.pointer + "/result", {"$ref": result_ref})
        try:
            result_type = registry.type_of(result, f"{hint}Result", input=False)
        except (LookupError, ValueError):
            problems.error(node.child("result"), "E-EXTENSION", f"'result' {result_ref!r} points to nothing",
                           "point it at a schema, e.g. '#/components/schemas/JobResult'")
            return None
    id_parameter = ext.text(node, "id-parameter", problems) or ""
    poll_url = ext.dotted(node, "poll-url", problems, required=False)
    status_code = bool(ext.flag(node, "status-code", problems))
    flags = bool(ext.flag(node, "flags", problems))
    if flags and status_code:
        problems.error(node.child("flags"), "E-EXTENSION", "'flags' reads the status paths, which 'status-code' "
                       "replaces", "keep one of them")
    _one_of(node, "id", "id-parameter", problems)
    _one_of(node, "status", "status-code", problems)
    if poll_url and "poll-parameter" in node.value:
        problems.error(node.child("poll-parameter"), "E-EXTENSION", "'poll-parameter' has no use with 'poll-url'",
                       "the URL replaces the poll operation's path: remove 'poll-parameter'")
    pending = ext.strings(node, "pending", problems, required=False)
    success = ext.strings(node, "success", problems, required=True)
    failure = ext.strings(node, "failure", problems, required=False)
    if status_code:
        for key, values in (("pending", pending), ("success", success), ("failure", failure)):
            if any(not (len(v) == 3 and v.isdigit()) for v in values):
                problems.error(node.child(key), "E-EXTENSION", f"with 'status-code: true' the '{key}' statuses "
                               f"are HTTP status codes, got {list(values)!r}", "write them as codes, e.g. ['201']")
    return LongRunning(
        poll_operation_id=ext.text(node, "poll", problems) or "",
        parameter=ext.text(node, "poll-parameter", problems) or "",
        id_paths=tuple(tuple(path.split(".")) for path in ext.strings(node, "id", problems,
                                                                         required=not (id_parameter or poll_url))),
        status_paths=() if status_code else _status_paths(node, problems),
        pending=pending,
        success=success,
        failure=failure,
        result_type=result_type,
        status_code=status_code,
        flags=flags,
        poll_url=poll_url,
        id_parameter=id_parameter,
    )


def _one_of(node: Cursor, first: str, second: str, problems: ext.Problems) -> None:
    if first in node.value and second in node.value:
        problems.error(node.child(second), "E-EXTENSION", f"'{first}' and '{second}' both say the same thing",
                       f"keep one of '{first}' and '{second}'")


def _status_paths(node: Cursor, problems: ext.Problems) -> tuple[tuple[str, ...], ...]:
    """`status`: one dotted path or a list of them (the first present wins)."""
    value = node.value.get("status")
    if isinstance(value, list) and value and all(isinstance(v, str) and v and all(v.split(".")) for v in value):
        return tuple(tuple(v.split(".")) for v in value)
    if value is None:
        problems.error(node, "E-EXTENSION", "long-running operations need 'status' or 'status-code: true'",
                       "name the member of the poll response holding the status, or say 'status-code: true'")
        return ()
    if isinstance(value, list):
        problems.error(node.child("status"), "E-EXTENSION",
                       f"'status' must be a dotted path or a list of them, got {value!r}",
                       "name the members of the poll response holding the status, e.g. [state, meta.complete]")
        return ()
    path = ext.dotted(node, "status", problems, required=True)
    return (path,) if path else ()


def check_long_running(operations: list[Operation], cursors: dict[str, Cursor], problems: ext.Problems) -> None:
    """Each long-running write names a poll operation that exists and can take the job."""
    by_id = {op.operation_id: op for op in operations}
    for op in operations:
        job = op.long_running
        if job is None:
            continue
        where = cursors[op.operation_id].child(ext.LONG_RUNNING)
        _check_id_parameter(op, job, where, problems)
        if not job.poll_operation_id and job.poll_url:  # the URL is polled as the job's own GET
            if job.result_type is None:
                problems.error(where, "E-EXTENSION", "a job polled at a URL without a 'poll' operation needs "
                               "'result'", "e.g. result: '#/components/schemas/JobStatus'")
            continue
        poll = by_id.get(job.poll_operation_id)
        if poll is None:
            problems.error(where.child("poll"), "E-EXTENSION", f"'poll' names no operation: {job.poll_operation_id!r}",
                           "give the operationId of the operation that reports the job's status")
            continue
        if job.poll_url and poll.method.value != "GET":
            problems.error(where.child("poll"), "E-EXTENSION", f"{job.poll_operation_id} is not a GET, and the "
                           "poll URL is fetched with GET", "name the GET operation that reports the job's status")
        elif not job.poll_url and job.parameter not in {p.wire_name for p in poll.parameters}:
            problems.error(where.child("poll-parameter"), "E-EXTENSION",
                           f"{job.poll_operation_id} has no parameter {job.parameter!r}",
                           "name the poll operation's parameter that takes the job id")
        text = answers_in_text(poll)
        if job.result_type is None and not text:
            problems.error(where, "E-EXTENSION", "long-running operations need 'result' (a $ref to the result "
                           "schema)", "e.g. result: '#/components/schemas/JobResult'")
        elif job.result_type is not None and text:
            problems.error(where.child("result"), "E-EXTENSION", f"{job.poll_operation_id} answers in text, "
                           "which is the job's status and result", "remove 'result'")


def answers_in_text(poll: Operation) -> bool:
    """Whether the poll operation's success responses are text (the status is then the whole body)."""
    kinds = {r.kind for r in poll.responses if r.kind is not ResponseKind.EMPTY}
    return kinds == {ResponseKind.TEXT}


def _check_id_parameter(op: Operation, job: LongRunning, where: Cursor, problems: ext.Problems) -> None:
    if not job.id_parameter:
        return
    found = next((p for p in op.parameters if p.wire_name == job.id_parameter), None)
    if found is None or found.client_parameter or not found.required:
        problems.error(where.child("id-parameter"), "E-EXTENSION",
                       f"{op.operation_id} has no required parameter {job.id_parameter!r} to take the job id from",
                       "name one of the operation's own required parameters (as written in the spec)")


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
