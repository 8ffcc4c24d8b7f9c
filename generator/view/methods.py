"""One operation as a method: signature, docstring, and the call into the runtime."""

from __future__ import annotations

from ..escape import Code, Doc, docstring, literal, name, tuple_of
from ..ir.model import (
    BodyEncoding,
    BodyField,
    Operation,
    Parameter,
    ParamLocation,
    RequestBody,
    PythonIdentifier,
    Response,
    ResponseKind,
    TypeRef,
)
from .jobs import accepted_type, job_spec, result_type
from .model import MethodView, ParamView
from .layout import parenthesized
from .types import annotation
from .wrappers import BASE_HEADERS, async_wrappers
from .xml_code import xml_document_code


def returns_nothing(op: Operation) -> bool:
    """True when the method is declared to return None (so a test must not use its result)."""
    return op.pagination is None and op.long_running is None and _return_type(op)[1]


def method_view(op: Operation, poll: Operation | None, headers_class: Code = BASE_HEADERS) -> MethodView:
    """`poll`: for a long-running write, the operation that reports its progress; `headers_class`: what
    its raw response's `parse_headers()` returns."""
    positional, keyword = _arguments(op)
    returns, is_none = _return_type(op)
    item = annotation(op.pagination.item_type, input=False) if op.pagination else Code("")
    envelope = _envelope(op)
    pager = f"[{item}, {envelope}]"
    has_body = op.body is not None
    job = op.long_running is not None and poll is not None
    accepted, result = (accepted_type(op), result_type(op)) if job else (Code(""), Code(""))
    if job:
        returns = Code(f"LongRunning[{result}, {accepted}]")
    return MethodView(
        name=name(op.name),
        constant=Code(f"_{op.name.upper()}"),
        operation_spec=operation_spec(op),
        docstring=_docstring(op),
        positional=positional,
        keyword=keyword,
        sync_return=Code(f"SyncPager{pager}") if op.pagination else returns,
        async_return=Code(f"AsyncPager{pager}") if op.pagination else Code(f"Async{returns}") if job else returns,
        values=_values(op),
        body=_body(op),
        envelope=envelope,
        has_body=has_body,
        paginated=op.pagination is not None,
        returns_value=op.pagination is None and not is_none and not job,
        returns_none=op.pagination is None and is_none and not job,
        long_running=job,
        job_constant=Code(f"_{op.name.upper()}_JOB"),
        job_spec=job_spec(op, poll, operation_spec(poll), value_key) if job and poll is not None else Code(""),
        accepted_type=accepted,
        result_type=result,
        headers_class=headers_class,
        async_raw_wrapper=async_wrappers(op)[0],
        async_streamed_wrapper=async_wrappers(op)[1],
    )


def _typed(op: Operation) -> list[Parameter | BodyField]:
    params: list[Parameter | BodyField] = [p for p in op.parameters if not p.client_parameter]
    if op.body is not None and op.body.fields is not None:
        params.extend(op.body.fields)
    return params


def _arguments(op: Operation) -> tuple[tuple[ParamView, ...], tuple[ParamView, ...]]:
    positional = [_param_view(p.name, p.type, True, p.description) for p in op.parameters
                  if p.location is ParamLocation.PATH and not p.client_parameter]
    required: list[ParamView] = []
    optional: list[ParamView] = []
    for p in op.parameters:
        if p.location is ParamLocation.PATH or p.client_parameter:
            continue
        (required if p.required else optional).append(_param_view(p.name, p.type, p.required, p.description))
    body = op.body
    if body is not None and body.fields is not None:
        for f in body.fields:
            (required if f.required else optional).append(_param_view(f.name, f.type, f.required, f.description))
    elif body is not None:
        needed = body.required and body.default is None  # else the spec's default is sent
        view = _param_view(PythonIdentifier("body"), body.type, needed, body.description)
        (required if needed else optional).append(view)
    return tuple(positional), tuple(required + optional)


def _param_view(ident: PythonIdentifier, t: TypeRef, required: bool, description: str) -> ParamView:
    annotated = annotation(t, input=True) + ("" if required else " | NotGiven")
    default = "" if required else " = NOT_GIVEN"
    return ParamView(name=name(ident), declaration=Code(f"{name(ident)}: {parenthesized(annotated, name(ident), default)}{default}"))


