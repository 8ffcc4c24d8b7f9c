"""Files sent to the API: as a multipart part (RFC 7578) or as the whole request body.

A file is given as bytes, a path, a binary file object, or a tuple that names it:
`(filename, content)` or `(filename, content, content_type)`. Paths and file objects are read in
chunks while the request is sent, never whole into memory, and again from their start when the
request is retried; a stream that cannot seek is sent once and its request is not retried.
"""

from __future__ import annotations

import asyncio
import base64
import io
import mimetypes
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import IO, Any, Optional, Union

import httpx

# The package exports these names (careforge reads this list); the module's other names are internal.
__all__ = ["FileInput"]

FileContent = Union[bytes, bytearray, memoryview, IO[bytes]]
FileInput = Union[
    FileContent,
    os.PathLike[str],
    tuple[Optional[str], FileContent],
    tuple[Optional[str], FileContent, Optional[str]],
]

DEFAULT_FILENAME = "upload"  # RFC 7578 4.2: a file part should have a filename; the caller gave none
OCTET_STREAM = "application/octet-stream"
CHUNK = 64 * 1024


def is_file(value: object) -> bool:
    """A value the caller means as a file (not a text field)."""
    return (isinstance(value, (bytes, bytearray, memoryview, os.PathLike)) or hasattr(value, "read")
            or is_file_tuple(value))


def is_file_tuple(value: object) -> bool:
    """The (filename, content[, content_type[, headers]]) form of one file (httpx's, paths allowed)."""
    return (isinstance(value, tuple) and 2 <= len(value) <= 4 and (value[0] is None or isinstance(value[0], str))
            and (isinstance(value[1], (bytes, bytearray, memoryview, os.PathLike)) or hasattr(value[1], "read")))


def open_part(value: Any, declared: str | None) -> tuple[str, Any, str] | tuple[str, Any, str, Any]:
    """One multipart file part in httpx's form: (filename, content, content type[, headers]).

    The filename is the tuple's, else the path's or the file object's base name, else a neutral one;
    the type is the tuple's, else the Encoding Object's (`declared`), else guessed from the filename."""
    name: str | None = None
    given_type: str | None = None
    extra: Any = None
    content = value
    if is_file_tuple(value):
        name, content = value[0], value[1]
        given_type = value[2] if len(value) > 2 else None
        extra = value[3] if len(value) > 3 else None
    filename = _base_name(name) or _base_name(content_name(content)) or DEFAULT_FILENAME
    if isinstance(content, os.PathLike):
        content = _LazyFile(Path(content))
    elif isinstance(content, (bytearray, memoryview)):
        content = bytes(content)
    elif hasattr(content, "read"):
        content = _part_stream(content)
    kind = given_type or choose_type(declared, filename)
    return (filename, content, kind) if extra is None else (filename, content, kind, extra)


def choose_type(declared: str | None, filename: str | None) -> str:
    """A concrete Content-Type for a file (RFC 9110 8.3: never a range like `image/*`). `declared` is the
    spec's: an Encoding Object's `contentType` (maybe a comma list of types and ranges) or a media-type key.
    The type guessed from the file's name wins where the spec allows it; else the first concrete type
    the spec lists; else that guess; else application/octet-stream."""
    allowed = [t.split(";")[0].strip().lower() for t in (declared or "").split(",") if t.strip()]
    guessed = mimetypes.guess_type(filename)[0] if filename else None
    if guessed and (not allowed or any(_covers(t, guessed) for t in allowed)):
        return guessed
    return next((t for t in allowed if "*" not in t), None) or guessed or OCTET_STREAM


def _covers(allowed: str, kind: str) -> bool:
    major, _, minor = allowed.partition("/")
    k_major, _, k_minor = kind.partition("/")
    return major in ("*", k_major) and minor in ("*", k_minor)


def content_name(content: object) -> str | None:
    """The name a path or a file object carries (a file opened from a path has it in `.name`)."""
    if isinstance(content, os.PathLike):
        return os.fspath(content) if isinstance(os.fspath(content), str) else None
    name = getattr(content, "name", None)
    return name if isinstance(name, str) else None


