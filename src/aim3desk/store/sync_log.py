"""The outbox of bundle files for the shared folder, and the share files already dealt with
(tables outbox and share_files, migration 0006)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, delete, func, insert, select, update

from aim3desk.store.schema import outbox, share_files


@dataclass(frozen=True)
class OutboxEntry:
    bundle_id: str
    recipient: str  # fingerprint
    file_name: str
    sha256: str
    queued_at: str
    attempts: int
    next_attempt_at: str | None
    last_error: str
    delivered_at: str | None


@dataclass(frozen=True)
class ShareFile:
    path: str  # relative to the share, "/" separated
    size: int
    sha256: str
    seen_at: str
    outcome: str  # imported, already-held, quarantined, card, ...
    bundle_id: str | None = None
    message: str = ""


_ENTRY_COLUMNS = [c for c in outbox.c if c.name != "data"]


class SyncLog:
    def __init__(self, conn: Connection):
        self._conn = conn

    # -- outbox ---------------------------------------------------------------------------

    def queue(self, bundle_id: str, recipient: str, file_name: str, data: bytes, sha256: str,
              queued_at: str) -> None:  # fmt: skip
        self._conn.execute(
            insert(outbox).values(
                bundle_id=bundle_id,
                recipient=recipient,
                file_name=file_name,
                data=data,
                sha256=sha256,
                queued_at=queued_at,
            )
        )

    def pending(self) -> list[OutboxEntry]:
        rows = self._conn.execute(
            select(*_ENTRY_COLUMNS)
            .where(outbox.c.delivered_at.is_(None))
            .order_by(outbox.c.queued_at, outbox.c.bundle_id, outbox.c.recipient)
        ).all()
        return [OutboxEntry(**r._mapping) for r in rows]

    def entries(self, bundle_id: str | None = None) -> list[OutboxEntry]:
        query = select(*_ENTRY_COLUMNS).order_by(outbox.c.queued_at, outbox.c.recipient)
        if bundle_id is not None:
            query = query.where(outbox.c.bundle_id == bundle_id)
        return [OutboxEntry(**r._mapping) for r in self._conn.execute(query).all()]

    def data(self, bundle_id: str, recipient: str) -> bytes:
        return self._conn.execute(
            select(outbox.c.data).where(
                outbox.c.bundle_id == bundle_id, outbox.c.recipient == recipient
            )
        ).scalar_one()

    def count_pending(self) -> int:
        return self._conn.execute(
            select(func.count()).select_from(outbox).where(outbox.c.delivered_at.is_(None))
        ).scalar_one()

    def mark_failed(self, bundle_id: str, recipient: str, error: str, next_attempt_at: str) -> None:
        self._conn.execute(
            update(outbox)
            .where(outbox.c.bundle_id == bundle_id, outbox.c.recipient == recipient)
            .values(
                attempts=outbox.c.attempts + 1, last_error=error, next_attempt_at=next_attempt_at
            )
        )

    def mark_delivered(self, bundle_id: str, recipient: str, at: str) -> None:
        self._conn.execute(
            update(outbox)
            .where(outbox.c.bundle_id == bundle_id, outbox.c.recipient == recipient)
            .values(delivered_at=at, last_error="", next_attempt_at=None)
        )

    def forget_delivered_data(self, bundle_id: str, recipient: str) -> None:
        """Drop the stored copy of a delivered file (the row stays as the record)."""
        self._conn.execute(
            update(outbox)
            .where(outbox.c.bundle_id == bundle_id, outbox.c.recipient == recipient)
            .values(data=b"")
        )

    def withdraw(self, bundle_id: str) -> None:
        self._conn.execute(
            delete(outbox).where(outbox.c.bundle_id == bundle_id, outbox.c.delivered_at.is_(None))
        )

    # -- share files ----------------------------------------------------------------------

    def seen(self, path: str) -> ShareFile | None:
        row = self._conn.execute(
            select(share_files).where(share_files.c.path == path)
        ).one_or_none()
        return ShareFile(**row._mapping) if row else None

    def seen_paths(self) -> dict[str, ShareFile]:
        rows = self._conn.execute(select(share_files)).all()
        return {r.path: ShareFile(**r._mapping) for r in rows}

    def record_seen(self, file: ShareFile) -> None:
        self._conn.execute(delete(share_files).where(share_files.c.path == file.path))
        self._conn.execute(insert(share_files).values(**file.__dict__))
