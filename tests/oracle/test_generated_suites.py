"""Each corpus package's own generated tests pass: the values they send fit the spec, and the contract
checker they use reads every serialization the corpus covers (deepObject, exploded form objects, label
and matrix paths, percent-escaped references)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .corpus_packages import SPECS, corpus_package


@pytest.mark.parametrize("name", SPECS)
def test_the_generated_tests_of_a_corpus_package_pass(name: str) -> None:
    package = corpus_package(name)
    root = Path(str(package.module.__file__)).parent.parent
    env = {**os.environ, "PYTHONPATH": str(root)}
    env.pop("CAREFORGE_MOCK_SERVER", None)
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", "tests"], cwd=root,
                          env=env, capture_output=True, text=True, check=False, timeout=600)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and "skipped" not in done.stdout, done.stdout[-2000:]
