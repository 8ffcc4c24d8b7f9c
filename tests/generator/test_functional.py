"""Generated clients against a mock server: small specs in, packages out, real calls through httpx.

Each spec is generated once per module. The packages are imported from their out dir and driven
with `httpx.MockTransport`; a few also run their own generated tests and `mypy --strict`.
"""

from __future__ import annotations

import ast
import asyncio
import datetime
import json
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from conftest import generate, imported, run_mypy, run_package_tests, write_files

Handler = Callable[[httpx.Request], httpx.Response]

CLINIC = {
    "clinic/openapi.yaml": """
        openapi: 3.1.0
        info:
          title: Clinic
          version: 1.2.0
        servers:
          - url: https://clinic.example.test/api
        tags:
          - name: cases
            description: Cases of a project.
            x-careforge-resource: v1.cases
          - name: files
            description: Stored files.
        security:
          - apiKeyAuth: []
        paths:
          /{domain}/cases:
            parameters:
              - $ref: "#/components/parameters/Domain"
            post:
              operationId: cases_create
              tags: [cases]
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      required: [class, name]
                      properties:
                        class: {type: string, description: The case type.}
                        name: {type: string}
                        from: {type: string, format: date}
                        self: {type: integer}
                    example: {class: patient, name: Ann}
              responses:
                "201":
                  description: created
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Case"}
                      example: {case_id: c1, status: open}
                "202":
                  description: queued for later
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Queued"}
                      example: {job: j1}
            get:
              operationId: cases_list
              tags: [cases]
              x-careforge-pagination: {style: next-link, items: objects, next: meta.next}
              parameters:
                - name: status
                  in: query
                  schema: {type: string, enum: [open, closed]}
                - name: X-Trace-Id
                  in: header
                  schema: {type: string}
              responses:
                "200":
                  description: one page
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [objects]
                        properties:
                          meta:
                            type: object
                            properties:
                              next: {type: [string, "null"]}
                          objects:
                            type: array
                            items: {$ref: "#/components/schemas/Case"}
                      example: {meta: {next: null}, objects: [{case_id: c1, status: open}]}
          /{domain}/cases/{case_id}:
            parameters:
              - $ref: "#/components/parameters/Domain"
              - name: case_id
                in: path
                required: true
                schema: {type: string}
            put:
              operationId: cases_update
              tags: [cases]
              requestBody:
                required: true
                content:
                  application/x-www-form-urlencoded:
                    schema:
                      type: object
                      properties:
                        name: {type: string}
                        priority: {type: integer}
                    example: {name: Ann}
              responses:
                "200":
                  description: updated
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Case"}
                      example: {case_id: c1, status: open}
            delete:
              operationId: cases_delete
              tags: [cases]
              responses:
                "204":
                  description: deleted
          /files/{file_id}:
            get:
              operationId: files_download
              tags: [files]
              security: []
              parameters:
                - name: file_id
                  in: path
                  required: true
                  schema: {type: string}
              responses:
                "200":
                  description: the file
                  content:
                    application/pdf:
                      schema: {type: string, format: binary}
        components:
          parameters:
            Domain:
              name: domain
              in: path
              required: true
              description: The project space.
              x-careforge-client-parameter: domain
              schema: {type: string}
          securitySchemes:
            apiKeyAuth:
              type: apiKey
              in: header
              name: Authorization
              x-careforge-value: "ApiKey {username}:{api_key}"
          schemas:
            Case:
              type: object
              required: [case_id]
              properties:
                case_id: {type: string}
                status: {type: string, enum: [open, closed]}
            Queued:
              type: object
              required: [job]
              properties:
                job: {type: string}
        """,
}

