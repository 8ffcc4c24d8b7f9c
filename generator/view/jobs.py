"""Long-running writes: the LongRunningSpec constant and the handle's types."""

from __future__ import annotations

from ..escape import Code, literal, tuple_of
from ..ir.model import Operation, ResponseKind
from .types import annotation


def job_spec(op: Operation, poll: Operation, operation_spec: Code) -> Code:
    """`LongRunningSpec(...)` for `op`, with the poll operation's spec written out in place."""
    job = op.long_running
    assert job is not None
    client_parameters = [literal(p.client_parameter) for p in poll.parameters if p.client_parameter]
    parts = [
        f"poll={operation_spec}",
        f"parameter={literal(job.parameter)}",
        f"id={tuple_of([tuple_of([literal(s) for s in path]) for path in job.id_paths])}",
        f"status={tuple_of([literal(s) for s in job.status_path])}",
        f"pending={tuple_of([literal(s) for s in job.pending])}",
        f"success={tuple_of([literal(s) for s in job.success])}",
        f"failure={tuple_of([literal(s) for s in job.failure])}",
        f"client_parameters={tuple_of(client_parameters)}",
    ]
    return Code(f"LongRunningSpec({', '.join(parts)})")


def accepted_type(op: Operation) -> Code:
    first = next((r for r in op.responses if r.kind is ResponseKind.JSON and r.type is not None), None)
    return annotation(first.type, input=False) if first is not None and first.type is not None else Code("typing.Any")


def result_type(op: Operation) -> Code:
    assert op.long_running is not None
    return annotation(op.long_running.result_type, input=False)
