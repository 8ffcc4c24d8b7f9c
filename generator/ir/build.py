"""ResolvedSpec -> Api: the one entry point of the IR builder."""

from __future__ import annotations

import dataclasses

from .. import names
from ..diagnostics import Diagnostic
from ..resolve import Cursor, ResolvedSpec
from ..spec_walk import openapi_version, operations
from . import extensions as ext
from .model import Api, ClassName, ClientParameter, Operation, Package, PythonIdentifier, Resource, Server
from .environment import base_url_env
from .left_out import left_out
from .mechanics import check_long_running, rate_limit
from .operations import OperationBuilder
from .schemas import SchemaRegistry
from .security import auth_header, build_security
from .servers import servers
from ..versions import valid_version

DEFAULT_TAG = "default"


def build(spec: ResolvedSpec, *, strict: bool) -> tuple[Api, list[Diagnostic]]:
    problems = ext.Problems(strict)
    registry = SchemaRegistry(spec)
    schemes, scheme_keys = build_security(spec, problems)
    builder = OperationBuilder(spec, registry, problems, scheme_keys)
    builder.constructor_arguments |= {n for s in schemes for n in (*s.credentials, *s.options)}
    builder.auth_headers = {s.key: auth_header(s) for s in schemes if auth_header(s)[0]}
    by_tag: dict[str, list[Operation]] = {}
    for site in operations(spec):
        tags = site.operation.value.get("tags")
        tag = str(tags[0]) if isinstance(tags, list) and tags else DEFAULT_TAG
        by_tag.setdefault(tag, []).extend(builder.build(site, tag))
    check_long_running([op for ops in by_tag.values() for op in ops], builder.cursors, problems)
    if builder.sampler.remembered is not None:
        builder.sampler.remembered.save()
    resources = _resources(spec, by_tag, problems)
    info = spec.cursor.child("info").value
    info = info if isinstance(info, dict) else {}
    title = info.get("title") if isinstance(info.get("title"), str) and info.get("title") else "API"
    api = Api(
        package=default_package(str(title), str(info.get("version", "0.1.0"))),
        title=str(title),
        description=str(info.get("description", "")) if isinstance(info.get("description"), str) else "",
        api_version=str(info.get("version", "")),
        openapi_version=openapi_version(spec.root.data),
        servers=_servers(spec),
        resources=resources,
        security_schemes=schemes,
        client_parameters=_client_parameters(resources),
        models=registry.models(),
        ignored=(),
        rate_limit=rate_limit(spec, problems),
        base_url_env=base_url_env(spec, schemes, problems),
        left_out=left_out(spec, problems),
    )
    return api, problems.found


def default_package(title: str, version: str) -> Package:
    base = names.identifier(title, fallback="api").rstrip("_")  # a module name starts with a letter
    client = names.client_class(title)
    return Package(
        distribution=f"{base.replace('_', '-')}-client",
        module=PythonIdentifier(f"{base}_client"),
        client=client,
        async_client=ClassName(f"Async{client}"),
        title=title,
        version=version if valid_version(version) else "0.1.0",
    )


def _resources(spec: ResolvedSpec, by_tag: dict[str, list[Operation]], problems: ext.Problems) -> tuple[Resource, ...]:
    tag_info = {str(t.value.get("name")): t for t in spec.cursor.child("tags").elements() if isinstance(t.value, dict)}
    merged: dict[tuple[PythonIdentifier, ...], tuple[str, list[Operation]]] = {}
    for tag, ops in by_tag.items():
        cursor = tag_info.get(tag)
        override = ext.text(cursor, ext.RESOURCE, problems) if cursor is not None else None
        parts = override.split(".") if override else [tag]
        path = tuple(names.identifier(p, reserved=names.RESERVED_CLIENT_ATTRIBUTES, fallback="api") for p in parts)
        description = cursor.value.get("description", "") if cursor is not None else ""
        previous = merged.get(path, ("", []))
        merged[path] = (previous[0] or (description if isinstance(description, str) else ""), previous[1] + ops)
    resources = []
    for path in sorted(merged):
        description, ops = merged[path]
        resources.append(Resource(
            path=path,
            class_name=names.class_name("_".join(path), fallback="Resource"),
            description=description,
            operations=_unique_methods(ops, path, problems, spec),
        ))
    return tuple(resources)


def _unique_methods(ops: list[Operation], path: tuple[str, ...], problems: ext.Problems,
                    spec: ResolvedSpec) -> tuple[Operation, ...]:
    taken: set[str] = set()
    result = []
    for op in sorted(ops, key=lambda o: (o.name, o.path, o.method.value)):
        name = names.unique(op.name, taken)
        if name != op.name:
            where = Cursor(spec.root, op.pointer, None)
            problems.style(where, "L-NAME-COLLISION",
                           f"{op.method.value} {op.path} would be client.{'.'.join(path)}.{op.name}(), which another "
                           f"operation already is; it becomes {name}()",
                           "give the operations distinct operationIds (or x-careforge-method)")
            op = dataclasses.replace(op, name=PythonIdentifier(name))
        result.append(op)
    return tuple(result)


def _servers(spec: ResolvedSpec) -> tuple[Server, ...]:
    return servers(spec.cursor)


def _client_parameters(resources: tuple[Resource, ...]) -> tuple[ClientParameter, ...]:
    found: dict[str, ClientParameter] = {}
    for resource in resources:
        for op in resource.operations:
            for param in op.parameters:
                if param.client_parameter and param.client_parameter not in found:
                    found[param.client_parameter] = ClientParameter(name=param.client_parameter,
                                                                    description=param.description)
    return tuple(found[k] for k in sorted(found))
