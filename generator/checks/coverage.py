"""Coverage: every operation of the spec is exactly one method of the generated client (one per variant, where
x-careforge-variants lists them), or ignored."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass, field

from ..ir.model import Api


@dataclass
class Coverage:
    mapped: list[tuple[str, str]] = field(default_factory=list)  # (operationId, client.path.method())
    ignored: list[tuple[str, str]] = field(default_factory=list)  # (operationId, reason)
    missing: list[str] = field(default_factory=list)  # problems

    @property
    def ok(self) -> bool:
        return not self.missing


def _methods(source: str) -> dict[str, set[str]]:
    classes: dict[str, set[str]] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.ClassDef):
            classes[node.name] = {
                item.name for item in node.body if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
            }
    return classes


def coverage(api: Api, files: Mapping[str, str]) -> Coverage:
    """Checks the generated resource modules (as given, e.g. read from disk) against the operations."""
    report = Coverage(ignored=list(api.ignored))
    seen: dict[tuple[str, str], str] = {}
    for resource in api.resources:
        module = f"{api.package.module}/resources/{'_'.join(resource.path)}.py"
        classes = _methods(files[module]) if module in files else {}
        for op in resource.operations:
            where = f"client.{'.'.join(resource.path)}.{op.name}()"
            key = (op.operation_id, op.variant)  # each variant of an operation is a method of its own
            if key in seen:
                report.missing.append(f"{op.operation_id} maps to {seen[key]} and {where}")
            seen[key] = where
            sync_ok = op.name in classes.get(resource.class_name, set())
            async_ok = op.name in classes.get(f"Async{resource.class_name}", set())
            if sync_ok and async_ok:
                report.mapped.append((op.operation_id, where))
            else:
                report.missing.append(f"{op.operation_id}: {where} is not in {module}")
    return report
