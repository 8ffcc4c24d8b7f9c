"""Two resolved specs compared: operations, parameters, bodies, responses, security, servers, the
`x-careforge-*` mechanics and the named schemas (which are the package's model classes)."""

from __future__ import annotations

from ..resolve import Cursor, ResolvedSpec
from .. import names
from ..ir.operations import method_name
from ..spec_walk import TEMPLATE_VAR, OperationSite, operations, parameters
from .changes import Change, Level, Side
from .context import Context
from .forms import Form, forms
from .mechanics import PREFIX as EXTENSION
from .mechanics import compare_extensions
from .schema_diff import canonical, compare_schema, docs
from .security_diff import compare_operation_security, compare_schemes, compare_servers


def compare(old: ResolvedSpec, new: ResolvedSpec) -> list[Change]:
    ctx = Context(old, new)
    docs(ctx, old.cursor.child("info"), new.cursor.child("info"), "the API")
    compare_servers(ctx, old.cursor.child("servers"), new.cursor.child("servers"), "the API")
    compare_schemes(ctx)
    compare_extensions(ctx, old.cursor, new.cursor, "the API")
    before, after = _operations(old), _operations(new)
    for was, now in _moved(before, after):
        site, moved = before.pop(was), after.pop(now)
        ctx.resource = resource_of(moved.operation, new)
        ctx.add("operation-path-changed", Level.MAY_BREAK,
                f"{site.label} ({_op_id(site)}) moved to {moved.label}: the method stays, the URL it calls changes",
                site.operation, moved.operation)
        _operation(ctx, site, moved)
    for key in sorted(before.keys() - after.keys()):
        site = before[key]
        ctx.resource = resource_of(site.operation, old)
        ctx.add("operation-removed", Level.BREAKING, f"{site.label} ({_op_id(site)}) removed", site.operation, None)
    for key in sorted(after.keys() - before.keys()):
        site = after[key]
        ctx.resource = resource_of(site.operation, new)
        ctx.add("operation-added", Level.COMPATIBLE, f"{site.label} ({_op_id(site)}) added", None, site.operation)
    for key in sorted(before.keys() & after.keys()):
        _operation(ctx, before[key], after[key])
    ctx.resource = ""
    _tags(ctx)
    _components(ctx)
    return ctx.found.numbered()


def _operations(spec: ResolvedSpec) -> dict[tuple[str, str], OperationSite]:
    # `/pets/{id}` and `/pets/{petId}` are one endpoint: the names are matched by position below.
    return {(TEMPLATE_VAR.sub("{}", site.path), site.method): site for site in operations(spec)}


def _moved(before: dict[tuple[str, str], OperationSite],
           after: dict[tuple[str, str], OperationSite]) -> list[tuple[tuple[str, str], tuple[str, str]]]:
    """An operation gone from one path and one with its operationId come at another is the same method."""
    came = {str(site.operation.value.get("operationId")): key for key, site in after.items()
            if key not in before and site.operation.value.get("operationId")}
    return [(key, came[str(site.operation.value.get("operationId"))]) for key, site in sorted(before.items())
            if key not in after and str(site.operation.value.get("operationId")) in came]


def _op_id(site: OperationSite) -> str:
    value = site.operation.value.get("operationId")
    return str(value) if value else "no operationId"


def tag_of(operation: Cursor) -> str:
    tags = operation.value.get("tags")
    return str(tags[0]) if isinstance(tags, list) and tags else "default"


def resource_of(operation: Cursor, spec: ResolvedSpec | None = None) -> str:
    """Where the operation's methods sit on the client: its tag, or the tag's x-careforge-resource."""
    tag = tag_of(operation)
    for declared in (spec.cursor.child("tags").elements() if spec is not None else ()):
        if isinstance(declared.value, dict) and declared.value.get("name") == tag:
            chosen = declared.value.get(EXTENSION + "resource")
            if isinstance(chosen, str) and chosen.strip():
                return chosen
    return tag


def _attribute(resource: str) -> tuple[str, ...]:
    """The client attribute path a resource name becomes (`Pets` and `pets` are both `client.pets`)."""
    return tuple(names.identifier(part, reserved=names.RESERVED_CLIENT_ATTRIBUTES, fallback="api")
                 for part in resource.split("."))


def _method_name(site: OperationSite) -> str:
    override = site.operation.value.get(EXTENSION + "method")
    return str(method_name(site, tag_of(site.operation), override if isinstance(override, str) else None))


