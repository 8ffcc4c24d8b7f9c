"""`careforge`: parse arguments, run the pipeline, print the report, exit with its code.

Exit codes: 0 ok, 1 drift (or a failed check), 2 spec error, 3 internal error.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import click

from .diagnostics import Diagnostic, SpecError, render_all, summary
from .pipeline import Target

OK, DRIFT, SPEC_ERROR, INTERNAL = 0, 1, 2, 3
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
            targets.append(Target(spec=path, out=out, rules=rules if rules.is_file() else None, package=package,
                                  display=arg))
            continue
        spec = specs / arg / "openapi.yaml"
        if not spec.is_file():
            known = ", ".join(sorted(p.parent.name for p in specs.glob("*/openapi.yaml"))) or "none"
            raise click.UsageError(f"no vendor {arg!r}: there is no specs/{arg}/openapi.yaml (known: {known})")
        targets.append(Target(spec=spec, out=root / "generated" / arg, rules=specs / arg / "rules.toml", strict=True,
                              package=package, display=f"specs/{arg}/openapi.yaml"))
    return targets


def _refuse_unsafe_out(out: Path, spec: Path) -> None:
    # The out dir is replaced as a whole: it must not hold the spec or the folder we work in.
    where, folder = out.resolve(), Path.cwd().resolve()
    if where == folder or where in folder.parents or where in spec.resolve().parents:
        raise click.UsageError(f"--out {out} would replace a folder that holds the spec or the current folder; "
                               "name a new or generated folder")


def _report(diagnostics: Sequence[Diagnostic]) -> None:
    if diagnostics:
        click.echo(render_all(diagnostics), err=True)


def _run(action: Callable[[], int]) -> None:
    try:
        code = action()
    except SpecError as exc:
        _report(exc.diagnostics)
        click.echo(f"careforge: {summary(exc.diagnostics)}; nothing was written", err=True)
        code = SPEC_ERROR
    except click.UsageError:
        raise
    except Exception:  # anything else is a bug in Careforge, not in the spec
        click.echo("careforge: internal error (a bug in Careforge, not in your spec); details:", err=True)
        click.echo(traceback.format_exc(limit=8), err=True)
        code = INTERNAL
    sys.exit(code)


def _common(func: F) -> F:
    func = click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
                        help="The project folder holding specs/ and generated/.")(func)
    func = click.option("--package", help="Import name of the generated package (spec-file mode).")(func)
    func = click.option("--out", type=click.Path(file_okay=False, path_type=Path),
                        help="Where to write the package (spec-file mode).")(func)
    return click.argument("specs", nargs=-1)(func)


@click.group()
def main() -> None:
    """Careforge: typed Python clients from hand-written OpenAPI specs."""


@main.command()
@_common
@click.option("--force", is_flag=True, help="Regenerate even when the inputs did not change.")
def generate(specs: tuple[str, ...], out: Path | None, package: str | None, root: Path, force: bool) -> None:
    """Write the client package of each vendor (default: all) or of one spec file (with --out)."""

    def action() -> int:
        from .pipeline import generate as run

        outcome = run(_targets(specs, out, package, root), force=force)
        _report(outcome.warnings)
        for target in outcome.written:
            click.echo(f"generated {target.out} from {target.label}")
        for target in outcome.unchanged:
            click.echo(f"unchanged {target.out} (inputs and files match its manifest)")
        return OK

    _run(action)


@main.command()
@_common
@click.option("--types/--no-types", default=False, help="Also run mypy --strict on each package.")
def check(specs: tuple[str, ...], out: Path | None, package: str | None, root: Path, types: bool) -> None:
    """Fail (exit 1) if a generated package differs from what its spec makes; report coverage."""

    def action() -> int:
        from .checks.report import run_checks

        return run_checks(_targets(specs, out, package, root), types=types)

    _run(action)


@main.command()
@click.argument("spec")
@click.option("--strict/--no-strict", default=None, help="House style as errors (default: for specs/ only).")
def validate(spec: str, strict: bool | None) -> None:
    """Check a spec (a file, or a vendor name) and report every problem."""

    def action() -> int:
        from .pipeline import build

        path = Path(spec)
        if not path.is_file():
            path = Path("specs") / spec / "openapi.yaml"
        is_ours = path.parent.parent.name == "specs"
        target = Target(spec=path, out=Path("."), strict=is_ours if strict is None else strict,
                        rules=(path.parent / "rules.toml") if (path.parent / "rules.toml").is_file() else None,
                        display=spec if Path(spec).is_file() else str(path))
        built = build(target)
        _report(built.warnings)
        click.echo(f"{target.label}: valid ({summary(built.warnings)})")
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
            build_all(generated_folders(root, vendors), out_dir)
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
@click.option("--out-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("dist"), show_default=True,
              help="Where the sdists and wheels go.")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              help="The project folder holding specs/ and generated/.")
def publish_command(vendors: tuple[str, ...], repository_url: str, skip_existing: bool, out_dir: Path,
                    root: Path) -> None:
    """Upload each generated package (default: all); refused (exit 1) unless fresh and its tests pass."""

    def action() -> int:
        from .build_dist import generated_folders
        from .publish import checked_url, credentials, publish

        checked_url(repository_url)
        credentials()
        names = [folder.name for folder in generated_folders(root, vendors)]
        return publish(_targets(names, None, None, root), repository_url=repository_url, out_dir=out_dir,
                       skip_existing=skip_existing)

    _run(action)
