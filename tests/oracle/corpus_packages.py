"""The feature corpus (tests/oracle/corpus/*.yaml), each spec generated once per test process."""

from __future__ import annotations

import atexit
import functools
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .harness import Package, load_package

CORPUS = Path(__file__).resolve().parent / "corpus"
SPECS = tuple(sorted(p.stem for p in CORPUS.glob("*.yaml")))


@functools.cache
def corpus_package(name: str) -> Package:
    """Generated with the real command line, as a user would, into a folder of this process."""
    scratch = tempfile.mkdtemp(prefix=f"corpus-{name}-")
    atexit.register(shutil.rmtree, scratch, ignore_errors=True)  # the test run leaves no folders behind
    out = Path(scratch) / name
    package = f"corpus_{name.replace('-', '_')}_client"
    done = subprocess.run([sys.executable, "-m", "generator", "generate", str(CORPUS / f"{name}.yaml"), "--out",
                           str(out), "--package", package], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise AssertionError(f"careforge generate {name}.yaml failed:\n{done.stdout}{done.stderr}")
    return load_package(CORPUS / f"{name}.yaml", None, out, package)