def _operation(ctx: Context, old: OperationSite, new: OperationSite) -> None:
    ctx.resource = resource_of(new.operation, ctx.new)
    was_resource = resource_of(old.operation, ctx.old)
    what = f"{new.label} ({_op_id(new)})"
    if tag_of(old.operation) != tag_of(new.operation) and _attribute(was_resource) != _attribute(ctx.resource):
        ctx.add("operation-resource-changed", Level.BREAKING,
                f"{what}: moved from client.{was_resource} to client.{ctx.resource} (its tag changed)",
                old.operation.child("tags"), new.operation.child("tags"))
    was_method, now_method = _method_name(old), _method_name(new)
    was_forms, now_forms = forms(old, was_method), forms(new, now_method)
    varied = was_forms.keys() != {was_method} or now_forms.keys() != {now_method}  # x-careforge-variants
    if varied:
        _methods(ctx, was_forms, now_forms, what)
    elif was_method != now_method:
        key = EXTENSION + "method"
        chosen = key if key in old.operation.value or key in new.operation.value else "operationId"
        ctx.add("operation-method-renamed", Level.BREAKING,
                f"{what}: the method {was_method}() is now {now_method}() ({chosen} changed)",
                old.operation.child(chosen), new.operation.child(chosen))
    elif old.operation.value.get("operationId") != new.operation.value.get("operationId"):
        ctx.add("operation-id-changed", Level.DOCS, f"{what}: operationId changed; the method keeps its name",
                old.operation.child("operationId"), new.operation.child("operationId"))
    for key in ("summary",):
        if old.operation.value.get(key) != new.operation.value.get(key):
            ctx.add(f"operation-{key}-changed", Level.DOCS, f"{what}: {key} changed", old.operation.child(key),
                    new.operation.child(key))
    docs(ctx, old.operation, new.operation, what)
    compare_extensions(ctx, old.operation, new.operation, what)
    compare_operation_security(ctx, old, new, what)
    compare_servers(ctx, _servers(old), _servers(new), what)
    _parameters(ctx, old, new, what)
    pairs = ([(f"{what} {m}()", was_forms[m], now_forms[m]) for m in sorted(was_forms.keys() & now_forms.keys())]
             if varied else [(what, was_forms[was_method], now_forms[now_method])])
    for named, a, b in pairs:
        _body(ctx, a.body, b.body, named)
        _responses(ctx, a.responses, b.responses, named)


def _methods(ctx: Context, before: dict[str, Form], after: dict[str, Form], what: str) -> None:
    """Methods an operation makes (x-careforge-variants), matched by name."""
    for name in sorted(before.keys() - after.keys()):
        ctx.add("operation-method-removed", Level.BREAKING, f"{what}: the method {name}() is gone",
                before[name].where, None)
    for name in sorted(after.keys() - before.keys()):
        ctx.add("operation-method-added", Level.COMPATIBLE, f"{what}: new method {name}()", None, after[name].where)


def _servers(site: OperationSite) -> Cursor:
    own = site.operation.child("servers")
    return own if isinstance(own.value, list) else site.path_item.child("servers")


def _param_key(param: Cursor) -> tuple[str, str]:
    where = str(param.value.get("in"))
    name = str(param.value.get("name"))
    return where, name.lower() if where == "header" else name


def _parameters(ctx: Context, old: OperationSite, new: OperationSite, what: str) -> None:
    before = {_param_key(p): p for p in parameters(ctx.old, old)}
    after = {_param_key(p): p for p in parameters(ctx.new, new)}
    # Path parameters are matched by their place in the path: renaming one renames the keyword.
    old_names = TEMPLATE_VAR.findall(old.path)
    new_names = TEMPLATE_VAR.findall(new.path)
    for was, now in zip(old_names, new_names):
        if was != now and ("path", was) in before and ("path", now) in after:
            a, b = before.pop(("path", was)), after.pop(("path", now))
            ctx.add("path-parameter-renamed", Level.BREAKING, f"{what}: path parameter {was} renamed {now}", a, b,
                    Side.REQUEST)
            _parameter(ctx, a, b, what)
    for key in sorted(before.keys() - after.keys()):
        param = before[key]
        ctx.add("request-parameter-removed", Level.BREAKING, f"{what}: {key[0]} parameter {key[1]} removed",
                param, None, Side.REQUEST)
    for key in sorted(after.keys() - before.keys()):
        param = after[key]
        required = param.value.get("required") is True
        ctx.add(f"new-{'required' if required else 'optional'}-request-parameter",
                Level.BREAKING if required else Level.COMPATIBLE,
                f"{what}: new {'required' if required else 'optional'} {key[0]} parameter {key[1]}", None, param,
                Side.REQUEST)
    for key in sorted(before.keys() & after.keys()):
        _parameter(ctx, before[key], after[key], what)


