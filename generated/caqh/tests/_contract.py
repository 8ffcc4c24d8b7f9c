"""Checks a client's requests against its OpenAPI spec, and answers them with the spec's examples.

Used by the generated tests: `contract.mock(operation_id, response)` gives a transport that records
each request, checks it against the operation (method, path, parameters, body, credentials) and
answers with `response`. `mock.assert_matched()` fails with every difference found.

With `CAREFORGE_MOCK_SERVER` set to the URL of a mock server started from the same spec (Prism, in
validation mode), each request is also sent there, and every violation it reports fails the test
with the server's own reason: a second opinion we did not write.
"""

from __future__ import annotations

import email.parser
import email.policy
import hashlib
import hmac
import importlib
import json
import os
import re
import xml.etree.ElementTree
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote

import httpx
import openapi_schema_validator as osv
import referencing
import referencing.jsonschema

_BASE = "https://spec.invalid/"
# A JSON pointer in a URI fragment is percent-decoded when resolved: "%", spaces and the like are encoded.
_POINTER_SAFE = "/~"
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@dataclass(frozen=True)
class Node:
    """A value of the spec with the document and JSON pointer it sits at."""

    value: Any
    doc: str
    pointer: str

    def child(self, *keys: str | int) -> Node:
        node = self
        for key in keys:
            value = node.value
            if isinstance(value, dict):
                inner = value.get(str(key))
            elif isinstance(value, list) and isinstance(key, int) and key < len(value):
                inner = value[key]
            else:
                inner = None
            escaped = str(key).replace("~", "~0").replace("/", "~1")
            node = Node(inner, node.doc, f"{node.pointer}/{escaped}")
        return node


