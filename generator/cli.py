"""`careforge`: parse arguments, run the pipeline, print the report, exit with its code.

Exit codes: 0 ok; 1 drift (or a failed check); 2 spec error or wrong usage; 3 internal error (a bug
in Careforge); 4 the operating system refused (permission, a path that is a file, a full disk);
5 an output folder holds files Careforge did not write (nothing touched; --force replaces them);
130 interrupted (Ctrl-C), 143 terminated (SIGTERM): no staging folder is left.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import click

from . import stopping
from .console import UsageProblem
from .diagnostics import Diagnostic, SpecError
from .manifest import recorded_package
from .pipeline import Outcome, Target
from .reporting import Format, Style, report, summary_line

OK, DRIFT, SPEC_ERROR, INTERNAL, OS_ERROR, REFUSED = 0, 1, 2, 3, 4, 5
INTERRUPTED = stopping.INTERRUPTED
EXIT_CODES = f"""\b
Exit codes: {OK} ok, {DRIFT} drift or a failed check, {SPEC_ERROR} spec error or wrong usage,
{INTERNAL} a bug in Careforge, {OS_ERROR} the operating system refused (permission, disk),
{REFUSED} the output folder holds files Careforge did not write, {INTERRUPTED} Ctrl-C, 143 SIGTERM."""
F = TypeVar("F", bound=Callable[..., object])


def _targets(args: Sequence[str], out: Path | None, package: str | None, root: Path) -> list[Target]:
    """Vendor names (folders under specs/) or one spec file with --out."""
    specs = root / "specs"
    if not args:
        names = sorted(p.parent.name for p in specs.glob("*/openapi.yaml"))
        if not names:
            raise click.UsageError(f"no specs/<vendor>/openapi.yaml under {root}; name a spec file and --out")
        args = names
    targets = []
    for arg in args:
        path = Path(arg)
        if path.suffix.lower() in (".yaml", ".yml", ".json") or path.is_file():
            if out is None:
                raise click.UsageError(f"{arg} is a spec file: say where the package goes with --out DIR")
            _refuse_unsafe_out(out, path)
            rules = path.parent / "rules.toml"
            # Named whether or not it exists yet: `watch` sees it made.
            targets.append(Target(spec=path, out=out, rules=rules,
                                  package=package or recorded_package(out), display=arg))
            continue
        spec = specs / arg / "openapi.yaml"
        if not spec.is_file():
            known = ", ".join(sorted(p.parent.name for p in specs.glob("*/openapi.yaml"))) or "none"
            raise click.UsageError(f"no vendor {arg!r}: there is no specs/{arg}/openapi.yaml (known: {known})")
        targets.append(Target(spec=spec, out=root / "generated" / arg, rules=specs / arg / "rules.toml", strict=True,
                              package=package, display=f"specs/{arg}/openapi.yaml",
                              changelog=specs / arg / "CHANGELOG.md"))
    return targets


def _refuse_unsafe_out(out: Path, spec: Path) -> None:
    # The out dir is replaced as a whole: it must not hold the spec or the folder we work in.
    where, folder = out.resolve(), Path.cwd().resolve()
    if where == folder or where in folder.parents or where in spec.resolve().parents:
        raise click.UsageError(f"--out {out} would replace a folder that holds the spec or the current folder; "
                               "name a new or generated folder")


_STYLE = "careforge.style"


def _remember(key: str) -> Callable[[click.Context, click.Parameter, object], object]:
    def callback(ctx: click.Context, param: click.Parameter, value: object) -> object:
        ctx.meta.setdefault(_STYLE, {})[key] = value
        return value

    return callback


def _reporting(func: F) -> F:
    """--quiet, --verbose, --format and --color: how diagnostics are shown (reporting.py)."""
    options = [
        click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=_remember("quiet"),
                     help="Errors only: no warnings."),
        click.option("-v", "--verbose", is_flag=True, expose_value=False, callback=_remember("verbose"),
                     help="Every warning, not only the first few of each code."),
        click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
                     expose_value=False, callback=_remember("format"),
                     help="json: one JSON object per diagnostic on stderr (for CI)."),
        click.option("--color/--no-color", default=None, expose_value=False, callback=_remember("color"),
                     help="Colour the diagnostics (default: on a terminal, unless NO_COLOR is set)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _style() -> Style:
    context = click.get_current_context(silent=True)
    chosen = context.meta.get(_STYLE, {}) if context is not None else {}
    verbosity = -1 if chosen.get("quiet") else 1 if chosen.get("verbose") else 0
    return Style(format=Format(chosen.get("format") or "text"), verbosity=verbosity, color=chosen.get("color"))


def _progress() -> Callable[[str], None]:
    """A line on stderr per step: with --verbose always, at a terminal once the run has taken a second
    (a short run stays quiet); elsewhere the output stays the same from run to run."""
    style, began = _style(), time.monotonic()
    always = style.format is Format.TEXT and style.verbosity > 0
    late = style.format is Format.TEXT and style.verbosity == 0 and sys.stderr.isatty()

    def step(text: str) -> None:
        if always or (late and time.monotonic() - began >= 1.0):
            click.echo(f"careforge: {text} ({time.monotonic() - began:.0f} s)", err=True)

    return step


def _report(diagnostics: Sequence[Diagnostic], *, closing: str = "", summarize: bool = True) -> None:
    style = _style()
    lines = report(diagnostics, style, click.style, closing=closing, summarize=summarize)
    if lines:
        click.echo("\n".join(lines), err=True, color=style.colored)


def _os_problem(exc: OSError) -> str:
    """One line for what the operating system refused."""
    where = str(exc.filename) if exc.filename else ""
    if where and isinstance(exc, (FileExistsError, NotADirectoryError)) and Path(where).is_file():
        return f"cannot write under {where}: it is a file, not a folder"
    return f"cannot write {where}: {exc.strerror or exc}" if where else f"cannot write: {exc.strerror or exc}"


def _say(text: str, kind: str) -> None:
    """A line of the run's own on stderr: plain, or a JSON object when --format json was asked."""
    if _style().format is Format.JSON:
        click.echo(json.dumps({"careforge": kind, "message": text}, ensure_ascii=False), err=True)
    else:
        click.echo(f"careforge: {text}", err=True)


