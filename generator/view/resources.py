"""Resources as a tree of classes: `client.v0_5.cases.list()` walks v0_5 -> cases."""

from __future__ import annotations

from .. import names
from ..escape import Code, doc, docstring, name
from ..ir.model import Api, ClassName, Operation, PythonIdentifier, Resource
from .imports import from_imports, names_in, plain_imports, sorted_names
from .jobs import url_poll
from .methods import method_view
from .model import (ChildView, HeaderModelView, ImportView, MethodView, ResourceTwinView, ResourceView,
                    ResourceWrapperView, TwinChildView, TwinMethodView, WrappedMethodView)
from .wrappers import BASE_HEADERS, derived_classes, header_class, header_model, wrapper_classes

Path = tuple[PythonIdentifier, ...]


def module_name(path: Path) -> Code:
    return name(PythonIdentifier("_".join(path)))


def _class(path: Path, leaf: Resource | None) -> ClassName:
    return leaf.class_name if leaf is not None else names.class_name("_".join(path), fallback="Resource")


ClassNames = dict[Path, tuple[ClassName, ClassName]]


def _class_names(paths: list[Path], leaves: dict[Path, Resource], taken: set[str]) -> ClassNames:
    # Each resource has a sync and an async class, all imported side by side in _client.py:
    # tags `pets` and `async_pets` would both make `AsyncPets`, so later ones get a number.
    result: ClassNames = {}
    used = set(taken)
    for path in paths:
        base = _class(path, leaves.get(path))
        candidate = ClassName(names.first_free(base, lambda c: any(n in used for n in derived_classes(ClassName(c)))))
        used.update(derived_classes(candidate))
        result[path] = (candidate, ClassName(f"Async{candidate}"))
    return result


# What a resource module may import; it imports those of them its code uses.
_STANDARD = ("builtins", "datetime", "typing", "uuid")
_THIRD_PARTY = ("pydantic",)
_LOCAL = {
    "..": ("models",),
    ".._base_client": ("AsyncAPIResource", "SyncAPIResource"),
    ".._operation": ("BodySpec", "FieldEncoding", "OperationSpec", "PaginationSpec", "ParamSpec", "RequestOptions",
                     "ResponseSpec"),
    ".._files": ("FileInput",),
    ".._types": ("NOT_GIVEN", "BinaryResponse", "Headers", "NotGiven", "Query", "Timeout"),
    ".._xml_shape": ("XmlDocument", "XmlElement", "XmlNode"),
    ".._longrunning": ("AsyncLongRunning", "LongRunning", "LongRunningSpec"),
    ".._pagination": ("AsyncPager", "SyncPager", "paginate_async", "paginate_sync"),
    ".._response": ("ResponseHeaders", "async_pager_to_raw_response_wrapper",
                    "async_pager_to_streamed_response_wrapper", "async_to_raw_response_wrapper",
                    "async_to_streamed_response_wrapper", "to_raw_response_wrapper", "to_streamed_response_wrapper"),
}


def _used(methods: tuple[MethodView, ...], header_models: tuple[HeaderModelView, ...],
          children: tuple[ChildView, ...]) -> set[str]:
    """The names a resource module reads: in its methods' code, and in what resource.py.j2 writes around it."""
    used = {"AsyncAPIResource", "SyncAPIResource"}
    codes: list[str] = []
    for m in methods:
        codes += [m.operation_spec, m.sync_return, m.async_return, m.values, m.headers_class, m.async_raw_wrapper,
                  m.async_streamed_wrapper, *(p.declaration for p in (*m.positional, *m.keyword))]
        # As resource.py.j2 writes them: a pager gets the envelope type and no body; a job its spec and result.
        codes += [m.envelope] if m.paginated else [m.body]
        codes += [m.job_spec, m.result_type] if m.long_running else []
        # The signature's fixed arguments and the RequestOptions call (macros.j2), the sync wrappers.
        used |= {"Headers", "Query", "Timeout", "NotGiven", "NOT_GIVEN", "RequestOptions",
                 "to_raw_response_wrapper", "to_streamed_response_wrapper"}
        used |= {"typing", "builtins"} if m.has_body else set()  # extra_body's annotation
        used |= {"typing"} if m.returns_value else set()  # typing.cast
        used |= {"paginate_async", "paginate_sync"} if m.paginated else set()
        used |= {"AsyncLongRunning", "LongRunning"} if m.long_running else set()
    for model in header_models:
        codes += [f.declaration for f in model.fields]
        used.add("ResponseHeaders")
    if children:
        used.add("typing")  # typing.TYPE_CHECKING
    return used | names_in(codes)


def _imports(used: set[str]) -> tuple[tuple[Code, ...], tuple[Code, ...], tuple[ImportView, ...]]:
    return plain_imports(_STANDARD, used), plain_imports(_THIRD_PARTY, used), from_imports(_LOCAL, used)


def _twins(sync: Code, async_: Code, methods: tuple[MethodView, ...],
           children: tuple[ChildView, ...]) -> tuple[ResourceTwinView, ...]:
    sync_twin = ResourceTwinView(
        cls=sync, base=Code("SyncAPIResource"),
        children=tuple(TwinChildView(attribute=c.attribute, module=c.module, cls=c.sync_class) for c in children),
        methods=tuple(TwinMethodView(method=m, define=Code("def"), returns=m.sync_return, wait=Code(""),
                                     paginate=Code("paginate_sync"), long_running=Code("LongRunning"))
                      for m in methods))
    async_twin = ResourceTwinView(
        cls=async_, base=Code("AsyncAPIResource"),
        children=tuple(TwinChildView(attribute=c.attribute, module=c.module, cls=c.async_class) for c in children),
        # A pager is a plain method: iterating it is what awaits.
        methods=tuple(TwinMethodView(method=m, define=Code("def" if m.paginated else "async def"),
                                     returns=m.async_return, wait=Code("await "), paginate=Code("paginate_async"),
                                     long_running=Code("AsyncLongRunning"))
                      for m in methods))
    return sync_twin, async_twin