class Contract:
    def __init__(self, bundle: Mapping[str, Any], base_url: str, credentials: Mapping[str, str] | None = None) -> None:
        self.credentials = dict(credentials or {})
        self.documents: Mapping[str, Any] = bundle["documents"]
        self.root = Node(self.documents[bundle["root"]], bundle["root"], "")
        self.base_url = httpx.URL(base_url)
        self.base_path = self.base_url.path.rstrip("/")
        self._legacy = str(self.root.value.get("openapi", "")).startswith("3.0")
        dialect = referencing.jsonschema.DRAFT4 if self._legacy else referencing.jsonschema.DRAFT202012
        self._registry: referencing.Registry[Any] = referencing.Registry().with_resources(
            (_BASE + name, referencing.Resource.from_contents(doc, default_specification=dialect))
            for name, doc in self.documents.items()
        )
        self._operations = dict(self._index())
        self.token_urls = self._token_urls()
        self.mock_server = MockServer.from_environment()

    @classmethod
    def load(cls, path: Path, base_url: str, credentials: Mapping[str, str] | None = None) -> Contract:
        return cls(json.loads(path.read_text(encoding="utf-8")), base_url, credentials)

    def _token_urls(self) -> set[str]:
        """Token endpoints of OAuth2 client-credentials schemes: the mock hands out tokens there."""
        urls = set()
        schemes = self.root.child("components", "securitySchemes")
        for name in schemes.value or {}:
            flow = self.deref(schemes.child(name)).child("flows", "clientCredentials").value
            if isinstance(flow, dict) and isinstance(flow.get("tokenUrl"), str):
                urls.add(str(self.base_url.join(flow["tokenUrl"])))  # a relative one is relative to the server
        return urls

    def mock(self, operation_id: str, response: tuple[int, Any, str]) -> Mock:
        return Mock(self, operation_id, response)

    def deref(self, node: Node) -> Node:
        for _ in range(64):
            value = node.value
            if not (isinstance(value, dict) and isinstance(value.get("$ref"), str)):
                return node
            file_part, _, fragment = value["$ref"].partition("#")
            doc = str(httpx.URL(_BASE + node.doc).join(file_part))[len(_BASE):] if file_part else node.doc
            node = Node(self.documents[doc], doc, "")
            # A pointer in a URI fragment is percent-encoded (RFC 6901 §6): `%7BcompanyId%7D` is `{companyId}`.
            for part in [p for p in fragment.split("/") if p]:
                key = unquote(part).replace("~1", "/").replace("~0", "~")
                node = node.child(int(key) if isinstance(node.value, list) else key)
        raise AssertionError("reference loop")

    def _index(self) -> list[tuple[str, dict[str, Any]]]:
        found = []
        paths = self.root.child("paths")
        for path in paths.value or {}:
            item = self.deref(paths.child(path))
            for method in _METHODS:
                op = item.child(method)
                if not isinstance(op.value, dict):
                    continue
                params: dict[tuple[str, str], Node] = {}
                for source in (item.child("parameters"), op.child("parameters")):
                    for index in range(len(source.value or [])):
                        param = self.deref(source.child(index))
                        params[(param.value["name"], param.value["in"])] = param
                op_id = op.value.get("operationId") or f"{method}_{path}"
                security = op.value["security"] if "security" in op.value else self.root.value.get("security", [])
                found.append((op_id, {"method": method.upper(), "path": path, "op": op, "params": params,
                                      "security": security, "server": self._own_server(op, item)}))
        return found

    def _own_server(self, op: Node, item: Node) -> httpx.URL:
        """An operation's own server (operation or path level, relative to the client's), else the client's."""
        for source in (op.value.get("servers"), item.value.get("servers")):
            if isinstance(source, list) and source and isinstance(source[0], dict) and "url" in source[0]:
                url = str(source[0]["url"])
                for name, var in (source[0].get("variables") or {}).items():
                    url = url.replace("{" + name + "}", str(var.get("default", "")) if isinstance(var, dict) else "")
                return self.base_url.join(url)
        return self.base_url

    def operation(self, operation_id: str) -> dict[str, Any]:
        return self._operations[operation_id]

    def problems(self, schema: Node, value: Any, *, parameter: bool = False) -> list[str]:
        """How `value` breaks the schema at `schema` (empty when it fits). A parameter's value is no
        property of a request body: readOnly does not keep it out."""
        if schema.value is None:
            return []
        anchor = {"$ref": f"{_BASE}{schema.doc}#{quote(schema.pointer, safe=_POINTER_SAFE)}"}
        cls = (_OAS30 if parameter else _OAS30_WRITE) if self._legacy else _OAS31
        validator = cls(anchor, registry=self._registry)
        return [f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}"
                for e in validator.iter_errors(value)][:5]


def _ecma_pattern(validator: Any, pattern: Any, instance: Any, schema: Any) -> Iterator[Any]:
    """JSON Schema's `pattern`, read as ECMA-262 reads it (`\\p{L}` included) by the `regex` module."""
    if not isinstance(instance, str) or not isinstance(pattern, str):
        return
    try:
        found = _REGEX.search(pattern, instance)
    except Exception:  # a pattern no regex dialect here reads: nothing to check it with
        return
    if found is None:
        yield _JSONSCHEMA_ERRORS.ValidationError(f"{instance!r} does not match {pattern!r}")


try:
    _REGEX: Any = importlib.import_module("regex")
except ImportError:  # without it, Python's `re`: ECMA-262's Unicode classes are then left unchecked
    _REGEX = re
# jsonschema ships no type information; the package's type check must not need its stubs.
_JSONSCHEMA_ERRORS: Any = importlib.import_module("jsonschema.exceptions")
_JSONSCHEMA_VALIDATORS: Any = importlib.import_module("jsonschema.validators")


def _lenient_discriminator(key: str, keyword: Any) -> Any:
    """anyOf/oneOf as openapi-schema-validator reads them, except for a tag the models know that names
    no schema: then the plain JSON Schema check."""
    def check(validator: Any, members: Any, instance: Any, schema: Any) -> Iterator[Any]:
        errors = list(keyword(validator, members, instance, schema))
        if any("could not be resolved" in e.message for e in errors) and _tagged_elsewhere(
            validator, members, instance, schema
        ):
            errors = list(validator.descend(instance, {key: members}))
        yield from errors

    return check


