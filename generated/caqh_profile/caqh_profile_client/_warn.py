"""Deprecation warnings pointed at the caller's own line, however many of the package's frames (a pager,
a raw-response wrapper) stand between it and the warning."""

from __future__ import annotations

import os
import sys
import warnings

_HERE = os.path.dirname(os.path.abspath(__file__)) + os.sep


def warn_deprecated(message: str) -> None:
    level, frame = 1, sys._getframe(0)
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_HERE):
        frame, level = frame.f_back, level + 1  # type: ignore[assignment]
    warnings.warn(message, DeprecationWarning, stacklevel=level)