def _stopped(signum: int) -> int:
    _say(f"{stopping.word(signum)}; folders being written were left as they were", stopping.word(signum))
    return stopping.exit_code(signum)


def _run(action: Callable[[], int]) -> None:
    from .out_folder import OutputRefused

    before = stopping.install()
    try:
        code = action()
    except SpecError as exc:
        _report(exc.diagnostics, closing="nothing was written")
        code = SPEC_ERROR
    except click.UsageError:
        raise
    except UsageProblem as exc:
        raise click.UsageError(str(exc)) from None
    except OutputRefused as exc:
        _say(str(exc), "refused")
        code = REFUSED
    except OSError as exc:
        _say(_os_problem(exc), "os-error")
        code = OS_ERROR
    except (stopping.Stopped, KeyboardInterrupt):
        code = _stopped(stopping.received() or signal.SIGINT)
    except Exception:  # anything else is a bug in Careforge, not in the spec (unless a signal caused it)
        if stopping.received():
            code = _stopped(stopping.received() or signal.SIGINT)
        else:
            click.echo("careforge: internal error (a bug in Careforge, not in your spec); details:", err=True)
            click.echo(traceback.format_exc(limit=8), err=True)
            code = INTERNAL
    stopping.restore(before)
    sys.exit(code)


def _common(func: F) -> F:
    func = click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
                        help="The project folder holding specs/ and generated/.")(func)
    func = click.option("--package", help="Import name of the generated package (spec-file mode).")(func)
    func = click.option("--out", type=click.Path(file_okay=False, path_type=Path),
                        help="Where to write the package (spec-file mode).")(func)
    return click.argument("specs", nargs=-1)(func)


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES)
@click.version_option(package_name="careforge", prog_name="careforge", message="%(prog)s %(version)s")
def main() -> None:
    """Careforge: typed Python clients from hand-written OpenAPI specs."""


def _show(outcome: Outcome, took: str = "") -> None:
    """What a generation did: its warnings, then a line per package (`took` ends each written one's)."""
    _report(outcome.warnings)
    for target, lost in outcome.discarded:
        if target in outcome.written:
            _say(f"--force: removed from {target.out}: {lost}", "removed")
    for target in outcome.written:
        click.echo(f"generated {target.out} from {target.label}{took}")
    for target in outcome.unchanged:
        click.echo(f"unchanged {target.out} (inputs and files match its manifest)")
    for line in outcome.summaries:
        click.echo(line)


