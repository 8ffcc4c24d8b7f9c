"""Vendor rules (`rules.toml`): package identity, ignored operations, method names. Api -> Api."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from pathlib import Path

from . import names
from .diagnostics import Diagnostic, Location, Severity
from .versions import valid_version
from .ir.model import Api, ClassName, ModelsLayout, Operation, Package, PythonIdentifier

_DISTRIBUTION = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$")
_KNOWN = {"package": {"name", "module", "client", "title", "version", "license", "models"}, "ignore": None, "methods": None}


_TOML_AT = re.compile(r" \(at line (\d+), column (\d+)\)")


@dataclasses.dataclass(frozen=True)
class Rules:
    package: dict[str, str]
    ignore: dict[str, str]
    methods: dict[str, str]


def load_rules(path: Path | None, display: str) -> tuple[Rules, list[Diagnostic]]:
    empty = Rules({}, {}, {})
    if path is None or not path.is_file():
        return empty, []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return empty, [_problem(display, f"rules file is not UTF-8 text (byte {exc.start})", "save it as UTF-8")]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = _TOML_AT.search(str(exc))
        line, column = (int(where[1]), int(where[2])) if where else (1, 1)
        message = _TOML_AT.sub("", str(exc))
        return empty, [_problem(display, f"rules file is not valid TOML: {message}", "fix the TOML syntax", line,
                                column)]
    problems = []
    for key, value in data.items():
        if key not in _KNOWN:
            problems.append(_problem(display, f"unknown table [{key}]", "use [package], [ignore] or [methods]"))
        elif not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            problems.append(_problem(display, f"[{key}] must map names to strings", "write key = \"value\" lines"))
    if problems:
        return empty, problems
    package = data.get("package", {})
    problems += [_problem(display, f"unknown key {k!r} in [package]", f"use one of {sorted(_KNOWN['package'] or [])}")
                 for k in package if k not in (_KNOWN["package"] or set())]
    return Rules(package, data.get("ignore", {}), data.get("methods", {})), problems


def _problem(display: str, message: str, hint: str, line: int = 1, column: int = 1) -> Diagnostic:
    where = Location(file=display, line=line, column=column)
    return Diagnostic(severity=Severity.ERROR, code="E-RULES", message=message, location=where, hint=hint)


def apply_rules(api: Api, rules: Rules, display: str) -> tuple[Api, list[Diagnostic]]:
    problems: list[Diagnostic] = []
    known = {op.operation_id for op in api.operations}
    for op_id in [*rules.ignore, *rules.methods]:
        if op_id not in known:
            problems.append(_problem(display, f"no operation has operationId {op_id!r}", "fix the operationId"))
    for op_id in sorted({op.operation_id for op in api.operations if op.variant} & set(rules.methods)):
        problems.append(_problem(display, f"[methods] renames {op_id!r}, whose methods x-careforge-variants names",
                                 "rename them in the spec's x-careforge-variants"))
    resources = tuple(
        dataclasses.replace(r, operations=tuple(_rename(op, rules) for op in r.operations if op.operation_id not in rules.ignore))
        for r in api.resources
    )
    package, package_problems = _package(api.package, rules.package, display)
    ignored = tuple(sorted(rules.ignore.items()))
    return dataclasses.replace(api, resources=resources, package=package, ignored=ignored), problems + package_problems


def _rename(op: Operation, rules: Rules) -> Operation:
    override = rules.methods.get(op.operation_id) if not op.variant else None
    return dataclasses.replace(op, name=names.identifier(override, fallback="call")) if override else op


def _package(default: Package, values: dict[str, str], display: str) -> tuple[Package, list[Diagnostic]]:
    problems = []
    distribution = values.get("name", default.distribution)
    if not _DISTRIBUTION.match(distribution):
        problems.append(_problem(display, f"package name {distribution!r} is not a valid distribution name",
                                 "use letters, digits, '-', '_' and '.'"))
        distribution = default.distribution
    module = values.get("module", default.module)
    if not module.isidentifier() or module != names.identifier(module):
        problems.append(_problem(display, f"module {module!r} is not a plain lower-case Python name",
                                 "use a name like vendor_client"))
        module = default.module
    client = names.client_class(values["client"]) if "client" in values else default.client
    layouts = {layout.value: layout for layout in ModelsLayout}
    layout = layouts.get(values["models"]) if "models" in values else default.models_layout
    if layout is None:
        problems.append(_problem(display, f"models layout {values['models']!r} is not one of {', '.join(layouts)}",
                                 "use 'auto' (split above a few hundred models), 'one-module' or 'per-model'"))
        layout = default.models_layout
    version = values.get("version", default.version)
    if not valid_version(version):
        problems.append(_problem(display, f"version {version!r} is not a valid Python package version",
                                 "use a version like 1.2.0 (PEP 440)"))
        version = default.version
    return dataclasses.replace(
        default,
        distribution=distribution,
        module=PythonIdentifier(module),
        client=client,
        async_client=ClassName(f"Async{client}"),
        title=values.get("title", default.title),
        version=version,
        license=values.get("license", default.license),
        models_layout=layout,
    ), problems


def with_package_name(api: Api, module: str | None) -> Api:
    """`--package NAME` on the command line: the import name and the distribution name."""
    if not module:
        return api
    ident = names.identifier(module)
    return dataclasses.replace(api, package=dataclasses.replace(api.package, module=ident,
                                                                 distribution=ident.replace("_", "-")))

