"""The one atomic file write of the app: exports, reports, the key file, settings and the
record of failed unlocks all go through here, so no reader ever sees a partial file and a
save survives a power cut.

A temporary file in the target folder (mode 0600: these files hold personal data or keys) is
written, flushed and fsynced, renamed over the target, and the folder is fsynced so the
rename itself is durable (POSIX; Windows cannot open a folder and NTFS journals renames).
No Qt and nothing above this module: every layer may import it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

TEMP_SUFFIX = ".aim3tmp"  # ignored by git; a leftover after a crash is recognisable


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
    path: Path, write: Callable[[BinaryIO], None], *, durable_rename: bool = True
) -> Path:
    """Call `write` with a temporary file in the target folder, fsync it and rename it over
    `path`. On any failure the temporary file is removed and `path` is left as it was.
    `durable_rename=False` skips fsyncing the folder: for a file rewritten often whose
    previous version is an acceptable state after a power cut (the audit head)."""
    path = Path(path)
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file 0600; keep that: these files hold personal data.
        os.replace(temp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    if durable_rename:
        fsync_directory(path.parent)
    return path


def write_bytes_atomically(path: Path, data: bytes, *, durable_rename: bool = True) -> Path:
    return write_atomically(path, lambda handle: handle.write(data), durable_rename=durable_rename)


def write_text_atomically(path: Path, text: str, *, durable_rename: bool = True) -> Path:
    """UTF-8 text, written as write_bytes_atomically writes bytes."""
    return write_bytes_atomically(path, text.encode("utf-8"), durable_rename=durable_rename)