def _wrapper_twins(sync: Code, async_: Code, methods: tuple[MethodView, ...],
                   children: tuple[ChildView, ...]) -> tuple[ResourceWrapperView, ...]:
    wrappers = wrapper_classes(ClassName(sync))

    def twin(cls: Code, resource: Code, doc_text: str, wrapped: list[Code], classes: list[Code]) -> ResourceWrapperView:
        return ResourceWrapperView(
            cls=cls, doc=doc(doc_text), resource=resource,
            methods=tuple(WrappedMethodView(name=m.name, wrapper=w, headers_class=m.headers_class)
                          for m, w in zip(methods, wrapped, strict=True)),
            children=tuple(TwinChildView(attribute=c.attribute, module=c.module, cls=k)
                           for c, k in zip(children, classes, strict=True)))

    raw = "returning the raw response: `.status_code`, `.headers`,"
    streamed = "context managers over a response whose body is read only when asked."
    return (
        twin(wrappers.raw_sync, sync, f"The methods of {sync} {raw} `.parse()`.",
             [Code("to_raw_response_wrapper")] * len(methods), [c.wrappers.raw_sync for c in children]),
        twin(wrappers.raw_async, async_, f"The methods of {async_} {raw} `await .parse()`.",
             [m.async_raw_wrapper for m in methods], [c.wrappers.raw_async for c in children]),
        twin(wrappers.streamed_sync, sync, f"The methods of {sync} as {streamed}",
             [Code("to_streamed_response_wrapper")] * len(methods), [c.wrappers.streamed_sync for c in children]),
        twin(wrappers.streamed_async, async_, f"The methods of {async_} as async {streamed}",
             [m.async_streamed_wrapper for m in methods], [c.wrappers.streamed_async for c in children]),
    )


def _child(path: Path, classes: ClassNames) -> ChildView:
    sync, async_ = classes[path]
    wrappers = wrapper_classes(sync)
    six = (name(sync), name(async_), wrappers.raw_sync, wrappers.raw_async, wrappers.streamed_sync,
           wrappers.streamed_async)
    return ChildView(attribute=name(path[-1]), module=module_name(path), sync_class=name(sync),
                     async_class=name(async_), wrappers=wrappers, classes=sorted_names(six))


def _poll(api: Api, op: Operation) -> Operation | None:
    if op.long_running is None:
        return None
    if not op.long_running.poll_operation_id:
        return url_poll(op)
    return next((o for o in api.operations if o.operation_id == op.long_running.poll_operation_id), None)


def resource_tree(api: Api) -> tuple[tuple[ResourceView, ...], tuple[ChildView, ...]]:
    """Every resource module, and the top-level resources the client exposes."""
    leaves = {r.path: r for r in api.resources}
    paths: set[Path] = set()
    for path in leaves:
        paths.update(path[:i] for i in range(1, len(path) + 1))
    views = []
    ordered = sorted(paths)
    classes = _class_names(ordered, leaves, {*derived_classes(api.package.client), api.package.async_client,
                                             *names.RESERVED_RESOURCE_CLASSES})
    taken = {c for pair in classes.values() for base in pair for c in derived_classes(base)}
    taken.update(names.RESERVED_RESOURCE_CLASSES)
    for path in ordered:
        leaf = leaves.get(path)
        children = tuple(_child(p, classes) for p in ordered if len(p) == len(path) + 1 and p[:-1] == path)
        sync, async_ = classes[path]
        methods, header_models = _methods(api, leaf, sync, taken)
        description = leaf.description if leaf and leaf.description else f"The {'.'.join(path)} resources."
        standard, third_party, local = _imports(_used(methods, header_models, children))
        views.append(ResourceView(
            module=module_name(path),
            sync_class=name(sync),
            async_class=name(async_),
            doc=docstring(description),
            methods=methods,
            children=children,
            has_methods=bool(methods),
            has_children=bool(children),
            standard_imports=standard,
            has_standard_imports=bool(standard),
            third_party_imports=third_party,
            has_third_party_imports=bool(third_party),
            local_imports=local,
            wrappers=wrapper_classes(sync),
            twins=_twins(name(sync), name(async_), methods, children),
            wrapper_twins=_wrapper_twins(name(sync), name(async_), methods, children),
            header_models=header_models,
        ))
    top = tuple(_child(p, classes) for p in ordered if len(p) == 1)
    return tuple(views), top


def _methods(api: Api, leaf: Resource | None, resource: ClassName,
             taken: set[str]) -> tuple[tuple[MethodView, ...], tuple[HeaderModelView, ...]]:
    methods, models = [], []
    for op in leaf.operations if leaf else ():
        headers = header_class(resource, op, taken)
        if headers is not None:
            models.append(header_model(headers, op))
        methods.append(method_view(op, _poll(api, op), name(headers) if headers else BASE_HEADERS))
    return tuple(methods), tuple(models)