def _tagged_elsewhere(validator: Any, members: Any, instance: Any, schema: Any) -> bool:
    """The tag is in a mapping that points nowhere (the models leave that entry out), or a member that
    takes the value refuses its own name as the tag, so its own enum names its tag."""
    discriminator = schema.get("discriminator")
    if not (isinstance(discriminator, dict) and isinstance(instance, dict)):
        return False
    mapping = discriminator.get("mapping")
    prop = discriminator.get("propertyName")
    tag = instance.get(prop)
    if not isinstance(tag, str):
        return False
    if isinstance(mapping, dict) and tag in mapping:
        return True
    for member in members if isinstance(members, list) else []:
        ref = member.get("$ref") if isinstance(member, dict) else None
        if isinstance(ref, str) and validator.evolve(schema=member).is_valid(instance):
            name = unquote(ref.rsplit("/", 1)[-1]).replace("~1", "/").replace("~0", "~")
            if not validator.evolve(schema=member).is_valid({**instance, prop: name}):
                return True
    return False


def _plain_all_of(validator: Any, members: Any, instance: Any, schema: Any) -> Iterator[Any]:
    """allOf as JSON Schema reads it: openapi-schema-validator reads a discriminator beside allOf as a
    choice too, and recurses forever when the tag names the schema itself."""
    for member in members:
        yield from validator.descend(instance, member)


def _validator(cls: Any) -> Any:
    keywords = {key: _lenient_discriminator(key, cls.VALIDATORS[key]) for key in ("anyOf", "oneOf")}
    return _JSONSCHEMA_VALIDATORS.extend(cls, {"pattern": _ecma_pattern, "allOf": _plain_all_of, **keywords})


_OAS30: Any = _validator(osv.OAS30Validator)
_OAS30_WRITE: Any = _validator(osv.OAS30WriteValidator)
_OAS31: Any = _validator(osv.OAS31Validator)


def _xml_parts(request: httpx.Request) -> set[str]:
    """The names of a multipart request's parts that carry an XML document."""
    kind = request.headers.get("content-type", "")
    if not kind.startswith("multipart/"):
        return set()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {kind}\r\n\r\n".encode() + request.content)
    return {str(part.get_param("name", header="content-disposition")) for part in message.walk()
            if part is not message and part.get_content_type().endswith("xml")}


class MockServer:
    """Sends requests to a spec-driven mock server and reports what it finds wrong with them."""

    # Statuses a validating mock server answers a request it rejects with.
    _REJECTED = frozenset({400, 401, 403, 404, 405, 406, 415, 422})

    def __init__(self, url: str) -> None:
        self.url = httpx.URL(url)
        self._http = httpx.Client(timeout=30.0)

    @classmethod
    def from_environment(cls) -> MockServer | None:
        url = os.environ.get("CAREFORGE_MOCK_SERVER")
        return cls(url) if url else None

    def problems(self, request: httpx.Request, base_path: str) -> list[str]:
        # The mock server serves the spec's paths at its root, without the server URL's base path.
        path = request.url.path
        relative = path[len(base_path):] if base_path and path.startswith(base_path) else path
        url = self.url.copy_with(path=self.url.path.rstrip("/") + relative, query=request.url.query or None)
        headers = {k: v for k, v in request.headers.items() if k.lower() not in ("host", "content-length")}
        answer = self._http.request(request.method, url, headers=headers, content=request.content)
        # The mock server reads an XML body as a string, whatever its schema says: its verdict on one is not
        # a verdict on the document (Careforge's own suite judges XML bodies by their XML Objects).
        xml_body = request.headers.get("content-type", "").split(";")[0].strip().endswith("xml")
        xml_parts = _xml_parts(request)  # the same for an XML document sent as a multipart part
        found = [f"mock server: {v.get('message')} (at {'.'.join(map(str, v.get('location', [])))})"
                 for v in json.loads(answer.headers.get("sl-violations") or "[]")
                 if isinstance(v, dict) and v.get("severity") == "Error"
                 and not (xml_body and list(v.get("location", []))[:2] == ["request", "body"])
                 and not (list(v.get("location", []))[:2] == ["request", "body"]
                          and len(v.get("location", [])) > 2 and str(v["location"][2]) in xml_parts)]
        problem = answer.headers.get("content-type", "").startswith("application/problem+json")
        if not found and problem and answer.status_code in self._REJECTED:
            detail = answer.json()
            found.append(f"mock server: {answer.status_code} {detail.get('title')}: {detail.get('detail')} "
                         f"{detail.get('validation') or ''}".rstrip())
        return found


