"""Long-running writes: the LongRunningSpec constant and the handle's types."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from ..escape import Code, literal, tuple_of
from ..ir.model import HttpMethod, Operation, Parameter, Response, ResponseKind
from .types import annotation


def job_spec(op: Operation, poll: Operation, operation_spec: Code, value_key: Callable[[Operation, Parameter], str]) -> Code:
    """`LongRunningSpec(...)` for `op`, with the poll operation's spec written out in place; `value_key`
    names a parameter in the call's values (methods.py owns that spelling)."""
    job = op.long_running
    assert job is not None
    client_parameters = [literal(p.client_parameter) for p in poll.parameters if p.client_parameter]
    parts = [
        f"poll={operation_spec}",
        f"parameter={literal(job.parameter)}",
        f"id={_paths(job.id_paths)}",
        f"status={_paths(job.status_paths)}",
        f"pending={tuple_of([literal(s) for s in job.pending])}",
        f"success={tuple_of([literal(s) for s in job.success])}",
        f"failure={tuple_of([literal(s) for s in job.failure])}",
        f"client_parameters={tuple_of(client_parameters)}",
    ]
    # Only what a job uses, so the constants of jobs without them read as before.
    if job.status_code:
        parts.append("status_code=True")
    if job.flags:
        parts.append("flags=True")
    if job.poll_url:
        parts.append(f"poll_url={tuple_of([literal(s) for s in job.poll_url])}")
    taker = next((p for p in op.parameters if p.wire_name == job.id_parameter), None)
    if job.id_parameter and taker is not None:
        parts.append(f"id_parameter={literal(value_key(op, taker))}")
    return Code(f"LongRunningSpec({', '.join(parts)})")


def url_poll(op: Operation) -> Operation:
    """The poll of a job whose status URL no operation describes: a GET of that URL, sent with the
    submitting operation's security, answering the job's result, its errors raised by status."""
    job = op.long_running
    assert job is not None and job.poll_url and job.result_type is not None
    return dataclasses.replace(
        op, operation_id=f"{op.operation_id}.poll", method=HttpMethod.GET, parameters=(), body=None,
        responses=(Response(status="200", kind=ResponseKind.JSON, type=job.result_type, media_type="application/json"),),
        errors=(), pagination=None, long_running=None, response_headers=(), content_type="", variant="",
        idempotent=True, retry_safe=True,
    )


def _paths(paths: tuple[tuple[str, ...], ...]) -> Code:
    return tuple_of([tuple_of([literal(s) for s in path]) for path in paths])


def accepted_type(op: Operation) -> Code:
    first = next((r for r in op.responses if r.kind is ResponseKind.JSON and r.type is not None), None)
    return annotation(first.type, input=False) if first is not None and first.type is not None else Code("typing.Any")


def result_type(op: Operation) -> Code:
    assert op.long_running is not None
    if op.long_running.result_type is None:  # a text poll: its text is the result
        return Code("builtins.str")
    return annotation(op.long_running.result_type, input=False)
