"""One comparison from start to end: load both specs, compare them, compare the packages they make,
and give the version verdict."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..pipeline import Target
from .changes import Change, Level, PythonChange
from .verdict import Bump, needed, next_version

if TYPE_CHECKING:
    from ..fileset import FileSet
    from ..resolve import ResolvedSpec
    from ..ir.model import Api


@dataclass
class Report:
    old: str  # how each side is named in messages
    new: str
    version: str  # the package's version before
    new_version: str  # the package's version in the new rules
    changes: list[Change] = field(default_factory=list)
    python: list[PythonChange] = field(default_factory=list)
    name: str = ""  # the vendor, when comparing vendor specs

    @property
    def bump(self) -> Bump:
        return needed([c.level for c in self.changes] + [p.level for p in self.python], self.version)

    @property
    def suggested(self) -> str:
        return next_version(self.version, self.bump)

    def counts(self) -> dict[str, int]:
        return {level.label: sum(1 for c in self.changes if c.level is level) for level in reversed(Level)}


def diff(old: Target, new: Target, *, python: bool = True, name: str = "") -> Report:
    """Raises SpecError when either spec is unusable (each problem named with its file and line)."""
    from .spec_diff import compare

    before, after = _loaded(old), _loaded(new)
    changes = compare(before, after)
    report = Report(old=old.label, new=new.label, version=_version(old, before.root.data),
                    new_version=_version(new, after.root.data), changes=changes, name=name)
    if python:
        from .surface import python_changes

        report.python = python_changes(_build(old), _build(new), changes, _rules_text(old) != _rules_text(new))
    return report


def _loaded(target: Target) -> ResolvedSpec:
    """Loaded, resolved and OpenAPI 3 at all, or SpecError naming the file (the full check comes with
    the build of the Python API)."""
    from ..diagnostics import SpecError
    from ..load import load
    from ..resolve import resolve
    from ..validate import check_shape

    spec = resolve(load(target.spec, target.label))
    problems = list(check_shape(spec))
    if problems:
        raise SpecError(problems)
    return spec


def _version(target: Target, data: object) -> str:
    """The package version as the generator sets it: rules.toml's, else the spec's info.version."""
    from ..ir.build import default_package
    from ..rules import load_rules

    rules, _ = load_rules(target.rules, str(target.rules or "rules.toml"))
    chosen = rules.package.get("version")
    if chosen:
        return chosen
    info = data.get("info") if isinstance(data, dict) else None
    version = info.get("version") if isinstance(info, dict) else None
    return default_package("", str(version or "0.1.0")).version


def _build(target: Target) -> tuple[FileSet, Api]:
    from ..pipeline import build

    built = build(target)
    return built.files, built.api


def _rules_text(target: Target) -> str:
    return target.rules.read_text(encoding="utf-8") if target.rules and target.rules.is_file() else ""


def worst_bump(reports: Sequence[Report]) -> Bump:
    return max((r.bump for r in reports), default=Bump.NONE)
