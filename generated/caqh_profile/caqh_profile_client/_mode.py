"""How a call hands back its response: parsed (the usual way), captured raw or streaming, or replayed.

`with_raw_response` and `with_streaming_response` run the very method a user calls, in a mode: the
first response that arrives is captured before it is parsed, and `parse()` later runs the method again
in replay mode, where the captured response stands in for the request. So every method (pagers and
long-running jobs included) parses exactly as it does when called plainly.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

import httpx


@dataclass(frozen=True, slots=True)
class Capture:
    stream: bool  # send with the body unread: the caller reads it, or not


@dataclass(frozen=True, slots=True)
class Replay:
    response: httpx.Response


class Captured(Exception):
    """Carries the captured response from the runtime, through the generated method, to its wrapper."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__("a captured response (internal: never escapes a response wrapper)")
        self.response = response


# Set by a wrapper for the one call it wraps; cleared while that call's request is on its way, so a call
# an event hook makes meanwhile is a plain call.
MODE: ContextVar[Capture | Replay | None] = ContextVar("response_mode", default=None)
