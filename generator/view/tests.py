"""Generated tests: one case per operation, calling the method with example arguments."""

from __future__ import annotations

import json
from typing import assert_never

from ..escape import Code, literal, name
from ..ir.model import (
    Api,
    AnyType,
    ArrayType,
    BinaryType,
    JsonText,
    LiteralType,
    MapType,
    ModelType,
    NullableType,
    Operation,
    ParamLocation,
    PythonIdentifier,
    Primitive,
    PrimitiveType,
    Resource,
    Response,
    ResponseKind,
    TypeRef,
    UnionType,
)
from .client import credential_names
from .imports import from_imports, names_in, plain_imports, sorted_names
from .methods import returns_nothing
from .model import ErrorCaseView, TestCaseView, TestModuleView, TestsView
from .resources import module_name
from .samples import Shapes, sample_code
from .xml_example import xml_example

_PRIMITIVE_CHECK = {Primitive.STR: "builtins.str", Primitive.INT: "builtins.int", Primitive.FLOAT: "builtins.float",
                    Primitive.BOOL: "builtins.bool"}


def tests_view(api: Api, shapes: Shapes) -> TestsView:
    server = api.servers[0].url if api.servers and "://" in api.servers[0].url else "https://api.example.test"
    options = {o for s in api.security_schemes for o in s.options}
    credentials = [c for c in credential_names(api) if c not in options]
    arguments = [f"{name(p.name)}={literal(_client_parameter_example(api, p.name))}" for p in api.client_parameters]
    arguments += [f"{name(c)}=CREDENTIALS[{literal(c)}]" for c in credentials]
    stand_ins = [s.token.url for s in api.security_schemes if s.token is not None and s.token.placeholder]
    if stand_ins:
        # The client needs a token URL of the caller's; the tests' mock answers at the spec's stand-in.
        arguments.append(f"token_url={literal(stand_ins[0])}")
    modules = tuple(_module(r, shapes, api.package.module) for r in api.resources if r.operations)
    secrets = {c: "test-" + c.replace("_", "-") for c in credentials}
    clients = sorted_names([name(api.package.client), name(api.package.async_client)])
    return TestsView(base_url=literal(server), client_arguments=tuple(Code(a) for a in arguments), modules=modules,
                     credentials=literal(secrets), client_classes=Code(", ".join(clients)))


# What a test module may import from the package (by module, relative to it), beside what test_resource.py.j2
# always imports.
_PACKAGE = {"": ("APIStatusError", "BinaryResponse", "models"), "._failures": ("error_class",)}


def _module(resource: Resource, shapes: Shapes, package: str) -> TestModuleView:
    cases = tuple(_case(resource, op, shapes) for op in resource.operations)
    errors = tuple(e for e in (_error_case(resource, op, shapes) for op in resource.operations) if e is not None)
    used = names_in([code for c in cases for code in (c.call, c.check, c.response)]
                    + [code for e in errors for code in (e.call, e.check, e.response)])
    if errors:  # pytest.raises(APIStatusError) and error_class(status) in test_resource.py.j2
        used |= {"APIStatusError", "error_class"}
    marked = any(c.deprecated or c.skip for c in cases) or any(e.deprecated or e.skip for e in errors)
    return TestModuleView(module=module_name(resource.path), cases=cases, errors=errors,
                          uses_pytest=bool(errors) or marked,  # pytest.raises, pytest.mark
                          standard_imports=plain_imports(("asyncio", "builtins"), used | {"asyncio"}),
                          package_imports=from_imports({package + m: n for m, n in _PACKAGE.items()}, used))


def _client_parameter_example(api: Api, parameter: str) -> str:
    for op in api.operations:
        for p in op.parameters:
            if p.client_parameter == parameter and p.example is not None:
                value = json.loads(p.example)
                if isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value):
                    return str(value)
    return "test"


def _case(resource: Resource, op: Operation, shapes: Shapes) -> TestCaseView:
    attribute = ".".join(name(p) for p in resource.path)
    return TestCaseView(
        name=name(op.name),
        operation_id=literal(op.operation_id),
        call=Code(f"client.{attribute}.{name(op.name)}({example_arguments(op, shapes)})"),
        paginated=op.pagination is not None,
        returns_nothing=returns_nothing(op),
        check=Code("") if returns_nothing(op) else _check(op),
        deprecated=op.deprecated,
        response=_mock_response(op),
        skip=_skip(op, _first(op)),
    )


def _error_case(resource: Resource, op: Operation, shapes: Shapes) -> ErrorCaseView | None:
    """The first documented error with a numeric status: its typed error must keep the body."""
    error = next((r for r in op.errors if r.error_status), None)
    if error is None:
        return None
    attribute = ".".join(name(p) for p in resource.path)
    call = f"client.{attribute}.{name(op.name)}({example_arguments(op, shapes)})"
    body = json.loads(error.example) if error.example is not None and error.kind is ResponseKind.JSON else None
    if error.kind is ResponseKind.JSON and body is not None:
        check = f"error.body == {literal(body)}"
        if isinstance(error.type, ModelType):
            check += f" and isinstance(error.parsed, models.{name(error.type.name)})"
    elif error.kind is ResponseKind.TEXT:
        body, check = "error text", "error.body == 'error text'"
    else:
        check = "error.body is None"
    media = error.media_type or ""
    return ErrorCaseView(
        name=name(PythonIdentifier(f"{op.name}_error_{error.status}")),
        operation_id=literal(op.operation_id),
        call=Code(call + (".first_page()" if op.pagination is not None else "")),
        status=Code(error.status),
        response=Code(f"({int(error.status)}, {literal(body)}, {literal(media if body is not None else '')})"),
        check=Code(check),
        deprecated=op.deprecated,
        skip=_skip(op, error),
    )


