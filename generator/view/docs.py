"""README.md and api.md of a generated package."""

from __future__ import annotations

from collections.abc import Mapping

from ..escape import Code, Markdown, md, md_code, md_prose, name
from ..ir.model import (Api, ArrayType, AuthKind, BinaryType, BodyEncoding, ModelType, Operation, PythonIdentifier,
                        Resource, ResponseKind, SecurityScheme)
from .client import credential_doc, env_variables, log_variable
from .model import AuthExampleView, DocsView, RowView
from .guides import guides, null_note
from .layout import fits
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


def docs_view(api: Api, sync_returns: Mapping[tuple[tuple[PythonIdentifier, ...], PythonIdentifier], Code],
              shapes: Shapes) -> DocsView:
    package = api.package
    operations = tuple(
        RowView(cells=(
            md_code(f"client.{_attr(r)}.{op.name}()"),
            md_code(f"{op.method.value} {op.path}"),
            md_code(sync_returns[(r.path, op.name)]),
            md(op.summary.strip().split("\n")[0] if op.summary.strip() else op.operation_id),
        ))
        for r in api.resources for op in r.operations
    )
    paginated = next(((r, op) for r in api.resources for op in r.operations if op.pagination), None)
    raw = _raw_pick(api)
    reads = [(r, op) for r in api.resources for op in r.operations if op.pagination is None]
    download = next(((r, op) for r, op in reads if any(x.kind is ResponseKind.BINARY for x in op.responses)),
                    next(((r, op) for r, op in reads if op.name in ("retrieve", "get")), raw))
    stream = _example_line(*download, shapes, via="with_streaming_response") if download else Markdown("")
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
        auth_examples=tuple(AuthExampleView(comment=md(" + ".join(f"{s.key}: {_kind(s)}" for s in way)),
                                            arguments=_arguments(api, way)) for way in _ways_in(api)),
        client_arguments=_arguments(api, next(iter(_ways_in(api)), ())),
        has_calls=raw is not None,
        raw_example=_example_line(*raw, shapes, via="with_raw_response") if raw else Markdown(""),
        raw_header=Markdown(name(raw[1].response_headers[0].name)) if raw and raw[1].response_headers else Markdown(""),
        has_raw_header=bool(raw and raw[1].response_headers),
        stream_example=stream,
        stream_fits=fits(f"with {stream} as streamed:", indent=0),
        left_out=tuple(RowView(cells=(md_prose(what), md_prose(why))) for what, why in api.left_out),
        has_files=any(_takes_files(op) for op in api.operations),
    )


def _takes_files(op: Operation) -> bool:
    """Whether a method has a file argument (FileInput): a raw body, or a file field of a form."""
    body = op.body
    if body is None:
        return False
    if body.encoding is BodyEncoding.BINARY:
        return True
    return any(isinstance(f.type, BinaryType) or (isinstance(f.type, ArrayType) and isinstance(f.type.item, BinaryType))
               for f in body.fields or ())


def _ways_in(api: Api) -> list[tuple[SecurityScheme, ...]]:
    """The security alternatives the operations accept, in first-seen order (schemes sent together are one)."""
    schemes = {s.key: s for s in api.security_schemes}
    found: list[tuple[SecurityScheme, ...]] = []
    for op in api.operations:
        for alternative in op.security:
            way = tuple(schemes[k] for k in alternative if k in schemes)
            if way and way not in found:
                found.append(way)
    return found


def _arguments(api: Api, way: tuple[SecurityScheme, ...]) -> Markdown:
    """Constructor arguments for one way in: the client's own values and its schemes' credentials."""
    names = [p.name for p in api.client_parameters]
    for scheme in way:
        names += [c for c in (*scheme.credentials, *scheme.options) if c not in names]
    # Identifiers only (names.identifier made them): nothing here can break out of a code fence.
    return Markdown("".join(f'{n}="...", ' for n in names))


def _raw_pick(api: Api) -> tuple[Resource, Operation] | None:
    """An operation to show raw responses with: one that documents response headers, if any does."""
    plain = sorted(((r, op) for r in api.resources for op in r.operations if op.pagination is None),
                   key=lambda pair: (not pair[1].response_headers, pair[1].name not in ("retrieve", "get")))
    return next(iter(plain), next(((r, op) for r in api.resources for op in r.operations), None))


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


def _example_line(resource: Resource, op: Operation, shapes: Shapes, *, via: str = "") -> Markdown:
    # Code made of identifiers and repr literals: one line, so it cannot close the Markdown fence.
    prefix = f"client.{via}." if via else "client."
    call = f"{prefix}{'.'.join(name(p) for p in resource.path)}.{name(op.name)}({example_arguments(op, shapes)})"
    return Markdown(call.replace("\n", " "))