@main.command()
@_common
@_reporting
@click.option("--force", is_flag=True,
              help="Regenerate even when the inputs did not change, and replace files in the output folder that "
                   "Careforge did not write (they are named).")
def generate(specs: tuple[str, ...], out: Path | None, package: str | None, root: Path, force: bool) -> None:
    """Write the client package of each vendor (default: all) or of one spec file (with --out).

    Careforge writes only into a folder that is missing, empty, or holds a package it generated,
    unchanged; anything else is refused (exit 5) unless --force."""

    def action() -> int:
        from .diff.summary import since_last_generation
        from .pipeline import generate as run

        outcome = run(_targets(specs, out, package, root), force=force, progress=_progress(),
                      summarize=since_last_generation)
        _show(outcome)
        return OK

    _run(action)


@main.command()
@_common
@_reporting
def watch(specs: tuple[str, ...], out: Path | None, package: str | None, root: Path) -> None:
    """Regenerate each vendor's package (default: all), or one spec file's (with --out), whenever its
    spec, a file it refers to, its rules or its changelog change. Ctrl-C stops.

    The generator and its tools stay loaded, so an edit costs only its own work. A spec error is
    reported and nothing is written; the next change is tried again. Folders are refused as by
    `generate` (without --force)."""

    def action() -> int:
        from .diff.summary import since_last_generation
        from .out_folder import OutputRefused
        from .pipeline import generate as run
        from .watch import warm_up
        from .watch import watch as loop

        targets = _targets(specs, out, package, root)
        warm_up()

        def once(changed: Target) -> bool:
            started = time.perf_counter()
            try:
                outcome = run([changed], progress=_progress(), summarize=since_last_generation)
            except SpecError as exc:
                _report(exc.diagnostics, closing="nothing was written; watching for the next change")
                return True
            except OutputRefused as exc:
                _say(str(exc), "refused")
                return False
            except OSError as exc:
                _say(_os_problem(exc), "os-error")
                return True
            _show(outcome, took=f" in {(time.perf_counter() - started) * 1000:.0f} ms")
            return True

        names = ", ".join(t.label for t in targets)
        loop(targets, once, ready=lambda: _say(f"watching {names} for changes (Ctrl-C stops)", "watching"))
        return OK

    _run(action)


@main.command()
@_common
@_reporting
@click.option("--types/--no-types", default=False, help="Also run mypy --strict on each package.")
def check(specs: tuple[str, ...], out: Path | None, package: str | None, root: Path, types: bool) -> None:
    """Fail (exit 1) if a generated package differs from what its spec makes; report coverage."""

    def action() -> int:
        from .checks.report import run_checks

        return run_checks(_targets(specs, out, package, root), types=types,
                          show=lambda found: _report(found, summarize=False), echo=click.echo)

    _run(action)


@main.command()
@click.argument("spec")
@_reporting
@click.option("--strict/--no-strict", default=None, help="House style as errors (default: for specs/ only).")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              help="The project folder holding specs/ (for a vendor name).")
def validate(spec: str, strict: bool | None, root: Path) -> None:
    """Check a spec (a file, or a vendor name) and report every problem."""

    def action() -> int:
        from .pipeline import build

        path = Path(spec)
        if not path.is_file():
            path = root / "specs" / spec / "openapi.yaml"
            if Path(spec).suffix.lower() in (".yaml", ".yml", ".json") or os.sep in spec:
                raise click.UsageError(f"{spec}: no such spec file")
            if not path.is_file():
                raise click.UsageError(f"{spec} is neither a spec file nor a vendor (there is no {path})")
        is_ours = path.parent.parent.name == "specs"
        target = Target(spec=path, out=Path("."), strict=is_ours if strict is None else strict,
                        rules=(path.parent / "rules.toml") if (path.parent / "rules.toml").is_file() else None,
                        display=spec if Path(spec).is_file() else str(path))
        built = build(target)
        _report(built.warnings, summarize=False)
        click.echo(f"{target.label}: valid ({summary_line(built.warnings)})")
        return OK

    _run(action)


@main.command("build")
@click.argument("vendors", nargs=-1)
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("dist"), show_default=True,
              help="Where the sdists and wheels go.")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              help="The project folder holding generated/.")
