"""The README's release flow, run as written: a vendor had 1.0.0 published to a local package index,
then lost an operation. The diff must call it breaking, publishing it as 1.1.0 must be refused, and the
README's block (regenerate, diff, bump, publish) must end with 2.0.0 on the index, its changelog inside."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from test_round_trip import PASSWORD, REPO, USERNAME, Index, index  # noqa: F401 (the index fixture)

pytestmark = pytest.mark.publish
ACME = Path(__file__).parent / "acme"
MARKER = "<!-- the release flow:"


def _block() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    found = re.search(r"```sh\n(.*?)```", readme[readme.index(MARKER):], re.DOTALL)
    assert found, "the README's release flow block is gone"
    return found.group(1)


def _shell(script: str, cwd: Path, url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
           "CAREFORGE_REPOSITORY_USERNAME": USERNAME, "CAREFORGE_REPOSITORY_PASSWORD": PASSWORD,
           "REPOSITORY_URL": url, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org", "NO_COLOR": "1"}
    return subprocess.run(["bash", "-c", "set -e\n" + script], cwd=cwd, env=env, capture_output=True, text=True,
                          check=False, timeout=900)


def test_the_readme_release_flow(tmp_path: Path, index: Index) -> None:  # noqa: F811 (pytest fixture)
    project = tmp_path / "project"
    shutil.copytree(ACME, project / "specs" / "acme")
    first = _shell("git init -q . && careforge generate acme && git add -A && git commit -qm acme-1.0.0\n"
                   'careforge publish acme --repository-url "$REPOSITORY_URL"', project, index.url)
    assert first.returncode == 0, first.stdout + first.stderr
    spec = project / "specs" / "acme" / "openapi.yaml"
    text = spec.read_text(encoding="utf-8")
    # The vendor drops GET /homes/{home_id}: callers of client.homes.retrieve() break.
    spec.write_text(text[:text.index("  /homes/{home_id}:")] + text[text.index("components:"):], encoding="utf-8")

    too_low = _shell("sed -i 's/^version = .*/version = \"1.1.0\"/' specs/acme/rules.toml && careforge generate acme\n"
                     'careforge publish acme --repository-url "$REPOSITORY_URL"', project, index.url)
    said = too_low.stdout + too_low.stderr
    assert too_low.returncode == 1, said
    assert "version 1.1.0 is too low" in said and "major bump, 2.0.0 at least" in said, said
    assert not any(p.name.startswith("acme_client-1.1.0") for p in index.packages.iterdir())
    _shell("git checkout -q specs/acme/rules.toml generated", project, index.url)

    flow = _shell(_block(), project, index.url)
    said = flow.stdout + flow.stderr
    assert flow.returncode == 0, said
    assert "acme: the spec changed since the last generation: 1 breaking" in said, said
    assert "operation-removed" not in said and "GET /homes/{home_id} (homes_retrieve) removed" in said, said
    assert "homes.Homes.retrieve: Public object was removed" in said, said
    assert "breaking: CI stops here" in said, said
    assert "acme: 1.0.0 -> 2.0.0 (major bump" in said, said
    released = index.packages / "acme_client-2.0.0.tar.gz"
    assert released.is_file(), sorted(p.name for p in index.packages.iterdir())
    with tarfile.open(released) as sdist:
        changelog = sdist.extractfile("acme_client-2.0.0/CHANGELOG.md")
        assert changelog is not None
        entry = changelog.read().decode("utf-8")
    assert "## 2.0.0" in entry and "### Breaking changes" in entry and "homes_retrieve" in entry, entry

    # A method renamed by rules.toml alone changes no spec: the Python API comparison still refuses it.
    renamed = _shell("printf '\\n[methods]\\nhomes_list = \"search\"\\n' >> specs/acme/rules.toml\n"
                     "sed -i 's/^version = .*/version = \"2.1.0\"/' specs/acme/rules.toml && careforge generate acme\n"
                     'careforge publish acme --repository-url "$REPOSITORY_URL"', project, index.url)
    said = renamed.stdout + renamed.stderr
    assert renamed.returncode == 1, said
    assert "version 2.1.0 is too low" in said and "Homes.list: renamed" in said and "3.0.0 at least" in said, said
