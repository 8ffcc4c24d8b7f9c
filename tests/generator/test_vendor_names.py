"""The generator names no vendor: everything vendor-specific lives in specs/<vendor>/."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import REPO

VENDORS = re.compile(r"commcare|carehq|caqh|casebook", re.IGNORECASE)


def mentions(folder: Path) -> list[str]:
    """`path:line: text` for each line (or file name) naming a vendor."""
    found = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            if VENDORS.search(line) or VENDORS.search(path.name):
                found.append(f"{path.relative_to(folder)}:{number}: {line.strip()[:80]}")
    return found


def test_generator_code_names_no_vendor() -> None:
    assert (REPO / "generator" / "pipeline.py").is_file()
    assert mentions(REPO / "generator") == []


def test_templates_name_no_vendor() -> None:
    assert (REPO / "templates" / "package" / "_client.py.j2").is_file()
    assert mentions(REPO / "templates") == []


def test_the_search_finds_a_vendor_name(tmp_path: Path) -> None:
    (tmp_path / "x.py").write_text("client = CommCareClient()\n", encoding="utf-8")
    (tmp_path / "y.py").write_text("nothing here\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "z.j2").write_text("ok\nCaseBook ok\n", encoding="utf-8")
    assert mentions(tmp_path) == ["sub/z.j2:2: CaseBook ok", "x.py:1: client = CommCareClient()"]
