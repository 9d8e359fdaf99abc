"""A file the user asked for and the audit entry that records it, saved as one.

Reports, exports, the records held and the annual return are written outside the store, but
their audit entries inside it. Written one after the other, a failure between the two (the
profile in use by another window, a full disk, a crash) leaves a file with no entry or an
entry with no file. So the write transaction is opened first (BEGIN IMMEDIATE under the
profile's write lock: once it is open the commit will not wait on anyone), the entry is
appended, the file is written atomically inside it, and the transaction commits:

- the file cannot be written: the transaction rolls back, so there is no entry either;
- the commit fails: the new file is removed, so there is no file without its entry.

A file written over an existing one (the user chose to replace it) is removed the same way if
the commit fails: the old one was already replaced.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from aim3desk.atomic_file import write_bytes_atomically
from aim3desk.store.unit_of_work import StoreWriter, UnitOfWork

T = TypeVar("T")


def write_recorded(
    uow: UnitOfWork, path: Path, data: bytes, record: Callable[[StoreWriter], T]
) -> tuple[T, Path]:
    """Run `record` (the audit entry and any record of its own) and write `data` to `path`,
    in one transaction; what `record` returned and the path written."""
    result, written = write_all_recorded(uow, {Path(path): data}, record)
    return result, written[0]


def write_all_recorded(
    uow: UnitOfWork, files: dict[Path, bytes], record: Callable[[StoreWriter], T]
) -> tuple[T, list[Path]]:
    """As write_recorded, for several files saved together: if one cannot be written or the
    commit fails, those already written are removed."""
    written: list[Path] = []
    try:
        with uow.write() as tx:
            result = record(tx)
            for path, data in files.items():
                written.append(write_bytes_atomically(Path(path), data))
    except BaseException:
        for path in written:  # a later file or the commit failed
            with contextlib.suppress(OSError):
                path.unlink()
        raise
    return result, written
