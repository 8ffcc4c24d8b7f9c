"""The file name of a download, from Content-Disposition: the examples of RFC 6266 section 5 and RFC 8187
section 3.2.2 give the expected names, and names that would leave the chosen folder give none."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from types import ModuleType

import httpx
import pytest


@pytest.fixture(scope="module")
def suggested(toy: ModuleType) -> Callable[[str], str | None]:
    module = importlib.import_module(f"{toy.__name__}._disposition")

    def read(value: str) -> str | None:
        named: str | None = module.suggested_filename(httpx.Headers({"Content-Disposition": value}))
        binary = toy.BinaryResponse(b"", "application/octet-stream", httpx.Headers({"content-disposition": value}))
        assert binary.filename == named  # BinaryResponse reads the header the same way
        return named

    return read


RFC_EXAMPLES = [
    # RFC 6266 section 5
    ("Attachment; filename=example.html", "example.html"),
    ('INLINE; FILENAME= "an example.html"', "an example.html"),
    ("attachment; filename*= UTF-8''%e2%82%ac%20rates", "\u20ac rates"),
    ("attachment; filename=\"EURO rates\"; filename*=utf-8''%e2%82%ac%20rates", "\u20ac rates"),
    # RFC 8187 section 3.2.2 (its examples are of a parameter `foo*`; here as `filename*`)
    ("attachment; filename*=iso-8859-1'en'%A3%20rates", "\u00a3 rates"),
    ("attachment; filename*=UTF-8''%c2%a3%20and%20%e2%82%ac%20rates", "\u00a3 and \u20ac rates"),
]


@pytest.mark.parametrize(("header", "name"), RFC_EXAMPLES, ids=[h for h, _ in RFC_EXAMPLES])
def test_the_rfc_examples(suggested: Callable[[str], str | None], header: str, name: str) -> None:
    assert suggested(header) == name


OTHERS = [
    # filename* first, whatever the order (RFC 6266 4.3)
    ("attachment; filename*=UTF-8''%e2%82%ac.txt; filename=\"plain.txt\"", "\u20ac.txt"),
    # a filename* that cannot be read falls back to filename
    ("attachment; filename=\"plain.txt\"; filename*=KOI8-R''%c2", "plain.txt"),
    ("attachment; filename=\"plain.txt\"; filename*=UTF-8''%ff%fe", "plain.txt"),
    ("attachment; filename=\"plain.txt\"; filename*=no-quotes", "plain.txt"),
    # quoted-pair inside a quoted-string (RFC 9110 5.6.4)
    ('attachment; filename="a \\"quoted\\" name.txt"', 'a "quoted" name.txt'),
    ('attachment; filename="semi;colon.txt"', "semi;colon.txt"),
    # directories are dropped: only the last segment, either separator
    ('attachment; filename="../../etc/passwd"', "passwd"),
    ('attachment; filename="..\\\\..\\\\windows\\\\win.ini"', "win.ini"),
    ("attachment; filename*=UTF-8''..%2F..%2Fescape.sh", "escape.sh"),
    ('attachment; filename="/abs/path.pdf"', "path.pdf"),
    ('attachment; filename="C:\\\\Users\\\\x.pdf"', "x.pdf"),
]


@pytest.mark.parametrize(("header", "name"), OTHERS, ids=[h for h, _ in OTHERS])
def test_preference_quoting_and_directories(suggested: Callable[[str], str | None], header: str, name: str) -> None:
    assert suggested(header) == name


REFUSED = [
    "attachment",
    "inline",
    'attachment; filename=""',
    'attachment; filename=".."',
    'attachment; filename="."',
    'attachment; filename="dir/.."',
    'attachment; filename="trailing/"',
    "attachment; filename*=UTF-8''..",
    "attachment; filename*=UTF-8''a%00b.txt",
    "attachment; filename*=UTF-8''evil%0d%0a.txt",
    "attachment; filename*=UTF-8''%2E%2E",
    "attachment; filename*=UTF-8''next%C2%85line.txt",  # a C1 control (NEL)
    "attachment; filename*=UTF-8''invoice%E2%80%AEfdp.exe",  # a right-to-left override: reads "invoiceexe.pdf"
]


@pytest.mark.parametrize("header", REFUSED)
def test_no_name_or_an_unsafe_one_is_none(suggested: Callable[[str], str | None], header: str) -> None:
    assert suggested(header) is None


def test_no_header_is_none(toy: ModuleType) -> None:
    assert toy.BinaryResponse(b"", "", httpx.Headers()).filename is None
