"""A diff report as text for people (grouped by resource, coloured), JSON for programs, or Markdown
for a changelog."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from .changes import Change, Level, PythonChange
from .run import Report, worst_bump

Paint = Callable[[str, Level], str]
_HEADINGS = {Level.BREAKING: "Breaking changes", Level.MAY_BREAK: "May break callers",
             Level.COMPATIBLE: "Added or changed compatibly", Level.DOCS: "Documentation"}


def as_json(reports: Sequence[Report]) -> str:
    if len(reports) == 1:
        body = _report_json(reports[0])
    else:
        body = {"bump": worst_bump(reports).label, "vendors": [_report_json(r) for r in reports]}
    return json.dumps(body, indent=2, ensure_ascii=False)


def _report_json(report: Report) -> dict[str, object]:
    return {"bump": report.bump.label, "name": report.name or None, "old": report.old, "new": report.new,
            "version": {"old": report.version, "new": report.new_version, "suggested": report.suggested},
            "counts": report.counts(), "changes": [c.as_json() for c in report.changes],
            "python": [p.as_json() for p in report.python]}


def as_text(report: Report, paint: Paint, *, docs: bool = False) -> str:
    lines = [f"{report.name + ': ' if report.name else ''}{report.old} -> {report.new}"]
    shown = [c for c in report.changes if docs or c.level > Level.DOCS]
    if not report.changes:
        lines.append("  no changes")
    groups: dict[str, list[Change]] = {}
    for change in shown:
        groups.setdefault(change.resource or "models and shared schemas", []).append(change)
    for resource in sorted(groups, key=lambda r: (r == "models and shared schemas", r)):
        lines.append(f"  {resource}")
        for change in sorted(groups[resource], key=lambda c: (-c.level, c.id)):
            lines.append(f"    {paint(change.level.label.ljust(10), change.level)} {change.message}  [{change.id}]")
            lines.append(f"               {_where(change)}")
    breaks = [p for p in report.python if p.level > Level.COMPATIBLE]
    if breaks:
        lines.append("  Python API")
        for item in breaks:
            because = f" (from {', '.join(item.causes)})" if item.causes else " (no spec change explains it)"
            lines.append(f"    {paint(item.level.label.ljust(10), item.level)} {item.path}: {item.message}{because}")
    hidden = len(report.changes) - len(shown)
    counts = ", ".join(f"{n} {label}" for label, n in report.counts().items() if n)
    python_note = f"; Python API: {len(breaks)} that may break callers" if report.python else ""
    lines.append(f"  {counts or 'nothing'}{python_note}" + (f" ({hidden} documentation changes not shown: --docs)"
                                                            if hidden else ""))
    lines.append("  " + verdict_line(report))
    return "\n".join(lines)


def verdict_line(report: Report) -> str:
    if report.bump.label == "none":
        return f"version: {report.version} needs no new version"
    line = f"version: {report.bump.label} bump needed: {report.version} -> {report.suggested}"
    if report.new_version != report.version:
        line += f" (the new rules say {report.new_version})"
    return line


def _where(change: Change) -> str:
    parts = []
    for word, place in (("was", change.old), ("now", change.new)):
        if place and place.near:
            parts.append(f"{'absent' if word == 'was' else 'gone'} in {place}, near {place.pointer or '/'}")
        elif place:
            parts.append(f"{word} {place} {place.pointer}")
    return "; ".join(parts)


def as_markdown(report: Report, *, heading: str = "") -> str:
    lines = [heading or f"## {report.name + ' ' if report.name else ''}{report.suggested}", ""]
    for level in reversed(Level):
        items = [c for c in report.changes if c.level is level]
        python = [p for p in report.python if p.level is level and p.kind != "object-added"]
        if not items and not python:
            continue
        lines += [f"### {_HEADINGS[level]}", ""]
        lines += [f"- {_md(c.message)} (`{c.pointer}`)" for c in items]
        lines += [f"- Python: `{p.path}`: {_md(p.message)}" for p in python]
        lines.append("")
    if len(lines) == 2:
        lines += ["No changes.", ""]
    return "\n".join(lines)


def _md(text: str) -> str:
    return text.replace("\n", " ").replace("<", "&lt;")


__all__ = ["as_json", "as_text", "as_markdown", "verdict_line", "PythonChange"]