ZOO = {
    "zoo/openapi.yaml": """
        openapi: 3.1.0
        info:
          title: Zoo
          version: "3"
        servers:
          - url: https://zoo.example.test
        tags:
          - name: animals
            description: Animals.
        paths:
          /animals/{animal_id}:
            get:
              operationId: animals_retrieve
              tags: [animals]
              parameters:
                - name: animal_id
                  in: path
                  required: true
                  schema: {type: integer}
                - name: diet
                  in: query
                  schema: {$ref: "#/components/schemas/Diet"}
              responses:
                "200":
                  description: ok
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Animal"}
                      example: {id: 1, name: Rex, diet: meat, keeper: {kind: person, name: Ann}}
          /animals/{animal_id}/family:
            get:
              operationId: animals_family
              tags: [animals]
              parameters:
                - name: animal_id
                  in: path
                  required: true
                  schema: {type: integer}
              responses:
                "200":
                  description: ok
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Tree"}
                      example: {name: Rex, children: [{name: Pup, children: []}]}
          /keepers/{keeper_id}:
            get:
              operationId: animals_keeper
              tags: [animals]
              parameters:
                - name: keeper_id
                  in: path
                  required: true
                  schema: {type: string}
              responses:
                "200":
                  description: ok
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Keeper"}
                      example: {kind: team, name: Night shift, size: 3}
        components:
          schemas:
            Diet:
              type: string
              enum: [meat, plants]
            Level:
              type: integer
              enum: [1, 2, 3]
            Animal:
              type: object
              required: [id, name]
              properties:
                id: {type: integer}
                name: {type: string}
                nickname: {type: [string, "null"]}
                diet: {$ref: "#/components/schemas/Diet"}
                level: {$ref: "#/components/schemas/Level"}
                keeper: {$ref: "#/components/schemas/Keeper"}
            Tree:
              type: object
              required: [name]
              properties:
                name: {type: string}
                children:
                  type: array
                  items: {$ref: "#/components/schemas/Tree"}
            Named:
              type: object
              required: [name]
              properties:
                name: {type: string}
            Person:
              allOf:
                - $ref: "#/components/schemas/Named"
                - type: object
                  required: [kind]
                  properties:
                    kind: {const: person}
                    email: {type: string}
            Team:
              allOf:
                - $ref: "#/components/schemas/Named"
                - type: object
                  required: [kind, size]
                  properties:
                    kind: {const: team}
                    size: {type: integer}
            Keeper:
              oneOf:
                - $ref: "#/components/schemas/Person"
                - $ref: "#/components/schemas/Team"
        """,
}

LEGACY = {
    "legacy/openapi.json": json.dumps({
        "openapi": "3.0.3",
        "info": {"title": "Legacy Records", "version": "2"},
        "servers": [{"url": "https://records.example.test/v2"}],
        "tags": [{"name": "records", "description": "Records."}],
        "paths": {"/records/{record_id}": {
            "parameters": [{"name": "record_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
            "get": {
                "operationId": "records_retrieve", "tags": ["records"],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Record"},
                    "example": {"id": 1, "note": None, "score": 2.5, "kind": "basic"}}}}},
            },
            "patch": {
                "operationId": "records_update", "tags": ["records"],
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"type": "object", "properties": {"note": {"type": "string", "nullable": True},
                                                                "score": {"type": "number"}}},
                    "example": {"note": None}}}},
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Record"}, "example": {"id": 1, "note": None}}}}},
            },
        }},
        "components": {"schemas": {"Record": {
            "type": "object", "required": ["id", "note"],
            "properties": {
                "id": {"type": "integer"},
                "note": {"type": "string", "nullable": True},
                "score": {"type": "number", "nullable": True},
                "kind": {"type": "string", "enum": ["basic", "premium"], "nullable": True},
            },
        }}},
    }, indent=2),
}

