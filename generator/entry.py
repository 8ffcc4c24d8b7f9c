"""The `careforge` command: signals handled first, then the command line (and its imports) loaded."""

from __future__ import annotations

import sys

from . import stopping


def main() -> None:
    stopping.install()
    try:
        from .cli import main as command_line

        command_line()
    except stopping.Stopped as stopped:  # before a command started its work (it reports its own)
        print(f"careforge: {stopping.word(stopped.signum)}", file=sys.stderr)
        sys.exit(stopping.exit_code(stopped.signum))
