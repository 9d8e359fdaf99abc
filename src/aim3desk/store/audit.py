"""Append-only audit trail inside the encrypted store.

Each entry carries the SHA-256 of the entry before it, so an edited entry, a deleted entry
(a gap in `seq`) or a re-linked chain shows up in `verify()`. SQLite triggers (migration 0001)
refuse UPDATE and DELETE; the hash chain catches whoever drops the triggers first.

What goes in: the action, the case reference or record id as target, and in `detail` the
NAMES of fields that changed - never their values and never a child's name.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, text

from aim3desk.store.schema import audit_log

GENESIS_HASH = "0" * 64
_MAX_DETAIL_STRING = 80
_GUARD_TRIGGERS = ("audit_log_no_update", "audit_log_no_delete")


class AuditDetailError(ValueError):
    """`detail` holds something that could be a value rather than a field name."""


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: str
    actor: str
    action: str
    target: str
    detail: dict[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class AuditHead:
    """The end of the chain: how many entries there are, and the last one's seq and hash
    (kept outside the database as well, signed, by services/audit_head.py)."""

    count: int
    seq: int
    hash: str

    @classmethod
    def of(cls, last: AuditEntry) -> AuditHead:
        """The head after `last` was appended: append_entry numbers entries 1, 2, 3 ... with
        no gaps, so the count is the last seq."""
        return cls(last.seq, last.seq, last.hash)


@dataclass(frozen=True)
class AuditCheck:
    ok: bool
    bad_seq: int | None
    message: str


def canonical_json(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(
    prev_hash: str, seq: int, at: str, actor: str, action: str, target: str, detail: dict
) -> str:
    body = canonical_json(
        {"seq": seq, "at": at, "actor": actor, "action": action, "target": target, "detail": detail}
    )
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def _check_detail(detail: dict[str, Any]) -> None:
    """Field names, counts, flags and ids only: short scalars or lists of short strings."""

    def ok_scalar(value: object) -> bool:
        if isinstance(value, str):
            return len(value) <= _MAX_DETAIL_STRING and "\n" not in value
        return value is None or isinstance(value, int | float | bool)

    for key, value in detail.items():
        if not isinstance(key, str) or not ok_scalar(key):
            raise AuditDetailError("Audit detail keys must be short strings.")
        values = value if isinstance(value, list | tuple) else [value]
        if not all(ok_scalar(v) for v in values):
            raise AuditDetailError(
                f"Audit detail '{key}' must be field names, counts or ids, not free text."
            )


def _utc_now() -> datetime:
    return datetime.now(UTC)


def append_entry(
    conn: Connection,
    actor: str,
    action: str,
    target: str = "",
    detail: dict[str, Any] | None = None,
    clock: Callable[[], datetime] = _utc_now,
) -> AuditEntry:
    """Add one entry inside the caller's transaction, so the change and its audit entry are
    saved together or not at all."""
    detail = dict(detail or {})
    _check_detail(detail)
    last = conn.execute(
        select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)
    ).first()
    seq, prev_hash = (last.seq + 1, last.hash) if last else (1, GENESIS_HASH)
    at = clock().astimezone(UTC).isoformat(timespec="microseconds")
    digest = entry_hash(prev_hash, seq, at, actor, action, target, detail)
    conn.execute(
        insert(audit_log).values(
            seq=seq,
            at=at,
            actor=actor,
            action=action,
            target=target,
            detail=canonical_json(detail),
            prev_hash=prev_hash,
            hash=digest,
        )
    )
    return AuditEntry(seq, at, actor, action, target, detail, prev_hash, digest)


def read_entries(
    conn: Connection, limit: int | None = None, *, newest_first: bool = False
) -> list[AuditEntry]:
    """Entries oldest first (or newest first); `limit` keeps the newest `limit` of them."""
    query = select(audit_log).order_by(audit_log.c.seq.desc())
    if limit is not None:
        query = query.limit(limit)
    found = [
        AuditEntry(
            r.seq,
            r.at,
            r.actor,
            r.action,
            r.target,
            _parse_detail(r.detail),
            r.prev_hash,
            r.hash,
        )
        for r in conn.execute(query).all()
    ]
    return found if newest_first else found[::-1]


def read_head(conn: Connection) -> AuditHead | None:
    """The chain's end as the database holds it now (None: no entries)."""
    last = conn.execute(
        select(audit_log.c.seq, audit_log.c.hash).order_by(audit_log.c.seq.desc()).limit(1)
    ).first()
    if last is None:
        return None
    count = conn.execute(select(func.count()).select_from(audit_log)).scalar_one()
    return AuditHead(count, last.seq, last.hash)


def hash_at(conn: Connection, seq: int) -> str | None:
    """The stored hash of entry `seq`, if there is one."""
    return conn.execute(select(audit_log.c.hash).where(audit_log.c.seq == seq)).scalar()


def has_action(conn: Connection, action: str) -> bool:
    """Whether any entry records `action`."""
    found = conn.execute(select(audit_log.c.seq).where(audit_log.c.action == action).limit(1))
    return found.first() is not None


def verify_chain(conn: Connection) -> AuditCheck:
    """Walk the whole chain; report the first entry that is missing, edited or mislinked."""
    expected_seq, prev_hash, count = 1, GENESIS_HASH, 0
    rows = conn.execute(select(audit_log).order_by(audit_log.c.seq)).all()
    triggers = {
        name
        for (name,) in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
    }
    for row in rows:
        if row.seq != expected_seq:
            return AuditCheck(
                False,
                expected_seq,
                f"Audit entry {expected_seq} is missing: the trail has been cut.",
            )
        if row.prev_hash != prev_hash:
            return AuditCheck(
                False, row.seq, f"Audit entry {row.seq} does not link to the entry before it."
            )
        try:
            detail = json.loads(row.detail)
        except ValueError:
            detail = None
        if not isinstance(detail, dict) or row.hash != entry_hash(
            row.prev_hash, row.seq, row.at, row.actor, row.action, row.target, detail
        ):
            return AuditCheck(False, row.seq, f"Audit entry {row.seq} has been altered.")
        prev_hash, expected_seq, count = row.hash, expected_seq + 1, count + 1
    missing_guards = [t for t in _GUARD_TRIGGERS if t not in triggers]
    if missing_guards:
        return AuditCheck(
            False,
            None,
            "The audit trail's append-only guard has been removed from the database.",
        )
    return AuditCheck(True, None, f"The audit trail is intact ({count} entries).")


def _parse_detail(raw: str) -> dict[str, Any]:
    try:
        value = json.loads(raw)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
