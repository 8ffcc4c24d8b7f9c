"""Golden trees: small feature specs and the whole output each one generates, committed side by side.

`tests/golden/specs/<name>.(yaml|json)` is the input; `tests/golden/expected/<name>/` is what the
generator writes for it, less two kinds of file that would only repeat other files:
- the run's manifest (`.careforge.json`): hashes of the files below and of the generator's own code;
- the runtime and test-support modules the generator copies as they are from `templates/runtime/`
  and `templates/testing/`. They are checked against those sources instead (a copy that stops being
  verbatim fails the test until it is committed here).

`make golden` (this module run as a script) writes the expected trees again; review the diff it leaves.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SPECS = HERE / "specs"
EXPECTED = HERE / "expected"
RUNTIME = REPO / "templates" / "runtime"
TESTING = REPO / "templates" / "testing"
MANIFEST = ".careforge.json"


def spec_names() -> list[str]:
    return sorted(p.name for p in SPECS.iterdir() if p.suffix in (".yaml", ".json"))


def stem(spec: str) -> str:
    return spec.rsplit(".", 1)[0]


def generate(spec: str, out: Path) -> None:
    """The generator as a user runs it, from the specs folder so no path of this machine is recorded."""
    command = [sys.executable, "-m", "generator", "generate", spec, "--out", str(out), "--quiet"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    run = subprocess.run(command, cwd=SPECS, env=env, capture_output=True, text=True, timeout=300)
    if run.returncode != 0:
        raise RuntimeError(f"generating {spec} failed ({run.returncode}):\n{run.stdout}{run.stderr}")


def package_folder(out: Path) -> Path:
    [marker] = out.glob("*/py.typed")
    return marker.parent


def copied_verbatim(out: Path) -> dict[Path, Path]:
    """Files of the output that are copies of a template source file: output path -> source."""
    package = package_folder(out)
    found = {package / source.name: source for source in RUNTIME.glob("*.py") if source.name != "__init__.py"}
    found.update({out / "tests" / source.name: source for source in TESTING.glob("*.py")})
    return {target: source for target, source in found.items() if target.exists()}


def tree(out: Path) -> dict[str, bytes]:
    """The output as the golden tree keeps it: relative path -> bytes."""
    skipped = set(copied_verbatim(out)) | {out / MANIFEST}
    return {path.relative_to(out).as_posix(): path.read_bytes()
            for path in sorted(out.rglob("*")) if path.is_file() and path not in skipped}


def update() -> None:
    EXPECTED.mkdir(exist_ok=True)
    wanted = {stem(spec) for spec in spec_names()}
    for stale in EXPECTED.iterdir():
        if stale.name not in wanted:
            shutil.rmtree(stale)
    with tempfile.TemporaryDirectory() as scratch:
        for spec in spec_names():
            out = Path(scratch) / stem(spec)
            generate(spec, out)
            target = EXPECTED / stem(spec)
            shutil.rmtree(target, ignore_errors=True)
            for relative, content in tree(out).items():
                path = target / relative
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
            print(f"golden: {target.relative_to(REPO)} written")


if __name__ == "__main__":
    update()
