"""Which files in a profile folder open with a given passphrase: every file that reads as a key
file is tried, whatever its name (backups, temporary copies, anything left behind)."""

from __future__ import annotations

from pathlib import Path

from aim3desk.security.keyfile import KeyFile, KeyFileError, wipe

_KEY_FILE_MARK = b'"aim3desk-keyfile"'


def key_like_files(folder: Path) -> list[Path]:
    """Every regular file under `folder` that names the key file format."""
    found = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.is_symlink() or path.stat().st_size > 1024 * 1024:
            continue
        if _KEY_FILE_MARK in path.read_bytes():
            found.append(path)
    return found


def files_opening_with(folder: Path, passphrase: str) -> list[Path]:
    """The key-like files under `folder` that `passphrase` opens."""
    opened = []
    for path in key_like_files(folder):
        try:
            data_key = KeyFile.load(path).unlock(passphrase)
        except KeyFileError:
            continue
        wipe(data_key)
        opened.append(path)
    return opened
