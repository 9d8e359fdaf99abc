"""Where the app's bundled data folders (such as forms/) live in each way it can be run."""

from __future__ import annotations

import sys
from pathlib import Path


def data_dir(name: str) -> Path:
    """The folder `name` from the PyInstaller bundle, the source checkout or an installed
    share/aim3desk, in that order. Raises FileNotFoundError listing every place tried."""
    candidates: list[Path] = []
    bundle = getattr(sys, "_MEIPASS", None)  # set by a PyInstaller one-file or one-dir build
    if bundle:
        candidates.append(Path(bundle) / name)
    candidates.append(Path(__file__).resolve().parents[2] / name)  # src/aim3desk/ -> checkout
    candidates.append(Path(sys.prefix) / "share" / "aim3desk" / name)
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    tried = ", ".join(str(c) for c in candidates)
    raise FileNotFoundError(f"AIM3 Desk data folder {name!r} not found (looked in: {tried})")
