"""Work run beside the main process: a forked child computes a pure function of data both already hold.

The child inherits the data by fork (nothing large is pickled); only the result travels back, pickled.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Generic, TypeVar

from .children import die_with_parent

T = TypeVar("T")


def worth_it() -> bool:
    """A second core to run on, and fork to start it cheaply."""
    return (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()


class Background(Generic[T]):
    def __init__(self, work: Callable[[], T]) -> None:
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(target=_serve, args=(work, send, os.getpid()), daemon=True)
        self._process.start()
        send.close()

    def result(self) -> T | None:
        """What the work returned, or None if the child failed to say (the caller then does it itself)."""
        if self._receive.closed:
            return None
        try:
            value: T | None = self._receive.recv()
        except (EOFError, OSError):
            value = None
        except BaseException:  # Ctrl-C while waiting: the answer is not wanted, so the child is not waited for
            self.stop()
            raise
        self._receive.close()
        self._process.join()
        return value

    def stop(self) -> None:
        """The result is not wanted (or was had): the child is gone when this returns."""
        if not self._receive.closed:
            self._receive.close()
        if self._process.is_alive():
            self._process.kill()
        self._process.join()


def _serve(work: Callable[[], object], send: Connection, parent: int) -> None:
    die_with_parent(parent)
    try:
        send.send(work())
    except BaseException:  # noqa: BLE001 - the parent sees no answer and does the work itself
        pass
    finally:
        send.close()
