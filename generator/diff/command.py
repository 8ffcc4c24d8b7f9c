"""What `careforge diff` and `careforge bump` do, between the command line and the engine."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..console import Echo, UsageProblem, plain_echo
from .changes import Level
from .show import as_json, as_markdown, as_text
from .sources import Pair, SourceError, file_pair, since
from packaging.version import Version

from ..versions import valid_version
from .verdict import Bump, enough, next_version

_COLOURS = {Level.BREAKING: "red", Level.MAY_BREAK: "yellow", Level.COMPATIBLE: "green", Level.DOCS: "blue"}


def run_diff(args: tuple[str, ...], *, revision: str | None, output_format: str, fail_on: str | None,
             python: bool, docs: bool, color: bool | None, root: Path, echo: Echo = plain_echo,
             style: Callable[..., str] | None = None) -> int:
    """`style` is the terminal's styling (text, fg=, bold=): with it, and colour on, levels are coloured."""
    from .run import diff

    if revision is None and len(args) != 2:
        raise UsageProblem("name two spec files (careforge diff OLD NEW), or use --since GIT_REF [VENDOR...]")
    try:
        with tempfile.TemporaryDirectory(prefix="careforge-diff-") as scratch:
            if revision is None:
                pairs = [file_pair(Path(args[0]), Path(args[1]), Path(scratch))]
                reports = [diff(p.old, p.new, python=python, name=p.name) for p in pairs]
            else:
                added: list[str] = []
                with since(root, revision, args, added) as pairs:
                    reports = [diff(p.old, p.new, python=python, name=p.name) for p in pairs]
                for name in added:
                    echo(f"careforge: specs/{name} is new since {revision}: nothing to compare it with", err=True)
    except SourceError as exc:
        raise UsageProblem(str(exc)) from None
    if output_format == "json":
        echo(as_json(reports))
    elif output_format == "markdown":
        echo("\n".join(as_markdown(r) for r in reports))
    else:
        colour = _colour(color)
        paint = (lambda text, level: style(text, fg=_COLOURS[level], bold=level is Level.BREAKING)) \
            if colour and style is not None else (lambda text, level: text)
        echo("\n\n".join(as_text(r, paint, docs=docs) for r in reports))
    if fail_on is not None:
        threshold = Level.parse(fail_on)
        if any(c.level >= threshold for r in reports for c in r.changes) or \
                any(p.level >= threshold for r in reports for p in r.python):
            echo(f"careforge: changes at level {fail_on} or worse were found (--fail-on {fail_on})", err=True)
            return 1
    return 0


def _colour(chosen: bool | None) -> bool:
    if chosen is not None:
        return chosen
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def run_bump(vendor: str, *, revision: str, version: str | None, root: Path, echo: Echo = plain_echo) -> int:
    from .changelog import add_entry, set_version
    from .run import diff

    try:
        with since(root, revision, [vendor]) as pairs:
            pair: Pair = pairs[0]
            report = diff(pair.old, pair.new, name=vendor)
    except SourceError as exc:
        raise UsageProblem(str(exc)) from None
    if report.bump is Bump.NONE and version is None:
        echo(f"{vendor}: nothing changed since {revision}; the version stays {report.version}")
        return 0
    chosen = version or next_version(report.version, report.bump)
    if not valid_version(chosen):
        raise UsageProblem(f"--to {chosen}: not a Python package version (PEP 440), such as 2.0.0")
    chosen = str(Version(chosen))
    if Version(chosen) <= Version(report.version):
        raise UsageProblem(f"{vendor}: version {chosen} is not above the current {report.version}")
    if not enough(report.version, chosen, report.bump):
        raise UsageProblem(f"{vendor}: version {chosen} is too low: the changes since {revision} need a "
                               f"{report.bump.label} bump ({report.version} -> {report.suggested} at least)")
    rules = root / "specs" / vendor / "rules.toml"
    set_version(rules, chosen)
    report.name = ""
    add_entry(root / "specs" / vendor / "CHANGELOG.md", as_markdown(report, heading=f"## {chosen}"),
              title=f"Changelog of the {vendor} client")
    why = f"{report.bump.label} bump: {_counted(report)}" if report.bump is not Bump.NONE else "no changes"
    echo(f"{vendor}: {report.version} -> {chosen} ({why})")
    echo(f"wrote specs/{vendor}/rules.toml and specs/{vendor}/CHANGELOG.md; now run `make generate`")
    return 0


def _counted(report: object) -> str:
    counts = getattr(report, "counts")()
    return ", ".join(f"{n} {label}" for label, n in counts.items() if n) or "no changes"