def _return_type(op: Operation) -> tuple[Code, bool]:
    kinds = [r for r in op.responses if r.type is not None and r.kind is not ResponseKind.EMPTY]
    empties = [r for r in op.responses if r.kind is ResponseKind.EMPTY]
    if not kinds:
        return Code("None"), True
    parts: list[str] = []
    for response in kinds:
        assert response.type is not None
        # An XML document without a schema is returned as its (safely parsed) element tree.
        untyped = response.kind is ResponseKind.XML and response.xml is None
        text = "XmlElement" if untyped else annotation(response.type, input=False)
        if text not in parts:
            parts.append(text)
    if empties and "None" not in parts:
        parts.append("None")
    if "typing.Any" in parts:
        return Code("typing.Any"), False
    return Code(" | ".join(parts)), False


def _envelope(op: Operation) -> Code:
    first = next((r for r in op.responses if r.kind is ResponseKind.JSON and r.type is not None), None)
    if first is None or first.type is None:
        return Code("typing.Any")
    return annotation(first.type, input=False)


def _values(op: Operation) -> Code:
    entries = []
    for p in op.parameters:
        value = f"self._client.client_parameter({literal(p.client_parameter)})" if p.client_parameter else name(p.name)
        entries.append(f"{literal(value_key(op, p))}: {value}")
    return Code("{" + ", ".join(entries) + "}")


def value_key(op: Operation, param: Parameter) -> str:
    """The parameter's key in the call's values: its wire name, or "location:name" where a path and a
    query parameter (say) share one, so neither overwrites the other."""
    shared = sum(1 for p in op.parameters if p.wire_name == param.wire_name) > 1
    return f"{param.location.value}:{param.wire_name}" if shared else param.wire_name


def _body(op: Operation) -> Code:
    body = op.body
    if body is None:
        return Code("NOT_GIVEN")
    if body.fields is None:
        return Code("body")
    return Code("{" + ", ".join(f"{literal(f.wire_name)}: {name(f.name)}" for f in body.fields) + "}")


def operation_spec(op: Operation) -> Code:
    params = tuple_of([_param_spec(op, p) for p in op.parameters])
    responses = ", ".join(f"{literal(r.status)}: {_response_spec(r)}" for r in op.responses)
    security = tuple_of([tuple_of([literal(k) for k in alt]) for alt in op.security])
    parts = [
        f"method={literal(op.method.value)}",
        # A fragment some specs add to a path key to tell operations apart (`/{Key}#uploadId`) is never sent.
        f"path={literal(op.path.split('#', 1)[0])}",
        f"params={params}",
        f"responses={{{responses}}}",
        f"security={security}",
        f"idempotent={op.idempotent}",
        f"retry_safe={op.retry_safe}",
        f"accept={literal(_accept(op))}",
    ]
    # Typed error bodies, and every 2xx filed as an error (x-careforge-error-statuses): the runtime raises those.
    errors = [f"{literal(r.status)}: {_response_spec(r)}" for r in op.errors
              if (r.kind is ResponseKind.JSON and r.type is not None) or r.status.startswith("2")]
    if errors:
        parts.append(f"errors={{{', '.join(errors)}}}")
    if op.body is not None:
        parts.append(f"body={_body_spec(op.body)}")
    if op.server:
        parts.append(f"server={literal(op.server)}")
    if op.deprecated:
        parts.append("deprecated=True")
    if op.content_type:
        parts.append(f"content_type={literal(op.content_type)}")
    if op.boolean_text is not None:
        parts.append(f"boolean_text={tuple_of([literal(w) for w in op.boolean_text])}")
    if op.pagination is not None:
        pg = op.pagination
        parts.append(
            f"pagination=PaginationSpec(style={literal(pg.style.value)}, items={_tuple(pg.items_path)}, "
            f"next={_tuple(pg.next_path)}, page_param={literal(pg.page_param)}, total_pages={_tuple(pg.total_pages_path)})"
        )
    return Code(f"OperationSpec({', '.join(parts)})")


