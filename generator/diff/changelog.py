"""`careforge bump` writes the version into rules.toml and the changes into CHANGELOG.md."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

_PACKAGE = re.compile(r"^\[\s*package\s*\][ \t]*(?:#.*)?$", re.MULTILINE)
_VERSION = re.compile(r"^[ \t]*(?:version|\"version\"|'version')[ \t]*=[^#\n]*?(?P<comment>[ \t]*#.*)?$", re.MULTILINE)
_TABLE = re.compile(r"^\s*\[", re.MULTILINE)


def set_version(rules: Path, version: str) -> None:
    """Edit only the version line of [package], keeping the rest of the file as written."""
    text = rules.read_text(encoding="utf-8") if rules.is_file() else ""
    line = f'version = "{version}"'
    header = _PACKAGE.search(text)
    if header is None:
        text = f"[package]\n{line}\n" + ("\n" + text if text else "")
    else:
        following = _TABLE.search(text, header.end())
        end = following.start() if following else len(text)
        body = text[header.end():end]
        found = _VERSION.search(body)
        if found:
            body = body[:found.start()] + line + (found["comment"] or "") + body[found.end():]
        else:
            body = "\n" + line + body
        text = text[:header.end()] + body + text[end:]
    tomllib.loads(text)  # what we write must still be TOML
    rules.write_text(text, encoding="utf-8")


def add_entry(changelog: Path, entry: str, *, title: str) -> None:
    """The newest entry first, under the title; an entry for the same version is replaced."""
    text = changelog.read_text(encoding="utf-8") if changelog.is_file() else f"# {title}\n"
    head, _, rest = text.partition("\n## ")
    rest = ("## " + rest) if rest else ""
    heading = entry.split("\n", 1)[0]
    if rest.startswith(heading + "\n"):
        following = rest.find("\n## ", len(heading))
        rest = rest[following + 1:] if following >= 0 else ""
    changelog.write_text(head.rstrip("\n") + "\n\n" + entry.rstrip("\n") + "\n" + ("\n" + rest if rest else ""),
                         encoding="utf-8")