def _parameter(ctx: Context, old: Cursor, new: Cursor, what: str) -> None:
    name = f"{what}: {new.value.get('in')} parameter {new.value.get('name')}"
    was, now = old.value.get("required") is True, new.value.get("required") is True
    if was != now:
        ctx.add(f"request-parameter-became-{'required' if now else 'optional'}",
                Level.BREAKING if now else Level.COMPATIBLE, f"{name} is now {'required' if now else 'optional'}",
                old, new, Side.REQUEST)
    for key in ("style", "explode", "allowReserved", "content"):
        if key != "content" and old.value.get(key) != new.value.get(key):
            ctx.add(f"request-parameter-{key.lower()}-changed", Level.COMPATIBLE,
                    f"{name}: {key} changed (the client sends it the new way)", old, new, Side.REQUEST)
    docs(ctx, old, new, name)
    compare_extensions(ctx, old, new, name)
    old_schema, new_schema = _parameter_schema(old), _parameter_schema(new)
    if old_schema is not None and new_schema is not None:
        compare_schema(ctx, old_schema, new_schema, Side.REQUEST)
    if "content" in old.value and "content" in new.value:
        _content(ctx, old.child("content"), new.child("content"), Side.REQUEST, name)
    elif ("content" in old.value) != ("content" in new.value):
        ctx.add("request-parameter-content-changed", Level.COMPATIBLE,
                f"{name}: now described by {'content' if 'content' in new.value else 'schema'} (the client follows)",
                old, new, Side.REQUEST)


def _parameter_schema(param: Cursor) -> Cursor | None:
    """A parameter's schema, whether under `schema` or under its one `content` media type."""
    if isinstance(param.value.get("schema"), (dict, bool)):
        return param.child("schema")
    for _, media in param.child("content").items():
        if isinstance(media.value, dict) and isinstance(media.value.get("schema"), (dict, bool)):
            return media.child("schema")
    return None


def _body(ctx: Context, old: Cursor, new: Cursor, what: str) -> None:
    if old.value is None and new.value is None:
        return
    if new.value is None:
        ctx.add("request-body-removed", Level.BREAKING, f"{what}: request body removed", old, None, Side.REQUEST)
        return
    new = ctx.new.deref(new)
    required = _needed(ctx.new, new)
    if old.value is None:
        ctx.add(f"new-{'required' if required else 'optional'}-request-body",
                Level.BREAKING if required else Level.COMPATIBLE,
                f"{what}: new {'required' if required else 'optional'} request body", None, new, Side.REQUEST)
        return
    old = ctx.old.deref(old)
    if _needed(ctx.old, old) != required:
        ctx.add(f"request-body-became-{'required' if required else 'optional'}",
                Level.BREAKING if required else Level.COMPATIBLE,
                f"{what}: request body now {'required' if required else 'optional'}", old, new, Side.REQUEST)
    docs(ctx, old, new, f"{what} request body")
    _content(ctx, old.child("content"), new.child("content"), Side.REQUEST, f"{what} request body")


def _needed(spec: ResolvedSpec, body: Cursor) -> bool:
    """Whether callers must give the body: it is required, and has no default (which the client sends)."""
    if not isinstance(body.value, dict) or body.value.get("required") is not True:
        return False
    for _, media in body.child("content").items():
        schema = media.child("schema")
        if any(isinstance(n.value, dict) and "default" in n.value for n in (schema, spec.deref(schema))):
            return False
    return True


def _content(ctx: Context, old: Cursor, new: Cursor, side: Side, what: str) -> None:
    before = {k.split(";")[0].strip().lower(): c for k, c in old.items()}
    after = {k.split(";")[0].strip().lower(): c for k, c in new.items()}
    for media in sorted(before.keys() - after.keys()):
        ctx.add(f"{side.value}-media-type-removed", Level.BREAKING, f"{what}: {media} removed", before[media],
                new if new.value is not None else None, side)
    for media in sorted(after.keys() - before.keys()):
        level = Level.COMPATIBLE if side is Side.REQUEST or before else Level.MAY_BREAK
        ctx.add(f"{side.value}-media-type-added", level, f"{what}: {media} added",
                old if old.value is not None else None, after[media], side)
    for media in sorted(before.keys() & after.keys()):
        a, b = before[media], after[media]
        if not isinstance(a.value, dict) or not isinstance(b.value, dict):
            continue
        docs(ctx, a, b, f"{what} ({media})")
        if "schema" in a.value and "schema" in b.value:
            compare_schema(ctx, a.child("schema"), b.child("schema"), side)
        elif "schema" in a.value or "schema" in b.value:
            ctx.add(f"{side.value}-schema-changed", Level.BREAKING if "schema" in a.value else Level.MAY_BREAK,
                    f"{what} ({media}): schema {'removed' if 'schema' in a.value else 'added'}", a, b, side)


def _success(status: str, responses: dict[str, Cursor]) -> bool:
    """A 2xx status, or `default` where no 2xx is listed (the client then returns what it describes)."""
    if status == "DEFAULT":
        return not any(other.startswith("2") for other in responses)
    return status.startswith("2")


