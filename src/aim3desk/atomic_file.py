"""The one atomic file write of the app: exports, reports, the key file, settings and the
record of failed unlocks all go through here, so no reader ever sees a partial file and a
save survives a power cut.

A temporary file in the target folder (mode 0600: these files hold personal data or keys) is
written, flushed and fsynced, renamed over the target, and the folder is fsynced so the
rename itself is durable (POSIX; Windows cannot open a folder and NTFS journals renames).
A failure is raised as an OSError naming the path the caller gave, never the temporary file
(whose name means nothing to a person), with the same errno so callers can word it
(`reason_for`): a full disk, a missing folder, no permission.

No Qt and nothing above this module: every layer may import it.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

TEMP_SUFFIX = ".aim3tmp"  # ignored by git; a leftover after a crash is recognisable

# What went wrong, in words for a person, for the errors a write meets.
_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EFBIG: "the file is larger than this disk or account allows",
    errno.EIO: "the disk reported a write error",
    errno.EACCES: "permission denied",
    errno.EPERM: "the operation is not permitted",
    errno.ENOENT: "no such file or folder",
    errno.EROFS: "the disk is read-only",
    errno.EISDIR: "it is a folder, not a file",
    errno.ENOTDIR: "part of the path is not a folder",
    errno.EEXIST: "it already exists",
    errno.ENAMETOOLONG: "the name is too long",
}
# Errors of a full or failing disk: the write stopped part-way, so the message says that
# nothing was saved and what was there before is intact.
DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})
# os.link is refused by some file systems (FAT, some network shares): replace after a check.
_NO_LINKS = frozenset(
    {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.EMLINK, errno.ENOSYS}
)


def reason_for(exc: OSError) -> str:
    """The error's cause in a few plain words ("the disk is full")."""
    return _REASONS.get(exc.errno or 0) or (exc.strerror or type(exc).__name__).lower()


def failure_sentence(exc: OSError) -> str:
    """A file error as a sentence for a person naming the path; for a full or failing disk,
    that nothing was saved and what was there is intact (the write was atomic)."""
    if exc.errno is None and str(exc):  # raised by our code with its own sentence
        return str(exc)
    reason = reason_for(exc)
    where = f" {exc.filename}" if exc.filename else ""
    if exc.errno in DISK_FULL_ERRNOS:
        return (
            f"Could not write{where}: {reason}. Nothing was saved; your records and any file "
            "already there are as they were. Free some space and try again."
        )
    return f"Could not use{where}: {reason}." if where else f"A file operation failed: {reason}."


def _naming(exc: OSError, path: Path) -> OSError:
    """The same error (same class, same errno) naming `path` instead of the temporary file;
    an error of our own wording (no errno) is left as it is."""
    if exc.errno is None:
        return exc
    return OSError(exc.errno, exc.strerror or os.strerror(exc.errno), str(path))


def _place_new(temp_name: str, path: Path) -> None:
    """Give the written temporary file the name `path` only if nothing has that name: a
    hard link fails if the name exists (no check-then-write race), else a check and a
    replace on file systems without links."""
    try:
        os.link(temp_name, path)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
        if os.path.lexists(path):
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path)) from None
        os.replace(temp_name, path)
        return
    os.unlink(temp_name)


def fsync_directory(directory: Path) -> None:
    """Make a rename in `directory` durable (POSIX; a no-op on Windows)."""
    if os.name == "nt":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(
    path: Path,
    write: Callable[[BinaryIO], None],
    *,
    durable_rename: bool = True,
    replace: bool = True,
) -> Path:
    """Call `write` with a temporary file in the target folder, fsync it and rename it over
    `path`. On any failure the temporary file is removed and `path` is left as it was.
    `durable_rename=False` skips fsyncing the folder: for a file rewritten often whose
    previous version is an acceptable state after a power cut (the audit head).
    `replace=False` raises FileExistsError, writing nothing, if `path` exists."""
    path = Path(path)
    try:
        fd, temp_name = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent
        )
    except OSError as exc:
        raise _naming(exc, path) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file 0600; keep that: these files hold personal data.
        if replace:
            os.replace(temp_name, path)
        else:
            _place_new(temp_name, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        if isinstance(exc, OSError):
            raise _naming(exc, path) from None
        raise
    if durable_rename:
        fsync_directory(path.parent)
    return path


def write_bytes_atomically(
    path: Path, data: bytes, *, durable_rename: bool = True, replace: bool = True
) -> Path:
    return write_atomically(
        path, lambda handle: handle.write(data), durable_rename=durable_rename, replace=replace
    )


def write_text_atomically(path: Path, text: str, *, durable_rename: bool = True) -> Path:
    """UTF-8 text, written as write_bytes_atomically writes bytes."""
    return write_bytes_atomically(path, text.encode("utf-8"), durable_rename=durable_rename)
