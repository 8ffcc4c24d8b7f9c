"""What with_raw_response and with_streaming_response need: wrapper class names and typed header models."""

from __future__ import annotations

from .. import names
from ..escape import Code, doc, literal, name
from ..ir.model import ClassName, Operation
from .model import HeaderFieldView, HeaderModelView, WrapperClasses
from .types import annotation

BASE_HEADERS = Code("ResponseHeaders")


def derived_classes(base: str) -> tuple[str, ...]:
    """Every class name a resource or client class brings along (its async twin and its wrappers)."""
    return (base, f"Async{base}", f"{base}WithRawResponse", f"Async{base}WithRawResponse",
            f"{base}WithStreamingResponse", f"Async{base}WithStreamingResponse")


def wrapper_classes(base: ClassName) -> WrapperClasses:
    _, _, raw, raw_async, streamed, streamed_async = (Code(n) for n in derived_classes(name(base)))
    return WrapperClasses(raw_sync=raw, raw_async=raw_async, streamed_sync=streamed, streamed_async=streamed_async)


def header_class(resource: ClassName, op: Operation, taken: set[str]) -> ClassName | None:
    if not op.response_headers:
        return None
    return ClassName(names.unique(names.class_name(f"{resource}_{op.name}_headers"), taken))


def header_model(class_name: ClassName, op: Operation) -> HeaderModelView:
    fields = []
    for header in op.response_headers:
        typed = annotation(header.type, input=False)
        described = f", description={literal(header.description)}" if header.description else ""
        if header.required:
            declaration = f"{name(header.name)}: {typed} = pydantic.Field(alias={literal(header.wire_name)}{described})"
        else:
            declaration = (f"{name(header.name)}: {typed} | None = pydantic.Field(default=None, "
                           f"alias={literal(header.wire_name)}{described})")
        fields.append(HeaderFieldView(declaration=Code(declaration)))
    return HeaderModelView(name=name(class_name), doc=doc(f"The headers {op.method.value} {op.path} documents."),
                           fields=tuple(fields))


def async_wrappers(op: Operation) -> tuple[Code, Code]:
    """Pagers are plain methods in the async client: their wrappers fetch the first page."""
    kind = "async_pager" if op.pagination is not None else "async"
    return Code(f"{kind}_to_raw_response_wrapper"), Code(f"{kind}_to_streamed_response_wrapper")
