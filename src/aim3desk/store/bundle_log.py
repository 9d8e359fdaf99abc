"""Bundles this profile wrote or took in (tables bundles and bundle_members, migration 0005).

The signed manifest is kept as it was, so an import can be recognised as a repeat, a later
export can name the bundle it supersedes, and a review can be shown what it covered.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Connection, func, insert, select

from aim3desk.domain.bundle import BundleKind
from aim3desk.domain.review import SentVersion
from aim3desk.store.schema import bundle_members, bundles

SENT = "sent"
RECEIVED = "received"


@dataclass(frozen=True)
class BundleRecord:
    bundle_id: str
    direction: str
    kind: str
    case_id: str
    case_reference: str
    assessment_version: int | None
    author_fingerprint: str
    created: str
    recorded_at: str
    manifest: str
    file_sha256: str | None = None  # of the file as written or received (migration 0006)


class BundleLog:
    def __init__(self, conn: Connection):
        self._conn = conn

    def get(self, bundle_id: str) -> BundleRecord | None:
        row = self._conn.execute(
            select(bundles).where(bundles.c.bundle_id == bundle_id)
        ).one_or_none()
        return BundleRecord(**row._mapping) if row else None

    def case_named(self, ref_or_id: str) -> tuple[str, str] | None:
        """(case id, reference) of a case this profile knows only through bundles (a
        supervisor's received copies): by id, then reference, then reference ignoring case."""
        for where in (
            bundles.c.case_id == ref_or_id,
            bundles.c.case_reference == ref_or_id,
            func.lower(bundles.c.case_reference) == ref_or_id.lower(),
        ):
            row = self._conn.execute(
                select(bundles.c.case_id, bundles.c.case_reference)
                .where(where)
                .order_by(bundles.c.recorded_at.desc())
                .limit(1)
            ).first()
            if row is not None:
                return row.case_id, row.case_reference
        return None

    def of_case(self, case_id: str, direction: str | None = None) -> list[BundleRecord]:
        query = select(bundles).where(bundles.c.case_id == case_id)
        if direction:
            query = query.where(bundles.c.direction == direction)
        rows = self._conn.execute(query.order_by(bundles.c.created, bundles.c.bundle_id)).all()
        return [BundleRecord(**r._mapping) for r in rows]

    def sent_versions(self, case_id: str | None = None) -> list[SentVersion]:
        """The assessment bundles this profile sent (of one case, or all), each with the
        version it holds and its file's hash: what a sign-off must name."""
        query = select(bundles.c.bundle_id, bundles.c.manifest, bundles.c.file_sha256).where(
            bundles.c.direction == SENT,
            bundles.c.kind == BundleKind.ASSESSMENT.value,
            bundles.c.file_sha256.is_not(None),
        )
        if case_id is not None:
            query = query.where(bundles.c.case_id == case_id)
        found = []
        for bundle_id, manifest, sha256 in self._conn.execute(query).all():
            assessment = json.loads(manifest).get("assessment") or {}
            if assessment.get("id"):
                found.append(SentVersion(assessment["id"], bundle_id, sha256))
        return found

    def received(self) -> list[BundleRecord]:
        rows = self._conn.execute(
            select(bundles)
            .where(bundles.c.direction == RECEIVED)
            .order_by(bundles.c.created.desc())
        ).all()
        return [BundleRecord(**r._mapping) for r in rows]

    def newest_version_received(self, case_id: str, author_fingerprint: str) -> int | None:
        return self._conn.execute(
            select(func.max(bundles.c.assessment_version)).where(
                bundles.c.case_id == case_id,
                bundles.c.author_fingerprint == author_fingerprint,
                bundles.c.direction == RECEIVED,
            )
        ).scalar_one_or_none()

    def add(self, record: BundleRecord, members: Mapping[str, bytes] | None = None) -> None:
        self._conn.execute(insert(bundles).values(**record.__dict__))
        if members:
            self._conn.execute(
                insert(bundle_members),
                [{"bundle_id": record.bundle_id, "name": n, "data": d} for n, d in members.items()],
            )

    def members(self, bundle_id: str) -> dict[str, bytes]:
        rows = self._conn.execute(
            select(bundle_members.c.name, bundle_members.c.data).where(
                bundle_members.c.bundle_id == bundle_id
            )
        ).all()
        return {name: bytes(data) for name, data in rows}
