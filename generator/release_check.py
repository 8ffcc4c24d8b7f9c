"""Before publishing: does the version say what changed since the release already on the index?

The latest release's sdist carries its spec (tests/spec.json): it is compared with the spec of the
package about to go out, and the version bump the changes demand is checked against the new version.
"""

from __future__ import annotations

import io
import re
import tarfile
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from packaging.utils import InvalidSdistFilename, canonicalize_name, parse_sdist_filename
from packaging.version import Version

_HREF = re.compile(r'href="([^"#]+)(?:#[^"]*)?"')
_MAX_SDIST = 64 * 1024 * 1024
TIMEOUT = 30


class IndexUnreadable(Exception):
    """The index could not be asked; the message says why."""


def releases_url_for(repository_url: str) -> str:
    """The simple index (PEP 503) beside an upload URL, as local indexes serve it."""
    parts = urlsplit(repository_url)
    return f"{parts.scheme}://{parts.netloc}/simple/"


def _get(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
            return bytes(response.read(_MAX_SDIST + 1))
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return None
        raise IndexUnreadable(f"{url} answered {exc.code}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise IndexUnreadable(f"cannot reach {url}: {reason}") from None


def latest_release(releases_url: str, distribution: str) -> tuple[Version, str] | None:
    """The highest released version and its sdist's URL; None when the index has no release."""
    page_url = urljoin(releases_url if releases_url.endswith("/") else releases_url + "/", canonicalize_name(distribution) + "/")
    page = _get(page_url)
    if page is None:
        return None
    found: list[tuple[Version, str]] = []
    for href in _HREF.findall(page.decode("utf-8", "replace")):
        filename = href.rsplit("/", 1)[-1]
        try:
            name, version = parse_sdist_filename(filename)
        except InvalidSdistFilename:
            continue
        if name == canonicalize_name(distribution):
            found.append((version, urljoin(page_url, href)))
    return max(found) if found else None


def released_sdist(sdist_url: str) -> bytes:
    data = _get(sdist_url)
    if data is None or len(data) > _MAX_SDIST:
        raise IndexUnreadable(f"{sdist_url}: missing or too large")
    return data


def version_refusal(folder: Path, releases_url: str) -> str | None:
    """Why the package in `folder` must not go out under its version (None: it may)."""
    from .diff.spec_diff import compare
    from .diff.summary import package_identity, unbundle
    from .diff.surface import python_changes_in
    from .diff.verdict import enough, needed, next_version
    from .load import load
    from .resolve import resolve

    project = (folder / "pyproject.toml").read_text(encoding="utf-8")
    identity = package_identity(project)
    if identity is None:
        return None
    distribution, version = identity
    latest = latest_release(releases_url, distribution)
    if latest is None:
        return None  # the first release: nothing to measure it against
    released, sdist = latest
    current = Version(version)
    if current == released:
        return None  # the index itself refuses a file it has (or --skip-existing skips it)
    if current < released:
        return f"version {current} is below {released}, already on the index"
    with tempfile.TemporaryDirectory(prefix="careforge-release-") as scratch:
        base = Path(scratch)
        old_package = _unpack(released_sdist(sdist), base / "released")
        old_root = unbundle((old_package / "tests" / "spec.json").read_text(encoding="utf-8"), base / "old")
        new_root = unbundle((folder / "tests" / "spec.json").read_text(encoding="utf-8"), base / "new")
        changes = compare(resolve(load(old_root, f"{distribution} {released}")), resolve(load(new_root, f"{distribution} {current}")))
        # The Python API too: a method renamed by rules.toml changes no spec.
        python = python_changes_in(old_package, folder, _module(project), changes)
    reasons = [(c.level, c.message) for c in changes] + [(p.level, f"{p.path}: {p.message}") for p in python]
    bump = needed([level for level, _ in reasons], str(released))
    if enough(str(released), str(current), bump):
        return None
    worst = max(reasons, key=lambda r: r[0])
    return (f"version {current} is too low: since {released} (on the index) there are {worst[0].label} changes "
            f"(for one: {worst[1]}) that need a {bump.label} bump, {next_version(str(released), bump)} at least; "
            f"run `careforge bump {folder.name} --since <the revision of {released}>` or pass --allow-version")


def _module(project: str) -> str:
    import tomllib

    found = tomllib.loads(project).get("tool", {}).get("setuptools", {}).get("packages", {}).get("find", {})
    include = found.get("include", []) if isinstance(found, dict) else []
    return str(include[0]).rstrip("*") if include else ""


def _unpack(data: bytes, into: Path) -> Path:
    """The sdist's files, in `into`; the package folder inside it (`<name>-<version>/`)."""
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        archive.extractall(into, filter="data")
    tops = [p for p in into.iterdir() if p.is_dir()]
    if len(tops) != 1 or not (tops[0] / "tests" / "spec.json").is_file():
        raise IndexUnreadable("the latest release's sdist holds no tests/spec.json (not a package Careforge generated)")
    return tops[0]