def _base_name(name: str | None) -> str | None:
    """The last segment of a path, either separator, so no directory of the caller's goes out."""
    if not name:
        return None
    # A name the file system gave as undecodable bytes (surrogates) goes as its UTF-8 with replacements.
    try:
        name = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a lone surrogate of another kind
        name = name.encode("utf-8", "replace").decode("utf-8")
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return base if base not in ("", ".", "..") and "\0" not in base else None


class _LazyFile:
    """A path read as a file object by httpx's multipart encoder: opened on first read, closed at its end,
    so a large file is never held in memory and a retry reads it again from the start."""

    def __init__(self, path: Path) -> None:
        self.name = str(path)
        self._path = path
        self._file: IO[bytes] | None = None
        self._position = 0

    def read(self, size: int = -1) -> bytes:
        if self._file is None:
            self._file = open(self._path, "rb")
            self._file.seek(self._position)
        data = self._file.read(size)
        self._position += len(data)
        if not data or size < 0:
            self.close()
        return data

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        self.close()
        end = os.stat(self._path).st_size
        self._position = {os.SEEK_SET: 0, os.SEEK_CUR: self._position, os.SEEK_END: end}[whence] + offset
        return self._position

    def tell(self) -> int:
        return self._position

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def _part_stream(file: IO[bytes]) -> Any:
    """A file object as a multipart part: from where it stands, its length known only when it can seek
    (httpx would otherwise rewind it to 0, or size a pipe by its zero st_size), sent once when it cannot."""
    start, length = _extent(file)
    return _Once(file) if start < 0 else _FromOffset(file, start, length)


class _FromOffset:
    """A seekable file seen from `start`: httpx's seek(0) before each send lands there, and its length
    comes from seeking, not from the file's size on disk (a gzip or /proc file differs from it)."""

    def __init__(self, file: IO[bytes], start: int, length: int | None) -> None:
        self._file = file
        self._start = start
        self._length = length
        self.name = content_name(file)

    def read(self, size: int = -1) -> bytes:
        return self._file.read(size)

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        if whence == os.SEEK_END and self._length is not None:
            self._file.seek(self._start + self._length + offset)
        elif whence == os.SEEK_SET:
            self._file.seek(self._start + offset)
        else:
            self._file.seek(offset, whence)
        return self.tell()

    def tell(self) -> int:
        return self._file.tell() - self._start


class _Once:
    """A stream that cannot seek (a pipe, a socket, a response body): read as it comes, sent chunked, once."""

    def __init__(self, file: IO[bytes]) -> None:
        self._file = file
        self.name = content_name(file)

    def read(self, size: int = -1) -> bytes:
        return self._file.read(size)


def parts_resendable(files: Any) -> bool:
    """Whether multipart parts can be sent again (no part is a stream that cannot seek)."""
    return not any(isinstance(part, tuple) and len(part) > 1 and isinstance(part[1], tuple) and len(part[1]) > 1
                   and isinstance(part[1][1], _Once) for part in files or ())


class RawBody:
    """A request body read from a path or a file object while it is sent.

    `length` is the number of bytes to send when it can be known beforehand (Content-Length), else None
    (sent chunked). `resendable` is False for a stream that cannot seek: it is sent once."""

    __slots__ = ("_path", "_file", "_start", "length", "resendable", "_used")

    def __init__(self, *, path: Path | None = None, file: IO[bytes] | None = None) -> None:
        self._path = path
        self._file = file
        self._start = 0
        self._used = False
        self.length: int | None = None
        self.resendable = True
        if path is not None:
            self.length = os.stat(path).st_size or None  # 0: maybe a /proc file or a FIFO; sent chunked
        elif file is not None:
            self._start, self.length = _extent(file)
            self.resendable = self._start >= 0

    def chunks(self, asynchronous: bool) -> Any:
        """The content for one send, as httpx takes it (httpx's async client needs an async iterable)."""
        return _AsyncChunks(self) if asynchronous else _SyncChunks(self)

    def _begin(self) -> IO[bytes]:
        """The source, positioned at its start: a path is opened again, a file object seeked back."""
        if self._path is not None:
            return open(self._path, "rb")
        assert self._file is not None
        if self.resendable:
            self._file.seek(self._start)
        elif self._used:
            raise httpx.StreamConsumed()  # a stream that cannot seek has nothing left to send again
        self._used = True
        return self._file

    def _end(self, source: IO[bytes]) -> None:
        if self._path is not None:
            source.close()


