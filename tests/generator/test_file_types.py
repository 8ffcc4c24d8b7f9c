"""Which schemas are files, as the OpenAPI Specification says: `format: binary` (3.0), and in 3.1 a string
with `contentMediaType` and no `contentEncoding` in a multipart body, or a raw body's media type (with or
without a schema). A method takes such an argument as `FileInput`."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.ir.build import build
from generator.ir.model import Api, ArrayType, BinaryType, BodyEncoding, Operation, PrimitiveType, ResponseKind
from generator.load import load
from generator.resolve import resolve
from generator.view.types import annotation

SPEC = """\
openapi: 3.1.0
info: {title: Kinds, version: "1"}
servers: [{url: https://kinds.example.test}]
tags: [{name: things, description: Things.}]
paths:
  /parts:
    post:
      operationId: things_parts
      tags: [things]
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                pdf: {type: string, contentMediaType: application/pdf}
                legacy: {type: string, format: binary}
                many: {type: array, items: {type: string, contentMediaType: image/png}}
                nullable: {type: [string, "null"], contentMediaType: image/png}
                encoded: {type: string, contentMediaType: image/png, contentEncoding: base64}
                text: {type: string}
      responses:
        "204": {description: done}
  /json:
    post:
      operationId: things_json
      tags: [things]
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                html: {type: string, contentMediaType: text/html}
      responses:
        "204": {description: done}
  /raw:
    put:
      operationId: things_raw
      tags: [things]
      requestBody:
        content:
          application/vnd.openxmlformats-officedocument.spreadsheetml.sheet: {}
      responses:
        "200":
          description: the stored file
          content:
            application/pdf: {}
"""


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Api:
    path: Path = tmp_path_factory.mktemp("kinds") / "openapi.yaml"
    path.write_text(SPEC, encoding="utf-8")
    built, _ = build(resolve(load(path, path.name)), strict=False)
    return built


def _op(api: Api, operation_id: str) -> Operation:
    return next(op for op in api.operations if op.operation_id == operation_id)


def test_multipart_files_by_either_version(api: Api) -> None:
    body = _op(api, "things_parts").body
    assert body is not None and body.encoding is BodyEncoding.MULTIPART and body.fields is not None
    types = {f.wire_name: f.type for f in body.fields}
    assert types["pdf"] == BinaryType() and types["legacy"] == BinaryType() and types["nullable"] == BinaryType()
    assert types["many"] == ArrayType(item=BinaryType())
    # With contentEncoding the value is text (base64) in the part, not the file's bytes.
    assert isinstance(types["encoded"], PrimitiveType) and isinstance(types["text"], PrimitiveType)


def test_content_media_type_in_json_stays_text(api: Api) -> None:
    body = _op(api, "things_json").body
    assert body is not None and body.fields is not None
    assert isinstance(body.fields[0].type, PrimitiveType)


def test_a_raw_body_and_answer_without_a_schema_are_files(api: Api) -> None:
    op = _op(api, "things_raw")
    assert op.body is not None and op.body.encoding is BodyEncoding.BINARY and op.body.type == BinaryType()
    assert [r.kind for r in op.responses] == [ResponseKind.BINARY]


def test_the_annotations(api: Api) -> None:
    assert annotation(BinaryType(), input=True) == "FileInput"
    assert annotation(ArrayType(item=BinaryType()), input=True) == "typing.Sequence[FileInput]"
    assert annotation(BinaryType(), input=False) == "BinaryResponse"
