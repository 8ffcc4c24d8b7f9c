"""A spec with no operation at all (OpenAPI 3.1 allows webhooks alone) still makes a package whose
README examples are Python: sections that show a call are left out when there is none to show."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import generate, imported, write_files

SPEC = """
    openapi: 3.1.0
    info: {title: Hooks Only, version: "1"}
    webhooks:
      paymentDone:
        post:
          requestBody:
            content:
              application/json:
                schema: {$ref: "#/components/schemas/Payment"}
          responses: {"200": {description: ok}}
    components:
      schemas:
        Payment:
          type: object
          properties:
            id: {type: string}
"""


def test_a_spec_of_webhooks_alone_generates_a_package_with_valid_examples(tmp_path: Path) -> None:
    write_files(tmp_path, {"hooks.yaml": SPEC})
    generate("hooks.yaml", tmp_path / "out", cwd=tmp_path)
    readme = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    for block in re.findall(r"^```python\n(.*?)^```$", readme, re.DOTALL | re.MULTILINE):
        ast.parse(block)
    assert "with_raw_response" not in readme
    with imported(tmp_path / "out", "hooks_only_client") as package:
        assert package.models.Payment(id="p-1").id == "p-1"
