"""publish's failures as a user meets them: an index that cannot be reached is one line, and secrets are
starred as whole values, however short."""

from __future__ import annotations

import socket
import zipfile
from pathlib import Path

import pytest

from generator.build_dist import DistError
from generator.publish import redact, upload


def _wheel(folder: Path) -> Path:
    """The smallest wheel twine accepts."""
    path = folder / "tiny_pkg-1.0-py3-none-any.whl"
    files = {
        "tiny_pkg/__init__.py": "",
        "tiny_pkg-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: tiny-pkg\nVersion: 1.0\n",
        "tiny_pkg-1.0.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = "".join(f"{name},,\n" for name in files) + "tiny_pkg-1.0.dist-info/RECORD,,\n"
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in {**files, "tiny_pkg-1.0.dist-info/RECORD": record}.items():
            archive.writestr(name, text)
    return path


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again when the probe goes


def test_an_index_that_cannot_be_reached_is_one_line(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/"
    with pytest.raises(DistError) as raised:
        upload([_wheel(tmp_path)], url, "user", "p", skip_existing=False)
    message = str(raised.value)
    assert message == f"cannot reach the package index {url}: connection refused; nothing was uploaded"


def test_secrets_are_starred_as_whole_values() -> None:
    said = "uploading to https://u:p@host/ as p; upload failed"
    assert redact(said, "p") == "uploading to https://u:********@host/ as ********; upload failed"
    assert redact("key a/b or a%2Fb in a URL", "a/b") == "key ******** or ******** in a URL"
    assert redact("token=s3cr3t-long-value!", "s3cr3t-long-value") == "token=********!"
    assert redact("prefixs3cr3t-long-value", "s3cr3t-long-value") == "prefix********"  # a long one anywhere
    assert redact("nothing to hide", "") == "nothing to hide"
