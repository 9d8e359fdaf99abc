"""The store's part of `aim3desk selftest`: a scratch table written and read back through a
keyed connection, so the check exercises the same SQLCipher path as a profile."""

from __future__ import annotations

import sqlcipher3
from sqlalchemy import text

from aim3desk.store.db import Store


def round_trip(store: Store, marker: str) -> bool:
    """Write `marker` into a scratch table of `store` and read it back; True if it came back."""
    with store.engine.begin() as conn:
        conn.execute(text("CREATE TABLE selftest (value TEXT)"))
        conn.execute(text("INSERT INTO selftest VALUES (:v)"), {"v": marker})
    with store.engine.connect() as conn:
        return conn.execute(text("SELECT value FROM selftest")).scalar() == marker


def sqlite_version() -> str:
    return sqlcipher3.sqlite_version
