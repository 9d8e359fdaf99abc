"""Scanning for plaintext: is a unique string anywhere on disk in a common encoding?

A canary is found in a file's bytes as UTF-8, UTF-16 (either order), Latin-1 or as JSON
writes it (\\u escapes for what is not ASCII), and in a file's name. Canaries should carry a
character outside ASCII, so the JSON-escaped and the plain forms differ."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be", "latin-1")
MAX_SCANNED_BYTES = 50_000_000


def needles_for(*values: str) -> list[bytes]:
    needles: set[bytes] = set()
    for value in values:
        for encoding in ENCODINGS:
            try:
                needles.add(value.encode(encoding))
            except UnicodeEncodeError:  # Latin-1 holds no emoji: no such file could either
                continue
        needles.add(json.dumps(value)[1:-1].encode("ascii"))  # "\\u00f6"
        needles.add(json.dumps(value)[1:-1].upper().encode("ascii"))  # "\\u00F6"
    return sorted(needles)


@dataclass
class Scan:
    """What a scan covered and what it found (relative to nothing: full paths)."""

    files: int = 0
    bytes: int = 0
    names: list[str] = field(default_factory=list)  # every file scanned
    hits: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # too large or unreadable: never silent


def scan(
    roots: list[Path],
    needles: list[bytes],
    since: float | None = None,
    leave_out: Path | None = None,
) -> Scan:
    """Every regular file under `roots` (changed since `since`, if given; not under
    `leave_out`): its name and its bytes."""
    found = Scan()
    for root in roots:
        for folder, dirs, files in os.walk(root):
            if leave_out is not None:
                dirs[:] = [d for d in dirs if Path(folder) / d != leave_out]
            for name in files:
                path = Path(folder) / name
                try:
                    info = path.lstat()
                    if not path.is_file() or (since is not None and info.st_mtime < since):
                        continue
                    if info.st_size > MAX_SCANNED_BYTES:
                        found.skipped.append(str(path))
                        continue
                    data = path.read_bytes()
                except OSError:
                    found.skipped.append(str(path))
                    continue
                found.files += 1
                found.names.append(str(path))
                found.bytes += len(data)
                in_name = name.encode("utf-8")
                if any(needle in data or needle in in_name for needle in needles):
                    found.hits.append(str(path))
    return found


def files_containing(root: Path, needles: list[bytes], since: float | None = None) -> list[str]:
    return scan([root], needles, since).hits
