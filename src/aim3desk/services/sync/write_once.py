"""Write-once files on the shared folder: a file appears whole under its final name or not
at all, and an existing file is never replaced.

    placed = write_once(folder, "DEMO-0004-v2-1a2b3c4d.aim3bundle", data)

1. A temporary file in the same folder, named so readers skip it (a leading "." and the
   ".part" suffix), created exclusively (mode 0600), written, flushed and fsynced.
2. Published under the final name WITHOUT replacing: a hard link (fails if the name exists)
   and the temporary name removed. Where a folder cannot hold hard links (some network and
   cloud-synced file systems), a rename that refuses an existing target instead: Windows'
   own rename never replaces, Linux has renameat2(RENAME_NOREPLACE) and macOS
   renamex_np(RENAME_EXCL). Where none of these exists the write is refused (the entry stays
   queued): a plain rename could replace, and writing in place would show a partial file.
3. The folder is fsynced (POSIX), the file read back and its SHA-256 compared.

A file already there with the same hash counts as delivered; a different hash is a
FileClashError and nothing is written. Any failure removes the temporary file, so no
partial file is ever visible under a final name.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import hashlib
import os
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from aim3desk.atomic_file import fsync_directory

TEMP_PREFIX = "."
TEMP_SUFFIX = ".part"
READ_CHUNK = 1024 * 1024

# How the bytes reach the temporary file; a test passes one that fails part-way.
WriteFunction = Callable[[BinaryIO, bytes], None]


class WriteOnceError(OSError):
    """A file could not be placed on the share; str() is one sentence for a person."""


class FileClashError(WriteOnceError):
    """A different file already has the final name; it is left alone."""


@dataclass(frozen=True)
class Placed:
    path: Path
    sha256: str
    already_there: bool  # an identical file was found (an earlier round placed it)


def write_all(handle: BinaryIO, data: bytes) -> None:
    handle.write(data)


def is_temporary_name(name: str) -> bool:
    """Names readers must skip: hidden files, this module's temporary files among them."""
    return name.startswith(TEMP_PREFIX)


def file_sha256(path: Path, limit: int | None = None) -> str:
    """The SHA-256 of a file, read in chunks (OSError if it cannot be read)."""
    digest = hashlib.sha256()
    read = 0
    with path.open("rb") as handle:
        while chunk := handle.read(READ_CHUNK):
            read += len(chunk)
            if limit is not None and read > limit:
                raise WriteOnceError(f"{path.name} is larger than expected.")
            digest.update(chunk)
    return digest.hexdigest()


def write_once(folder: Path, name: str, data: bytes, write: WriteFunction = write_all) -> Placed:
    """Place `data` as `folder/name` once (see the module's note); FileClashError if a
    different file has that name, OSError if the folder cannot take it."""
    if "/" in name or "\\" in name or is_temporary_name(name) or name in ("", "..", "."):
        raise ValueError("A share file name is a plain name without folders.")
    expected = hashlib.sha256(data).hexdigest()
    final = Path(folder) / name
    if _exists(final):
        return _existing(final, expected)
    temp = final.with_name(f"{TEMP_PREFIX}{name}.{uuid.uuid4().hex[:8]}{TEMP_SUFFIX}")
    created = False
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(fd, "wb") as handle:
            write(handle, data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            publish_without_replacing(temp, final)
            created = True
        except FileExistsError:  # another writer placed it meanwhile
            return _existing(final, expected)
        fsync_directory(final.parent)
        if file_sha256(final) != expected:
            raise WriteOnceError(f"{name} did not read back as written.")
    except BaseException:
        if created:  # our own file read back wrong: take it away so a retry starts clean
            with contextlib.suppress(OSError):
                final.unlink()
        raise
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
    return Placed(final, expected, already_there=False)


def _exists(path: Path) -> bool:
    try:
        path.lstat()
    except FileNotFoundError:
        return False
    return True


def _existing(final: Path, expected: str) -> Placed:
    if final.is_symlink() or not final.is_file():
        raise FileClashError(f"Something else named {final.name} is already on the share.")
    if file_sha256(final) != expected:
        raise FileClashError(
            f"A different file named {final.name} is already on the share; it was left alone "
            "and nothing was written."
        )
    return Placed(final, expected, already_there=True)


_NO_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENOSYS, errno.EMLINK, errno.EXDEV}


def publish_without_replacing(temp: Path, final: Path) -> None:
    """Give `temp` the name `final`, or FileExistsError; never replaces a file."""
    try:
        os.link(temp, final, follow_symlinks=False)
        return
    except FileExistsError:
        raise
    except (AttributeError, NotImplementedError):
        pass
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
    rename_without_replacing(temp, final)


def rename_without_replacing(source: Path, target: Path) -> None:
    """A rename that fails with FileExistsError rather than replace `target`."""
    if os.name == "nt":
        os.rename(source, target)  # Windows' rename refuses an existing target
        return
    libc_name = ctypes.util.find_library("c")
    libc = ctypes.CDLL(libc_name, use_errno=True) if libc_name else None
    src, dst = os.fsencode(source), os.fsencode(target)
    if sys.platform.startswith("linux") and libc is not None and hasattr(libc, "renameat2"):
        at_fdcwd, rename_noreplace = -100, 1
        result = libc.renameat2(at_fdcwd, src, at_fdcwd, dst, rename_noreplace)
    elif sys.platform == "darwin" and libc is not None and hasattr(libc, "renamex_np"):
        rename_excl = 0x4
        result = libc.renamex_np(src, dst, rename_excl)
    else:
        raise WriteOnceError(
            "This folder cannot take files without a risk of replacing one: choose a share "
            "on a file system with hard links."
        )
    if result != 0:
        code = ctypes.get_errno()
        if code == errno.EEXIST:
            raise FileExistsError(code, os.strerror(code), str(target))
        raise OSError(code, os.strerror(code), str(target))