SPLIT = {
    "split/openapi.yaml": """
        openapi: 3.1.0
        info:
          title: Split
          version: "1"
        servers:
          - url: https://split.example.test
        tags:
          - name: visits
            description: Visits.
        paths:
          /visits:
            $ref: "paths.yaml#/visits"
        components:
          schemas:
            Visit:
              $ref: "schemas/visit.yaml#/Visit"
        """,
    "split/paths.yaml": """
        visits:
          get:
            operationId: visits_list
            tags: [visits]
            responses:
              "200":
                description: ok
                content:
                  application/json:
                    schema:
                      type: array
                      items: {$ref: "schemas/visit.yaml#/Visit"}
                    example: [{visit_id: v1, carer: {name: Bo}}]
        """,
    "split/schemas/visit.yaml": """
        Visit:
          type: object
          required: [visit_id]
          properties:
            visit_id: {type: string}
            carer: {$ref: "#/Carer"}
        Carer:
          type: object
          properties:
            name: {type: string}
        """,
}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("functional")
    for files in (CLINIC, ZOO, LEGACY, SPLIT):
        write_files(root, files)
    return root


def _package(workspace: Path, spec: str, module: str) -> Iterator[tuple[Path, ModuleType]]:
    out = workspace / "out" / module
    generate(spec, out, cwd=workspace)
    with imported(out, module) as package:
        yield out, package


@pytest.fixture(scope="module")
def clinic(workspace: Path) -> Iterator[tuple[Path, ModuleType]]:
    yield from _package(workspace, "clinic/openapi.yaml", "clinic_client")


@pytest.fixture(scope="module")
def zoo(workspace: Path) -> Iterator[tuple[Path, ModuleType]]:
    yield from _package(workspace, "zoo/openapi.yaml", "zoo_client")


@pytest.fixture(scope="module")
def legacy(workspace: Path) -> Iterator[tuple[Path, ModuleType]]:
    yield from _package(workspace, "legacy/openapi.json", "legacy_records_client")


@pytest.fixture(scope="module")
def split(workspace: Path) -> Iterator[tuple[Path, ModuleType]]:
    yield from _package(workspace, "split/openapi.yaml", "split_client")


class Server:
    """A mock server: records requests and answers from a list of (method, path) routes."""

    def __init__(self, routes: dict[tuple[str, str], Handler | httpx.Response]) -> None:
        self.routes = routes
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        route = self.routes.get((request.method, request.url.path))
        if route is None:
            return httpx.Response(404, json={"detail": f"no route {request.method} {request.url.path}"})
        return route(request) if callable(route) else route

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)


def clinic_client(package: ModuleType, server: Server, **options: Any) -> Any:
    arguments = {"domain": "demo", "username": "me", "api_key": "k3y", **options}
    return package.Clinic(http_client=httpx.Client(transport=server.transport()), **arguments)


# -- resources, client parameters, bodies, responses ----------------------------------------------

def test_nested_resources_follow_x_careforge_resource(clinic: tuple[Path, ModuleType]) -> None:
    _, package = clinic
    client = clinic_client(package, Server({}))
    assert type(client.v1).__name__ == "V1"
    assert type(client.v1.cases).__name__ == "V1Cases"
    assert client.v1.cases is client.v1.cases
    assert not hasattr(client, "cases")
    assert type(client.files).__name__ == "Files"


def test_flattened_json_body_with_keyword_property_names(clinic: tuple[Path, ModuleType]) -> None:
    _, package = clinic
    server = Server({("POST", "/api/demo/cases"): httpx.Response(201, json={"case_id": "c7", "status": "open"})})
    created = clinic_client(package, server).v1.cases.create(class_="patient", name="Ann",
                                                              from_=datetime.date(2024, 2, 29), self_=3)
    assert isinstance(created, package.models.Case) and created.case_id == "c7"
    request = server.last
    assert json.loads(request.content) == {"class": "patient", "name": "Ann", "from": "2024-02-29", "self": 3}
    assert request.headers["content-type"] == "application/json"
    assert request.headers["authorization"] == "ApiKey me:k3y"
    assert str(request.url) == "https://clinic.example.test/api/demo/cases"


