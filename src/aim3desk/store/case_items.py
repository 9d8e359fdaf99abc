"""Records a case keeps beside its assessments, as rows of case_items: one row per record,
its JSON made by domain/case_codec, so an autosave rewrites one small row and loading a
case's records is one query."""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import Connection, select, text

from aim3desk.domain.case_codec import (
    case_item_from_dict,
    case_item_key,
    case_item_kind,
    case_item_to_dict,
    record_items,
    records_from_items,
)
from aim3desk.domain.case_records import CaseRecords
from aim3desk.store.item_rows import ItemRows
from aim3desk.store.schema import case_items


def encode(item: object) -> str:
    return json.dumps(case_item_to_dict(item), ensure_ascii=False, separators=(",", ":"))


def decode_rows(rows: Iterable[tuple[str, str, str]]) -> list[object]:
    return [
        case_item_from_dict(kind, json.loads(data), f"{kind}[{item_id}]")
        for kind, item_id, data in rows
    ]


class CaseItemRepository:
    """Case records on a caller's Connection (a change and its audit entry share one
    transaction)."""

    def __init__(self, conn: Connection):
        self._conn = conn
        self._rows = ItemRows(conn, case_items, "case_id")

    def load(self, case_id: str, kinds: Iterable[str] | None = None) -> CaseRecords:
        return records_from_items(decode_rows(self._rows.rows(case_id, kinds)))

    def load_all(self, kinds: Iterable[str]) -> dict[str, CaseRecords]:
        """case id -> records of these kinds, for every case (one query)."""
        rows = self._conn.execute(
            select(case_items.c.case_id, case_items.c.kind, case_items.c.item_id, case_items.c.data)
            .where(case_items.c.kind.in_(list(kinds)))
            .order_by(text("case_items.rowid"))
        ).all()
        grouped: dict[str, list[tuple[str, str, str]]] = {}
        for case_id, kind, item_id, data in rows:
            grouped.setdefault(case_id, []).append((kind, item_id, data))
        return {cid: records_from_items(decode_rows(found)) for cid, found in grouped.items()}

    def get(self, case_id: str, kind: str, item_id: str) -> object | None:
        data = self._rows.data(case_id, kind, item_id)
        return None if data is None else case_item_from_dict(kind, json.loads(data))

    def save(self, case_id: str, item: object, now: str) -> bool:
        """Upsert one record; False if nothing changed."""
        return self._rows.upsert(
            case_id, case_item_kind(item), case_item_key(item), encode(item), now
        )

    def delete(self, case_id: str, kind: str, item_id: str) -> bool:
        return self._rows.delete(case_id, kind, item_id)

    def insert_records(self, case_id: str, records: CaseRecords, now: str) -> int:
        return self._rows.insert_many(
            case_id,
            ((case_item_kind(i), case_item_key(i), encode(i)) for i in record_items(records)),
            now,
        )
