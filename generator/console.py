"""What the commands print through, and the usage problem they refuse with.

The command line (cli.py) hands its own `echo` in and turns a UsageProblem into its usage error (exit
2), so the commands themselves know nothing of the argument parser. Without a caller's `echo` they
print plain lines.
"""

from __future__ import annotations

import sys
from typing import Protocol


class UsageProblem(Exception):
    """The command was asked for something it cannot do: shown as a usage error (exit 2)."""


class Echo(Protocol):
    def __call__(self, message: str, /, *, err: bool = False) -> None: ...


def plain_echo(message: str, /, *, err: bool = False) -> None:
    print(message, file=sys.stderr if err else sys.stdout, flush=True)
