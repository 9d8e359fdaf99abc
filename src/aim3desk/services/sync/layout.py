"""The shared folder's layout and its marker (docs/share-folder.md):

    <share>/aim3desk-share.json                       the marker: format, version, share id
    <share>/people/<fingerprint>/card.aim3card        each profile's published card
    <share>/people/<sender>/to/<recipient>/<file>     a bundle, one copy per recipient

Each profile writes only under its own people/<fingerprint>/. A folder without a readable
marker is never treated as an empty share: the profile is offline.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from aim3desk.domain.bundle import BUNDLE_SUFFIX
from aim3desk.domain.identity import CARD_SUFFIX, CardError, normalise_fingerprint
from aim3desk.domain.limits import MAX_SMALL_FILE_BYTES
from aim3desk.domain.outside_input import OutsideInputError, read_json
from aim3desk.services.sync.write_once import write_once

MARKER_NAME = "aim3desk-share.json"
MARKER_FORMAT = "aim3desk-share"
MARKER_VERSION = 1
PEOPLE = "people"
TO = "to"
CARD_NAME = "card" + CARD_SUFFIX


class ShareState(StrEnum):
    READY = "ready"  # a folder with a valid marker
    UNREACHABLE = "unreachable"  # missing, unmounted or not a folder
    UNMARKED = "unmarked"  # a folder without our marker
    DAMAGED_MARKER = "damaged-marker"  # a marker that cannot be read
    NOT_SET = "not-set"  # no folder is configured


@dataclass(frozen=True)
class ShareProbe:
    """What a folder is, for a round and for Preferences' "Test the folder"."""

    path: Path | None
    state: ShareState
    share_id: str = ""
    message: str = ""

    @property
    def ready(self) -> bool:
        return self.state is ShareState.READY


def probe_share(path: Path | str | None) -> ShareProbe:
    """Look at a folder without changing anything in it."""
    if path is None or not str(path).strip():
        return ShareProbe(None, ShareState.NOT_SET, message="No shared folder is set.")
    folder = Path(path).expanduser()
    try:
        if not folder.is_dir():
            return ShareProbe(
                folder,
                ShareState.UNREACHABLE,
                message=f"The shared folder {folder} cannot be reached (missing or not mounted).",
            )
        marker = folder / MARKER_NAME
        if not marker.is_file() or marker.is_symlink():
            return ShareProbe(
                folder,
                ShareState.UNMARKED,
                message=f"{folder} has no share marker ({MARKER_NAME}): it is not set up as a "
                "share, or the share is not mounted there.",
            )
        with marker.open("rb") as handle:
            raw = handle.read(MAX_SMALL_FILE_BYTES + 1)
    except OSError as exc:
        return ShareProbe(
            folder,
            ShareState.UNREACHABLE,
            message=f"The shared folder {folder} cannot be read ({exc.strerror}).",
        )
    share_id = _marker_share_id(raw)
    if share_id is None:
        return ShareProbe(
            folder,
            ShareState.DAMAGED_MARKER,
            message=f"The share marker in {folder} is damaged or from a newer version.",
        )
    return ShareProbe(folder, ShareState.READY, share_id, f"{folder} is a marked share.")


def _marker_share_id(raw: bytes) -> str | None:
    try:
        document = read_json(raw, "The share marker", MAX_SMALL_FILE_BYTES)
    except OutsideInputError:  # reported as a damaged marker by the caller
        return None
    if not isinstance(document, dict) or document.get("format") != MARKER_FORMAT:
        return None
    share_id = document.get("share_id")
    if document.get("version") != MARKER_VERSION or not isinstance(share_id, str):
        return None
    if not 8 <= len(share_id) <= 64 or not share_id.isalnum():
        return None
    return share_id


def init_share(path: Path | str) -> ShareProbe:
    """Mark an existing folder as a share (only ever on a person's explicit request); a folder
    that is already marked keeps its marker. OSError if it cannot be written."""
    folder = Path(path).expanduser()
    probe = probe_share(folder)
    if probe.state in (ShareState.READY, ShareState.DAMAGED_MARKER, ShareState.NOT_SET):
        return probe
    if not folder.is_dir():
        raise FileNotFoundError(errno.ENOENT, "not a folder that can be reached", str(folder))
    document = {
        "format": MARKER_FORMAT,
        "version": MARKER_VERSION,
        "share_id": uuid.uuid4().hex,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    data = (json.dumps(document, indent=2) + "\n").encode("utf-8")
    write_once(folder, MARKER_NAME, data)  # two people setting it up at once: one marker wins
    return probe_share(folder)


# -- paths ----------------------------------------------------------------------------------


def person_folder(share: Path, fingerprint: str) -> Path:
    return share / PEOPLE / fingerprint


def outbox_folder(share: Path, sender: str, recipient: str) -> Path:
    return person_folder(share, sender) / TO / recipient


def relative(share: Path, path: Path) -> str:
    """A share path as recorded in share_files: relative, "/" separated."""
    return path.relative_to(share).as_posix()


def own_folder(share: Path, *parts: str) -> Path:
    """A folder under the share that this profile writes into, made if missing; refused when
    any part of it is a link (another profile cannot steer our writes elsewhere)."""
    folder = share
    for part in parts:
        folder = folder / part
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=0o700)
        if folder.is_symlink() or not folder.is_dir():
            raise NotADirectoryError(f"{relative(share, folder)} on the share is not a folder.")
    return folder


def fingerprint_folder_name(name: str) -> str | None:
    """The fingerprint a people/ subfolder is named after, or None for anything else."""
    try:
        fingerprint = normalise_fingerprint(name)
    except CardError:
        return None
    return fingerprint if fingerprint == name else None


def is_bundle_name(name: str) -> bool:
    return name.endswith(BUNDLE_SUFFIX) and not name.startswith(".")


def list_entries(folder: Path) -> list[os.DirEntry[str]]:
    """A folder's entries, or none when it is missing (nothing addressed to us yet)."""
    try:
        with os.scandir(folder) as entries:
            return sorted(entries, key=lambda e: e.name)
    except (FileNotFoundError, NotADirectoryError):
        return []
