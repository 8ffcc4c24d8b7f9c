"""Importing a generated package is cheap: its names load on first use, and every export resolves."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGES = sorted(p for p in (REPO / "generated").iterdir() if (p / "pyproject.toml").is_file())

_PROBE = r"""
import importlib, json, sys
module = sys.argv[1]
package = importlib.import_module(module)
loaded_on_import = sorted(m for m in ("httpx", "pydantic", module + "._client", module + ".models") if m in sys.modules)
resolved = {name: type(getattr(package, name)).__name__ for name in package.__all__}
star: dict[str, object] = {}
exec(f"from {module} import *", star)
print(json.dumps({"loaded_on_import": loaded_on_import, "resolved": resolved,
                  "star": sorted(n for n in star if not n.startswith("__")), "all": sorted(package.__all__),
                  "dir_lists_all": set(package.__all__) <= set(dir(package)),
                  "same_object": package.APIError is importlib.import_module(module + ".errors").APIError}))
"""


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_import_loads_nothing_heavy_and_every_export_resolves(package: Path) -> None:
    (init,) = [p for p in package.glob("*/__init__.py") if p.parent.name != "tests"]
    done = subprocess.run([sys.executable, "-c", _PROBE, init.parent.name], cwd=package, capture_output=True,
                          text=True, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["loaded_on_import"] == []
    assert len(found["resolved"]) == len(found["all"]) > 20
    assert found["resolved"]["models"] == "module"
    assert found["star"] == found["all"]
    assert found["dir_lists_all"] and found["same_object"]
