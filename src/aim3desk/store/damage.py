"""What is known about a store file that cannot be used, said truthfully.

A key that does not open a file is either a damaged file or another database; SQLCipher
cannot tell the two apart (every page fails its check either way), so the sentence says so,
except where the file itself shows more: missing, empty or cut short (every SQLCipher file is
whole pages), or a plain SQLite database (ours is never plain). A full or failing disk is
neither: SQLite's own errors for it are worded as a storage failure, never as damage.

The advice on what to do (a backup, or none yet) is the services' to add: they know the
profile folder (services/store_advice.py).
"""

from __future__ import annotations

from pathlib import Path

from aim3desk.store.errors import StoreCorrupt, StoreError, StoreKeyError, StoreStorageFailed

PAGE_SIZE = 4096  # SQLCipher 4's default, which the store keeps
_PLAIN_SQLITE = b"SQLite format 3\x00"

KEY_FAILS = (
    "The database could not be opened with this profile's key: it is damaged, or it is not "
    "this profile's database (for example a copy of another profile's store.db)."
)


def missing_or_short(path: Path) -> StoreCorrupt | None:
    """StoreCorrupt if the store file that should be there is missing, empty or not whole
    pages; None if its size is that of a database."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return StoreCorrupt(f"The profile's database ({path.name}) is missing from {path.parent}.")
    if size == 0:
        return StoreCorrupt(f"The profile's database ({path}) is damaged: the file is empty.")
    if size % PAGE_SIZE:
        return StoreCorrupt(
            f"The profile's database ({path}) is damaged: the file has been cut short "
            f"({size:,} byte{'' if size == 1 else 's'}, not whole pages)."
        )
    return None


def key_failure(path: Path) -> StoreError:
    """Why `path` does not open with the profile's key, as far as the file shows it."""
    short = missing_or_short(path) if path.exists() else None
    if short is not None:
        return short
    try:
        with path.open("rb") as handle:
            head = handle.read(len(_PLAIN_SQLITE))
    except OSError:
        head = b""
    if head == _PLAIN_SQLITE:
        return StoreKeyError(
            f"{path} is not this profile's database: it is a database that is not "
            "encrypted, and AIM3 Desk's database always is."
        )
    return StoreKeyError(KEY_FAILS)


_FULL = ("database or disk is full", "disk is full")
_IO = ("disk i/o error",)
_CANT_OPEN = ("unable to open database file",)
_READ_ONLY = ("attempt to write a readonly database", "readonly database")


def storage_failure(exc: BaseException, folder: Path | None) -> StoreStorageFailed | None:
    """SQLite's error for a full, failing or unwritable disk as a sentence naming `folder`
    (the profile folder); None for any other error."""
    text = str(getattr(exc, "orig", None) or exc).lower()
    if any(t in text for t in _FULL):
        reason = "the disk is full"
    elif any(t in text for t in _IO):
        reason = "the disk reported a read or write error (it may be full)"
    elif any(t in text for t in _READ_ONLY):
        reason = "the folder or disk is read-only"
    elif any(t in text for t in _CANT_OPEN):
        reason = "the database file could not be opened (check the folder's permissions)"
    else:
        return None
    return StoreStorageFailed(
        f"Your records could not be saved or read in {folder or 'the profile folder'}: "
        f"{reason}. Nothing was saved; "
        "what was saved before is as it was. Free some space (or fix the disk) and try again."
    )
