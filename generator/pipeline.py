"""The one place the stages run in order:

    load -> resolve -> validate -> build IR -> rules -> views -> models + render -> format -> manifest -> write

Every stage before `write` is pure; nothing is written unless every target built cleanly. The OpenAPI
validator and lint, the slowest checks, run in a child process beside the stages after them (see `build`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .diagnostics import Diagnostic, Location, Severity, SpecError, has_errors
from .fileset import FileSet

if TYPE_CHECKING:  # the stages are imported where they run, to keep start-up quick
    from .ir.model import Api
    from .model_worker import Worker
    from .resolve import ResolvedSpec
    from .validate import Validation

# What changed for callers since a package was last written: given its folder, its name and the spec being
# built, a comparison begins beside the build; what it returns gives the line once the new files are built.
Summarize = Callable[[Path, str, "ResolvedSpec"], Callable[[FileSet], "str | None"]]


@dataclass(frozen=True)
class Target:
    """One spec to turn into one package folder."""

    spec: Path
    out: Path
    rules: Path | None = None
    strict: bool = False
    package: str | None = None
    display: str = ""
    changelog: Path | None = None  # a vendor's CHANGELOG.md (`careforge bump` writes it), copied into the package

    @property
    def label(self) -> str:
        return self.display or self.spec.name

    @property
    def options(self) -> str:
        return f"package={self.package or ''};strict={self.strict};spec={self.spec_name}"

    @property
    def spec_name(self) -> str:
        # Written into the package, so it must not depend on how the path was typed.
        relative = Path(os.path.normpath(self.label))
        return self.spec.name if relative.is_absolute() or ".." in relative.parts else relative.as_posix()


@dataclass
class Built:
    target: Target
    files: FileSet
    api: Api
    warnings: list[Diagnostic] = field(default_factory=list)
    summary: Callable[[FileSet], str | None] = lambda files: None


def build(target: Target, summarize: Summarize | None = None) -> Built:
    """Every stage but writing; raises SpecError with every problem found. `summarize` begins beside the
    build once the spec passed the quick checks."""
    from .load import load
    from .resolve import resolve
    from .validate import finish, start

    spec = resolve(load(target.spec, target.label))
    # The OpenAPI validator and lint run in a child while the package is built from the spec they have
    # not yet passed; their verdict is awaited before anything is returned, and a spec they reject is
    # reported as before, whatever the stages built from it did.
    from .model_worker import start as models_ready
    from .models import GROUP_FROM

    # First of all: the model generator takes longest to be ready, so it is made ready beside, if it will run.
    engine = models_ready(spec, most=GROUP_FROM)
    try:
        checking = start(spec, strict=target.strict)
        if checking.failed_early:
            raise SpecError(finish(checking))
        return _checked_build(target, spec, checking, engine, summarize)
    finally:
        if engine is not None:
            engine.stop()


def _checked_build(target: Target, spec: ResolvedSpec, checking: Validation, engine: Worker | None,
                   summarize: Summarize | None) -> Built:
    from .validate import finish

    if summarize:
        from .ir import build as _ir  # noqa: F401 - imported before the fork: the comparison reads the IR's names
    summary = _begin_summary(target, spec, summarize) if summarize else None
    try:
        built = _build_from(target, spec, engine)
    except SpecError as exc:
        # Lint's findings come first, as when lint ran before the stages; its errors stop the run alone.
        rejected = finish(checking)
        if has_errors(rejected):
            raise SpecError(rejected) from None
        raise SpecError([*checking.lint_found(), *exc.diagnostics]) from None
    except Exception:
        rejected = finish(checking)
        if has_errors(rejected):
            raise SpecError(rejected) from None
        raise
    if has_errors(verdict := finish(checking)):
        raise SpecError(verdict)
    built.warnings = [*checking.lint_found(), *built.warnings]
    if summary is not None:
        built.summary = summary
    return built


def _build_from(target: Target, spec: ResolvedSpec, engine: Worker | None = None) -> Built:
    """The package from a spec that passed the quick checks; lint and the validator may still be at work."""
    from .ir.build import build as build_ir
    from .rules import apply_rules, load_rules, with_package_name

    from .manifest import digest_bytes

    # Taken before they are read: an edit during the run then makes the next run build again.
    read = {path: digest_bytes(path.read_bytes()) if path.is_file() else None
            for path in (target.rules, target.changelog) if path is not None}
    read.update({doc.path: doc.digest for doc in spec.documents.values() if doc.digest is not None})
    diagnostics: list[Diagnostic] = []
    api, found = build_ir(spec, strict=target.strict)
    diagnostics += found
    rules_display = _display(target.rules, target.label)
    rules, found = load_rules(target.rules, rules_display)
    diagnostics += found
    api, found = apply_rules(api, rules, rules_display)
    diagnostics += found
    api = with_package_name(api, target.package)
    if has_errors(diagnostics):
        raise SpecError(diagnostics)
    files = _package_files(target, spec, api, engine, read)
    return Built(target=target, files=files, warnings=diagnostics, api=api)


def _display(rules: Path | None, spec_label: str) -> str:
    if rules is None:
        return "rules.toml"
    return str(Path(spec_label).parent / rules.name) if spec_label else rules.name


def _package_files(target: Target, spec: ResolvedSpec, api: Api, engine: Worker | None,
                   read: dict[Path, str | None]) -> FileSet:
    from .bundle import bundle
    from .format import format_files
    from .manifest import NAME, Inputs, render_manifest
    from .escape import one_line
    from .model_split import model_files
    from .models import generate_models
    from .render import render
    from .view import build_views

    spec_name = target.spec_name
    views = build_views(api, spec_name=spec_name)
    models_source = generate_models(api, spec_name=spec_name, title=api.package.title, engine=engine)
    if engine is not None:
        from .model_worker import made

        made(spec)
    models = model_files(models_source, layout=api.package.models_layout, title_line=one_line(api.package.title))
    changelog = _changelog(target)
    files = format_files(render(views, models=models, spec_bundle=bundle(spec), changelog=changelog))
    inputs = Inputs.collect(target.spec, spec.files, target.rules, target.options, target.changelog, read=read)
    return files.replace({NAME: render_manifest(inputs, files)})


def _changelog(target: Target) -> str | None:
    if target.changelog is None or not target.changelog.is_file():
        return None
    try:
        return target.changelog.read_text(encoding="utf-8")
    except UnicodeDecodeError:  # the user's file, not a bug of ours: reported as a spec's is
        raw = target.changelog.read_bytes()
        try:
            raw.decode("utf-8")
            start = 0
        except UnicodeDecodeError as exc:
            start = exc.start
        where = Location(file=_display(target.changelog, target.label), line=raw.count(b"\n", 0, start) + 1,
                         column=start - raw.rfind(b"\n", 0, start))
        raise SpecError([Diagnostic(severity=Severity.ERROR, code="E-FILE", message=f"not UTF-8 text (byte {start})",
                                    location=where, hint="save it as UTF-8")]) from None


_SUMMARY_FAILED = (SpecError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError)


def _begin_summary(target: Target, spec: ResolvedSpec, summarize: Summarize) -> Callable[[FileSet], str | None]:
    try:
        return summarize(target.out, target.out.name, spec)
    except _SUMMARY_FAILED:
        return lambda files: None


def _summary(result: Built) -> str | None:
    """A line on what changed for callers; a package is still written if the comparison fails."""
    try:
        return result.summary(result.files)
    except _SUMMARY_FAILED:
        return None


@dataclass
class Outcome:
    written: list[Target] = field(default_factory=list)
    unchanged: list[Target] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    discarded: list[tuple[Target, str]] = field(default_factory=list)  # what --force removed, described
    summaries: list[str] = field(default_factory=list)  # what changed for callers, per changed package


def generate(targets: Sequence[Target], *, force: bool = False,
             progress: Callable[[str], None] = lambda step: None,
             summarize: Summarize | None = None) -> Outcome:
    """Build every target that changed, then write them all; a spec error anywhere writes nothing.
    `force`: build even when unchanged, and replace files Careforge did not write (out_folder).
    `summarize` tells what changed for callers (the spec diff, which sits above this module)."""
    from .manifest import up_to_date
    from .out_folder import check
    from .write import recover, write_tree

    outcome = Outcome()
    built: list[Built] = []
    errors: list[Diagnostic] = []
    for target in targets:  # before any work: a refused folder stops the run with nothing touched
        recover(target.out)
        found = check(target.out, force=force)
        if found:
            outcome.discarded.append((target, found.described()))
    for target in targets:
        if not force and up_to_date(target.out, target.spec, target.rules, target.options, target.changelog):
            outcome.unchanged.append(target)
            continue
        progress(f"building {target.out} from {target.label}")
        try:
            result = build(target, summarize)
        except SpecError as exc:
            errors.extend(exc.diagnostics)
            continue
        built.append(result)
        outcome.warnings.extend(result.warnings)
    if errors:
        raise SpecError(errors + outcome.warnings)
    for result in built:
        summary = _summary(result)
        if summary:
            outcome.summaries.append(summary)
    for result in built:
        progress(f"writing {result.target.out}")
        write_tree(result.target.out, result.files)
        outcome.written.append(result.target)
    return outcome
