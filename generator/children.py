"""Child processes that cannot outlive the run that started them.

A run killed with SIGKILL gets no chance to stop its children; on Linux each child asks the kernel to
send it SIGKILL when its parent dies (prctl PR_SET_PDEATHSIG). Elsewhere this is a no-op.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import subprocess
import sys
from typing import Any

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Call first thing in a forked child: it is killed when `parent` (the pid that started it) dies, it
    leaves Ctrl-C to the parent (a terminal sends it to the whole group), and it ends quietly when the
    parent stops it (SIGTERM), without the handlers it inherited."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _killed_with(parent)


def _killed_with(parent: int) -> None:
    if not sys.platform.startswith("linux"):
        return
    name = ctypes.util.find_library("c")
    if name is not None:
        ctypes.CDLL(name, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


def run(command: list[str], **options: Any) -> subprocess.CompletedProcess[str]:
    """subprocess.run for a command that must die with this process (text mode, output captured)."""
    parent = os.getpid()
    return subprocess.run(command, capture_output=True, text=True, check=False,
                          preexec_fn=lambda: _killed_with(parent), **options)
