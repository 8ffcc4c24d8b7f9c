"""A content-addressed cache of slow, pure steps (the formatter, the OpenAPI validator, the model generator).

An entry's key is a hash of everything its value depends on (the input and the tool's version), so
a hit is exactly what the step would have computed: output stays byte-identical with or without it.
The cache lives in `$CAREFORGE_CACHE_DIR`, else `$XDG_CACHE_HOME/careforge`, else `~/.cache/careforge`;
`CAREFORGE_CACHE_DIR=off` turns it off. Any problem with it is ignored: it can only make runs faster.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path

_FORMAT = "1"  # bump when the meaning of an entry changes
_GENERATOR = Path(__file__).resolve().parent
# Modules that read the output or drive the stages, but never shape what is written.
_NOT_OUTPUT = frozenset({"checks", "cli.py", "__main__.py", "entry.py", "stopping.py", "reporting.py", "publish.py",
                         "build_dist.py", "console.py", "watch.py"})


def digest_tree(folder: Path, pattern: str, skip: frozenset[str] = frozenset()) -> str:
    """One hash for every file under `folder` matching `pattern` (names and contents)."""
    h = hashlib.sha256()
    skipped = skip | {"__pycache__"}
    for path in sorted(p for p in folder.rglob(pattern) if p.is_file() and not skipped & set(p.relative_to(folder).parts)):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


@functools.cache
def generator_digest() -> str:
    """The generator's own code, as far as it shapes output (read once per run)."""
    return digest_tree(_GENERATOR, "*.py", skip=_NOT_OUTPUT)


def _root() -> Path | None:
    chosen = os.environ.get("CAREFORGE_CACHE_DIR")
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "careforge"


def version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "missing"


def key(namespace: str, parts: Iterable[str | bytes]) -> str:
    digest = hashlib.sha256(f"{_FORMAT}\0{namespace}\0".encode())
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def _path(namespace: str, entry: str) -> Path | None:
    root = _root()
    return None if root is None else root / namespace / entry[:2] / entry


def get(namespace: str, entry: str) -> str | None:
    path = _path(namespace, entry)
    if path is None:
        return None
    try:
        stored = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    # Each entry carries its own checksum: a damaged file is a miss, never wrong output.
    check, _, value = stored.partition("\n")
    return value if check == _checksum(value) else None


def _checksum(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def put(namespace: str, entry: str, value: str) -> None:
    path = _path(namespace, entry)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False) as out:
            out.write(_checksum(value) + "\n" + value)
        os.replace(out.name, path)
    except OSError:
        return


def get_json(namespace: str, entry: str) -> object | None:
    """A JSON entry, or None when it is missing or unreadable (the caller computes it again)."""
    text = get(namespace, entry)
    if text is None:
        return None
    try:
        value: object = json.loads(text)
    except ValueError:
        return None
    return value


def put_json(namespace: str, entry: str, value: object) -> None:
    put(namespace, entry, json.dumps(value, ensure_ascii=False))