def test_arguments_left_out_are_not_sent(clinic: tuple[Path, ModuleType]) -> None:
    _, package = clinic
    server = Server({("POST", "/api/demo/cases"): httpx.Response(201, json={"case_id": "c7"})})
    clinic_client(package, server).v1.cases.create(class_="patient", name="Ann")
    assert json.loads(server.last.content) == {"class": "patient", "name": "Ann"}


def test_operation_with_two_success_codes(clinic: tuple[Path, ModuleType]) -> None:
    _, package = clinic
    server = Server({("POST", "/api/demo/cases"): httpx.Response(202, json={"job": "j9"})})
    queued = clinic_client(package, server).v1.cases.create(class_="patient", name="Ann")
    assert isinstance(queued, package.models.Queued) and queued.job == "j9"


def test_client_parameter_comes_from_the_client(clinic: tuple[Path, ModuleType]) -> None:
    _, package = clinic
    server = Server({("DELETE", "/api/other/cases/c1"): httpx.Response(204)})
    client = clinic_client(package, server)
    assert client.with_options(domain="other").v1.cases.delete("c1") is None
    with pytest.raises(package.ConfigurationError, match="domain"):
        clinic_client(package, server, domain=None).v1.cases.delete("c1")
    assert len(server.requests) == 1


def test_204_returns_none_and_path_arguments_are_escaped(clinic: tuple[Path, ModuleType]) -> None:
    _, package = clinic
    server = Server({("DELETE", "/api/demo/cases/a b/c"): httpx.Response(204)})
    assert clinic_client(package, server).v1.cases.delete("a b/c") is None
    assert server.last.url.raw_path == b"/api/demo/cases/a%20b%2Fc"


def test_form_body(clinic: tuple[Path, ModuleType]) -> None:
    _, package = clinic
    server = Server({("PUT", "/api/demo/cases/c1"): httpx.Response(200, json={"case_id": "c1"})})
    updated = clinic_client(package, server).v1.cases.update("c1", name="Ann & Bo", priority=2)
    assert updated.case_id == "c1"
    assert server.last.headers["content-type"] == "application/x-www-form-urlencoded"
    assert server.last.content == b"name=Ann+%26+Bo&priority=2"


def test_binary_response(clinic: tuple[Path, ModuleType]) -> None:
    _, package = clinic
    pdf = httpx.Response(200, content=b"%PDF-1.7\x00\xff", headers={
        "content-type": "application/pdf", "content-disposition": 'attachment; filename="report.pdf"'})
    server = Server({("GET", "/api/files/f1"): pdf})
    result = clinic_client(package, server).files.download("f1")
    assert isinstance(result, package.BinaryResponse)
    assert (result.content, result.content_type, result.filename) == (b"%PDF-1.7\x00\xff", "application/pdf",
                                                                        "report.pdf")
    assert "authorization" not in server.last.headers  # `security: []` on the operation


