"""The scale profiles: real profiles filled in the run with invented demo cases
(services/demo add_demo_cases, a fixed seed and day, so every run holds the same cases), and
what one case holds on average, read from the plain copy of the store (plain_store.py).

Demo cases past "requested" carry a full assessment's content (ratings with rationales,
evidence, chronology, unknowns, the child's voice, formulation, safety plan, ...) and their
case records (supervision sessions, intervention plans and logs, consultations, escalations).
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from datetime import date
from pathlib import Path

SEED = 3
TODAY = date(2026, 11, 24)
PRACTITIONER = "Bench Practitioner"
_WORD = re.compile(r"\w+")


def make_scale_profile(folder: Path, count: int, passphrase: str, kdf=None) -> dict[str, float]:
    """Create a profile at `folder` (the KDF calibrated on this machine unless `kdf` is given)
    and add `count` demo cases. Returns the time of each step and the store's size."""
    from aim3desk.services.demo import add_demo_cases
    from aim3desk.services.profile import ProfileService

    service = ProfileService(folder, kdf=kdf)
    start = time.perf_counter()
    session, _recovery = service.create(passphrase, PRACTITIONER)
    created = time.perf_counter()
    add_demo_cases(session, count=count, seed=SEED, today=TODAY)
    filled = time.perf_counter()
    session.close()
    return {
        "create_profile_ms": (created - start) * 1000,
        "fill_s": filled - created,
        "store_mb": (folder / "store.db").stat().st_size / 1e6,
    }


def profile_kdf(folder: Path):
    """The key derivation cost a profile was made with (its calibrated KdfParams), so the next
    scale profile can be made with the same and the two sizes compare like for like."""
    from aim3desk.security.keyfile import KeyFile

    return KeyFile.load(folder / "profile.key").kdf


def _words(value: object) -> int:
    if isinstance(value, str):
        return len(_WORD.findall(value))
    if isinstance(value, dict):
        return sum(_words(v) for v in value.values())
    if isinstance(value, list):
        return sum(_words(v) for v in value)
    return 0


def content_per_case(plain_db: Path) -> dict[str, float]:
    """Averages over the profile's cases: assessment items, case records, words written."""
    conn = sqlite3.connect(str(plain_db))
    try:
        cases = conn.execute("SELECT count(*) FROM cases").fetchone()[0] or 1
        figures: dict[str, float] = {}
        words = 0
        for table, name in (("assessment_items", "items"), ("case_items", "records")):
            rows = 0
            for (data,) in conn.execute(f"SELECT data FROM {table}"):
                rows += 1
                words += _words(json.loads(data))
            figures[f"{name}_per_case"] = rows / cases
        for kind in ("rating", "evidence", "chronology"):
            n = conn.execute(
                "SELECT count(*) FROM assessment_items WHERE kind = ?", (kind,)
            ).fetchone()[0]
            figures[f"{kind}_per_case"] = n / cases
        for kind in ("supervision", "track", "goal"):
            n = conn.execute("SELECT count(*) FROM case_items WHERE kind = ?", (kind,)).fetchone()[
                0
            ]
            figures[f"{kind}_per_case"] = n / cases
        figures["words_per_case"] = words / cases
        return figures
    finally:
        conn.close()
