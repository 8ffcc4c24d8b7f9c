"""The same inputs make the same bytes: run after run, and whatever the hash seed."""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import careforge, generate, invoke, tree, write_files

# Many sets and dicts on the way: enums, several resources, schemes, models that refer to each other.
SPEC = """
openapi: 3.1.0
info:
  title: Steady
  version: "1"
servers:
  - url: https://steady.example.test
security:
  - basic: []
  - token: []
tags:
  - {name: zebras, description: Zebras.}
  - {name: apples, description: Apples.}
  - {name: mangoes, description: Mangoes.}
paths:
  /zebras/{zebra_id}:
    get:
      operationId: zebras_retrieve
      tags: [zebras]
      parameters:
        - {name: zebra_id, in: path, required: true, schema: {type: string}}
        - {name: fields, in: query, schema: {type: array, items: {type: string, enum: [b, a, c]}}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Zebra"}
              example: {id: z, stripes: 3, mood: calm}
  /apples:
    post:
      operationId: apples_create
      tags: [apples]
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Apple"}
            example: {variety: gala, tags: [x]}
      responses:
        "201":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Apple"}
              example: {variety: gala}
  /mangoes:
    get:
      operationId: mangoes_list
      tags: [mangoes]
      x-careforge-pagination: {style: page-number, items: items, page-param: page}
      parameters:
        - {name: page, in: query, schema: {type: integer}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  items: {type: array, items: {$ref: "#/components/schemas/Mango"}}
              example: {items: [{ripe: true}]}
components:
  securitySchemes:
    basic: {type: http, scheme: basic}
    token: {type: http, scheme: bearer}
  schemas:
    Mood: {type: string, enum: [calm, wild, sleepy, hungry]}
    Zebra:
      type: object
      properties:
        id: {type: string}
        stripes: {type: integer}
        mood: {$ref: "#/components/schemas/Mood"}
        friends: {type: array, items: {$ref: "#/components/schemas/Zebra"}}
    Apple:
      type: object
      required: [variety]
      properties:
        variety: {type: string, enum: [gala, fuji, braeburn]}
        tags: {type: array, items: {type: string}}
        extra: {type: object, additionalProperties: {type: integer}}
    Mango:
      oneOf:
        - {type: object, properties: {ripe: {type: boolean}}}
        - {type: object, properties: {days: {type: integer}}}
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_files(tmp_path_factory.mktemp("determinism"), {"steady/openapi.yaml": SPEC})


@pytest.fixture(scope="module")
def reference(project: Path) -> dict[str, bytes]:
    generate("steady/openapi.yaml", "reference", cwd=project)
    return tree(project / "reference")


def test_generating_twice_gives_the_same_tree(project: Path, reference: dict[str, bytes]) -> None:
    generate("steady/openapi.yaml", "again", cwd=project, extra=("--force",))
    assert len(reference) > 20
    assert tree(project / "again") == reference


def test_hash_seed_does_not_change_the_output(project: Path, reference: dict[str, bytes]) -> None:
    seeds = ("1", "4242")
    with ThreadPoolExecutor(max_workers=len(seeds)) as pool:
        runs = list(pool.map(lambda seed: careforge("generate", "steady/openapi.yaml", "--out", f"seed-{seed}",
                                                    cwd=project, env={"PYTHONHASHSEED": seed}), seeds))
    for run in runs:
        assert run.code == 0, run.stderr
    for seed in seeds:
        assert tree(project / f"seed-{seed}") == reference


def test_tree_comparison_sees_a_difference(project: Path, reference: dict[str, bytes]) -> None:
    # The comparisons above would catch one changed byte.
    shutil.copytree(project / "reference", project / "changed")
    path = project / "changed" / "README.md"
    path.write_bytes(path.read_bytes() + b" ")
    assert tree(project / "changed") != reference


def test_how_the_spec_path_is_written_does_not_matter(tmp_path: Path) -> None:
    write_files(tmp_path, {"steady/openapi.yaml": SPEC})
    generate("./steady/openapi.yaml", "out", cwd=tmp_path)
    assert "unchanged" in invoke("generate", "steady/openapi.yaml", "--out", "out", cwd=tmp_path).stdout
    check = invoke("check", "steady/openapi.yaml", "--out", "out", cwd=tmp_path)
    assert check.code == 0, check.stdout
