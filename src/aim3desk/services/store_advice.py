"""What to do when the profile's database is damaged or cannot be opened, said truthfully:
a backup is offered only when the profile's backups folder holds one (named, with its date),
else the route that exists (IT, this computer's own backups), and never a new profile.

The store words what is wrong (store/damage.py); this adds what to do, because only the
services know the profile folder and its backups.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from aim3desk.store.errors import StoreCorrupt, StoreError, StoreKeyError
from aim3desk.store.migrate import BACKUPS_DIR_NAME


def newest_backup(profile_dir: Path) -> Path | None:
    """The most recent encrypted copy in the profile's backups folder, if any."""
    try:
        found = [p for p in (profile_dir / BACKUPS_DIR_NAME).glob("*.db") if p.is_file()]
    except OSError:
        return None
    return max(found, key=lambda p: p.stat().st_mtime, default=None)


def recovery_advice(profile_dir: Path, store_name: str = "store.db") -> str:
    """The sentences saying how the records can be got back from here, if they can."""
    backup = newest_backup(profile_dir)
    keep = (
        "Nothing has been changed or deleted. Leave the profile folder as it is "
        f"({profile_dir}): do not create a new profile there."
    )
    if backup is None:
        return (
            f"{keep} This profile has no backup of its own yet (its {BACKUPS_DIR_NAME} folder "
            "is empty), so the records cannot be restored from inside AIM3 Desk. Ask your IT "
            f"service whether a backup of this computer holds an earlier {store_name}."
        )
    taken = datetime.fromtimestamp(backup.stat().st_mtime, UTC).strftime("%d %B %Y")
    return (
        f"{keep} The newest backup is {backup} (taken {taken}): with AIM3 Desk closed, "
        f"keep a copy of the damaged {store_name}, then copy the backup over {store_name}. "
        "Anything saved after the backup was taken is not in it; ask your IT service for help "
        "if you are unsure."
    )


def with_advice(exc: StoreError, profile_dir: Path) -> StoreError:
    """The same error (same class) with what to do added: for damage and for a file the key
    does not open; any other store error (a full disk, a locked profile) as it is."""
    if not isinstance(exc, StoreCorrupt | StoreKeyError):
        return exc
    advised = type(exc)(f"{exc} {recovery_advice(profile_dir)}")
    advised.__cause__ = exc.__cause__
    return advised
