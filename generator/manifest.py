"""The manifest (`.careforge.json`): what a generated package was made from, and its files' hashes."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from .cache import digest_tree, generator_digest
from .fileset import FileSet

NAME = ".careforge.json"
ROOT = Path(__file__).resolve().parent.parent
TOOLS = ("datamodel-code-generator", "ruff")  # the two whose output lands in the package


def digest_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def tool_versions() -> dict[str, str]:
    versions = {}
    for tool in TOOLS:
        try:
            versions[tool] = metadata.version(tool)
        except metadata.PackageNotFoundError:
            versions[tool] = "missing"
    return versions


@dataclass(frozen=True)
class Inputs:
    """Everything the output depends on, as hashes."""

    spec: Mapping[str, str]  # spec file (relative to the root spec's folder) -> hash
    rules: str | None
    changelog: str | None  # the vendor's CHANGELOG.md, copied into the package
    options: str
    templates: str
    generator: str
    tools: Mapping[str, str]

    @classmethod
    def collect(cls, spec_root: Path, spec_files: Iterable[Path], rules: Path | None, options: str,
                changelog: Path | None = None, *, read: Mapping[Path, str | None] | None = None) -> Inputs:
        """`read`: digests taken when a run read those files (a file edited during the run must not be
        recorded as what the package was made from)."""
        base = spec_root.parent
        taken = read or {}

        def digest(path: Path) -> str | None:
            if path in taken:
                return taken[path]
            return digest_bytes(path.read_bytes()) if path.is_file() else None

        return cls(
            spec={_relative(p, base): digest(p) or digest_bytes(p.read_bytes()) for p in sorted(spec_files)},
            rules=digest(rules) if rules is not None else None,
            changelog=digest(changelog) if changelog is not None else None,
            options=options,
            templates=digest_tree(ROOT / "templates", "*"),
            generator=generator_digest(),
            tools=tool_versions(),
        )

    def as_json(self) -> dict[str, Any]:
        return {"spec": dict(self.spec), "rules": self.rules, "changelog": self.changelog, "options": self.options, "templates": self.templates,
                "generator": self.generator, "tools": dict(self.tools)}


def _relative(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.name


def render_manifest(inputs: Inputs, files: FileSet) -> str:
    body = {
        "generated_by": "careforge",
        "inputs": inputs.as_json(),
        "files": {path: files.digest(path) for path in files},
    }
    return json.dumps(body, indent=2, sort_keys=True) + "\n"


def read_manifest(folder: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((folder / NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def up_to_date(folder: Path, spec_root: Path, rules: Path | None, options: str,
               changelog: Path | None = None) -> bool:
    """True when the package in `folder` was made from exactly these inputs and nobody touched it."""
    manifest = read_manifest(folder)
    if manifest is None:
        return False
    recorded = manifest.get("inputs", {})
    if not isinstance(recorded, dict) or not isinstance(recorded.get("spec", {}), dict):
        return False  # a manifest edited into another shape: made again
    base = spec_root.parent
    try:
        spec_files = [base / name for name in recorded.get("spec", {})]
        current = Inputs.collect(spec_root, spec_files, rules, options, changelog).as_json()
    except OSError:
        return False
    if current != recorded:
        return False
    return on_disk_matches(folder, manifest.get("files", {}))


_TOOL_LEFTOVERS = frozenset({"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".hypothesis"})


def tool_leftover(relative: Path) -> bool:
    """What tools leave in a package (caches, pip's egg-info, bytecode): not part of it, nobody's work."""
    return relative.name.endswith(".pyc") or any(
        part in _TOOL_LEFTOVERS or part.endswith(".egg-info") for part in relative.parts)


def package_files(folder: Path) -> list[str]:
    """Every file in a package folder but tool leftovers, as posix paths relative to it."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if (p.is_file() or p.is_symlink()) and not tool_leftover(p.relative_to(folder)))


def on_disk(folder: Path) -> dict[str, bytes]:
    """Every file of a package folder but tool leftovers, by posix path relative to it."""
    if not folder.is_dir():
        return {}
    return {path: (folder / path).read_bytes() for path in package_files(folder) if (folder / path).is_file()}


def listed_digest(folder: Path, path: str) -> str | None:
    """The digest of a file the manifest lists; None when it is not a plain readable file any more."""
    where = folder / path
    if where.is_symlink() or not where.is_file():
        return None
    try:
        return digest_bytes(where.read_bytes())
    except OSError:
        return None


def on_disk_matches(folder: Path, files: Mapping[str, str]) -> bool:
    if set(package_files(folder)) - {NAME} != set(files):
        return False
    return all(listed_digest(folder, path) == digest for path, digest in files.items())


def recorded_package(folder: Path) -> str | None:
    """The --package a package in `folder` was generated with (None: none was given, or no manifest)."""
    manifest = read_manifest(folder)
    inputs = manifest.get("inputs") if manifest is not None else None
    options = inputs.get("options") if isinstance(inputs, dict) else None
    for option in options.split(";") if isinstance(options, str) else []:
        key, _, value = option.partition("=")
        if key == "package" and value:
            return value
    return None
