"""An assessment's content as rows of assessment_items: one row per item, its JSON made by
domain/codec, so an edit rewrites one small row and a load is one query.

Rows are read back in rowid order, which is the order items were first saved in (an upsert
keeps its row), so evidence and same-day chronology events keep the order they were recorded
in. A finished assessment's rows cannot change: triggers (migration 0003) abort the statement.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, text

from aim3desk.domain.assessment import AssessmentContent
from aim3desk.domain.codec import (
    COLLECTION_OF,
    SINGLE_DEFAULTS,
    SINGLE_KINDS,
    content_items,
    is_blank,
    item_from_dict,
    item_key,
    item_kind,
    item_to_dict,
)
from aim3desk.store.item_rows import ItemRows
from aim3desk.store.schema import assessment_items


def encode(item: object) -> str:
    return json.dumps(item_to_dict(item), ensure_ascii=False, separators=(",", ":"))


def content_from_rows(rows: Iterable[tuple[str, str, str]]) -> AssessmentContent:
    """(kind, item_id, data) rows in rowid order -> the content."""
    collections: dict[str, list[Any]] = {name: [] for name in COLLECTION_OF.values()}
    singles: dict[str, Any] = {}
    for kind, item_id, data in rows:
        item = item_from_dict(kind, json.loads(data), f"{kind}[{item_id}]")
        if kind in SINGLE_KINDS:
            singles[kind] = item
        else:
            collections[COLLECTION_OF[kind]].append(item)
    return AssessmentContent(
        **{name: tuple(items) for name, items in collections.items()},
        **{kind: singles.get(kind, empty) for kind, empty in SINGLE_DEFAULTS.items()},
    )


class ItemRepository:
    """Items of assessments, on a caller's Connection (so a change and its audit entry share one
    transaction)."""

    def __init__(self, conn: Connection):
        self._conn = conn
        self._rows = ItemRows(conn, assessment_items, "assessment_id")

    def load(self, assessment_id: str) -> AssessmentContent:
        return content_from_rows(self._rows.rows(assessment_id))

    def get(self, assessment_id: str, kind: str, item_id: str) -> object | None:
        data = self._rows.data(assessment_id, kind, item_id)
        return None if data is None else item_from_dict(kind, json.loads(data))

    def save(self, assessment_id: str, item: object, now: str) -> bool:
        """Upsert one item (a blank rating or blank notes deletes its row instead); False if
        nothing changed."""
        kind, key = item_kind(item), item_key(item)
        if is_blank(item):
            return self.delete(assessment_id, kind, key)
        return self._rows.upsert(assessment_id, kind, key, encode(item), now)

    def delete(self, assessment_id: str, kind: str, item_id: str) -> bool:
        return self._rows.delete(assessment_id, kind, item_id)

    def insert_content(self, assessment_id: str, content: AssessmentContent, now: str) -> int:
        """Add every item of a whole content (a new, empty assessment); return how many."""
        return self._rows.insert_many(
            assessment_id,
            ((item_kind(i), item_key(i), encode(i)) for i in content_items(content)),
            now,
        )

    def copy(self, from_assessment_id: str, to_assessment_id: str, now: str) -> int:
        """Copy every row in order without decoding it (a new version starts this way)."""
        result = self._conn.execute(
            text(
                "INSERT INTO assessment_items (assessment_id, kind, item_id, data, updated_at) "
                "SELECT :to_id, kind, item_id, data, :now FROM assessment_items "
                "WHERE assessment_id = :from_id ORDER BY rowid"
            ),
            {"to_id": to_assessment_id, "from_id": from_assessment_id, "now": now},
        )
        return result.rowcount