class Mock:
    """A transport that checks each request against one operation and answers with an example."""

    def __init__(self, contract: Contract, operation_id: str, response: tuple[int, Any, str]) -> None:
        self.contract = contract
        self.found = contract.operation(operation_id)
        self.operation_id = operation_id
        self.status, self.response_json, self.media_type = response
        self.requests: list[httpx.Request] = []
        self.failures: list[str] = []
        self.transport = httpx.MockTransport(self._handle)

    def assert_matched(self) -> None:
        assert self.requests, f"{self.operation_id}: the client sent no request"
        assert not self.failures, f"{self.operation_id}: the request does not match the spec:\n" + "\n".join(
            self.failures
        )

    def _handle(self, request: httpx.Request) -> httpx.Response:
        request.read()
        url = str(request.url.copy_with(query=None))
        # The token endpoint answers with a token, unless it is the operation under test.
        if url in self.contract.token_urls and url != self._own_url():
            token = {"access_token": "test-token", "token_type": "Bearer", "expires_in": 3600}
            return httpx.Response(200, json=token)
        self.requests.append(request)
        self.failures.extend(check_request(self.contract, self.found, request))
        if self.contract.mock_server is not None:
            found = self.contract.operation(self.operation_id)
            self.failures.extend(self.contract.mock_server.problems(request, found["server"].path.rstrip("/")))
        return self._answer()

    def _own_url(self) -> str:
        server = self.found["server"]
        return str(server.copy_with(path=server.path.rstrip("/") + _path(self.found)))

    def _answer(self) -> httpx.Response:
        headers = {"content-type": self.media_type} if self.media_type else {}
        if not self.media_type or self.status == 204:
            return httpx.Response(self.status, headers=headers)
        if isinstance(self.response_json, bytes):
            return httpx.Response(self.status, headers=headers, content=self.response_json)
        if isinstance(self.response_json, str) and "json" not in self.media_type:
            return httpx.Response(self.status, headers=headers, content=self.response_json.encode())
        return httpx.Response(self.status, headers=headers, content=json.dumps(self.response_json).encode())


def _path(found: dict[str, Any]) -> str:
    """The operation's path as sent: a fragment some specs add to tell operations apart (`/{Key}#uploadId`)
    is never part of a request."""
    return str(found["path"]).split("#", 1)[0]


def check_request(contract: Contract, found: dict[str, Any], request: httpx.Request) -> list[str]:
    """Every way `request` differs from the operation in the spec."""
    problems = []
    if request.method != found["method"]:
        problems.append(f"method {request.method}, the spec says {found['method']}")
    problems += _check_path(contract, found, request)
    problems += _check_query(contract, found, request)
    problems += _check_headers(found, request)
    problems += _check_security(contract, found, request)
    problems += _check_body(contract, found, request)
    return problems


def _segment_regex(template: str) -> re.Pattern[str]:
    """Matches one decoded path segment (a literal "%20" in the spec's path is a space in it)."""
    parts = re.split(r"(\{[^{}]*\})", template)
    return re.compile("".join(".+" if p.startswith("{") else re.escape(unquote(p)) for p in parts), re.DOTALL)


