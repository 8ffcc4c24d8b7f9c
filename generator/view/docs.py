"""README.md and api.md of a generated package."""

from __future__ import annotations

from collections.abc import Mapping

from ..escape import Code, Markdown, md, md_code, name
from ..ir.model import Api, AuthKind, ModelType, Operation, Resource, SecurityScheme
from .client import credential_doc, env_variables, log_variable
from .model import DocsView, RowView
from .guides import guides, null_note
from .samples import Shapes
from .tests import example_arguments

_AUTH_KIND = {
    AuthKind.BASIC: "HTTP Basic",
    AuthKind.BEARER: "Bearer token",
    AuthKind.API_KEY: "API key",
    AuthKind.OAUTH2_CLIENT_CREDENTIALS: "OAuth2 client credentials (token fetched, cached and renewed for you)",
}


def _kind(scheme: SecurityScheme) -> str:
    if scheme.signing is not None:
        return "API key, every request HMAC-SHA256 signed"
    return _AUTH_KIND[scheme.kind]


def docs_view(api: Api, sync_returns: Mapping[str, str], shapes: Shapes) -> DocsView:
    package = api.package
    operations = tuple(
        RowView(cells=(
            md_code(f"client.{_attr(r)}.{op.name}()"),
            md_code(f"{op.method.value} {op.path}"),
            md_code(sync_returns[op.operation_id]),
            md(op.summary.strip().split("\n")[0] if op.summary.strip() else op.operation_id),
        ))
        for r in api.resources for op in r.operations
    )
    paginated = next(((r, op) for r in api.resources for op in r.operations if op.pagination), None)
    return DocsView(
        title=md(package.title),
        description=md(api.description.strip().split("\n\n")[0]) if api.description.strip() else Markdown(""),
        distribution=md(package.distribution),
        # The distribution name is checked against PEP 508's name pattern: plain text in a code fence.
        install=Markdown(f"pip install {package.distribution}"),
        servers=tuple(RowView(cells=(md_code(s.url), md(s.description))) for s in api.servers),
        auth_rows=tuple(
            RowView(cells=(md_code(s.key), md(_kind(s)), md(", ".join(f"{c}=" for c in (*s.credentials, *s.options))),
                           md(s.description)))
            for s in api.security_schemes
        ),
        operations=operations,
        examples=tuple(_example(r, shapes) for r in api.resources if r.operations),
        client_parameters=tuple(RowView(cells=(md_code(f"{p.name}="), md(p.description))) for p in api.client_parameters),
        has_client_parameters=bool(api.client_parameters),
        has_pagination=paginated is not None,
        pagination_example=_example_line(*paginated, shapes) if paginated else Markdown(""),
        environment=_environment(api),
        log_variable=md(log_variable(api)),
        logger=md(api.package.module),
        guides=guides(api, shapes),
        null_note=null_note(api),
        error_model=next((name(r.type.name) for op in api.operations for r in op.errors
                          if isinstance(r.type, ModelType)), Code("")),
    )


def _environment(api: Api) -> tuple[RowView, ...]:
    meaning = {c: credential_doc(api, c, short=True) for c, _ in env_variables(api)[:-1]}
    meaning["base_url"] = "the server (default: the first one listed above)"
    rows = [RowView(cells=(md_code(variable), Markdown(f"{md_code(argument + '=')} {md(meaning[argument])}")))
            for argument, variable in env_variables(api)]
    log = "`info` or `debug` turns the client's log on (see Logging)"
    return (*rows, RowView(cells=(md_code(log_variable(api)), Markdown(log))))


def _attr(resource: Resource) -> str:
    return ".".join(resource.path)


def _pick(resource: Resource) -> Operation:
    for preferred in ("list", "retrieve", "get"):
        for op in resource.operations:
            if op.name == preferred:
                return op
    return resource.operations[0]


def _example(resource: Resource, shapes: Shapes) -> Markdown:
    return _example_line(resource, _pick(resource), shapes)


def _example_line(resource: Resource, op: Operation, shapes: Shapes) -> Markdown:
    # Code made of identifiers and repr literals: one line, so it cannot close the Markdown fence.
    call = f"client.{'.'.join(name(p) for p in resource.path)}.{name(op.name)}({example_arguments(op, shapes)})"
    return Markdown(call.replace("\n", " "))
