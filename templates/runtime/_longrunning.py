"""Writes that finish later: the handle a long-running operation returns, and waiting on it.

    job = client.roster.add(...)        # returns at once, with the job id
    result = job.wait(timeout=600)      # polls with backoff until the job succeeds, fails or times out
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

import httpx

from ._base_client import _moved, parse_json
from ._failures import decode_body
from ._mode import MODE, Replay
from ._operation import DEFAULT_OPTIONS, OperationSpec, RequestOptions
from ._pagination import member
from ._types import NotGiven
from .errors import APIError

if TYPE_CHECKING:
    from ._base_client import AsyncAPIClient, BaseClient, SyncAPIClient

# The package exports these names (careforge reads this list); the module's other names are internal.
__all__ = ["AsyncLongRunning", "LongRunning", "LongRunningFailed", "LongRunningTimeout"]

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
    status: tuple[tuple[str, ...], ...]  # where a response holds the status (first present wins)
    pending: tuple[str, ...]
    success: tuple[str, ...]
    failure: tuple[str, ...]
    client_parameters: tuple[str, ...] = ()  # poll parameters the client supplies (e.g. a tenant)
    status_code: bool = False  # the poll's HTTP status is the status
    poll_url: tuple[str, ...] = ()  # where the immediate response holds the URL to poll
    id_parameter: str = ""  # the key, in the call's values, of the parameter whose value is the job id
    flags: bool = False  # status paths are flags: the first that holds true is the status, by its name


class _Clock:
    """Time spent waiting: the larger of wall time and time slept (sleeps may be stubbed in tests)."""

    def __init__(self) -> None:
        self.start = time.monotonic()
        self.slept = 0.0

    def elapsed(self) -> float:
        return max(time.monotonic() - self.start, self.slept)


def _text(value: object) -> str:
    """A status as text: an enum by its value, a boolean as JSON writes it."""
    value = getattr(value, "value", value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def status_of(body: object, paths: Sequence[tuple[str, ...]], flags: bool = False) -> str:
    """The status at the first of `paths` present in `body`; a text body is its own status. With `flags`,
    the dotted name of the first path that holds true ("" when none does: still running)."""
    if isinstance(body, str):
        return body.strip()
    if flags:
        return next((".".join(path) for path in paths if member(body, path) is True), "")
    for path in paths:
        value = member(body, path)
        if value is not None:
            return _text(value)
    return ""


def job_id(accepted: object, paths: Sequence[tuple[str, ...]]) -> str:
    for path in paths:
        value = member(accepted, path)
        if isinstance(value, (str, int)) and str(value):
            return str(value)
    return ""


_ENCODED_DOTS = (b"%2e", b"%2e%2e", b".%2e", b"%2e.")


def poll_target(client: BaseClient, op: OperationSpec, here: httpx.URL, link: str) -> httpx.URL | None:
    """Where a poll URL leads, or None when it leaves the client's server. A relative one is resolved
    against the request's URL as the API sees it; one under a server the spec declares is moved to
    base_url, as next-page links are; anything else must lie under base_url (origin and path)."""
    base = str(client.base_url).rstrip("/")
    servers = client._config.servers
    declared = _moved(here, (base,), servers[0].rstrip("/")) if servers else None
    try:
        target = (declared or here).join(link)
    except httpx.InvalidURL:
        return None
    segments = target.raw_path.split(b"?", 1)[0].lower().split(b"/")
    # Dot segments a server may decode and climb out with; an encoded slash or backslash, or a ";" path
    # parameter, that some servers decode or drop before routing ("imports%2f..%2fadmin", "..;/admin").
    if any(segment in _ENCODED_DOTS or b"%2f" in segment or b"%5c" in segment or b";" in segment
           for segment in segments):
        return None
    found = client.from_declared_server(target) or _moved(target, (base,), base)
    return None if found is None else client._with_default_query(op, found)


class _Handle(Generic[ResultT, AcceptedT]):
    def __init__(self, client: BaseClient, spec: LongRunningSpec, accepted: AcceptedT, result_type: Any,
                 here: httpx.URL, values: Mapping[str, Any]) -> None:
        self.spec = spec
        self.accepted = accepted
        self._result_type = result_type
        self.last_status = ""
        self._url: httpx.URL | None = None
        # The immediate response is judged as a poll would be: a failure status, or no id, ends the job now.
        status = "" if spec.status_code else status_of(accepted, spec.status, spec.flags)
        if status and status in spec.failure:
            raise LongRunningFailed(f"the job was refused at once with status {status!r}", status=status,
                                    result=accepted)
        # The poll's other parameters that the call also had (the application a job runs in, say) go again.
        wanted = {p.value_key for p in spec.poll.params} - {spec.parameter}
        self._carried = {key: value for key, value in values.items()
                         if key in wanted and not isinstance(value, NotGiven)}
        given = values.get(spec.id_parameter) if spec.id_parameter else None
        self.id = _text(given) if given is not None and not isinstance(given, NotGiven) else job_id(accepted, spec.id)
        if spec.poll_url:
            link = member(accepted, spec.poll_url)
            if not isinstance(link, str) or not link.strip():
                raise LongRunningFailed("the response does not carry the URL to poll the job at", status=status,
                                        result=accepted)
            self._url = poll_target(client, spec.poll, here, link.strip())
            if self._url is None:
                raise LongRunningFailed(f"refusing to poll {link.strip()!r}: it leaves the client's server "
                                        f"{str(client.base_url)!r}", status=status, result=accepted)
        elif not self.id:
            raise LongRunningFailed("the response does not carry the job id the spec says it should",
                                    status=status, result=accepted)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(id={self.id!r}, last_status={self.last_status!r})"

    def _request(self, client: BaseClient) -> tuple[OperationSpec, dict[str, Any], str | None]:
        """The poll operation, its values and the URL that replaces its path (None: the path, filled in)."""
        values: dict[str, Any] = {name: client.client_parameter(name) for name in self.spec.client_parameters}
        values.update(self._carried)
        if self._url is not None:  # the URL names the job: the path's parameters are not needed
            return dataclasses.replace(self.spec.poll, params=()), values, str(self._url)
        values[self.spec.parameter] = self.id
        return self.spec.poll, values, None

    def _status_code_failure(self, response: httpx.Response) -> None:
        """With the HTTP status as the status, a failure status raises even when it is an error status."""
        status = str(response.status_code)
        if self.spec.status_code and status in self.spec.failure:
            self.last_status = status
            response.read()
            raise LongRunningFailed(f"job {self.id} ended with status {status!r}", status=status,
                                    result=decode_body(response))

    def _pending_by_code(self, response: httpx.Response) -> bool:
        """Whether the HTTP status says the job is still running (its body need not be the result then)."""
        self._status_code_failure(response)
        status = str(response.status_code)
        if not self.spec.status_code or status in self.spec.success:
            return False
        if not response.is_success or self.spec.poll.refuses(response.status_code):
            return False  # an error: reading the result raises it
        self.last_status = status
        return True

    def _result(self, client: BaseClient, response: httpx.Response) -> ResultT:
        if not response.is_success or self.spec.poll.refuses(response.status_code):
            client._parse(self.spec.poll, response)  # raises the typed error
        answer = self.spec.poll.response_for(response.status_code)
        if answer is not None and answer.kind == "text":
            text: Any = response.text
            return cast(ResultT, text)
        result: ResultT = parse_json(self._result_type, response)
        return result

    def _judge(self, response: httpx.Response, result: ResultT) -> bool:
        """True when finished successfully, False while pending; raises on failure."""
        status = str(response.status_code) if self.spec.status_code else status_of(result, self.spec.status, self.spec.flags)
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
    def __init__(self, client: SyncAPIClient, spec: LongRunningSpec, accepted: AcceptedT, result_type: Any,
                 here: httpx.URL | None = None, values: Mapping[str, Any] | None = None) -> None:
        super().__init__(client, spec, accepted, result_type, here or client.base_url, values or {})
        self._client = client

    @classmethod
    def submit(cls, client: SyncAPIClient, spec: LongRunningSpec, result_type: Any, op: OperationSpec,
               values: Mapping[str, Any], *, body: Any, options: RequestOptions) -> LongRunning[Any, Any]:
        """Make the call that starts the job; the handle to it."""
        mode = MODE.get()
        if mode is not None:  # a raw or streaming wrapper: it captures the response, or replays it
            accepted = client.request(op, values, body=body, options=options)
            assert isinstance(mode, Replay)  # capturing raised
            return cls(client, spec, accepted, result_type, mode.response.request.url, values)
        call, auth = client._prepare(op, values, body, options)
        response = client.send(op, call, auth)
        return cls(client, spec, client._parse(op, response), result_type, response.request.url, values)

    def _fetch(self) -> httpx.Response:
        op, values, url = self._request(self._client)
        call, auth = self._client._prepare(op, values, None, DEFAULT_OPTIONS)
        return self._client.send(op, call, auth, url)

    def poll(self) -> ResultT:
        """The job's current state (one request)."""
        response = self._fetch()
        self._status_code_failure(response)
        return self._result(self._client, response)

    def wait(self, *, timeout: float = 600.0, interval: float = 2.0, max_interval: float = 30.0) -> ResultT:
        """Poll until the job succeeds (its result), fails (LongRunningFailed) or `timeout` passes."""
        clock = _Clock()
        while True:
            response = self._fetch()
            if not self._pending_by_code(response):
                result = self._result(self._client, response)
                if self._judge(response, result):
                    return result
            self._check_deadline(clock, interval, timeout)
            self._client._sleep_sync(interval)
            clock.slept += interval
            interval = self._next_interval(interval, max_interval)


