"""Ctrl-C and SIGTERM end a run cleanly, from the first line of the entry point on.

Both signals become `Stopped`, our own exception type, not KeyboardInterrupt: libraries that catch
exceptions while they build (pydantic does) turn a KeyboardInterrupt into errors of their own, and the
run must still end as interrupted. The signal received is remembered for the same reason. This module
imports nothing slow: it is installed before the command line's own imports.
"""

from __future__ import annotations

import signal
from types import FrameType
from typing import Any

INTERRUPTED, TERMINATED = 130, 143


class Stopped(BaseException):
    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


_received: list[int] = []


def _stop(signum: int, frame: FrameType | None) -> None:
    if not _received:  # a second Ctrl-C does not cut the clean-up short
        _received.append(signum)
        raise Stopped(signum)


def install() -> dict[int, Any]:
    """Handle both signals from now on; returns the handlers they had."""
    _received.clear()
    return {signum: signal.signal(signum, _stop) for signum in (signal.SIGINT, signal.SIGTERM)}


def restore(before: dict[int, Any]) -> None:
    for signum, handler in before.items():
        signal.signal(signum, handler)


def received() -> int | None:
    """The signal that stopped the run, if one did."""
    return _received[0] if _received else None


def exit_code(signum: int) -> int:
    return INTERRUPTED if signum == signal.SIGINT else TERMINATED


def word(signum: int) -> str:
    return "interrupted" if signum == signal.SIGINT else "terminated"
