"""The file name a response suggests in Content-Disposition (RFC 6266), made safe to save under.

`filename*` (RFC 8187: charset, language, percent-encoded bytes) wins over `filename`, as RFC 6266 4.3
asks. Only the last path segment is kept (a server may send `../../x` or `C:\\x`), and a name that is
empty, `.` or `..`, or holds a NUL, another C0 or C1 control character or a bidirectional override is
refused: None, as for no name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import unquote_to_bytes

# disposition-parm (RFC 6266 4.1): a token, "=", and a token or a quoted-string (RFC 9110 5.6.4).
_PARAM = re.compile(r';\s*([!#$%&\'*+.^_`|~0-9A-Za-z-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;\s]*)')
# ext-value (RFC 8187 3.2.1): charset "'" [ language ] "'" value-chars.
_EXT_VALUE = re.compile(r"([!#$%&+\-^_`{}~0-9A-Za-z]+)'[0-9A-Za-z-]*'((?:%[0-9A-Fa-f]{2}|[!#$&+\-.^_`|~0-9A-Za-z])*)")
# C0 and C1 controls, and the bidirectional overrides and isolates that make a name read otherwise (CVE-2021-42574).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def suggested_filename(headers: Mapping[str, str]) -> str | None:
    """The safe base name the response's Content-Disposition suggests, or None."""
    disposition = headers.get("content-disposition")
    if not disposition:
        return None
    params: dict[str, str] = {}
    for key, value in _PARAM.findall(disposition):
        params.setdefault(key.lower(), value)  # a repeated parameter is invalid; the first is kept
    extended = params.get("filename*")
    name = _ext_value(extended) if extended is not None else None
    if name is None and "filename" in params:
        name = _unquoted(params["filename"])
    return _safe(name)


def _unquoted(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return re.sub(r"\\(.)", r"\1", value[1:-1])
    return value


def _ext_value(value: str) -> str | None:
    """RFC 8187's ext-value decoded; None when it is malformed or its charset is not one it requires."""
    match = _EXT_VALUE.fullmatch(value)
    if match is None:
        return None
    charset = match.group(1).lower()
    if charset not in ("utf-8", "iso-8859-1"):
        return None
    try:
        return unquote_to_bytes(match.group(2)).decode(charset)
    except UnicodeDecodeError:
        return None


def _safe(name: str | None) -> str | None:
    if name is None:
        return None
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if base in ("", ".", "..") or _CONTROL.search(base):
        return None
    return base
