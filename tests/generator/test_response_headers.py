"""Documented response headers become a typed model per operation, whatever the headers are named."""

from __future__ import annotations

import importlib
from pathlib import Path

import httpx

from conftest import generate, imported, write_files

SPEC = """
openapi: 3.0.3
info: {title: Headers, version: "1"}
servers: [{url: "https://api.example.org"}]
paths:
  /things:
    get:
      operationId: things_list
      tags: [things]
      responses:
        "200":
          description: ok
          headers:
            Pydantic: {schema: {type: string}}
            Builtins: {schema: {type: integer}}
            Typing: {schema: {type: boolean}}
            Model-Config: {schema: {type: string}}
            JSON: {schema: {type: string}}
            X-Count: {required: true, schema: {type: integer}}
            Content-Type: {schema: {type: string}}
          content:
            application/json:
              schema: {type: object}
"""


def test_header_names_that_shadow_the_module_s_own_names_still_import(tmp_path: Path) -> None:
    write_files(tmp_path, {"openapi.yaml": SPEC})
    generate("openapi.yaml", tmp_path / "out", cwd=tmp_path, extra=("--package", "headers_client"))
    with imported(tmp_path / "out", "headers_client"):
        module = importlib.import_module("headers_client.resources.things")
        model = module.ThingsListHeaders
        fields = {info.alias: name for name, info in model.model_fields.items()}
        assert "content-type" not in fields  # OpenAPI: a Content-Type header entry is ignored
        assert set(fields) == {"pydantic", "builtins", "typing", "model-config", "json", "x-count"}
        assert not any(name.startswith("model_") or name in {"pydantic", "builtins", "typing", "json"}
                       for name in fields.values())
        parsed = model.model_validate(dict(httpx.Headers({"X-Count": "3", "Builtins": "7", "Typing": "true",
                                                          "X-Other": "kept"}).items()))
        assert getattr(parsed, fields["x-count"]) == 3 and getattr(parsed, fields["builtins"]) == 7
        assert getattr(parsed, fields["typing"]) is True and parsed.model_extra == {"x-other": "kept"}
