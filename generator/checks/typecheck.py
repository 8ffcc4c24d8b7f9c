"""`mypy --strict` on a generated package (its code and its tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def typecheck(folder: Path, module: str) -> tuple[bool, str]:
    """Run mypy in `folder`; returns (passed, its output)."""
    command = [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--python-version", "3.11", module, "tests"]
    result = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)
    return result.returncode == 0, (result.stdout + result.stderr).strip()
