"""One encrypted row per item: the table shape shared by assessment_items and case_items.

Both tables hold (owner id, kind, item_id, data JSON, updated_at) with the first three as the
key; the repositories above decide what an item is and how it is encoded. Rows come back in
rowid order, the order items were first saved in (an upsert keeps its row).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Column, Connection, Table, delete, select, text
from sqlalchemy.dialects.sqlite import insert as sqlite_insert


class ItemRows:
    def __init__(self, conn: Connection, table: Table, owner: str):
        self._conn = conn
        self._table = table
        self._owner: Column = table.c[owner]
        self._owner_name = owner

    def rows(self, owner_id: str, kinds: Iterable[str] | None = None) -> list[tuple[str, str, str]]:
        """(kind, item_id, data) of one owner, in the order first saved."""
        t = self._table
        query = (
            select(t.c.kind, t.c.item_id, t.c.data)
            .where(self._owner == owner_id)
            .order_by(text(f"{t.name}.rowid"))
        )
        if kinds is not None:
            query = query.where(t.c.kind.in_(list(kinds)))
        return [tuple(row) for row in self._conn.execute(query).all()]

    def data(self, owner_id: str, kind: str, item_id: str) -> str | None:
        t = self._table
        return self._conn.execute(
            select(t.c.data).where(
                self._owner == owner_id, t.c.kind == kind, t.c.item_id == item_id
            )
        ).scalar()

    def upsert(self, owner_id: str, kind: str, item_id: str, data: str, now: str) -> bool:
        """Insert or replace one row; False if it already held exactly this data."""
        t = self._table
        upsert = sqlite_insert(t).values(
            {
                self._owner_name: owner_id,
                "kind": kind,
                "item_id": item_id,
                "data": data,
                "updated_at": now,
            }
        )
        result = self._conn.execute(
            upsert.on_conflict_do_update(
                index_elements=[self._owner_name, "kind", "item_id"],
                set_={"data": upsert.excluded.data, "updated_at": upsert.excluded.updated_at},
                where=t.c.data != upsert.excluded.data,
            )
        )
        return result.rowcount > 0

    def delete(self, owner_id: str, kind: str, item_id: str) -> bool:
        t = self._table
        result = self._conn.execute(
            delete(t).where(self._owner == owner_id, t.c.kind == kind, t.c.item_id == item_id)
        )
        return result.rowcount > 0

    def insert_many(self, owner_id: str, rows: Iterable[tuple[str, str, str]], now: str) -> int:
        """Add (kind, item_id, data) rows to a new owner; return how many."""
        values = [
            {
                self._owner_name: owner_id,
                "kind": kind,
                "item_id": item_id,
                "data": data,
                "updated_at": now,
            }
            for kind, item_id, data in rows
        ]
        if values:
            self._conn.execute(self._table.insert(), values)
        return len(values)
