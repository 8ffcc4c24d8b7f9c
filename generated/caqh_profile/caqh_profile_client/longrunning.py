"""Writes that finish later: the handle a long-running operation returns, and waiting on it.

    job = client.roster.add(...)        # returns at once, with the job id
    result = job.wait(timeout=600)      # polls with backoff until the job succeeds, fails or times out
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ._base_client import parse_json
from ._operation import DEFAULT_OPTIONS, OperationSpec
from .errors import APIError
from .pagination import member

if TYPE_CHECKING:
    from ._base_client import AsyncAPIClient, SyncAPIClient

__all__ = ["AsyncLongRunning", "LongRunning", "LongRunningFailed", "LongRunningSpec", "LongRunningTimeout"]

ResultT = TypeVar("ResultT")
AcceptedT = TypeVar("AcceptedT")


class LongRunningFailed(APIError):
    """The job ended in a failure status; `status` says which, `result` holds the last poll response."""

    def __init__(self, message: str, *, status: str, result: object) -> None:
        super().__init__(message)
        self.status = status
        self.result = result


class LongRunningTimeout(APIError):
    """The job was still running at the deadline; `status` is the last status seen."""

    def __init__(self, message: str, *, status: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True, slots=True)
class LongRunningSpec:
    poll: OperationSpec
    parameter: str  # the poll operation's parameter that takes the job id
    id: tuple[tuple[str, ...], ...]  # where the immediate response holds the id (first found wins)
    status: tuple[str, ...]
    pending: tuple[str, ...]
    success: tuple[str, ...]
    failure: tuple[str, ...]
    client_parameters: tuple[str, ...] = ()  # poll parameters the client supplies (e.g. a tenant)


class _Clock:
    """Time spent waiting: the larger of wall time and time slept (sleeps may be stubbed in tests)."""

    def __init__(self) -> None:
        self.start = time.monotonic()
        self.slept = 0.0

    def elapsed(self) -> float:
        return max(time.monotonic() - self.start, self.slept)


def job_id(accepted: object, paths: Sequence[tuple[str, ...]]) -> str:
    for path in paths:
        value = member(accepted, path)
        if isinstance(value, (str, int)) and str(value):
            return str(value)
    raise APIError("the response does not carry the job id the spec says it should")


class _Handle(Generic[ResultT, AcceptedT]):
    def __init__(self, spec: LongRunningSpec, accepted: AcceptedT, result_type: Any, job: str) -> None:
        self.spec = spec
        self.accepted = accepted
        self.id = job
        self._result_type = result_type
        self.last_status = ""

    def __repr__(self) -> str:
        return f"{type(self).__name__}(id={self.id!r}, last_status={self.last_status!r})"

    def _values(self, client: Any) -> dict[str, Any]:
        values: dict[str, Any] = {name: client.client_parameter(name) for name in self.spec.client_parameters}
        values[self.spec.parameter] = self.id
        return values

    def _judge(self, result: ResultT) -> bool:
        """True when finished successfully, False while pending; raises on failure."""
        status = member(result, self.spec.status)
        status = str(getattr(status, "value", status) or "")
        self.last_status = status
        if status in self.spec.success:
            return True
        if status in self.spec.failure:
            raise LongRunningFailed(f"job {self.id} ended with status {status!r}", status=status, result=result)
        return False

    def _check_deadline(self, clock: _Clock, interval: float, timeout: float) -> None:
        if clock.elapsed() + interval > timeout:
            raise LongRunningTimeout(f"job {self.id} still {self.last_status!r} after {timeout:g}s",
                                     status=self.last_status)

    @staticmethod
    def _next_interval(interval: float, maximum: float) -> float:
        return min(interval * 1.5, maximum)


class LongRunning(_Handle[ResultT, AcceptedT]):
    def __init__(self, client: SyncAPIClient, spec: LongRunningSpec, accepted: AcceptedT, result_type: Any) -> None:
        super().__init__(spec, accepted, result_type, job_id(accepted, spec.id))
        self._client = client

    def poll(self) -> ResultT:
        """The job's current state (one request)."""
        call, auth = self._client._prepare(self.spec.poll, self._values(self._client), None, DEFAULT_OPTIONS)
        response = self._client.send(self.spec.poll, call, auth)
        if not response.is_success:
            self._client._parse(self.spec.poll, response)
        result: ResultT = parse_json(self._result_type, response)
        return result

    def wait(self, *, timeout: float = 600.0, interval: float = 2.0, max_interval: float = 30.0) -> ResultT:
        """Poll until the job succeeds (its result), fails (LongRunningFailed) or `timeout` passes."""
        clock = _Clock()
        while True:
            result = self.poll()
            if self._judge(result):
                return result
            self._check_deadline(clock, interval, timeout)
            self._client._sleep_sync(interval)
            clock.slept += interval
            interval = self._next_interval(interval, max_interval)


class AsyncLongRunning(_Handle[ResultT, AcceptedT]):
    def __init__(self, client: AsyncAPIClient, spec: LongRunningSpec, accepted: AcceptedT, result_type: Any) -> None:
        super().__init__(spec, accepted, result_type, job_id(accepted, spec.id))
        self._client = client

    async def poll(self) -> ResultT:
        call, auth = self._client._prepare(self.spec.poll, self._values(self._client), None, DEFAULT_OPTIONS)
        response = await self._client.send(self.spec.poll, call, auth)
        if not response.is_success:
            self._client._parse(self.spec.poll, response)
        result: ResultT = parse_json(self._result_type, response)
        return result

    async def wait(self, *, timeout: float = 600.0, interval: float = 2.0, max_interval: float = 30.0) -> ResultT:
        """Poll until the job succeeds (its result), fails (LongRunningFailed) or `timeout` passes."""
        clock = _Clock()
        while True:
            result = await self.poll()
            if self._judge(result):
                return result
            self._check_deadline(clock, interval, timeout)
            await self._client._sleep_async(interval)
            clock.slept += interval
            interval = self._next_interval(interval, max_interval)
