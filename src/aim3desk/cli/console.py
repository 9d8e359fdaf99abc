"""What every command shares: exit codes, the user-error class and the two output streams.

Results go to stdout (scripts read them); warnings, notes and error sentences to stderr.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

EXIT_OK = 0
EXIT_USER_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_OFFLINE = 4  # sync: the shared folder is not there (nothing was changed)
EXIT_BUSY = 5  # the profile is in use by another window or command (nothing was changed)
EXIT_INTERRUPTED = 130


class UserError(Exception):
    """A problem the user can fix; str() is the one sentence shown."""


def say(message: str = "") -> None:
    print(message, file=sys.stdout)


def warn(message: str) -> None:
    print(message, file=sys.stderr)


def say_table(headings: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Columns padded to their widest cell, for a person reading a terminal."""
    widths = [max(len(str(row[i])) for row in [headings, *rows]) for i in range(len(headings))]
    for row in [headings, *rows]:
        cells = (str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))
        say("  ".join(cells).rstrip())


def warn_if_name_in_file_name(path: Path, young_person_name: str) -> None:
    stem = path.name.casefold()
    parts = [p for p in young_person_name.casefold().split() if len(p) > 2]
    if parts and any(part in stem for part in parts):
        warn(
            "Warning: the file name seems to contain the young person's name; file names are "
            "seen by anyone browsing the folder, so use the case reference instead."
        )
