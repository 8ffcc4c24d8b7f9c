"""Where each value of a JSON document starts, by JSON pointer, in one linear scan of the text.

Diagnostics name a line and column. For YAML the composer records them while parsing; a JSON file
is parsed by `json` (fast, no positions), and composing it again as YAML only to find positions
took seconds on a large spec. This scanner finds the same positions from the text alone (1-based
line and column: of the key for an object member, of the value otherwise); it assumes the text
already parsed as JSON.
"""

from __future__ import annotations

import bisect
import json
import re

Position = tuple[int, int]

# A string, a structural character, or a run of anything else (numbers, true, false, null).
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+', re.DOTALL)


def json_positions(text: str) -> dict[str, Position]:
    starts = [0, *(m.end() for m in re.finditer("\n", text))]
    positions: dict[str, Position] = {}
    # One frame per open container: [pointer, next array index or -1 for an object, pending key].
    stack: list[list[object]] = []
    expecting_key = False

    def record(pointer: str, offset: int) -> None:
        line = bisect.bisect_right(starts, offset)
        positions.setdefault(pointer, (line, offset - starts[line - 1] + 1))

    def value_pointer() -> str:
        if not stack:
            return ""
        frame = stack[-1]
        if frame[1] == -1:
            return f"{frame[0]}/{frame[2]}"
        index = frame[1]
        assert isinstance(index, int)
        frame[1] = index + 1
        return f"{frame[0]}/{index}"

    for match in _TOKEN.finditer(text):
        token = match.group()
        first = token[0]
        if first in ",:":
            if first == "," and stack and stack[-1][1] == -1:
                expecting_key = True
            continue
        if first in "}]":
            stack.pop()
            expecting_key = False
            continue
        if expecting_key:
            key = json.loads(token) if "\\" in token else token[1:-1]
            stack[-1][2] = key.replace("~", "~0").replace("/", "~1")
            record(f"{stack[-1][0]}/{stack[-1][2]}", match.start())
            expecting_key = False
            continue
        pointer = value_pointer()
        record(pointer, match.start())
        if first == "{":
            stack.append([pointer, -1, ""])
            expecting_key = True
        elif first == "[":
            stack.append([pointer, 0, ""])
    return positions