def test_pagination_follows_next_links(clinic: tuple[Path, ModuleType]) -> None:
    _, package = clinic

    def pages(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("cursor") == "2":
            return httpx.Response(200, json={"meta": {"next": None}, "objects": [{"case_id": "c3"}]})
        assert request.url.params["status"] == "open"
        assert request.headers["x-trace-id"] == "t-1"
        return httpx.Response(200, json={"meta": {"next": "?status=open&cursor=2"},
                                         "objects": [{"case_id": "c1"}, {"case_id": "c2"}]})

    server = Server({("GET", "/api/demo/cases"): pages})
    pager = clinic_client(package, server).v1.cases.list(status="open", x_trace_id="t-1")
    assert len(server.requests) == 0, "pages are fetched lazily"
    assert [case.case_id for case in pager] == ["c1", "c2", "c3"]
    assert len(server.requests) == 2


def test_error_status_raises_typed_error(clinic: tuple[Path, ModuleType]) -> None:
    _, package = clinic
    server = Server({("DELETE", "/api/demo/cases/c1"): httpx.Response(404, json={"detail": "gone"})})
    with pytest.raises(package.NotFoundError) as caught:
        clinic_client(package, server, max_retries=0).v1.cases.delete("c1")
    assert caught.value.status_code == 404 and caught.value.body == {"detail": "gone"}
    assert "k3y" not in str(caught.value)


def test_async_client(clinic: tuple[Path, ModuleType]) -> None:
    _, package = clinic
    server = Server({("POST", "/api/demo/cases"): httpx.Response(201, json={"case_id": "c8"})})

    async def run() -> Any:
        async with package.AsyncClinic(domain="demo", username="me", api_key="k3y",
                                       http_client=httpx.AsyncClient(transport=server.transport())) as client:
            return await client.v1.cases.create(class_="patient", name="Ann")

    assert asyncio.run(run()).case_id == "c8"
    assert json.loads(server.last.content) == {"class": "patient", "name": "Ann"}


def test_clinic_package_tests_pass(clinic: tuple[Path, ModuleType]) -> None:
    out, _ = clinic
    result = run_package_tests(out)
    assert result.returncode == 0, result.stdout + result.stderr


# -- models: enums, recursion, composition, nullable ----------------------------------------------

def zoo_client(package: ModuleType, server: Server) -> Any:
    return package.Zoo(http_client=httpx.Client(transport=server.transport()))


def test_enums_are_open_at_run_time(zoo: tuple[Path, ModuleType]) -> None:
    _, package = zoo
    models = package.models
    assert models.Diet("meat") is models.Diet.MEAT and models.Diet.MEAT.is_known
    unknown = models.Diet("insects")
    assert unknown.value == "insects" and not unknown.is_known
    assert models.Diet("insects") is unknown
    assert models.Level(7).value == 7 and not models.Level(7).is_known
    server = Server({("GET", "/animals/1"): httpx.Response(200, json={
        "id": 1, "name": "Rex", "diet": "sunlight", "level": 9, "added_later": True})})
    animal = zoo_client(package, server).animals.retrieve(1, diet="plants")
    assert animal.diet.value == "sunlight" and not animal.diet.is_known
    assert animal.level.value == 9
    assert animal.model_extra == {"added_later": True}
    assert server.last.url.params["diet"] == "plants"


def test_recursive_schema(zoo: tuple[Path, ModuleType]) -> None:
    _, package = zoo
    body = {"name": "a", "children": [{"name": "b", "children": [{"name": "c", "children": []}]}]}
    server = Server({("GET", "/animals/1/family"): httpx.Response(200, json=body)})
    tree = zoo_client(package, server).animals.family(1)
    assert isinstance(tree.children[0].children[0], package.models.Tree)
    assert tree.children[0].children[0].name == "c"
    assert tree.model_dump(exclude_none=True) == body


def test_all_of_and_one_of(zoo: tuple[Path, ModuleType]) -> None:
    _, package = zoo
    models = package.models
    assert issubclass(models.Person, models.Named) and issubclass(models.Team, models.Named)
    server = Server({
        ("GET", "/keepers/k1"): httpx.Response(200, json={"kind": "team", "name": "Night", "size": 3}),
        ("GET", "/keepers/k2"): httpx.Response(200, json={"kind": "person", "name": "Ann", "email": "a@x.test"}),
    })
    client = zoo_client(package, server)
    team, person = client.animals.keeper("k1"), client.animals.keeper("k2")
    assert isinstance(team, models.Team) and team.size == 3 and team.name == "Night"
    assert isinstance(person, models.Person) and person.email == "a@x.test"


def test_a_body_that_breaks_the_schema_is_a_validation_error(zoo: tuple[Path, ModuleType]) -> None:
    _, package = zoo
    server = Server({("GET", "/animals/1"): httpx.Response(200, json={"id": "not a number", "name": "Rex"})})
    with pytest.raises(package.APIResponseValidationError) as caught:
        zoo_client(package, server).animals.retrieve(1)
    assert caught.value.body == {"id": "not a number", "name": "Rex"}


def test_openapi_31_null_type(zoo: tuple[Path, ModuleType]) -> None:
    _, package = zoo
    animal = package.models.Animal.model_validate({"id": 1, "name": "Rex", "nickname": None})
    assert animal.nickname is None


def test_zoo_package_tests_and_types(zoo: tuple[Path, ModuleType], mypy_cache: Path) -> None:
    out, _ = zoo
    result = run_package_tests(out)
    assert result.returncode == 0, result.stdout + result.stderr
    typed = run_mypy(out, "zoo_client", mypy_cache)
    assert typed.returncode == 0, typed.stdout + typed.stderr


# -- OpenAPI 3.0 (a JSON spec) with nullable ------------------------------------------------------

def legacy_client(package: ModuleType, server: Server) -> Any:
    return package.LegacyRecords(http_client=httpx.Client(transport=server.transport()))


def test_nullable_fields_of_openapi_30(legacy: tuple[Path, ModuleType]) -> None:
    _, package = legacy
    server = Server({("GET", "/v2/records/1"): httpx.Response(200, json={"id": 1, "note": None, "kind": None})})
    record = legacy_client(package, server).records.retrieve(1)
    assert record.note is None and record.kind is None and record.score is None


def test_required_nullable_field_must_be_present(legacy: tuple[Path, ModuleType]) -> None:
    _, package = legacy
    server = Server({("GET", "/v2/records/1"): httpx.Response(200, json={"id": 1})})
    with pytest.raises(package.APIResponseValidationError):
        legacy_client(package, server).records.retrieve(1)


def test_none_sends_null_and_not_given_sends_nothing(legacy: tuple[Path, ModuleType]) -> None:
    _, package = legacy
    server = Server({("PATCH", "/v2/records/1"): httpx.Response(200, json={"id": 1, "note": "x"})})
    client = legacy_client(package, server)
    client.records.update(1, note=None)
    assert json.loads(server.last.content) == {"note": None}
    client.records.update(1, score=1.5)
    assert json.loads(server.last.content) == {"score": 1.5}


def test_legacy_package_tests_and_types(legacy: tuple[Path, ModuleType], mypy_cache: Path) -> None:
    out, _ = legacy
    result = run_package_tests(out)
    assert result.returncode == 0, result.stdout + result.stderr
    typed = run_mypy(out, "legacy_records_client", mypy_cache)
    assert typed.returncode == 0, typed.stdout + typed.stderr


# -- a spec split across files --------------------------------------------------------------------

def test_spec_split_across_files(split: tuple[Path, ModuleType]) -> None:
    out, package = split
    body = [{"visit_id": "v1", "carer": {"name": "Bo"}}, {"visit_id": "v2"}]
    server = Server({("GET", "/visits"): httpx.Response(200, json=body)})
    visits = package.Split(http_client=httpx.Client(transport=server.transport())).visits.list()
    assert [v.visit_id for v in visits] == ["v1", "v2"]
    assert visits[0].carer.name == "Bo" and isinstance(visits[0].carer, package.models.Carer)
    manifest = json.loads((out / ".careforge.json").read_text())
    assert sorted(manifest["inputs"]["spec"]) == ["openapi.yaml", "paths.yaml", "schemas/visit.yaml"]
    bundle = json.loads((out / "tests" / "spec.json").read_text())
    assert bundle["root"] == "openapi.yaml" and sorted(bundle["documents"]) == sorted(manifest["inputs"]["spec"])


def test_component_referring_to_another_file_keeps_its_name(split: tuple[Path, ModuleType]) -> None:
    _, package = split
    server = Server({("GET", "/visits"): httpx.Response(200, json=[{"visit_id": "v1"}])})
    (visit,) = package.Split(http_client=httpx.Client(transport=server.transport())).visits.list()
    assert type(visit).__name__ == "Visit"
    assert not hasattr(package.models, "Visit2")


def test_split_package_tests_and_types(split: tuple[Path, ModuleType], mypy_cache: Path) -> None:
    out, _ = split
    result = run_package_tests(out)
    assert result.returncode == 0, result.stdout + result.stderr
    typed = run_mypy(out, "split_client", mypy_cache)
    assert typed.returncode == 0, typed.stdout + typed.stderr


# -- generated packages that fail their own checks ------------------------------------------------

SMALL = """
    openapi: 3.1.0
    info:
      title: {title}
      version: "1"
    servers:
      - url: https://small.example.test
    tags:
{tags}
    paths:
{paths}
    """


def small_spec(title: str, tags: str, paths: str) -> str:
    indent = " " * 6
    return SMALL.format(title=title, tags=_indent(tags, indent), paths=_indent(paths, indent))


def _indent(text: str, prefix: str) -> str:
    return textwrap.indent(textwrap.dedent(text).strip("\n"), prefix)


def test_nested_resources_pass_mypy_strict(tmp_path: Path, mypy_cache: Path) -> None:
    write_files(tmp_path, {"openapi.yaml": small_spec("Nest", """
        - name: cases
          description: Cases.
          x-careforge-resource: v1.cases
        """, """
        /cases:
          get:
            operationId: cases_list
            tags: [cases]
            responses:
              "200":
                description: ok
                content:
                  application/json:
                    schema: {type: array, items: {type: string}}
                    example: [a]
        """)})
    generate("openapi.yaml", "out", cwd=tmp_path)
    typed = run_mypy(tmp_path / "out", "nest_client", mypy_cache)
    assert typed.returncode == 0, typed.stdout


def test_generated_tests_of_a_204_operation_pass_mypy_strict(tmp_path: Path, mypy_cache: Path) -> None:
    write_files(tmp_path, {"openapi.yaml": small_spec("Gone", """
        - name: items
          description: Items.
        """, """
        /items/{item_id}:
          delete:
            operationId: items_delete
            tags: [items]
            parameters:
              - {name: item_id, in: path, required: true, schema: {type: string}}
            responses:
              "204":
                description: deleted
        """)})
    generate("openapi.yaml", "out", cwd=tmp_path)
    assert run_package_tests(tmp_path / "out").returncode == 0
    typed = run_mypy(tmp_path / "out", "gone_client", mypy_cache)
    assert typed.returncode == 0, typed.stdout


def test_generated_tests_of_a_required_form_body_pass(tmp_path: Path) -> None:
    write_files(tmp_path, {"openapi.yaml": small_spec("Form", """
        - name: items
          description: Items.
        """, """
        /items:
          put:
            operationId: items_update
            tags: [items]
            requestBody:
              required: true
              content:
                application/x-www-form-urlencoded:
                  schema:
                    type: object
                    properties:
                      name: {type: string}
            responses:
              "204":
                description: updated
        """)})
    generate("openapi.yaml", "out", cwd=tmp_path)
    result = run_package_tests(tmp_path / "out")
    assert result.returncode == 0, result.stdout


def test_resource_class_names_do_not_collide(tmp_path: Path) -> None:
    write_files(tmp_path, {"openapi.yaml": small_spec("Coll", """
        - {name: pets, description: Pets.}
        - {name: async_pets, description: Async pets.}
        """, """
        /pets:
          get:
            operationId: pets_list
            tags: [pets]
            responses:
              "204": {description: none}
        /apets:
          get:
            operationId: async_pets_list
            tags: [async_pets]
            responses:
              "204": {description: none}
        """)})
    generate("openapi.yaml", "out", cwd=tmp_path)
    source = (tmp_path / "out" / "coll_client" / "_client.py").read_text()
    # A name may be imported more than once (for type checking, then lazily), but always from one place.
    sources: dict[str, set[str]] = {}
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                sources.setdefault(alias.asname or alias.name, set()).add(f"{node.module}.{alias.name}")
    assert {n: s for n, s in sources.items() if len(s) > 1} == {}
