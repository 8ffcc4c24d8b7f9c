"""Small shared types: the NOT_GIVEN sentinel, open enums, binary responses, type aliases."""

from __future__ import annotations

import enum
import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Union

import httpx
import pydantic

from ._disposition import suggested_filename

# The package exports these names (careforge reads this list); the module's other names are internal.
__all__ = ["NOT_GIVEN", "BinaryResponse", "NotGiven"]


# Marks a request whose body is a stream that cannot be sent again: an auth flow answers its 401 as it is.
SENT_ONCE = "careforge.sent_once"

class NotGiven:
    """The type of NOT_GIVEN: "leave this out of the request", as opposed to None ("send null")."""

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()

Timeout = Union[float, httpx.Timeout, None]
Headers = Mapping[str, str]
Query = Mapping[str, object]


class _OpenEnumMixin:
    """Unknown values become extra members instead of failing, so a new server value never breaks parsing."""

    @classmethod
    def _open_member(cls, value: Any) -> Any:
        base: Any = cls
        member = base._member_type_.__new__(cls, value)
        member._name_ = f"UNKNOWN_{value}"
        member._value_ = value
        # Remembered so that the same unknown value always gives the same member.
        base._value2member_map_[value] = member
        return member


class OpenStrEnum(_OpenEnumMixin, str, enum.Enum):
    @classmethod
    def _missing_(cls, value: object) -> Any:
        return cls._open_member(value) if isinstance(value, str) else None

    @property
    def is_known(self) -> bool:
        """False for a value the spec did not list."""
        return self._name_ in type(self).__members__

    def __str__(self) -> str:
        return str(self.value)


class OpenIntEnum(_OpenEnumMixin, int, enum.Enum):
    @classmethod
    def _missing_(cls, value: object) -> Any:
        return cls._open_member(value) if isinstance(value, int) and not isinstance(value, bool) else None

    @property
    def is_known(self) -> bool:
        """False for a value the spec did not list."""
        return self._name_ in type(self).__members__


@dataclass(frozen=True, slots=True)
class BinaryResponse:
    """A response body that is not JSON (a file, an image, a PDF)."""

    content: bytes
    content_type: str
    headers: httpx.Headers

    def write_to_file(self, file: str | os.PathLike[str]) -> None:
        """Write the body to `file` (for a large download, stream it instead: client.with_streaming_response)."""
        with open(file, "wb") as out:
            out.write(self.content)

    @property
    def filename(self) -> str | None:
        """The file name the server suggests (Content-Disposition, RFC 6266; `filename*` preferred), as a
        bare name: directories are dropped, and None is returned for no name or an unsafe one."""
        return suggested_filename(self.headers)


@functools.lru_cache(maxsize=512)
def type_adapter(tp: Any) -> pydantic.TypeAdapter[Any]:
    """One adapter per type: building one costs far more than the validation it serves."""
    return pydantic.TypeAdapter(tp)
