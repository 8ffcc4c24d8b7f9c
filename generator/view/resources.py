"""Resources as a tree of classes: `client.v0_5.cases.list()` walks v0_5 -> cases."""

from __future__ import annotations

from .. import names
from ..escape import Code, doc, docstring, name
from ..ir.model import Api, ClassName, Operation, PythonIdentifier, Resource
from .jobs import url_poll
from .methods import method_view
from .model import ChildView, HeaderModelView, MethodView, ResourceView
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


def _child(path: Path, classes: ClassNames) -> ChildView:
    sync, async_ = classes[path]
    return ChildView(attribute=name(path[-1]), module=module_name(path), sync_class=name(sync),
                     async_class=name(async_), wrappers=wrapper_classes(sync))


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
        views.append(ResourceView(
            module=module_name(path),
            sync_class=name(sync),
            async_class=name(async_),
            doc=docstring(description),
            methods=methods,
            children=children,
            has_methods=bool(methods),
            has_children=bool(children),
            uses_datetime=any(m.uses_datetime for m in methods),
            uses_uuid=any(m.uses_uuid for m in methods),
            uses_xml=any(m.uses_xml for m in methods),
            wrappers=wrapper_classes(sync),
            header_models=header_models,
            has_header_models=bool(header_models),
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
