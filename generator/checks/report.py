"""`careforge check`: drift, coverage, lint and (optionally) types for each target, printed as a report."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..console import Echo, plain_echo
from ..diagnostics import Diagnostic
from ..manifest import on_disk
from ..pipeline import Target, build
from .coverage import coverage
from .drift import drift
from .lint import lint
from .style import style_check
from .typecheck import typecheck


def run_checks(targets: Sequence[Target], *, types: bool, show: Callable[[Sequence[Diagnostic]], None],
               echo: Echo = plain_echo) -> int:
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
            echo("\n".join(differences))
            echo(f"drift: {label} differs from what {target.label} generates; {_remedy(target)}", err=True)
        else:
            echo(f"drift: {label} is up to date")
        disk = {path: data.decode("utf-8", "replace") for path, data in on_disk(target.out).items()}
        report = coverage(built.api, disk)
        operations = len({op_id for op_id, _ in report.mapped})
        more = f" ({len(report.mapped)} methods)" if len(report.mapped) != operations else ""
        echo(f"coverage: {operations} operations -> methods{more}, {len(report.ignored)} ignored")
        for op_id, reason in report.ignored:
            echo(f"  ignored {op_id}: {reason}")
        for problem in report.missing:
            echo(f"  MISSING {problem}", err=True)
        failed = failed or not report.ok
        if not differences:
            passed, output = lint(target.out)
            echo(f"lint: ruff check {'passed' if passed else 'FAILED'} on {label}")
            if not passed:
                echo(output, err=True)
                failed = True
            unstable = style_check(target.out, built.files)
            if unstable:
                echo("\n".join(unstable), err=True)
                echo(f"style: black would change {label}: a formatter disagreement, a bug in Careforge", err=True)
                failed = True
            else:
                echo(f"style: {label} is black-stable")
        if types and not differences:
            passed, output = typecheck(target.out, built.api.package.module)
            echo(f"types: mypy --strict {'passed' if passed else 'FAILED'} on {label}")
            if not passed:
                echo(output, err=True)
                failed = True
    return 1 if failed else 0


def _remedy(target: Target) -> str:
    if target.strict:  # a vendor of specs/
        return f"run `make generate VENDOR={target.out.name}`"
    return f"run `careforge generate {target.label} --out {target.out}`"