def build_command(vendors: tuple[str, ...], out_dir: Path, root: Path) -> None:
    """Build an sdist and a wheel of each generated package (default: all) and run `twine check` on them."""

    def action() -> int:
        from .build_dist import DistError, build_all, generated_folders

        try:
            build_all(generated_folders(root, vendors), out_dir, click.echo)
        except DistError as exc:
            click.echo(f"careforge: {exc}", err=True)
            return DRIFT
        return OK

    _run(action)


@main.command("publish")
@click.argument("vendors", nargs=-1)
@click.option("--repository-url", envvar="CAREFORGE_REPOSITORY_URL", required=True,
              help="The package index's upload URL (or $CAREFORGE_REPOSITORY_URL). Credentials: "
                   "$CAREFORGE_REPOSITORY_USERNAME and $CAREFORGE_REPOSITORY_PASSWORD.")
@click.option("--skip-existing", is_flag=True, help="Skip distributions the index already has.")
@click.option("--releases-url", envvar="CAREFORGE_RELEASES_URL",
              help="The index's simple API, where the latest release is read to check the new version against it "
                   "(default: /simple/ on the upload URL's host; or $CAREFORGE_RELEASES_URL).")
@click.option("--allow-version", is_flag=True,
              help="Publish even when the version is lower than the changes since the latest release demand.")
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("dist"), show_default=True,
              help="Where the sdists and wheels go.")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              help="The project folder holding specs/ and generated/.")
def publish_command(vendors: tuple[str, ...], repository_url: str, skip_existing: bool, releases_url: str | None,
                    allow_version: bool, out_dir: Path, root: Path) -> None:
    """Upload each generated package (default: all); refused (exit 1) unless fresh, its tests pass, and its
    version is at least what the changes since the latest release on the index demand."""

    def action() -> int:
        from .build_dist import generated_folders
        from .publish import checked_url, credentials, publish

        checked_url(repository_url)
        credentials()
        names = [folder.name for folder in generated_folders(root, vendors)]
        return publish(_targets(names, None, None, root), repository_url=repository_url, out_dir=out_dir,
                       skip_existing=skip_existing, releases_url=releases_url, check_version=not allow_version,
                       echo=click.echo)

    _run(action)


@main.command("diff")
@click.argument("args", nargs=-1)
@click.option("--since", "revision", metavar="GIT_REF",
              help="Compare each vendor's spec (all, or those named) with the one at this git revision.")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "markdown"]), default="text",
              help="text for people, json for programs (a top-level \"bump\"), markdown for a changelog.")
@click.option("--fail-on", type=click.Choice(["breaking", "may-break", "compatible", "docs"]),
              help="Exit 1 when a change of this level or worse is found (for CI).")
@click.option("--python/--no-python", default=True,
              help="Also compare the generated packages' Python API (default: on).")
@click.option("--docs", is_flag=True, help="Show documentation-only changes too (text format).")
@click.option("--color/--no-color", default=None, help="Colour the levels (default: on a terminal, unless NO_COLOR).")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              help="The project folder holding specs/ (with --since).")
def diff_command(args: tuple[str, ...], revision: str | None, output_format: str, fail_on: str | None,
                 python: bool, docs: bool, color: bool | None, root: Path) -> None:
    """What changed between two specs (OLD NEW), or since a git revision (--since REF [VENDOR...]),
    classified for the people who call the client, with the version bump it demands."""
    from .diff.command import run_diff

    if output_format == "json":  # a spec error is then a JSON object on stderr too
        click.get_current_context().meta.setdefault(_STYLE, {})["format"] = "json"
    _run(lambda: run_diff(args, revision=revision, output_format=output_format, fail_on=fail_on, python=python,
                          docs=docs, color=color, root=root, echo=click.echo, style=click.style))


@main.command("bump")
@click.argument("vendor")
@click.option("--since", "revision", metavar="GIT_REF", default="HEAD", show_default=True,
              help="The revision whose spec the new version is measured against (the last release).")
@click.option("--to", "version", help="Set this version instead of the suggested one (refused if too low).")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              help="The project folder holding specs/.")
def bump_command(vendor: str, revision: str, version: str | None, root: Path) -> None:
    """Set a vendor package's version to what its changes demand (specs/VENDOR/rules.toml) and add
    the changes to specs/VENDOR/CHANGELOG.md; run `make generate` after."""
    from .diff.command import run_bump

    _run(lambda: run_bump(vendor, revision=revision, version=version, root=root, echo=click.echo))