def _check_path(contract: Contract, found: dict[str, Any], request: httpx.Request) -> list[str]:
    # Split the path as sent, then decode each segment: a value's "%2F" stays inside its segment.
    path = request.url.raw_path.split(b"?")[0].decode("ascii")
    base = found["server"].raw_path.split(b"?")[0].decode("ascii").rstrip("/")
    if base and path.startswith(base):
        path = path[len(base):]
    segments = [unquote(s) for s in path.split("/")]
    template = _path(found).split("/")
    if len(segments) != len(template) or not all(_segment_regex(t).fullmatch(s) for t, s in zip(template, segments)):
        return [f"path {path!r} does not match {found['path']!r}"]
    return []


def _coerce(contract: Contract, schema: Node, values: list[str]) -> Any:
    """Query or form strings as the typed value the schema describes, so the schema can check them."""
    resolved = contract.deref(schema).value
    for key in ("anyOf", "oneOf"):  # read as the first member it fits (`1` is an integer, `now` a string)
        if isinstance(resolved, dict) and isinstance(resolved.get(key), list):
            members = [contract.deref(schema).child(key).child(i) for i in range(len(resolved[key]))]
            for member in members:
                candidate = _coerce(contract, member, values)
                if not contract.problems(member, candidate, parameter=True):
                    return candidate
    kind = resolved.get("type") if isinstance(resolved, dict) else None
    kind = next((k for k in kind if k != "null"), None) if isinstance(kind, list) else kind
    if kind == "array":
        items = contract.deref(schema).child("items")
        if _is_object(contract.deref(items).value):  # objects in a list go as JSON text, one per item
            return [_json_or_text(v) for v in values]
        expanded = values[0].split(",") if len(values) == 1 and "," in values[0] else values
        return [_coerce(contract, items, [v]) for v in expanded]
    value = values[-1]
    try:
        if kind == "integer":
            return int(value)
        if kind == "number":
            return float(value)
    except ValueError:
        return value
    if kind == "boolean":
        return {"true": True, "false": False}.get(value, value)
    return value


def _check_query(contract: Contract, found: dict[str, Any], request: httpx.Request) -> list[str]:
    declared = {name: p for (name, where), p in found["params"].items() if where == "query"}
    sent: dict[str, list[str]] = {}
    for key, value in request.url.params.multi_items():
        sent.setdefault(key, []).append(value)
    problems = []
    values: dict[str, Any] = {}
    known: set[str] = set()
    for name, param in declared.items():
        value, keys = _query_value(contract, name, param, {k: v for k, v in sent.items()
                                                            if k == name or k not in declared})
        known |= keys
        if value is not None:
            values[name] = value
    for key in sent:
        if key not in known and not _security_param(contract, found, key):
            problems.append(f"query parameter {key!r} is not in the spec")
    for name, param in declared.items():
        if param.value.get("required") and name not in values:
            problems.append(f"required query parameter {name!r} is missing")
        if name in values and "schema" in param.value:
            value = _coerce_tree(contract, param.child("schema"), values[name])
            problems += [f"query {name}: {p}" for p in contract.problems(param.child("schema"), value, parameter=True)]
    return problems


def _query_value(contract: Contract, name: str, param: Node, sent: Mapping[str, list[str]]) -> tuple[Any, set[str]]:
    """What the request carries for one query parameter, and the keys it takes: `name[a][b]=v` for
    deepObject, an exploded form object's properties as keys of their own, else `name` itself."""
    style = param.value.get("style", "form")
    if style == "deepObject":
        if name in sent:  # a scalar (of an anyOf, say) goes as `name=value`
            return sent[name], {name}
        keys = {k for k in sent if k.startswith(name + "[")}
        tree: dict[str, Any] = {}
        for key in sorted(keys):
            path = re.findall(r"\[([^\]]*)\]", key[len(name):])
            node = tree
            for part in path[:-1]:
                node = node.setdefault(part, {})
            if path:
                node[path[-1]] = sent[key] if len(sent[key]) > 1 else sent[key][0]
        return (tree or None), keys
    schema = contract.deref(param.child("schema"))
    if style == "form" and param.value.get("explode", True) and _is_object(schema.value):
        properties = schema.value.get("properties") if isinstance(schema.value.get("properties"), dict) else {}
        # Another parameter's key is taken out of `sent` by the caller; the rest may be a free-form map's.
        keys = {k for k in sent if k in properties or (k != name and schema.value.get("additionalProperties"))}
        return ({k: sent[k] if len(sent[k]) > 1 else sent[k][0] for k in keys} or None), keys
    return (sent[name] if name in sent else None), {name}


