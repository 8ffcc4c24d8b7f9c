"""Two repairs of the model generator's output that no option of it makes.

- Schema text (descriptions, enum values, defaults) reaches its output raw: a control character, a
  line separator or an ANSI sequence would hide text in a terminal or a diff, and U+2028 is a line
  break to `str.splitlines` though not to Python. Each such character in a string literal becomes its
  escape (the value is unchanged); in a comment, the escape's text.
- A field whose name starts with `model_` (a property `model_dump` becomes `model_dump_`) falls in
  pydantic's protected namespace, and pydantic warns on import: such classes get
  `protected_namespaces=()` in their config.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize

from .escape import HIDDEN

_PREFIX = re.compile(r"^[A-Za-z]*")


def escape_hidden_characters(source: str) -> str:
    if not HIDDEN.search(source):
        return source  # the common case: no tokenizing
    edits: list[tuple[int, int, str]] = []
    starts = _line_starts(source)
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type not in (tokenize.STRING, tokenize.COMMENT) or not HIDDEN.search(token.string):
            continue
        begin = starts[token.start[0] - 1] + token.start[1]
        end = starts[token.end[0] - 1] + token.end[1]
        text = _string(token.string) if token.type == tokenize.STRING else HIDDEN.sub(_escape_match, token.string)
        edits.append((begin, end, text))
    for begin, end, text in reversed(edits):
        source = source[:begin] + text + source[end:]
    return source


def _line_starts(source: str) -> list[int]:
    """Offsets where each line begins, as the tokenizer counts lines (at "\\n" only)."""
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", source))
    return starts


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _escape_match(match: re.Match[str]) -> str:
    return _escape(match.group())


def _string(token: str) -> str:
    """The literal `token` again, with the same value, its hidden characters written as escapes."""
    value = ast.literal_eval(token)
    if not isinstance(value, str):
        return HIDDEN.sub(_escape_match, token)  # bytes: not written by the model generator
    prefix = _PREFIX.match(token)
    assert prefix is not None
    body = token[prefix.end():]
    quote = body[:3] if body[:3] in ('"""', "'''") else body[:1]
    out = []
    for char in value:
        if char == "\\":
            out.append("\\\\")
        elif char == quote[0]:
            out.append("\\" + char)
        elif char == "\r" or (char == "\n" and len(quote) == 1) or HIDDEN.match(char):
            out.append(_escape(char))
        else:
            out.append(char)
    return quote + "".join(out) + quote


_PROTECTED = "model_"


def clear_protected_namespaces(source: str) -> str:
    if f"    {_PROTECTED}" not in source.replace(f"    {_PROTECTED}config", ""):
        return source  # no field starts with model_ (the common case: no parsing)
    tree = ast.parse(source)
    inserts: list[tuple[int, int, str]] = []  # (line, column, text)
    for node in tree.body:
        if not isinstance(node, ast.ClassDef) or not _has_protected_field(node):
            continue
        config = _config_call(node)
        if config is not None:
            assert config.func.end_col_offset is not None
            inserts.append((config.func.end_lineno or config.lineno, config.func.end_col_offset + 1,
                            "protected_namespaces=(), "))
        else:
            first = node.body[0]
            inserts.append((first.lineno, 0, " " * first.col_offset + "model_config = ConfigDict(protected_namespaces=())\n"))
    if not inserts:
        return source
    lines = source.split("\n")  # as ast counts lines
    for line, column, text in sorted(inserts, reverse=True):
        lines[line - 1] = lines[line - 1][:column] + text + lines[line - 1][column:]
    result = "\n".join(lines)
    if "ConfigDict" not in _imported(tree):
        result = result.replace("from __future__ import annotations\n",
                                "from __future__ import annotations\n\nfrom pydantic import ConfigDict\n", 1)
    return result


def _has_protected_field(node: ast.ClassDef) -> bool:
    return any(isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)
               and s.target.id.startswith(_PROTECTED) and s.target.id != "model_config" for s in node.body)


def _config_call(node: ast.ClassDef) -> ast.Call | None:
    for statement in node.body:
        if (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                and isinstance(statement.targets[0], ast.Name) and statement.targets[0].id == "model_config"
                and isinstance(statement.value, ast.Call) and isinstance(statement.value.func, ast.Name)
                and statement.value.func.id == "ConfigDict"):
            return statement.value
    return None


def _imported(tree: ast.Module) -> set[str]:
    return {alias.asname or alias.name for node in tree.body if isinstance(node, ast.ImportFrom) for alias in node.names}
