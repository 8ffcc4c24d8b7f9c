"""x-careforge-variants: one operation, a typed method per form of its body; and a required body with a
default, sent when the caller gives none."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
from conftest import generate, imported, invoke, run_package_tests, write_files

SPEC = """
    openapi: 3.1.0
    info: {title: Depot, version: 1.0.0}
    servers: [{url: https://depot.example.test}]
    tags: [{name: items, description: Items.}]
    paths:
      /items/:
        post:
          operationId: items_create
          tags: [items]
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  oneOf: [{$ref: '#/components/schemas/Item'}, {$ref: '#/components/schemas/ItemList'}]
                examples:
                  one: {value: {name: a}}
                  many: {value: [{name: a}]}
          responses:
            '200':
              description: written
              content:
                application/json:
                  schema: {anyOf: [{$ref: '#/components/schemas/One'}, {$ref: '#/components/schemas/Many'}]}
                  example: {id: i-1}
          x-careforge-variants:
            create:
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/Item'}
                    example: {name: a}
              responses:
                '200':
                  description: one written
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/One'}
                      example: {id: i-1}
            create_many:
              summary: Create several items
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: '#/components/schemas/ItemList'}
                    example: [{name: a}, {name: b}]
              responses:
                '200':
                  description: all written
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Many'}
                      example: {ids: [i-1, i-2]}
      /items/{id}/archive/:
        post:
          operationId: items_archive
          tags: [items]
          parameters: [{name: id, in: path, required: true, schema: {type: string}, example: i-1}]
          requestBody:
            required: true
            content:
              application/json:
                schema: {type: object, maxProperties: 0, default: {}}
                example: {}
          responses:
            '204': {description: archived}
    components:
      schemas:
        Item:
          type: object
          required: [name]
          properties: {name: {type: string}}
        ItemList: {type: array, items: {$ref: '#/components/schemas/Item'}}
        One: {type: object, properties: {id: {type: string}}}
        Many: {type: object, properties: {ids: {type: array, items: {type: string}}}}
"""


def test_each_variant_is_a_typed_method_on_the_same_endpoint(tmp_path: Path) -> None:
    write_files(tmp_path, {"depot.yaml": SPEC})
    generate("depot.yaml", "out", cwd=tmp_path)
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        body = json.loads(request.content)
        if request.url.path.endswith("/archive/"):
            return httpx.Response(204)
        return httpx.Response(200, json={"ids": ["i-1", "i-2"]} if isinstance(body, list) else {"id": "i-1"})

    with imported(tmp_path / "out", "depot_client") as package:
        client = package.Depot(base_url="https://depot.example.test", http_client=httpx.Client(
            transport=httpx.MockTransport(answer)))
        one = client.items.create(name="a")
        many = client.items.create_many(body=[package.models.Item(name="a"), package.models.Item(name="b")])
        client.items.archive("i-1")
        assert isinstance(one, package.models.One) and one.id == "i-1"
        assert isinstance(many, package.models.Many) and many.ids == ["i-1", "i-2"]
    assert [(r.method, r.url.path, r.content) for r in sent] == [
        ("POST", "/items/", b'{"name":"a"}'),
        ("POST", "/items/", b'[{"name":"a"},{"name":"b"}]'),
        ("POST", "/items/i-1/archive/", b"{}"),  # the schema's default: the caller passed no body
    ]
    assert all(r.headers["Content-Type"] == "application/json" for r in sent)
    api = (tmp_path / "out" / "api.md").read_text(encoding="utf-8")
    assert "| `client.items.create_many()` | `POST /items/` | `models.Many` | Create several items |" in api
    check = invoke("check", "depot.yaml", "--out", "out", cwd=tmp_path)
    assert check.code == 0, check.stderr
    assert "coverage: 2 operations -> methods (3 methods), 0 ignored" in check.stdout
    tests = run_package_tests(tmp_path / "out")
    assert tests.returncode == 0, tests.stdout[-3000:]


def test_rules_cannot_rename_what_the_variants_name(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "specs/depot/openapi.yaml": SPEC,
        "specs/depot/rules.toml": """
            [package]
            name = "depot-client"
            module = "depot_client"
            client = "Depot"

            [methods]
            items_create = "make"
        """,
    })
    run = invoke("generate", "depot", "--root", ".", cwd=tmp_path)
    assert run.code == 2
    assert "[methods] renames 'items_create', whose methods x-careforge-variants names" in run.stderr
