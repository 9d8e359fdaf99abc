"""Scanning for plaintext: is a unique string anywhere on disk in a common encoding?"""

from __future__ import annotations

import os
from pathlib import Path

ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be", "latin-1")


def needles_for(*values: str) -> list[bytes]:
    return [value.encode(encoding) for value in values for encoding in ENCODINGS]


def files_containing(root: Path, needles: list[bytes], since: float | None = None) -> list[str]:
    hits: list[str] = []
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = Path(folder) / name
            try:
                info = path.stat()
                if since is not None and info.st_mtime < since:
                    continue
                if info.st_size > 50_000_000 or not path.is_file():
                    continue
                data = path.read_bytes()
            except OSError:
                continue
            if any(needle in data for needle in needles):
                hits.append(str(path))
    return hits
