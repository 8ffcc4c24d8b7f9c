"""Example arguments in generated tests and READMEs use the union member the example fits."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import HERE, generate


def test_a_union_item_is_built_with_the_member_its_example_fits(tmp_path: Path) -> None:
    generate(str(HERE / "specs" / "union-samples.yaml"), tmp_path / "out", cwd=tmp_path)
    test_source = (tmp_path / "out" / "tests" / "test_x.py").read_text()
    assert 'models.B.model_validate({"b": "x"})' in test_source
    assert "models.A.model_validate" not in test_source
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests"],
                         cwd=tmp_path / "out", env={"PYTHONPATH": str(tmp_path / "out"), "PATH": "/usr/bin:/bin"},
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout
