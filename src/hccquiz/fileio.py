"""Reading and writing the files hccquiz is given, safely. Stdlib only.

- `read_regular` reads a regular file, never more than a byte budget, and refuses FIFOs,
  devices and folders before reading (a FIFO would block, ``/dev/zero`` never ends);
  `open_regular` opens one the same way, for readers that need only a part of it.
- `write_atomic` (and `atomic_path`, for writers that want a path) writes through a fresh
  temporary file (``mkstemp``: ``O_EXCL``, a random name) in the target's folder and
  renames it over the target, so readers see the old file or the new one, never half of
  one, and no planted symlink is ever written through.
- `encoding_problem` and `byte_position` locate NUL bytes and invalid UTF-8.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from .errors import HccquizError

__all__ = [
    "FileReadError",
    "FileTooLarge",
    "FileWriteError",
    "atomic_path",
    "byte_position",
    "encoding_problem",
    "open_regular",
    "read_regular",
    "write_atomic",
]

_KINDS = {
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a folder",
}


class FileReadError(HccquizError):
    """A file could not be read; `reason` says why in a few words (no path)."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        self.path = os.fspath(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class FileTooLarge(FileReadError):
    """A file holds more bytes than the reader's budget; `size` is what was found."""

    def __init__(self, path: str | os.PathLike[str], size: int, limit: int) -> None:
        self.size, self.limit = size, limit
        super().__init__(path, f"file is over {limit:,} bytes")


class FileWriteError(HccquizError):
    """A file could not be written; nothing was left half-written."""


def _kind(mode: int) -> str:
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


def _open_fd(path: str | os.PathLike[str], follow: bool = True) -> int:
    """A read-only descriptor of the regular file at `path`; the open never blocks."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP and not follow:
            raise FileReadError(path, "is a symlink, not followed") from None
        raise FileReadError(path, f"cannot read file: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileReadError(path, f"is {_kind(info.st_mode)}, not a regular file")
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def open_regular(path: str | os.PathLike[str], *, follow: bool = True) -> BinaryIO:
    """The regular file at `path`, open for reading in binary; `FileReadError` for a
    missing or unreadable file, a folder, a FIFO, a device or a socket (the open never
    blocks), and for a symlink unless `follow`. The caller bounds what it reads."""
    return os.fdopen(_open_fd(path, follow), "rb")


def read_regular(path: str | os.PathLike[str], limit: int, *, follow: bool = True) -> bytes:
    """The bytes of the regular file at `path`, refusing anything else.

    Raises `FileTooLarge` when the file holds more than `limit` bytes (counted as read, not
    trusted from ``stat``), and `FileReadError` for a missing or unreadable file, a folder, a
    FIFO, a device or a socket, and for a symlink unless `follow`. The open never blocks.
    """
    fd = _open_fd(path, follow)
    try:
        size = os.fstat(fd).st_size
        if size > limit:
            raise FileTooLarge(path, size, limit)
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise FileTooLarge(path, max(total, size), limit)
        return b"".join(chunks)
    except OSError as exc:
        raise FileReadError(path, f"cannot read file: {exc.strerror}") from None
    finally:
        os.close(fd)


def write_atomic(path: str | os.PathLike[str], data: bytes | str) -> None:
    """Write `data` (text is written as UTF-8) to `path` atomically.

    The temporary file is made with `tempfile.mkstemp` beside the target (``O_EXCL``, a
    random name: a planted file or symlink is never written through) and renamed over it;
    a symlink at `path` is replaced, never followed. Missing folders are created; an
    existing file keeps its permissions, a new one gets the umask's. A folder, FIFO,
    device or socket at `path`, or a symlink to one, is refused. Raises `FileWriteError`
    with one line.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_path(path) as tmp, open(tmp, "wb") as handle:
        handle.write(payload)


@contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A fresh temporary file beside `path` to fill (by any writer, even another library);
    when the block ends without an error it is synced and renamed over `path`, else removed.

    The same rules as `write_atomic`: a symlink at `path` is replaced, never followed;
    missing folders are created; permissions are kept; folders, FIFOs, devices and
    sockets, and symlinks to them, are refused; failures raise `FileWriteError` with one
    line, and nothing is left behind.
    """
    target = Path(path)
    info = _output_info(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
    except (FileExistsError, NotADirectoryError):
        raise FileWriteError(f"{path}: cannot write: a part of the path is a file") from None
    except OSError as exc:
        raise FileWriteError(f"{path}: cannot write: {exc.strerror}") from None
    try:
        yield Path(tmp)
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        if info is not None and stat.S_ISREG(info.st_mode):
            os.chmod(tmp, stat.S_IMODE(info.st_mode))
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise FileWriteError(f"{path}: cannot write: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)


def _output_info(target: Path) -> os.stat_result | None:
    """``lstat`` of an output path that may be replaced; `FileWriteError` if it may not."""
    try:
        info = target.lstat()
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        raise FileWriteError(f"{target}: cannot write: a part of the path is a file") from None
    except OSError as exc:
        raise FileWriteError(f"{target}: cannot write: {exc.strerror}") from None
    if stat.S_ISLNK(info.st_mode):
        try:
            pointed = target.stat()
        except OSError:
            return info  # a dangling link is simply replaced
        if not stat.S_ISREG(pointed.st_mode):
            raise FileWriteError(
                f"{target}: is a symlink to {_kind(pointed.st_mode)}; give the path of a file"
            )
    elif not stat.S_ISREG(info.st_mode):
        raise FileWriteError(f"{target}: is {_kind(info.st_mode)}; give the path of a file")
    return info


def _sync_folder(folder: Path) -> None:
    """Flush the rename to disk where the platform allows it (best effort)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    """(line, column), counted from 1, of byte `offset` in UTF-8 `raw`; columns count
    characters."""
    line_start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", "replace")) + 1
    return raw.count(b"\n", 0, offset) + 1, column


def encoding_problem(raw: bytes) -> tuple[int, int, str] | None:
    """(line, column, what) of the first NUL byte or invalid UTF-8 in `raw`, or None."""
    nul = raw.find(b"\x00")
    if nul >= 0:
        return (*byte_position(raw, nul), "binary file (NUL byte)")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start : exc.start + 1].hex()
        return (*byte_position(raw, exc.start), f"not UTF-8 (byte 0x{bad})")
    return None
