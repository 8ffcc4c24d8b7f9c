"""Generated code is black's output: formatting it again (black's full two passes) changes nothing.

The generator runs one black pass per file (generator/format.py); this proves the second pass black
would add has nothing to do, for every generated package and the README examples.
"""

from __future__ import annotations

import re
from pathlib import Path

import black
import pytest

from conftest import REPO
from generator.format import black_mode

# Copied as written (the project's own style), not formatted: templates/runtime and templates/testing.
VERBATIM = {p.name for p in (REPO / "templates" / "runtime").glob("*.py")} - {"__init__.py"} | {"_contract.py"}
PACKAGES = sorted(p for p in (REPO / "generated").iterdir() if (p / "pyproject.toml").is_file())
_PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.DOTALL | re.MULTILINE)


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_every_generated_python_file_is_black_stable(package: Path) -> None:
    unstable = []
    for path in sorted(package.rglob("*.py")):
        if path.name in VERBATIM and path.parent.parent == package:  # pkg/<runtime>.py, tests/_contract.py
            continue
        text = path.read_text(encoding="utf-8")
        if black.format_str(text, mode=black_mode()) != text:  # type: ignore[arg-type]
            unstable.append(path.relative_to(package).as_posix())
    for doc in ("README.md", "api.md"):
        for block in _PYTHON_BLOCK.findall((package / doc).read_text(encoding="utf-8")):
            if black.format_str(block, mode=black_mode()) != block:  # type: ignore[arg-type]
                unstable.append(f"{doc}: {block.splitlines()[0]}")
    assert unstable == []
