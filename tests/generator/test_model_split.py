"""Large model modules split one model (or one cycle of models) per module, loaded on first use."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import REPO, invoke, run_mypy, run_package_tests, write_files
from generator.ir.model import ModelsLayout
from generator.model_split import model_files, split_models

SPEC = REPO / "tests" / "generator" / "specs" / "split-models"


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("split")
    shutil.copytree(SPEC, root / "specs" / "pets")
    run = invoke("generate", "--root", root, "pets", cwd=root)
    assert run.code == 0, run.stderr
    return root / "generated" / "pets"


def test_each_model_or_cycle_gets_a_module(package: Path) -> None:
    modules = sorted(p.name for p in (package / "split_pets_client" / "_models").glob("*.py"))
    assert modules == ["__init__.py", "kind.py", "owner.py", "tag.py", "unused.py"]  # Pet and Owner form a cycle
    owner = (package / "split_pets_client" / "_models" / "owner.py").read_text(encoding="utf-8")
    assert "class Owner(BaseModel)" in owner and "class Pet(BaseModel)" in owner
    assert "from .kind import Kind" in owner and "from .tag import Tag" in owner


_PROBE = r"""
import json, sys
import split_pets_client
models = split_pets_client.models
before = sorted(m for m in sys.modules if "._models." in m)
tag = models.Tag
after_tag = sorted(m for m in sys.modules if "._models." in m)
pet = models.Pet.model_validate({"id": "1", "kind": "bird", "owner": {"pets": [{"id": "2", "kind": "cat"}]}})
print(json.dumps({"before": before, "after_tag": after_tag, "dump": pet.model_dump(mode="json", exclude_none=True),
                  "all": sorted(models.__all__), "dir": set(models.__all__) <= set(dir(models)),
                  "same": models.Pet is sys.modules["split_pets_client._models.owner"].Pet}))
"""


def test_models_load_on_first_use_and_validate(package: Path) -> None:
    done = subprocess.run([sys.executable, "-c", _PROBE], cwd=package, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["before"] == []
    assert found["after_tag"] == ["split_pets_client._models.tag"]
    assert found["dump"] == {"id": "1", "kind": "bird", "owner": {"pets": [{"id": "2", "kind": "cat"}]}}
    assert found["all"] == ["Kind", "Owner", "Pet", "Tag", "Unused"]
    assert found["dir"] and found["same"]


def test_the_split_package_passes_its_tests_and_mypy_strict(package: Path, mypy_cache: Path) -> None:
    tests = run_package_tests(package)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    typed = run_mypy(package, "split_pets_client", mypy_cache)
    assert typed.returncode == 0, typed.stdout


MODELS = textwrap.dedent('''\
    """Models."""

    from __future__ import annotations

    from pydantic import BaseModel

    from ._types import OpenStrEnum


    class ABc(OpenStrEnum):
        x = "x"


    class Abc(BaseModel):
        a: ABc | None = None
        b: list["Node"] | None = None


    class Node(BaseModel):
        child: Abc | None = None


    Node.model_rebuild()
    ''')


def test_cycles_quoted_references_and_case_insensitive_names() -> None:
    files = split_models(MODELS, title_line="T")
    assert files is not None
    assert sorted(files) == ["_models/__init__.py", "_models/a_bc.py", "_models/abc.py", "models.py"]
    assert "from .._types import OpenStrEnum" in files["_models/a_bc.py"]
    grouped = files["_models/abc.py"]
    assert "class Abc(BaseModel)" in grouped and "class Node(BaseModel)" in grouped  # "Node" quoted: still a cycle
    assert grouped.rstrip().endswith("Node.model_rebuild()")
    assert "from .a_bc import ABc" in grouped and "BaseModel" in grouped and "OpenStrEnum" not in grouped


def test_an_unknown_statement_keeps_one_module() -> None:
    assert split_models(MODELS + "\nPETS = 1\n", title_line="T") is None
    assert model_files(MODELS + "\nPETS = 1\n", layout=ModelsLayout.PER_MODEL, title_line="T") == {"models.py": MODELS + "\nPETS = 1\n"}


def test_layouts() -> None:
    assert list(model_files(MODELS, layout=ModelsLayout.ONE_MODULE, title_line="T")) == ["models.py"]
    assert list(model_files(MODELS, layout=ModelsLayout.AUTO, title_line="T")) == ["models.py"]  # small: one module
    assert len(model_files(MODELS, layout=ModelsLayout.PER_MODEL, title_line="T")) == 4


def test_an_unknown_layout_is_a_located_rules_error(tmp_path: Path) -> None:
    root = write_files(tmp_path, {"specs/pets/rules.toml": '[package]\nmodels = "sideways"\n'})
    shutil.copy(SPEC / "openapi.yaml", root / "specs" / "pets" / "openapi.yaml")
    run = invoke("generate", "--root", root, "pets", cwd=root)
    assert run.code == 2
    assert "models layout 'sideways' is not one of auto, one-module, per-model" in run.stderr
