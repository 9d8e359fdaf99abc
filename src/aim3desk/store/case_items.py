"""Records a case keeps beside its assessments, as rows of case_items: one row per record,
its JSON made by domain/case_codec, so an autosave rewrites one small row and loading a
case's records is one query."""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import Connection, delete, select, text
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from aim3desk.domain.case_codec import (
    CaseRecords,
    case_item_from_dict,
    case_item_key,
    case_item_kind,
    case_item_to_dict,
    record_items,
    records_from_items,
)
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

    def load(self, case_id: str, kinds: Iterable[str] | None = None) -> CaseRecords:
        query = (
            select(case_items.c.kind, case_items.c.item_id, case_items.c.data)
            .where(case_items.c.case_id == case_id)
            .order_by(text("case_items.rowid"))
        )
        if kinds is not None:
            query = query.where(case_items.c.kind.in_(list(kinds)))
        return records_from_items(decode_rows(self._conn.execute(query).all()))

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
        data = self._conn.execute(
            select(case_items.c.data).where(
                case_items.c.case_id == case_id,
                case_items.c.kind == kind,
                case_items.c.item_id == item_id,
            )
        ).scalar()
        return None if data is None else case_item_from_dict(kind, json.loads(data))

    def save(self, case_id: str, item: object, now: str) -> bool:
        """Upsert one record; False if nothing changed."""
        upsert = sqlite_insert(case_items).values(
            case_id=case_id,
            kind=case_item_kind(item),
            item_id=case_item_key(item),
            data=encode(item),
            updated_at=now,
        )
        result = self._conn.execute(
            upsert.on_conflict_do_update(
                index_elements=["case_id", "kind", "item_id"],
                set_={"data": upsert.excluded.data, "updated_at": upsert.excluded.updated_at},
                where=case_items.c.data != upsert.excluded.data,
            )
        )
        return result.rowcount > 0

    def delete(self, case_id: str, kind: str, item_id: str) -> bool:
        result = self._conn.execute(
            delete(case_items).where(
                case_items.c.case_id == case_id,
                case_items.c.kind == kind,
                case_items.c.item_id == item_id,
            )
        )
        return result.rowcount > 0

    def insert_records(self, case_id: str, records: CaseRecords, now: str) -> int:
        rows = [
            {
                "case_id": case_id,
                "kind": case_item_kind(item),
                "item_id": case_item_key(item),
                "data": encode(item),
                "updated_at": now,
            }
            for item in record_items(records)
        ]
        if rows:
            self._conn.execute(case_items.insert(), rows)
        return len(rows)
