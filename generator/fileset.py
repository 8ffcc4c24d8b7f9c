"""A generated package held in memory: relative POSIX paths to text."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class FileSet:
    files: Mapping[str, str] = field(default_factory=dict)
    # Files copied as they are from our own sources (the runtime): already formatted, only parsed.
    verbatim: frozenset[str] = frozenset()

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.files))

    def __len__(self) -> int:
        return len(self.files)

    def replace(self, changes: Mapping[str, str]) -> FileSet:
        return FileSet({**self.files, **changes}, self.verbatim - changes.keys())

    def encoded(self, path: str) -> bytes:
        return self.files[path].encode("utf-8")

    def digest(self, path: str) -> str:
        return hashlib.sha256(self.encoded(path)).hexdigest()

    @property
    def python_files(self) -> list[str]:
        return [p for p in self if p.endswith(".py")]