def _skip(op: Operation, response: Response | None) -> Code:
    """Why the test cannot run: no credentials the client can send, or a value it needs fits no example of the
    spec and nothing made up fits either."""
    if op.security_problem:
        return literal(f"the client cannot send the credentials the operation needs: {op.security_problem}")
    needed = [(f"parameter {p.wire_name!r}", p.example_problem) for p in op.parameters if p.required]
    if op.body is not None and _body_needed(op):
        needed.append(("request body", op.body.example_problem))
    if response is not None and response.kind is ResponseKind.JSON:
        needed.append((f"response {response.status}", response.example_problem))
    if response is not None and response.kind is ResponseKind.XML:
        needed.append((f"response {response.status}", response.example_problem))
    for what, problem in needed:
        if problem:
            return literal(f"{what}: {problem}")
    return Code("")


def _body_needed(op: Operation) -> bool:
    """The call cannot leave the body out: it is required, or one of its fields (keyword arguments) is."""
    body = op.body
    return body is not None and ((body.required and body.default is None) or any(f.required for f in body.fields or ()))


def example_arguments(op: Operation, shapes: Shapes) -> str:
    # Path parameters are positional, in the method's order, wherever the spec lists them.
    path = [p for p in op.parameters if p.location is ParamLocation.PATH and not p.client_parameter]
    args: list[str] = [sample_code(p.type, p.example, shapes) for p in path]
    for p in op.parameters:
        if p.client_parameter or p.location is ParamLocation.PATH or (p.deprecated and not p.required):
            continue
        if p.example_problem and not p.required:  # no value fits it: an optional one is left out
            continue
        args.append(f"{name(p.name)}={sample_code(p.type, p.example, shapes)}")
    body = op.body
    if body is not None and not (body.example_problem and not _body_needed(op)):
        example = json.loads(body.example) if body.example is not None else None
        if body.fields is not None:
            values = example if isinstance(example, dict) else {}
            for f in body.fields:
                if f.wire_name in values or f.required:
                    text = JsonText(json.dumps(values[f.wire_name])) if f.wire_name in values else None
                    args.append(f"{name(f.name)}={sample_code(f.type, text, shapes)}")
        elif body.default is None or example != json.loads(body.default):  # else the client sends it unasked
            args.append(f"body={sample_code(body.type, body.example, shapes)}")
    return ", ".join(args)


def _first(op: Operation) -> Response | None:
    return op.responses[0] if op.responses else None


def _mock_response(op: Operation) -> Code:
    response = _first(op)
    if response is None:
        return Code("(200, None, '')")
    status = int(response.status) if response.status.isdigit() else 200
    body = literal(json.loads(response.example)) if response.example is not None else "None"
    media = response.media_type or ""
    if response.kind is ResponseKind.BINARY:
        body = Code('b"binary content"')  # sent as these bytes, whatever the media type
    elif response.kind is ResponseKind.TEXT:
        body = literal("text content")
    elif response.kind is ResponseKind.XML and response.xml is not None:
        example = json.loads(response.example) if response.example is not None else {}
        body = Code(repr(xml_example(response.xml, example)))
    elif response.kind is ResponseKind.XML:  # a document without a schema: its element tree is returned
        body = Code("b'<document>text</document>'")
    return Code(f"({status}, {body}, {literal(media)})")


def _check(op: Operation) -> Code:
    if op.pagination is not None:
        return Code(f"isinstance(page.items, builtins.list) and {_type_check(_envelope_type(op), 'page.envelope')}")
    response = _first(op)
    job = op.long_running
    if job is not None and (response is None or response.kind is ResponseKind.EMPTY or response.type is None):
        return Code("result.id != '' and result.accepted is None")  # an empty answer: the caller named the job
    if response is None or response.kind is ResponseKind.EMPTY or response.type is None:
        return Code("result is None")
    if response.kind is ResponseKind.BINARY:
        return Code("isinstance(result, BinaryResponse) and result.content == b'binary content'")
    if response.kind is ResponseKind.TEXT:
        return Code("result == 'text content'")
    if response.kind is ResponseKind.XML and response.xml is None:
        # `is not None` first: the method may also answer None (a documented 2xx without content)
        return Code("result is not None and result.tag == 'document' and result.text == 'text'")
    if job is not None:
        named = "result.id != '' and " if job.id_paths or job.id_parameter else ""  # with a poll URL, an id is optional
        return Code(f"{named}{_type_check(response.type, 'result.accepted')}")
    return _type_check(response.type, "result")


def _envelope_type(op: Operation) -> TypeRef:
    first = _first(op)
    return first.type if first is not None and first.type is not None else AnyType()


def _type_check(t: TypeRef, subject: str) -> Code:
    if isinstance(t, ModelType):
        return Code(f"isinstance({subject}, models.{name(t.name)})")
    if isinstance(t, ArrayType):
        return Code(f"isinstance({subject}, builtins.list)")
    if isinstance(t, MapType):
        return Code(f"isinstance({subject}, builtins.dict)")
    if isinstance(t, PrimitiveType):
        return Code(f"isinstance({subject}, {_PRIMITIVE_CHECK[t.kind]})")
    if isinstance(t, NullableType):
        return Code(f"({subject} is None or {_type_check(t.inner, subject)})")
    if isinstance(t, UnionType):
        return Code("(" + " or ".join(_type_check(m, subject) for m in t.members) + ")")
    if isinstance(t, LiteralType):
        return Code(f"{subject} in {literal([json.loads(v) for v in t.values])}")
    if isinstance(t, BinaryType):
        return Code(f"isinstance({subject}, BinaryResponse)")
    if isinstance(t, AnyType):
        return Code(f"{subject} == mock.response_json")
    assert_never(t)
