"""Reading and writing the files hccquiz is given, safely. Stdlib only.

- `read_regular` reads a regular file, never more than a byte budget, and refuses FIFOs,
  devices and folders before reading (a FIFO would block, ``/dev/zero`` never ends).
- `write_atomic` (and `atomic_path`, for writers that want a path) writes through a fresh
  temporary file (``mkstemp``: ``O_EXCL``, a random name) in the target's folder and
  renames it over the target, so readers see the old file or the new one, never half of
  one, and no planted symlink is ever written through.
- `encoding_problem` and `byte_position` locate NUL bytes and invalid UTF-8.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import HccquizError

__all__ = [
    "FileReadError",
    "FileTooLarge",
    "FileWriteError",
    "atomic_path",
    "byte_position",
    "encoding_problem",
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


def read_regular(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of the regular file at `path`, refusing anything else.

    Raises `FileTooLarge` when the file holds more than `limit` bytes (counted as read, not
    trusted from ``stat``), and `FileReadError` for a missing or unreadable file, a folder, a
    FIFO, a device or a socket. The open never blocks.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise FileReadError(path, f"cannot read file: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileReadError(path, f"is {_kind(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise FileTooLarge(path, info.st_size, limit)
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise FileTooLarge(path, max(total, info.st_size), limit)
        return b"".join(chunks)
    except OSError as exc:
        raise FileReadError(path, f"cannot read file: {exc.strerror}") from None
    finally:
        os.close(fd)


def write_atomic(path: str | os.PathLike[str], data: bytes | str) -> None:
    """Write `data` (text is written as UTF-8) to `path` atomically.

    The temporary file is made with `tempfile.mkstemp` beside the target and renamed over
    it; a symlink at `path` is replaced, never followed. Missing folders are created; an
    existing file keeps its permissions, a new one gets the umask's. An existing folder,
    FIFO or device at `path` is refused. Raises `FileWriteError` with one line.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_path(path) as tmp, open(tmp, "wb") as handle:
        handle.write(payload)


@contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A fresh temporary file beside `path` to fill (by any writer, even another library);
    when the block ends without an error it is synced and renamed over `path`, else removed.

    The same rules as `write_atomic`: a symlink at `path` is replaced, never followed;
    missing folders are created; permissions are kept; folders, FIFOs and devices are
    refused; failures raise `FileWriteError` with one line, and nothing is left behind.
    """
    target = Path(path)
    try:
        info = target.lstat()
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise FileWriteError(f"{path}: cannot write: {exc.strerror}") from None
    if info is not None and not (stat.S_ISREG(info.st_mode) or stat.S_ISLNK(info.st_mode)):
        raise FileWriteError(f"{path}: is {_kind(info.st_mode)}; give the path of a file")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
    except FileExistsError:
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
