"""Where the two sides of a diff come from: two spec files, or a vendor's spec at a git revision and
as it is now."""

from __future__ import annotations

import io
import subprocess
import tarfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
import tempfile

from ..pipeline import Target


class SourceError(Exception):
    """The revision or the files asked for cannot be had; the message says what to do."""


@dataclass(frozen=True)
class Pair:
    name: str
    old: Target
    new: Target


def file_pair(old: Path, new: Path, scratch: Path) -> Pair:
    for path in (old, new):
        if not path.is_file():
            raise SourceError(f"{path}: no such spec file")
    return Pair(name="", old=_file_target(old, scratch / "old"), new=_file_target(new, scratch / "new"))


def _file_target(spec: Path, out: Path) -> Target:
    rules = spec.parent / "rules.toml"
    return Target(spec=spec, out=out, rules=rules if rules.is_file() else None, display=str(spec))


def vendor_target(root: Path, name: str, *, display_prefix: str = "", strict: bool = True) -> Target:
    folder = root / "specs" / name
    return Target(spec=folder / "openapi.yaml", out=root / "generated" / name, rules=folder / "rules.toml",
                  strict=strict, display=f"{display_prefix}specs/{name}/openapi.yaml",
                  changelog=folder / "CHANGELOG.md")


@contextmanager
def since(root: Path, revision: str, vendors: Sequence[str],
          new_vendors: list[str] | None = None) -> Iterator[list[Pair]]:
    """Each vendor's spec folder as it was at `revision` (from git), paired with the one on disk. A vendor
    not named that did not exist then is left out and added to `new_vendors`."""
    new_vendors = [] if new_vendors is None else new_vendors
    known = sorted(p.parent.name for p in (root / "specs").glob("*/openapi.yaml"))
    if not known:
        raise SourceError(f"no specs/<vendor>/openapi.yaml under {root}; name the project folder with --root")
    names = list(vendors) or known
    for name in names:
        if name not in known:
            raise SourceError(f"no vendor {name!r}: there is no specs/{name}/openapi.yaml "
                              f"(known: {', '.join(known) or 'none'})")
    _check_revision(root, revision)
    with tempfile.TemporaryDirectory(prefix="careforge-since-") as scratch:
        base = Path(scratch)
        pairs = []
        for name in names:
            if not _extract(root, revision, f"specs/{name}", base) or not (base / "specs" / name / "openapi.yaml").is_file():
                if vendors:
                    raise SourceError(f"specs/{name} did not exist at {revision}: there is nothing to compare it with")
                new_vendors.append(name)  # a vendor added since: nothing to compare, said by the caller
                continue
            pairs.append(Pair(name=name, old=vendor_target(base, name, display_prefix=f"{revision}:"),
                              new=vendor_target(root, name)))
        yield pairs


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, check=False,
                              stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        raise SourceError("--since needs git, which is not installed") from None


def _check_revision(root: Path, revision: str) -> None:
    if revision.startswith("-"):
        raise SourceError(f"--since {revision!r} is not a git revision")
    result = _git(root, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    if result.returncode != 0:
        inside = _git(root, "rev-parse", "--git-dir").returncode == 0
        raise SourceError(f"--since {revision}: no such commit, branch or tag in {root}" if inside else
                          f"--since needs a git repository, and {root} is not in one")


def _extract(root: Path, revision: str, folder: str, into: Path) -> bool:
    # The project may sit below the repository's top: archive the tree of its folder at that revision.
    prefix = _git(root, "rev-parse", "--show-prefix").stdout.decode("utf-8", "replace").strip()
    top = Path(_git(root, "rev-parse", "--show-toplevel").stdout.decode("utf-8", "replace").strip() or root)
    result = _git(top, "archive", "--format=tar", f"{revision}:{prefix}", "--", folder)
    if result.returncode != 0:
        return False
    with tarfile.open(fileobj=io.BytesIO(result.stdout)) as archive:
        archive.extractall(into, filter="data")
    return True
