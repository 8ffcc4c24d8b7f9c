"""The package's `__all__` is read from the runtime: each runtime module's `__all__` says what it exports."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest
from conftest import REPO, generate

from generator.view import runtime as exports_module


def _assigned(path: Path, name: str) -> object:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    node = next(n for n in tree.body if isinstance(n, ast.Assign) and ast.unparse(n.targets[0]) == name)
    return ast.literal_eval(node.value)


def test_a_name_added_to_a_runtime_module_reaches_the_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runtime = tmp_path / "runtime"
    shutil.copytree(REPO / "templates" / "runtime", runtime)
    types = runtime / "_types.py"
    text = types.read_text(encoding="utf-8")
    declared = '__all__ = ["NOT_GIVEN", "BinaryResponse", "NotGiven"]'
    assert declared in text
    types.write_text(text.replace(declared, declared[:-1] + ', "Extra"]') + "\nExtra = 1\n", encoding="utf-8")
    monkeypatch.setattr(exports_module, "RUNTIME", runtime)

    generate(str(REPO / "specs" / "caqh" / "openapi.yaml"), tmp_path / "out", cwd=tmp_path)

    init = tmp_path / "out" / "caqh_client" / "__init__.py"
    assert "Extra" in _assigned(init, "__all__")  # type: ignore[operator]
    assert _assigned(init, "_HOME")["Extra"] == "._types"  # type: ignore[index]


def test_only_modules_that_declare_all_export(tmp_path: Path) -> None:
    (tmp_path / "_private.py").write_text("def helper() -> None: ...\n", encoding="utf-8")
    (tmp_path / "public.py").write_text('__all__ = ["Thing"]\n\nclass Thing: ...\n', encoding="utf-8")
    assert exports_module._read(tmp_path) == (("public", ("Thing",)),)


def test_an_all_that_is_not_a_list_of_names_is_refused(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_text('__all__ = ["not a name"]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="list of names"):
        exports_module._read(tmp_path)


def test_the_generated_packages_export_the_runtime_s_names() -> None:
    expected = {name for _, names in exports_module.runtime_exports() for name in names}
    assert {"NotFoundError", "SyncPager", "FileInput", "NOT_GIVEN"} <= expected
    for init in sorted((REPO / "generated").glob("*/*_client/__init__.py")):
        exported = set(_assigned(init, "__all__"))  # type: ignore[call-overload]
        assert expected <= exported, init
        assert not {n for n in exported if n.startswith("_")}, init
