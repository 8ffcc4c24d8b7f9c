"""Drift and the manifest: `check` compares disk with what the spec makes; `generate` skips what matches."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import generate, invoke, tree, tree_state, write_files

SPEC = """
openapi: 3.1.0
info:
  title: Watch
  version: "1"
servers:
  - url: https://watch.example.test
tags:
  - {name: alarms, description: Alarms.}
paths:
  /alarms/{alarm_id}:
    get:
      operationId: alarms_retrieve
      tags: [alarms]
      parameters:
        - {name: alarm_id, in: path, required: true, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "schemas.yaml#/Alarm"}
              example: {id: a1, level: 2}
"""

SCHEMAS = """
Alarm:
  type: object
  properties:
    id: {type: string}
    level: {type: integer}
"""

RESOURCE = "watch_client/resources/alarms.py"


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A spec and its freshly generated package, copied by each test that changes it."""
    root = write_files(tmp_path_factory.mktemp("drift"), {"spec/openapi.yaml": SPEC, "spec/schemas.yaml": SCHEMAS})
    generate("spec/openapi.yaml", "out", cwd=root)
    return root


@pytest.fixture
def project(pristine: Path, tmp_path: Path) -> Path:
    shutil.copytree(pristine, tmp_path, dirs_exist_ok=True)
    return tmp_path


def check(project: Path) -> tuple[int, str, str]:
    run = invoke("check", "spec/openapi.yaml", "--out", "out", cwd=project)
    return run.code, run.stdout, run.stderr


def test_fresh_tree_has_no_drift(project: Path) -> None:
    code, stdout, _ = check(project)
    assert code == 0
    assert "drift: out is up to date" in stdout
    assert "coverage: 1 operations -> methods" in stdout


def test_hand_edit_is_drift_with_a_diff(project: Path) -> None:
    path = project / "out" / RESOURCE
    path.write_text(path.read_text().replace('"""Alarms."""', '"""Alarms, edited by hand."""', 1))
    code, stdout, stderr = check(project)
    assert code == 1
    assert f"--- out/{RESOURCE} (on disk)" in stdout
    assert f"+++ out/{RESOURCE} (generated)" in stdout
    assert '-"""Alarms, edited by hand."""' in stdout and '+"""Alarms."""' in stdout
    assert "@@ " in stdout
    assert "differs from what spec/openapi.yaml generates" in stderr


def test_deleted_file_is_drift(project: Path) -> None:
    (project / "out" / RESOURCE).unlink()
    code, stdout, _ = check(project)
    assert code == 1
    assert f"missing: out/{RESOURCE}" in stdout


def test_extra_file_is_drift(project: Path) -> None:
    write_files(project / "out", {"watch_client/notes.py": "x = 1\n"})
    code, stdout, _ = check(project)
    assert code == 1
    assert "not generated: out/watch_client/notes.py" in stdout


def test_bytecode_caches_are_not_drift(project: Path) -> None:
    write_files(project / "out", {"watch_client/__pycache__/models.cpython-311.pyc": "cached"})
    assert check(project)[0] == 0
    assert "unchanged" in invoke("generate", "spec/openapi.yaml", "--out", "out", cwd=project).stdout


def test_second_generate_is_unchanged_and_rewrites_nothing(project: Path) -> None:
    before = tree_state(project / "out")
    run = invoke("generate", "spec/openapi.yaml", "--out", "out", cwd=project)
    assert run.code == 0
    assert run.stdout.startswith("unchanged out")
    assert tree_state(project / "out") == before


def test_changed_spec_regenerates(project: Path) -> None:
    spec = project / "spec" / "openapi.yaml"
    spec.write_text(SPEC.replace("description: Alarms.", "description: Alarms that ring."))
    run = invoke("generate", "spec/openapi.yaml", "--out", "out", cwd=project)
    assert run.stdout.startswith("generated out")
    assert '"""Alarms that ring."""' in (project / "out" / RESOURCE).read_text()
    assert check(project)[0] == 0


def test_touching_the_spec_without_changing_it_is_unchanged(project: Path) -> None:
    # The manifest records content hashes, not times: a new mtime alone is no new input.
    spec = project / "spec" / "openapi.yaml"
    os.utime(spec, ns=(spec.stat().st_atime_ns, spec.stat().st_mtime_ns + 10**10))
    before = tree_state(project / "out")
    assert invoke("generate", "spec/openapi.yaml", "--out", "out", cwd=project).stdout.startswith("unchanged out")
    assert tree_state(project / "out") == before


def test_changed_referenced_file_regenerates(project: Path) -> None:
    (project / "spec" / "schemas.yaml").write_text(SCHEMAS + "    note: {type: string}\n")
    run = invoke("generate", "spec/openapi.yaml", "--out", "out", cwd=project)
    assert run.stdout.startswith("generated out")
    assert "note:" in (project / "out" / "watch_client" / "models.py").read_text()


def test_hand_edit_is_kept_unless_forced_then_repaired(project: Path) -> None:
    before = tree(project / "out")
    (project / "out" / RESOURCE).write_text("# emptied\n")
    edited = tree(project / "out")
    refused = invoke("generate", "spec/openapi.yaml", "--out", "out", cwd=project)
    assert refused.code == 5 and f"1 file changed since Careforge wrote it ({RESOURCE})" in refused.stderr
    assert tree(project / "out") == edited
    run = invoke("generate", "spec/openapi.yaml", "--out", "out", "--force", cwd=project)
    assert run.stdout.startswith("generated out")
    assert tree(project / "out") == before


def test_manifest_records_inputs_and_file_hashes(project: Path) -> None:
    manifest = json.loads((project / "out" / ".careforge.json").read_text())
    files = tree(project / "out")
    assert set(manifest["files"]) == set(files) - {".careforge.json"}
    assert sorted(manifest["inputs"]["spec"]) == ["openapi.yaml", "schemas.yaml"]
    assert manifest["inputs"]["options"] == "package=;strict=False;spec=spec/openapi.yaml"
    assert set(manifest["inputs"]["tools"]) == {"datamodel-code-generator", "ruff"}


def test_an_added_rules_file_regenerates(project: Path) -> None:
    write_files(project / "spec", {"rules.toml": '[package]\nclient = "Wristwatch"\n'})
    run = invoke("generate", "spec/openapi.yaml", "--out", "out", cwd=project)
    assert run.stdout.startswith("generated out")
    assert "class Wristwatch(" in (project / "out" / "watch_client" / "_client.py").read_text()


def test_type_check_leaves_no_drift_behind(project: Path) -> None:
    first = invoke("check", "--types", "spec/openapi.yaml", "--out", "out", cwd=project)
    assert first.code == 0, first.stdout + first.stderr
    assert "types: mypy --strict passed" in first.stdout
    code, stdout, _ = check(project)
    assert code == 0, stdout