def _json_or_text(value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        return value


def _is_object(schema: Any) -> bool:
    return isinstance(schema, dict) and (schema.get("type") == "object" or ("type" not in schema
                                                                            and "properties" in schema))


def _coerce_tree(contract: Contract, schema: Node, value: Any) -> Any:
    """_coerce, property by property through an object read from deepObject or exploded form keys."""
    resolved = contract.deref(schema)
    if isinstance(value, dict) and value and all(k.isdigit() for k in value):
        # deepObject over a list, as some APIs write it: `expand[0]=a&expand[1]=b`
        return [_coerce_tree(contract, resolved.child("items"), value[k]) for k in sorted(value, key=int)]
    if isinstance(value, dict):
        properties = resolved.child("properties")
        return {k: _coerce_tree(contract, properties.child(k), v) for k, v in value.items()}
    return _coerce(contract, schema, value if isinstance(value, list) else [value])


# OpenAPI: header parameters with these names are ignored (the media types and security say them).
_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})


def _check_headers(found: dict[str, Any], request: httpx.Request) -> list[str]:
    return [f"required header {name!r} is missing" for (name, where), p in found["params"].items()
            if where == "header" and p.value.get("required") and name not in request.headers
            and name.lower() not in _IGNORED_HEADERS]


def _schemes(contract: Contract, alternative: Mapping[str, Any]) -> list[dict[str, Any]]:
    schemes = contract.root.child("components", "securitySchemes")
    return [contract.deref(schemes.child(name)).value or {} for name in alternative]


def _security_param(contract: Contract, found: dict[str, Any], key: str) -> bool:
    return any(
        s.get("type") == "apiKey" and s.get("in") == "query" and s.get("name") == key
        for alternative in found["security"]
        for s in _schemes(contract, alternative)
    )


def _check_security(contract: Contract, found: dict[str, Any], request: httpx.Request) -> list[str]:
    alternatives = found["security"]
    if not alternatives or any(not alt for alt in alternatives):
        return []
    for alternative in alternatives:
        schemes = _schemes(contract, alternative)
        if all(_carries(scheme, request) for scheme in schemes):
            return [p for scheme in schemes for p in _check_signature(contract, scheme, request)]
    return [f"the request carries none of the credentials the spec asks for ({alternatives})"]


def _fill(template: str, values: Mapping[str, str]) -> str:
    return re.sub(r"\{([^{}]*)\}", lambda m: values.get(m[1], ""), template)


