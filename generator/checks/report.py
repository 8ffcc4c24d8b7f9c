"""`careforge check`: drift, coverage, lint and (optionally) types for each target, printed as a report."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import click

from ..diagnostics import Diagnostic
from ..ir.model import Api
from ..pipeline import Target, build
from .coverage import coverage
from .drift import drift, on_disk
from .lint import lint
from .typecheck import typecheck


def run_checks(targets: Sequence[Target], *, types: bool, show: Callable[[Sequence[Diagnostic]], None]) -> int:
    """0 when every check passes, 1 otherwise (spec errors raise SpecError before this returns); `show`
    prints a target's warnings."""
    failed = False
    for target in targets:
        built = build(target)
        if built.warnings:
            show(built.warnings)
        label = str(target.out)
        differences = drift(target.out, built.files, label)
        if differences:
            failed = True
            click.echo("\n".join(differences))
            click.echo(f"drift: {label} differs from what {target.label} generates; {_remedy(target)}", err=True)
        else:
            click.echo(f"drift: {label} is up to date")
        assert isinstance(built.api, Api)
        disk = {path: data.decode("utf-8", "replace") for path, data in on_disk(target.out).items()}
        report = coverage(built.api, disk)
        operations = len({op_id for op_id, _ in report.mapped})
        more = f" ({len(report.mapped)} methods)" if len(report.mapped) != operations else ""
        click.echo(f"coverage: {operations} operations -> methods{more}, {len(report.ignored)} ignored")
        for op_id, reason in report.ignored:
            click.echo(f"  ignored {op_id}: {reason}")
        for problem in report.missing:
            click.echo(f"  MISSING {problem}", err=True)
        failed = failed or not report.ok
        if not differences:
            passed, output = lint(target.out)
            click.echo(f"lint: ruff check {'passed' if passed else 'FAILED'} on {label}")
            if not passed:
                click.echo(output, err=True)
                failed = True
        if types and not differences:
            passed, output = typecheck(target.out, built.api.package.module)
            click.echo(f"types: mypy --strict {'passed' if passed else 'FAILED'} on {label}")
            if not passed:
                click.echo(output, err=True)
                failed = True
    return 1 if failed else 0


def _remedy(target: Target) -> str:
    if target.strict:  # a vendor of specs/
        return f"run `make generate VENDOR={target.out.name}`"
    return f"run `careforge generate {target.label} --out {target.out}`"