def _param_spec(op: Operation, p: Parameter) -> str:
    args = [literal(p.wire_name), literal(p.location.value), literal(p.style.value), str(p.explode)]
    if p.allow_reserved:
        args.append("allow_reserved=True")
    if value_key(op, p) != p.wire_name:
        args.append(f"key={literal(value_key(op, p))}")
    if p.deprecated:
        args.append("deprecated=True")
    return f"ParamSpec({', '.join(args)})"


def _body_spec(body: RequestBody) -> str:
    encoding = "json" if body.encoding is BodyEncoding.JSON else body.encoding.value
    args: list[str] = [literal(encoding), literal(body.media_type)]
    fields: list[str] = []
    for e in body.encodings:
        parts: list[str] = []
        if e.style is not None:
            parts += [f"style={literal(e.style.value)}", f"explode={e.explode}"]
            if e.allow_reserved:
                parts.append("allow_reserved=True")
        if e.content_type:
            parts.append(f"content_type={literal(e.content_type)}")
        if parts:
            fields.append(f"{literal(e.wire_name)}: FieldEncoding({', '.join(parts)})")
    if fields:
        args.append(f"fields={{{', '.join(fields)}}}")
    if body.required:
        args.append("required=True")
    if body.default is not None:
        args.append(f"default={literal(body.default)}")
    if body.content_encoding is not None:
        args.append(f"content_encoding={literal(body.content_encoding.value)}")
    if body.xml is not None:
        args.append(f"xml={xml_document_code(body.xml)}")
    elif body.xml_parts:
        shapes = ", ".join(f"{literal(key)}: {xml_document_code(document)}" for key, document in body.xml_parts)
        args.append(f"xml={{{shapes}}}")
    return f"BodySpec({', '.join(args)})"


def _tuple(values: tuple[str, ...]) -> str:
    return tuple_of([literal(v) for v in values])


def _response_spec(response: Response) -> str:
    if response.kind is ResponseKind.JSON and response.type is not None:
        runtime_type = annotation(response.type, input=False)
        return f"ResponseSpec('json', {runtime_type})"
    if response.kind is ResponseKind.XML and response.xml is not None and response.type is not None:
        return f"ResponseSpec('xml', {annotation(response.type, input=False)}, {xml_document_code(response.xml)})"
    return f"ResponseSpec({literal(response.kind.value)})"


def _accept(op: Operation) -> str:
    media = [r.media_type for r in op.responses if r.media_type]
    if not media:
        return "application/json"
    return ", ".join(dict.fromkeys(media))


def _argument_doc(argument: Parameter | BodyField) -> str:
    text = " ".join(argument.description.split())
    if isinstance(argument, Parameter) and argument.deprecated:
        return f"Deprecated by the API. {text}".strip()
    return text


def _docstring(op: Operation) -> Doc:
    http = f"{op.method.value} {op.path}"
    lines = [op.summary.strip() or http]
    if op.description.strip() and op.description.strip() != op.summary.strip():
        lines += ["", op.description.strip()]
    if op.summary.strip():
        lines += ["", http]
    if op.deprecated:
        lines += ["", "Deprecated by the API."]
    documented = [(a.name, _argument_doc(a)) for a in _typed(op)
                  if a.description.strip() or isinstance(a, Parameter) and a.deprecated]
    if op.body is not None and op.body.fields is None and op.body.description.strip():
        documented.append((PythonIdentifier("body"), " ".join(op.body.description.split())))
    if documented:
        lines += ["", "Args:"] + [f"    {ident}: {text}" for ident, text in documented]
    if any(r.kind is ResponseKind.BINARY for r in op.responses):
        lines += ["", *_STREAMING_HINT]
    return docstring("\n".join(lines), limit=8000)


# Binary responses: the plain call holds the whole body in memory, so point at the streaming way.
_STREAMING_HINT = (
    "The plain call returns the whole body in memory. For a large file, call this method through",
    "`client.with_streaming_response` and read the body with `iter_bytes()`, or write it with",
    "`stream_to_file(path)`; `suggested_filename` is the file name the server suggests, made safe.",
)
