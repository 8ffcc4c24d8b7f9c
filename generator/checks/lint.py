"""`ruff check` on a generated package, with the rules its own pyproject.toml states."""

from __future__ import annotations

import sys
from pathlib import Path

from .. import children


def lint(folder: Path) -> tuple[bool, str]:
    """Run ruff in `folder`; returns (passed, one line per problem: file:line:column: rule message)."""
    # No cache: it would leave files in the package for the next drift check to report.
    command = [sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", "--quiet", "."]
    result = children.run(command, cwd=folder)
    return result.returncode == 0, (result.stdout + result.stderr).strip()
