"""XML media types in the IR (RFC 7303 names them: application/xml, text/xml and the +xml suffix), the XML
Object read into shapes (OpenAPI 3.1.0 4.8.26), and x-careforge-response-media-type linted."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import yaml

from generator.ir.bodies import is_xml
from generator.ir.build import build as build_ir
from generator.ir.model import Api, BodyEncoding, ResponseKind, XmlKind, XmlNode
from generator.load import load
from generator.resolve import resolve

from conftest import generate


def _api(tmp_path: Path, spec: dict[str, object]) -> tuple[Api, list[str]]:
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    api, found = build_ir(resolve(load(path, "spec.yaml")), strict=False)
    return api, [f"{d.severity.name.lower()}[{d.code}]" for d in found]


def _spec(body: dict[str, object] | None, responses: dict[str, object], **op: object) -> dict[str, object]:
    operation: dict[str, object] = {"operationId": "things_send", "tags": ["things"], "responses": responses, **op}
    if body is not None:
        operation["requestBody"] = {"required": True, "content": body}
    return {
        "openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "servers": [{"url": "https://t.example"}],
        "tags": [{"name": "things", "description": "Things."}],
        "paths": {"/things": {"post": operation}},
        "components": {"schemas": {
            "Node": {"type": "object", "properties": {
                "label": {"type": "string", "xml": {"attribute": True}},
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"},
                             "xml": {"wrapped": True}}}},
        }},
    }


@pytest.mark.parametrize(("media_type", "xml"), [
    ("application/xml", True), ("text/xml; charset=utf-8", True), ("application/atom+xml", True),
    ("image/svg+xml", True), ("application/json", False), ("application/xml-dtd", False), ("text/html", False),
])
def test_xml_media_types_are_those_of_rfc_7303(media_type: str, xml: bool) -> None:
    assert is_xml(media_type) is xml


def test_a_recursive_component_is_described_once_and_referred_to(tmp_path: Path) -> None:
    node = {"schema": {"$ref": "#/components/schemas/Node"}}
    api, _ = _api(tmp_path, _spec({"application/xml": node}, {"200": {"description": "ok",
                                                                      "content": {"application/xml": node}}}))
    op = api.operations[0]
    assert op.body is not None and op.body.encoding is BodyEncoding.XML and op.body.xml is not None
    root = op.body.xml.root
    assert (root.name, root.ref, root.kind) == ("Node", "Node", XmlKind.OBJECT)  # the component's name
    shapes = dict(op.body.xml.shapes)
    assert list(shapes) == ["Node"]
    children = dict(shapes["Node"].properties)["children"]
    assert children.wrapped and children.items == XmlNode(kind=XmlKind.OBJECT, ref="Node")  # items named as the array
    assert op.responses[0].kind is ResponseKind.XML and op.responses[0].xml == op.body.xml


def test_json_wins_when_both_are_offered_and_string_and_schemaless_xml_stay_untyped(tmp_path: Path) -> None:
    node = {"schema": {"$ref": "#/components/schemas/Node"}}
    api, _ = _api(tmp_path, _spec({"application/xml": node, "application/json": node},
                                  {"200": {"description": "ok", "content": {"text/xml": {"schema": {"type": "string"}}}},
                                   "201": {"description": "ok", "content": {"application/xml": {}}}}))
    op = api.operations[0]
    assert op.body is not None and op.body.encoding is BodyEncoding.JSON
    assert [(r.kind, r.xml) for r in op.responses] == [(ResponseKind.TEXT, None), (ResponseKind.XML, None)]


def test_the_response_media_type_extension_reads_a_mislabelled_body_and_is_linted(tmp_path: Path) -> None:
    html = {"200": {"description": "ok", "content": {"text/html": {"schema": {"$ref": "#/components/schemas/Node"}}}}}
    api, found = _api(tmp_path, _spec(None, html, **{"x-careforge-response-media-type": "application/xml"}))
    response = api.operations[0].responses[0]
    assert (response.kind, response.media_type) == (ResponseKind.XML, "text/html") and not found
    _, found = _api(tmp_path, _spec(None, html, **{"x-careforge-response-media-type": "xml please"}))
    assert "error[E-EXTENSION]" in found
    empty = {"204": {"description": "gone", "x-careforge-response-media-type": "application/xml"}}
    _, found = _api(tmp_path, _spec(None, empty))
    assert "warning[L-RESPONSE-MEDIA-TYPE]" in found


def test_only_a_package_whose_api_speaks_xml_depends_on_defusedxml(tmp_path: Path) -> None:
    node = {"schema": {"$ref": "#/components/schemas/Node"}}
    for name, content in (("plain", "application/json"), ("xmlish", "application/xml")):
        spec = _spec({content: node}, {"204": {"description": "done"}})
        (tmp_path / f"{name}.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
        assert generate(f"{name}.yaml", tmp_path / name, cwd=tmp_path).code == 0
    plain = tomllib.loads((tmp_path / "plain" / "pyproject.toml").read_text())["project"]["dependencies"]
    xmlish = tomllib.loads((tmp_path / "xmlish" / "pyproject.toml").read_text())["project"]["dependencies"]
    assert not any(d.startswith("defusedxml") for d in plain)
    assert "defusedxml>=0.7,<1" in xmlish


def test_xml_objects_that_cannot_do_what_they_say_are_warned_about(tmp_path: Path) -> None:
    bad = {"type": "object", "xml": {"name": "1st", "namespace": "not-a-uri", "wrapped": True}, "properties": {
        "tags": {"type": "array", "items": {"type": "string"}, "xml": {"attribute": True}},
        "code": {"type": "string", "xml": {"prefix": "c"}},
        "fine": {"type": "array", "items": {"type": "string"}, "xml": {"wrapped": True, "name": "ok-name",
                                                                        "namespace": "urn:x", "prefix": "x"}}}}
    spec = _spec({"application/xml": {"schema": bad}}, {"204": {"description": "done"}})
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    run = generate("bad.yaml", tmp_path / "bad", cwd=tmp_path, extra=("--verbose",))
    warnings = [line for line in run.stderr.splitlines() if "warning[L-XML-OBJECT]" in line]
    assert len(warnings) == 5, run.stderr
    for text in ("'1st' is not an XML name", "'not-a-uri' is not an absolute URI", "wrapped applies to arrays only",
                 "an attribute holds a scalar", "'c' has no namespace"):
        assert any(text in w for w in warnings), (text, warnings)
    json_only = _spec({"application/json": {"schema": bad}}, {"204": {"description": "done"}})
    (tmp_path / "json.yaml").write_text(yaml.safe_dump(json_only), encoding="utf-8")
    assert "L-XML-OBJECT" not in generate("json.yaml", tmp_path / "json", cwd=tmp_path).stderr
