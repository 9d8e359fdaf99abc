"""The copies of a profile's key file on disk: profile.key, its backup profile.key.bak, and the
temporary files an atomic write leaves behind if the process is killed mid-write.

Why this matters: every copy opens with the passphrase (and recovery key) it was written
under. A copy left over from before a passphrase change still opens with the retired
passphrase, so the order of writes and the clean-up decide whether a retired secret still
works on this laptop.

The order of a change that retires a secret (``install``):
1. profile.key.bak is written with the new document (temporary file, fsync, rename).
2. profile.key is written with the same bytes: this rename is the switch.
3. Leftover temporary copies of either file are removed.
Until the switch the old secret is the current one, and every temporary file a kill can leave
holds the new document; after it, both files hold the new one. So at no moment does a copy
open with a secret that profile.key no longer opens with. A kill before the switch may leave a
backup (or temporary copy) under the new, never-confirmed secret: the change was not
acknowledged (the caller had not returned), and ``tidy`` puts it right at the next unlock.

``tidy`` runs once the profile.key on disk has been opened (at every unlock): it removes the
temporary copies and makes the backup the same file as profile.key, the copy just proven good,
so nothing beside it opens with a secret that no longer opens profile.key.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from aim3desk.atomic_file import TEMP_SUFFIX, write_bytes_atomically

BACKUP_SUFFIX = ".bak"


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + BACKUP_SUFFIX)


def temporary_copies(path: Path) -> list[Path]:
    """Temporary files an interrupted atomic write of `path` or of its backup left behind
    (atomic_file names them `.<name>.<random><TEMP_SUFFIX>` in the same folder)."""
    folder = Path(path).parent
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f".{Path(path).name}.*{TEMP_SUFFIX}"))


def remove_temporary_copies(path: Path) -> int:
    """Remove the temporary copies of `path` and its backup; return how many went."""
    removed = 0
    for leftover in temporary_copies(path):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
            removed += 1
    return removed


def install(path: Path, data: bytes) -> None:
    """Write `data` as the key file's backup, then as the key file, then remove temporary
    copies (see the module's notes on why this order)."""
    write_bytes_atomically(backup_path(path), data)
    write_bytes_atomically(path, data)
    remove_temporary_copies(path)


def save_keeping_previous(path: Path, data: bytes, usable: Callable[[bytes], bool]) -> None:
    """Write `data` as the key file, first keeping the current file as the backup if it is
    `usable` (a damaged file never replaces a good backup). For changes that retire no
    secret; a change of passphrase, recovery key or escrow seal uses ``install``."""
    try:
        previous = path.read_bytes()
    except FileNotFoundError:
        previous = None
    if previous is not None and previous != data and usable(previous):
        write_bytes_atomically(backup_path(path), previous)
    write_bytes_atomically(path, data)
    remove_temporary_copies(path)


def tidy(path: Path, opened: bytes) -> None:
    """After profile.key (whose bytes are `opened`) has been read and opened: remove the
    temporary copies and make the backup the same file. Skipped if profile.key has changed
    since (another window changed it and installs its own backup). Best effort: a read-only
    folder must not stop the person unlocking (the copies are then tidied at a later unlock)."""
    with contextlib.suppress(OSError):
        remove_temporary_copies(path)
        if path.read_bytes() != opened:
            return
        backup = backup_path(path)
        try:
            current = backup.read_bytes()
        except FileNotFoundError:
            current = None
        if current != opened:
            write_bytes_atomically(backup, opened)