def _extent(file: IO[bytes]) -> tuple[int, int | None]:
    """(start offset, bytes from there to the end) of a file object; (-1, None) when it cannot seek."""
    try:
        if not file.seekable():
            return -1, None
        start = file.tell()
    except (AttributeError, OSError, ValueError):
        return -1, None
    size: int | None = None
    if isinstance(file, (io.FileIO, io.BufferedReader, io.BufferedRandom)):  # a file on disk: its size
        try:
            size = os.fstat(file.fileno()).st_size or None  # 0: a /proc file, say; its length is unknown
        except (OSError, ValueError, io.UnsupportedOperation):
            size = None
        return start, None if size is None else max(size - start, 0)
    try:  # a wrapper (gzip, say) reads another length than its file's size on disk
        size = file.seek(0, os.SEEK_END)
        file.seek(start)
    except (OSError, ValueError, io.UnsupportedOperation):
        return start, None
    return start, max(size - start, 0)


class _SyncChunks:
    """Iterable again for each send (httpx re-reads a non-generator iterable when an auth flow resends)."""

    def __init__(self, body: RawBody) -> None:
        self._body = body

    def __iter__(self) -> Iterator[bytes]:
        source = self._body._begin()
        try:
            while chunk := source.read(CHUNK):
                yield chunk
        finally:
            self._body._end(source)


class _AsyncChunks:
    """The same as _SyncChunks for the async client: each read runs in a worker thread, so a slow disk or
    pipe does not stall the event loop."""

    def __init__(self, body: RawBody) -> None:
        self._body = body

    async def __aiter__(self) -> AsyncIterator[bytes]:
        source = await asyncio.to_thread(self._body._begin)
        try:
            while chunk := await asyncio.to_thread(source.read, CHUNK):
                yield chunk
        finally:
            self._body._end(source)


class OffLoopParts(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A multipart body for the async client: httpx's encoder reads file parts as it is iterated, so each of
    its steps runs in a worker thread and a slow disk or pipe does not stall the event loop. Each send
    iterates the encoder afresh, which moves seekable parts back to their start, as on the sync client."""

    def __init__(self, encoder: Any) -> None:
        self._encoder = encoder

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._encoder)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        steps = iter(self._encoder)
        in_thread = False
        try:
            while True:
                in_thread = True
                chunk = await asyncio.to_thread(next, steps, None)
                in_thread = False
                if chunk is None:
                    return
                yield chunk
        finally:
            close = getattr(steps, "close", None)
            if close is not None and not in_thread:  # a step still running in its thread ends there on its own
                close()


def encoded(content: bytes | RawBody, how: str) -> bytes:
    """A raw body as base64 (RFC 4648 4) or base64url (5) text: read whole, as encoding needs."""
    data = content if isinstance(content, bytes) else b"".join(content.chunks(False))
    return base64.urlsafe_b64encode(data) if how == "base64url" else base64.b64encode(data)


def raw_name(value: Any) -> str | None:
    """The file name a raw body carries (a tuple's, a path's or a file object's), to guess its type by."""
    if is_file_tuple(value):
        return _base_name(value[0]) or _base_name(content_name(value[1]))
    return _base_name(content_name(value))


def raw_body(value: Any) -> tuple[bytes | RawBody, str | None]:
    """A whole request body from what the caller gave, and the content type a tuple names (else None)."""
    kind: str | None = None
    if is_file_tuple(value):
        kind = value[2] if len(value) > 2 else None
        value = value[1]
    if isinstance(value, str):
        return value.encode("utf-8"), kind
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value), kind
    if isinstance(value, os.PathLike):
        return RawBody(path=Path(value)), kind
    if hasattr(value, "read"):
        return RawBody(file=value), kind
    raise TypeError(f"a file body is bytes, a path, a binary file object or a (filename, content) tuple, "
                    f"not a {type(value).__name__}")
