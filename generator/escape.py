"""The one way a spec string reaches generated text.

`Code` is Python source the view vouches for: identifiers made by names.py and literals made here.
`Doc` is text safe inside a triple-quoted docstring. `Markdown` is text safe inside a table cell or
a paragraph of a generated README. `Toml` is a TOML string value. Nothing else from a spec is ever
placed in a template.
"""

from __future__ import annotations

import json
import keyword
import math
import re
import unicodedata
from collections.abc import Sequence
from typing import Any, NewType

from .typed_names import ClassName, JsonText, PythonIdentifier

Code = NewType("Code", str)
Doc = NewType("Doc", str)
Markdown = NewType("Markdown", str)
Toml = NewType("Toml", str)

# Characters that hide or move text (controls, line and paragraph separators, lone surrogates).
HIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\u0085\ud800-\udfff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def name(identifier: PythonIdentifier | ClassName) -> Code:
    """An identifier made by names.py; checked again because a mistake here would be code injection."""
    if not identifier.isidentifier() or keyword.iskeyword(identifier) or not identifier.isascii():
        raise ValueError(f"not a safe identifier: {identifier!r}")
    return Code(identifier)


def dotted(*parts: PythonIdentifier | ClassName) -> Code:
    return Code(".".join(name(p) for p in parts))


def literal(value: Any) -> Code:
    """A Python expression that evaluates to `value` (JSON-like data only)."""
    if value is None or isinstance(value, bool):
        return Code(repr(value))
    if isinstance(value, int):
        return Code(repr(value))
    if isinstance(value, float):
        if math.isnan(value):
            return Code('float("nan")')
        if math.isinf(value):
            return Code('float("inf")' if value > 0 else 'float("-inf")')
        return Code(repr(value))
    if isinstance(value, str):
        return Code(repr(value))
    if isinstance(value, (list, tuple)):
        return Code("[" + ", ".join(literal(v) for v in value) + "]")
    if isinstance(value, dict):
        return Code("{" + ", ".join(f"{literal(str(k))}: {literal(v)}" for k, v in value.items()) + "}")
    raise TypeError(f"no literal for {type(value).__name__}")


def json_literal(text: JsonText) -> Code:
    return literal(json.loads(text))


def doc(text: str, *, limit: int = 2000) -> Doc:
    """Text for a docstring: it cannot end the string early, start an escape, or hide control bytes."""
    return _doc(text, limit=limit, whole=False)


def docstring(text: str, *, limit: int = 2000) -> Doc:
    """`doc` for a whole docstring, laid out the way black and ruff's formatter both keep it: text of
    several lines ends with a line break (the closing quotes then stand on a line of their own; black
    alone moves them down when the last line is too long), and a closing quote of the text is followed
    by a space rather than escaped (black adds the space after an escaped quote, ruff takes it away)."""
    clean = _doc(text, limit=limit, whole=True)
    if "\n" in clean:
        return Doc(clean + "\n")
    return Doc(clean + " ") if clean.endswith('"') else clean


def _doc(text: str, *, limit: int, whole: bool) -> Doc:
    # Tabs become spaces: a line of the text starting with one would mix tabs into the indentation.
    clean = HIDDEN.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4)).strip()
    if len(clean) > limit:
        clean = clean[: limit - 3].rstrip() + "..."
    clean = clean.replace("\\", "\\\\")
    # A run of three quotes would end the docstring, and so would one that touches its closing quotes
    # (a whole docstring keeps a space or a line break before them instead).
    clean = _QUOTES.sub(lambda m: _escape_run(m, len(clean), whole), clean)
    return Doc("\n".join(line.rstrip() for line in clean.split("\n")))


_QUOTES = re.compile(r'"+')


def _escape_run(match: re.Match[str], end: int, whole: bool) -> str:
    run = match.group()
    if whole and match.end() == end:  # the last quote stays bare: a space will follow it
        return '\\"' * (len(run) - 1) + '"' if len(run) >= 3 else run
    if match.end() == end:
        # Not `\"`: a text that may end a docstring must not end in an escaped quote, after which black
        # adds a space that ruff's formatter takes away.
        return run.replace('"', "\\x22")
    return run.replace('"', '\\"') if len(run) >= 3 else run


def one_line(text: str) -> Doc:
    """Text for a `#` comment or one docstring line: no line break of any kind, nothing invisible."""
    flat = "".join(" " if (c.isspace() or unicodedata.category(c).startswith("C")) else c for c in text)
    return doc(" ".join(flat.split()), limit=500)


def first_line(text: str) -> Doc:
    line = text.strip().split("\n", 1)[0] if text.strip() else ""
    return doc(line, limit=200)


def md(text: str) -> Markdown:
    """Text for one line of Markdown (a table cell or a heading): no line breaks, no table pipes."""
    clean = " ".join(HIDDEN.sub(" ", text).split())
    clean = clean.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
    return Markdown(clean.replace("`", "\\`"))


def md_prose(text: str) -> Markdown:
    """Like md(), but balanced `code spans` of the text stay code spans (each made safe as md_code makes it)."""
    clean = " ".join(HIDDEN.sub(" ", text).split())
    pieces = clean.split("`")
    if len(pieces) % 2 == 0:  # an unpaired backtick: show every backtick as it is
        return md(text)
    plain = (p.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")
             for p in pieces[::2])
    code = [md_code(p) for p in pieces[1::2]] + [Markdown("")]
    return Markdown("".join(p + c for p, c in zip(plain, code)))


def md_code(text: str) -> Markdown:
    """Text inside an inline code span of one line."""
    clean = " ".join(HIDDEN.sub(" ", text).split()).replace("`", "'").replace("|", "\\|")
    return Markdown(f"`{clean}`" if clean else "")


def toml(text: str) -> Toml:
    """A TOML basic string: JSON's escapes are TOML's, plus DEL, which TOML also forbids raw."""
    clean = _SURROGATE.sub("\ufffd", text)
    return Toml(json.dumps(clean, ensure_ascii=False).replace("\x7f", "\\u007f"))


def tuple_of(items: Sequence[str]) -> Code:
    """A tuple display of already-safe code items, written the way black keeps it."""
    if len(items) == 1:
        return Code(f"({items[0]},)")
    return Code("(" + ", ".join(items) + ")")
