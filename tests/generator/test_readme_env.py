"""Each README's table of environment variables lists every variable the spec names (x-careforge-env), the
defaults for the arguments it does not name, and the log's variable; the client's docstring lists them too."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO, generate, imported, write_files

VENDORS = sorted(p.name for p in (REPO / "specs").iterdir() if (p / "openapi.yaml").is_file())
ROW = re.compile(r"^\| `([A-Z0-9_]+)` \| (.*) \|$", re.MULTILINE)


def table(readme: Path) -> dict[str, str]:
    """variable -> what it sets, from the README's "Environment variables" section."""
    text = readme.read_text(encoding="utf-8")
    section = text.split("\n## Environment variables\n", 1)[1].split("\n## ", 1)[0]
    return dict(ROW.findall(section))


def declared(spec: dict[str, Any]) -> dict[str, str]:
    """variable -> argument, read from the spec as written ("" where a scheme gives the name alone)."""
    found = {variable: argument for argument, variable in spec.get("x-careforge-env", {}).items()}
    for scheme in spec.get("components", {}).get("securitySchemes", {}).values():
        env = scheme.get("x-careforge-env")
        pairs = env.items() if isinstance(env, dict) else [("", env)] if env else []
        found.update({variable: argument for argument, variable in pairs})
    return found


@pytest.mark.parametrize("vendor", VENDORS)
def test_the_readme_lists_each_declared_variable(vendor: str) -> None:
    spec = yaml.safe_load((REPO / "specs" / vendor / "openapi.yaml").read_text(encoding="utf-8"))
    module = tomllib.loads((REPO / "specs" / vendor / "rules.toml").read_text(encoding="utf-8"))["package"]["module"]
    rows = table(REPO / "generated" / vendor / "README.md")
    names = declared(spec)
    assert names, f"{vendor}: its spec names no variable"
    for variable, argument in names.items():
        assert variable in rows, f"{vendor}: {variable} is not in the README's table"
        assert rows[variable].startswith(f"`{argument}=`" if argument else "`"), rows[variable]
    assert f"{module.upper()}_LOG" in rows
    docstring = (REPO / "generated" / vendor / module / "_client.py").read_text(encoding="utf-8")
    assert all(f"        {variable}: " in docstring for variable in rows)


def test_arguments_the_spec_does_not_name_read_the_default_variables(tmp_path: Path) -> None:
    write_files(tmp_path, {"openapi.yaml": """
        openapi: 3.1.0
        info: {title: Acme, version: "1"}
        servers: [{url: "https://api.acme.example"}]
        security: [{basic: []}]
        paths:
          /ping:
            get:
              operationId: ping
              responses: {"204": {description: nothing}}
        components:
          securitySchemes:
            basic: {type: http, scheme: basic, x-careforge-env: {password: ACME_SECRET}}
        """})
    generate("openapi.yaml", "out", cwd=tmp_path, extra=("--package", "acme_client"))
    rows = table(tmp_path / "out" / "README.md")
    assert list(rows) == ["ACME_CLIENT_USERNAME", "ACME_SECRET", "ACME_CLIENT_BASE_URL", "ACME_CLIENT_LOG"]
    with imported(tmp_path / "out", "acme_client") as package:
        for variable in ("ACME_CLIENT_USERNAME", "ACME_SECRET", "ACME_CLIENT_BASE_URL", "ACME_CLIENT_LOG"):
            assert variable in (package.Acme.__doc__ or "")
