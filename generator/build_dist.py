"""`careforge build`: an sdist and a wheel of each generated package, then `twine check` on them.

A package is copied (its files as on disk, without caches) to a temporary folder and built there,
so nothing is ever written into generated/. It is built without build isolation, with the setuptools
pinned in the environment: the build downloads nothing and is the same on every machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import children
from .console import Echo, UsageProblem, plain_echo
from .manifest import NAME, listed_digest, on_disk, read_manifest

GENERATED = "generated"
OUTPUT_TAIL = 40  # lines of a failed tool's output worth showing
PARALLEL_BUILDS = 2


class DistError(Exception):
    """A package did not build, or its distributions failed `twine check` (exit 1)."""


def generated_folders(root: Path, names: Sequence[str]) -> list[Path]:
    """generated/<vendor>/ of each name (default: every generated package), or a folder named that holds a
    generated package (with its manifest, wherever it is); anything else is a usage error."""
    folder = root / GENERATED
    known = sorted(p.parent.name for p in folder.glob("*/pyproject.toml")) if folder.is_dir() else []
    if not names:
        if not known:
            raise UsageProblem(f"no generated package under {folder}; run `make generate` first")
        names = known
    found: list[Path] = []
    for name in dict.fromkeys(names):
        if name in known:
            found.append(folder / name)
        elif (Path(name) / NAME).is_file() and (Path(name) / "pyproject.toml").is_file():
            found.append(Path(name))
        else:
            raise UsageProblem(f"no generated package {name!r}: it is neither a vendor with a "
                                   f"{GENERATED}/{name}/pyproject.toml (known: {', '.join(known) or 'none'}) nor a "
                                   f"folder holding a generated package ({NAME} and pyproject.toml)")
    return found


def build_all(folders: Sequence[Path], out_dir: Path, echo: Echo = plain_echo) -> list[Path]:
    """Build every package into `out_dir`, check the lot with twine; the files made, sdist then wheel each."""
    out_dir.mkdir(parents=True, exist_ok=True)
    made: list[Path] = []
    with ThreadPoolExecutor(max_workers=PARALLEL_BUILDS) as pool:  # each build is a subprocess
        for folder, files in zip(folders, pool.map(lambda folder: build_one(folder, out_dir), folders)):
            echo(f"built {', '.join(str(f) for f in files)} from {folder}")
            made += files
    twine_check(made, echo)
    return made


def _package_files(folder: Path) -> dict[str, bytes]:
    """What Careforge wrote into the folder (per its manifest), not what tools left there since; a listed
    file missing or changed since is refused (the package would not be the one generated)."""
    manifest = read_manifest(folder)
    listed = manifest.get("files") if manifest is not None else None
    if not isinstance(listed, dict):
        return on_disk(folder)
    differ = [path for path, digest in listed.items() if listed_digest(folder, path) != digest]
    if differ:
        shown = ", ".join(differ[:5]) + (f", and {len(differ) - 5} more" if len(differ) > 5 else "")
        raise DistError(f"{folder} is not the package Careforge generated: {shown} missing or changed since; "
                        "generate it again")
    return {path: (folder / path).read_bytes() for path in [*listed, NAME]}


def build_one(folder: Path, out_dir: Path) -> list[Path]:
    with tempfile.TemporaryDirectory(prefix="careforge-build-") as tmp:
        source, staging = Path(tmp) / folder.name, Path(tmp) / "dist"
        for relative, data in _package_files(folder).items():
            path = source / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        # Default mode: the sdist first, then the wheel from the unpacked sdist (proving the sdist suffices).
        command = [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(staging), str(source)]
        result = children.run(command, stdin=subprocess.DEVNULL)
        made = sorted(staging.glob("*")) if staging.is_dir() else []
        kinds = sorted(p.suffix for p in made)
        if result.returncode != 0 or kinds != [".gz", ".whl"]:
            raise DistError(f"building {folder} failed (python -m build exited {result.returncode}):\n"
                            + tail(result.stdout + result.stderr))
        out = []
        for path in made:
            target = out_dir / path.name
            shutil.copyfile(path, target)
            out.append(target)
        return sorted(out, key=lambda p: p.suffix != ".gz")


def twine_check(files: Sequence[Path], echo: Echo = plain_echo) -> None:
    result = twine("check", "--strict", *(str(f) for f in files))
    if result.returncode != 0:
        raise DistError("twine check failed:\n" + tail(result.stdout + result.stderr))
    echo(f"twine check: {len(files)} distributions passed")


def twine(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ if env is None else env)
    # No keyring look-ups (they can hang on a machine with no desktop session).
    environment["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    return children.run([sys.executable, "-m", "twine", "--no-color", *args], env=environment,
                        stdin=subprocess.DEVNULL)


def tail(output: str) -> str:
    lines = output.strip().splitlines()
    cut = lines[-OUTPUT_TAIL:]
    return "\n".join(([f"... ({len(lines) - len(cut)} lines above)"] if len(cut) < len(lines) else []) + cut)