def _responses(ctx: Context, before: dict[str, Cursor], after: dict[str, Cursor], what: str) -> None:
    """`before` and `after`: responses by status, upper case."""
    for status in sorted(before.keys() - after.keys()):
        success = _success(status, before)
        ctx.add(f"response-{'success' if success else 'non-success'}-status-removed",
                Level.BREAKING if success else Level.COMPATIBLE,
                f"{what}: response {status.lower() if status == 'DEFAULT' else status} removed", before[status], None,
                Side.RESPONSE)
    for status in sorted(after.keys() - before.keys()):
        success = _success(status, after)
        ctx.add(f"response-{'success' if success else 'non-success'}-status-added",
                Level.MAY_BREAK if success else Level.COMPATIBLE,
                f"{what}: response {status.lower() if status == 'DEFAULT' else status} added", None, after[status],
                Side.RESPONSE)
    for status in sorted(before.keys() & after.keys()):
        a, b = ctx.old.deref(before[status]), ctx.new.deref(after[status])
        if not isinstance(a.value, dict) or not isinstance(b.value, dict):
            continue
        name = f"{what} response {status}"
        docs(ctx, a, b, name)
        compare_extensions(ctx, a, b, name)
        _content(ctx, a.child("content"), b.child("content"), Side.RESPONSE, name)
        _headers(ctx, a.child("headers"), b.child("headers"), name)


def _headers(ctx: Context, old: Cursor, new: Cursor, what: str) -> None:
    before = {k.lower(): c for k, c in old.items()}
    after = {k.lower(): c for k, c in new.items()}
    for name in sorted(before.keys() - after.keys()):
        ctx.add("response-header-removed", Level.MAY_BREAK, f"{what}: header {name} no longer documented",
                before[name], None, Side.RESPONSE)
    for name in sorted(after.keys() - before.keys()):
        ctx.add("response-header-added", Level.COMPATIBLE, f"{what}: header {name} documented", None, after[name],
                Side.RESPONSE)
    for name in sorted(before.keys() & after.keys()):
        a, b = ctx.old.deref(before[name]), ctx.new.deref(after[name])
        if isinstance(a.value, dict) and isinstance(b.value, dict) and "schema" in a.value and "schema" in b.value:
            compare_schema(ctx, a.child("schema"), b.child("schema"), Side.RESPONSE)


def _tags(ctx: Context) -> None:
    """A tag's x-careforge-resource moves every method of the tag to another client attribute."""
    key = EXTENSION + "resource"
    before = {str(t.value.get("name")): t for t in ctx.old.cursor.child("tags").elements() if isinstance(t.value, dict)}
    after = {str(t.value.get("name")): t for t in ctx.new.cursor.child("tags").elements() if isinstance(t.value, dict)}
    for name in sorted(before.keys() & after.keys()):
        was, now = before[name].value.get(key) or name, after[name].value.get(key) or name
        if _attribute(str(was)) != _attribute(str(now)):
            ctx.resource = str(now)
            ctx.add("tag-resource-changed", Level.BREAKING, f"the methods of tag {name} move from client.{was} to "
                    f"client.{now}", before[name].child(key) if key in before[name].value else before[name],
                    after[name].child(key) if key in after[name].value else after[name])
        docs(ctx, before[name], after[name], f"tag {name}")
    ctx.resource = ""


def _components(ctx: Context) -> None:
    """Named schemas are model classes: one removed or renamed is a class callers may import."""
    before = _schemas(ctx.old)
    after = _schemas(ctx.new)
    gone = sorted(before.keys() - after.keys())
    came = sorted(after.keys() - before.keys())
    bodies = {name: canonical(after[name].value) for name in came}
    for name in gone:
        body = canonical(before[name].value)
        twin = next((other for other in came if bodies[other] == body), None)
        if twin is not None:
            came.remove(twin)
            ctx.add("schema-renamed", Level.BREAKING, f"schema {name} renamed {twin} (the model class is renamed)",
                    before[name], after[twin])
        else:
            ctx.add("schema-removed", Level.BREAKING, f"schema {name} removed (the model class goes away)",
                    before[name], None)
    for name in came:
        ctx.add("schema-added", Level.COMPATIBLE, f"schema {name} added", None, after[name])
    for name in sorted(before.keys() & after.keys()):
        # Schemas no operation reaches are still model classes: compared as both sides would use them.
        if not ctx.reached(before[name]):
            for side in (Side.REQUEST, Side.RESPONSE):
                compare_schema(ctx, before[name], after[name], side)


def _schemas(spec: ResolvedSpec) -> dict[str, Cursor]:
    found = spec.cursor.child("components").child("schemas")
    return {name: cursor for name, cursor in found.items()}

