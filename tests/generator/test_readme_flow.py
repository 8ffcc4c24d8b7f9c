"""The README's flow for a spec that is not ours, run as the README writes it, in a fresh folder: the only
change is the spec's path on the `SPEC=` line (the README's is a placeholder). The README cannot drift
from the command line without this failing."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import HERE, REPO

MARKER = "<!-- the outside-spec flow:"


def _flow_block() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    after = readme[readme.index(MARKER):]
    found = re.search(r"```sh\n(.*?)```", after, re.DOTALL)
    assert found, "the README's outside-spec flow block is gone"
    return found.group(1)


def test_the_readme_flow_for_a_spec_that_is_not_ours(tmp_path: Path) -> None:
    block = _flow_block()
    assert block.startswith("SPEC=path/to/openapi.yaml\n")
    shutil.copy(HERE / "specs" / "union-samples.yaml", tmp_path / "vendor.yaml")
    script = "set -ex\n" + block.replace("SPEC=path/to/openapi.yaml", "SPEC=vendor.yaml", 1)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                          check=False, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "acme is up to date" in done.stdout + done.stderr
    built = sorted(p.name for p in (tmp_path / "dist").iterdir())
    assert [name.split("-")[0] for name in built] == ["acme_client", "acme_client"], built
    # Regenerating without --package keeps the name the manifest recorded.
    again = subprocess.run(["bash", "-c", 'careforge generate vendor.yaml --out acme --force'], cwd=tmp_path,
                           env=env, capture_output=True, text=True, check=False, timeout=600)
    assert again.returncode == 0 and (tmp_path / "acme" / "acme_client").is_dir(), again.stderr
