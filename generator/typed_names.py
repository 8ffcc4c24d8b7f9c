"""The typed strings the IR carries: names made safe by names.py, and canonical JSON text.

They live below both the IR and names.py so that neither has to import the other for them.
"""

from __future__ import annotations

from typing import NewType

PythonIdentifier = NewType("PythonIdentifier", str)
ClassName = NewType("ClassName", str)
JsonText = NewType("JsonText", str)
