"""Write a generated package atomically: readers see the whole old tree or the whole new one.

The new tree is written beside the old one and the two are swapped with one rename (Linux's
renameat2 RENAME_EXCHANGE where the filesystem has it). Where it does not, the old tree is moved
aside first; a run that dies between the two renames leaves the old tree aside, and the next run
puts it back before doing anything else.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import stat
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path, PurePosixPath

from .fileset import FileSet

_RENAME_EXCHANGE = 2
_WRITERS = 8
_AT_FDCWD = -100


def _staging(target: Path, kind: str) -> Path:
    return target.parent / f".careforge-{kind}-{target.name}"


def _remove(path: Path) -> None:
    """A staging entry, whatever it is (a symlink is unlinked, never followed)."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


def recover(target: Path) -> None:
    """Finish or undo a swap that a killed run left half done."""
    target = _real(target)
    old, new = _staging(target, "old"), _staging(target, "new")
    if old.exists() or old.is_symlink():
        if target.exists():
            _remove(old)
        else:
            os.rename(old, target)
    _remove(new)


def _real(target: Path) -> Path:
    """A symlinked output folder is written where it points: the link stays, its folder is replaced."""
    return target.resolve() if target.is_symlink() else target


def _exchange(a: Path, b: Path) -> bool:
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    libc = ctypes.CDLL(name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def write_tree(target: Path, files: FileSet) -> None:
    """Make `target` hold exactly `files` (stale files are gone), switching over in one step."""
    target = _real(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    recover(target)
    new = _staging(target, "new")
    try:
        new.mkdir()
    except OSError as exc:  # the message names the folder the user asked for, not our staging folder
        raise type(exc)(exc.errno, exc.strerror, str(target)) from exc
    try:
        _fill(new, files, target if target.is_dir() else None)
    except BaseException:  # Ctrl-C or a full disk: no staging folder is left behind
        shutil.rmtree(new, ignore_errors=True)
        raise
    try:
        if not target.exists():
            os.rename(new, target)
        elif _exchange(new, target):
            shutil.rmtree(new)  # `new` now holds the old tree
        else:
            old = _staging(target, "old")
            os.rename(target, old)
            os.rename(new, target)
            shutil.rmtree(old)
    except BaseException:  # interrupted while the old tree was being removed: finish removing it
        if target.exists():
            shutil.rmtree(new, ignore_errors=True)
        raise
    _fsync_dir(target.parent)


def _fill(new: Path, files: FileSet, old: Path | None) -> None:
    folders = {new}
    for path in files:
        parent = (new / path).parent
        if parent not in folders:
            parent.mkdir(parents=True, exist_ok=True)
            folders.add(parent)
    mode = _file_mode()
    wanted = {str(folder) for path in files for folder in PurePosixPath(path).parents}
    own = _own_files(old, wanted) if old is not None else set()

    def put(path: str) -> None:
        data = files.encoded(path)
        if old is None or path not in own or not _linked_unchanged(old / path, new / path, data, mode):
            _write_synced(new / path, data)

    # Creating and flushing a file mostly waits on the filesystem: several at once overlap the waits.
    with ThreadPoolExecutor(_WRITERS) as pool:
        for _ in pool.map(put, list(files)):
            pass
    for folder in sorted(folders, key=lambda f: -len(f.parts)):  # entries first, then their parents
        _fsync_dir(folder)


def _file_mode() -> int:
    """The mode a file created now gets: 0o666 less the umask (read without changing it, where Linux can)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return -1  # unknown: every file is written afresh


def _own_files(old: Path, wanted: set[str]) -> set[str]:
    """The old tree's entries reached through its own folders, not through a symlinked one (whose files
    are someone else's); only the `wanted` folders are looked into (not the caches tools leave)."""
    found: set[str] = set()
    for folder, subfolders, names in os.walk(old):
        base = Path(folder).relative_to(old)
        subfolders[:] = [name for name in subfolders if (base / name).as_posix() in wanted]
        found.update((base / name).as_posix() for name in names)
    return found


def _linked_unchanged(old: Path, new: Path, data: bytes, mode: int) -> bool:
    """A file the old tree holds with the same bytes and mode is linked into the new tree, not written
    again: it is the same file, already on disk. Anything else (a symlink, an edit, a file with another
    name too, which an edit there would change) is written afresh."""
    try:
        status = os.lstat(old)
        if not stat.S_ISREG(status.st_mode) or stat.S_IMODE(status.st_mode) != mode or status.st_size != len(data):
            return False
        if status.st_nlink != 1:
            return False
        if old.read_bytes() != data:
            return False
        os.link(old, new, follow_symlinks=False)
    except OSError:  # no such file, or a filesystem without hard links
        return False
    return True


def _write_synced(path: Path, data: bytes) -> None:
    """One open per file: written and flushed to disk before the swap can expose it."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)  # less the umask, as open() does
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
