"""Errors of the encrypted store, each worded for a person. Kept apart from db.py so that
code which only tells errors apart need not import SQLAlchemy or SQLCipher."""

from __future__ import annotations


class StoreError(Exception):
    """A problem opening or using the encrypted store, worded for a person."""


class StoreKeyError(StoreError):
    """The key does not open the file, or the file is not a database at all."""


class StoreClosed(StoreError):  # noqa: N818 - agreed public name
    """The store was closed (the profile is locked)."""


class StoreCorrupt(StoreError):  # noqa: N818 - agreed public name
    """The database opened but failed SQLite's integrity check."""


class DuplicateRecord(StoreError):  # noqa: N818 - reads as what happened
    """A row with the same id is already stored (a unique constraint refused it)."""


class ReadOnlyRow(StoreError):  # noqa: N818 - reads as what happened
    """A read-only trigger refused a change to a finished assessment version's rows."""


class StoreBusy(StoreError):  # noqa: N818 - reads as what happened
    """Another window or command kept the profile's write lock past the wait: nothing was
    changed, and the same change can be tried again."""


BUSY_MESSAGE = (
    "The profile is in use by another window or command; nothing was changed. Close the "
    "other one or try again."
)