class AsyncLongRunning(_Handle[ResultT, AcceptedT]):
    def __init__(self, client: AsyncAPIClient, spec: LongRunningSpec, accepted: AcceptedT, result_type: Any,
                 here: httpx.URL | None = None, values: Mapping[str, Any] | None = None) -> None:
        super().__init__(client, spec, accepted, result_type, here or client.base_url, values or {})
        self._client = client

    @classmethod
    async def submit(cls, client: AsyncAPIClient, spec: LongRunningSpec, result_type: Any, op: OperationSpec,
                     values: Mapping[str, Any], *, body: Any, options: RequestOptions) -> AsyncLongRunning[Any, Any]:
        """Make the call that starts the job; the handle to it."""
        mode = MODE.get()
        if mode is not None:  # a raw or streaming wrapper: it captures the response, or replays it
            accepted = await client.request(op, values, body=body, options=options)
            assert isinstance(mode, Replay)  # capturing raised
            return cls(client, spec, accepted, result_type, mode.response.request.url, values)
        call, auth = client._prepare(op, values, body, options)
        response = await client.send(op, call, auth)
        return cls(client, spec, client._parse(op, response), result_type, response.request.url, values)

    async def _fetch(self) -> httpx.Response:
        op, values, url = self._request(self._client)
        call, auth = self._client._prepare(op, values, None, DEFAULT_OPTIONS)
        return await self._client.send(op, call, auth, url)

    async def poll(self) -> ResultT:
        """The job's current state (one request)."""
        response = await self._fetch()
        self._status_code_failure(response)
        return self._result(self._client, response)

    async def wait(self, *, timeout: float = 600.0, interval: float = 2.0, max_interval: float = 30.0) -> ResultT:
        """Poll until the job succeeds (its result), fails (LongRunningFailed) or `timeout` passes."""
        clock = _Clock()
        while True:
            response = await self._fetch()
            if not self._pending_by_code(response):
                result = self._result(self._client, response)
                if self._judge(response, result):
                    return result
            self._check_deadline(clock, interval, timeout)
            await self._client._sleep_async(interval)
            clock.slept += interval
            interval = self._next_interval(interval, max_interval)