def _check_signature(contract: Contract, scheme: dict[str, Any], request: httpx.Request) -> list[str]:
    """Recompute an HMAC signature declared by x-careforge-signing from the request as received."""
    signing = scheme.get("x-careforge-signing")
    if not isinstance(signing, dict) or not contract.credentials:
        return []
    values = dict(contract.credentials)
    headers = signing.get("headers", {})
    for name, template in headers.items():
        for key in ("timestamp", "nonce"):
            if template == "{" + key + "}":
                values[key] = request.headers.get(name, "")
    fields = signing.get("fields", "query-for-get-else-form")
    if fields == "query" or (fields == "query-for-get-else-form" and request.method == "GET"):
        pairs = list(request.url.params.multi_items())
    elif request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        pairs = parse_qsl(request.content.decode(), keep_blank_values=True)
    else:
        pairs = []
    grouped: dict[str, list[str]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    line = signing.get("canonical-line", "{key}={value}")
    values["canonical"] = "\n".join(_fill(line, {"key": k, "value": v}) for k in sorted(grouped) for v in sorted(grouped[k]))
    values["method"] = request.method
    values["path"] = request.url.path
    message = "\n".join(_fill(part, values) for part in signing.get("string-to-sign", []))
    secret = contract.credentials.get(str(signing.get("secret", "api_secret")), "")
    expected = hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()
    sent = request.headers.get(str(signing.get("signature-header", "")), "")
    return [] if hmac.compare_digest(expected, sent) else ["the request signature does not match its content"]


def _carries(scheme: dict[str, Any], request: httpx.Request) -> bool:
    kind = scheme.get("type")
    auth = str(request.headers.get("authorization", ""))
    if kind == "http":
        return auth.lower().startswith(str(scheme.get("scheme", "")).lower() + " ")
    if kind in ("oauth2", "openIdConnect"):
        return auth.lower().startswith("bearer ")
    if kind == "apiKey":
        where, name = scheme.get("in"), str(scheme.get("name", ""))
        if where == "header":
            return bool(name in request.headers)
        if where == "query":
            return bool(name in request.url.params)
        return name + "=" in request.headers.get("cookie", "")
    return True


def _check_body(contract: Contract, found: dict[str, Any], request: httpx.Request) -> list[str]:
    body = contract.deref(found["op"].child("requestBody"))
    content = request.content
    if not isinstance(body.value, dict):
        return ["the spec declares no request body, but one was sent"] if content else []
    if not content and "content-type" not in request.headers:
        # An empty form with its Content-Type is a body with no fields, not a missing body.
        return ["the required request body is missing"] if body.value.get("required") else []
    media_types = body.value.get("content", {})
    sent_type = request.headers.get("content-type", "")
    if sent_type not in media_types and sent_type.split(";")[0].strip() not in media_types:
        return [f"content type {sent_type!r} is not one of {sorted(media_types)}"]
    key = sent_type if sent_type in media_types else sent_type.split(";")[0].strip()
    schema = body.child("content", key, "schema")
    if "json" in key:
        try:
            value = json.loads(content)
        except ValueError:
            return ["the body is not valid JSON"]
    elif key.startswith("application/x-www-form-urlencoded"):
        value = _form_value(contract, schema, content)
    elif key.endswith("xml"):  # the XML Object's rules are checked by Careforge's own suite; here, well-formedness
        try:
            xml.etree.ElementTree.fromstring(content)
        except xml.etree.ElementTree.ParseError as exc:
            return [f"the body is not well-formed XML ({exc})"]
        return []
    else:
        return []
    return [f"body {p}" for p in contract.problems(schema, value)]


def _form_value(contract: Contract, schema: Node, content: bytes) -> dict[str, Any]:
    """A form body as the object it encodes: `meta[key]=v` (deepObject) nests, `tags[0]=a` is a list item,
    an object field without an Encoding Object is JSON text."""
    fields: dict[str, list[str]] = {}
    for key, value in parse_qsl(content.decode(), keep_blank_values=True):
        fields.setdefault(key, []).append(value)
    properties = contract.deref(schema).child("properties")
    result: dict[str, Any] = {}
    nested: dict[str, dict[str, Any]] = {}
    for key, values in fields.items():
        base, bracket, _ = key.partition("[")
        path = re.findall(r"\[([^\]]*)\]", key[len(base):]) if bracket else []
        if path:
            node = nested.setdefault(base, {})
            for part in path[:-1]:
                child = node.setdefault(part, {})
                node = child if isinstance(child, dict) else {}
            node[path[-1] or str(len(node))] = values if len(values) > 1 else values[0]
            continue
        prop = properties.child(key)
        if _is_object(contract.deref(prop).value) and len(values) == 1:
            result[key] = _json_or_text(values[0])
        else:
            result[key] = _coerce(contract, prop, values)
    for base, tree in nested.items():
        result[base] = _coerce_tree(contract, properties.child(base), tree)
    return result
