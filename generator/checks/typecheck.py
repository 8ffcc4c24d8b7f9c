"""`mypy --strict` on a generated package (its code and its tests)."""

from __future__ import annotations

import hashlib
import sys
import tempfile
from pathlib import Path

from .. import children


def _cache_dir(folder: Path) -> Path:
    # Outside the package, so a check never leaves files that the next drift check would report;
    # stable per package, so repeated checks are incremental.
    key = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / "careforge-mypy" / key


def typecheck(folder: Path, module: str) -> tuple[bool, str]:
    """Run mypy in `folder`; returns (passed, its output)."""
    command = [
        sys.executable, "-m", "mypy", "--strict", "--python-version", "3.10",
        "--cache-dir", str(_cache_dir(folder)), module, "tests",
    ]
    result = children.run(command, cwd=folder)
    return result.returncode == 0, (result.stdout + result.stderr).strip()
