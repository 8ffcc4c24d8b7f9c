"""The Python in every README is real: each README's blocks, run together, pass `mypy --strict`."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import REPO

BLOCK = re.compile(r"^```python\n(.*?)^```$", re.DOTALL | re.MULTILINE)
VENDORS = sorted(p.name for p in (REPO / "generated").iterdir() if (p / "README.md").is_file())


def examples(readme: Path) -> str:
    blocks = BLOCK.findall(readme.read_text(encoding="utf-8"))
    assert blocks, f"{readme} has no Python example"
    return "\n\n".join(blocks)


def test_every_readme_example_type_checks(tmp_path: Path) -> None:
    sources = {f"readme_{vendor}.py": examples(REPO / "generated" / vendor / "README.md") for vendor in VENDORS}
    sources["readme_project.py"] = examples(REPO / "README.md")
    for file, text in sources.items():
        (tmp_path / file).write_text(text, encoding="utf-8")
    path = ":".join(str(REPO / "generated" / vendor) for vendor in VENDORS)
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-warn-unused-ignores", "--cache-dir",
         str(tmp_path / ".mypy_cache"), *sorted(sources)],
        cwd=tmp_path, env={"MYPYPATH": path, "PATH": "/usr/bin:/bin"}, capture_output=True, text=True, check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
