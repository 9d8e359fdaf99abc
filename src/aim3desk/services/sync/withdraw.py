"""Withdrawing this profile's own files from the shared folder (a deleted case's bundles).

A deletion queues each file it sent through the share (tx.retention.add_withdrawal, in the
deletion's own transaction); a round, or the deletion itself when the share is reachable,
deletes them. Only files under people/<this profile>/to/ are ever touched, never through a
link; a file already gone counts as withdrawn. A file that cannot be deleted now stays queued
for the next round: an offline share never blocks a deletion.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from aim3desk.services.sync.layout import PEOPLE, TO
from aim3desk.store.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

AUDIT_WITHDRAW = "sync.withdraw"


@dataclass
class Withdrawn:
    """What one pass did: files deleted (or found gone), and files still queued, with why."""

    done: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def withdrawal_path(me: str, recipient: str, file_name: str) -> str:
    """The share path (relative, "/" separated) of a file this profile delivered."""
    return f"{PEOPLE}/{me}/{TO}/{recipient}/{file_name}"


def _own_file(share: Path, me: str, relative: str) -> Path | None:
    """The file, if `relative` names one under people/<me>/to/<someone>/ and no part of the way
    there is a link; else None (never touched)."""
    parts = PurePosixPath(relative).parts
    if len(parts) != 5 or parts[:2] != (PEOPLE, me) or parts[2] != TO:
        return None
    if any(part in ("", ".", "..") or "\\" in part for part in parts):
        return None
    path = share
    for part in parts[:-1]:
        path = path / part
        if path.is_symlink():
            return None
    return path / parts[-1]


def withdraw_pending(uow: UnitOfWork, share: Path, me: str, actor: str) -> Withdrawn:
    """Delete the queued files from a share that is ready (the caller probed it)."""
    with uow.read() as tx:
        pending = tx.retention.withdrawals()
    result = Withdrawn()
    for entry in pending:
        target = _own_file(share, me, entry.path)
        if target is None:
            result.problems.append(f"{entry.path} is not one of your own files; left alone.")
            _mark_done(uow, entry.path, entry.bundle_id, actor, gone=False)
            continue
        try:
            with contextlib.suppress(FileNotFoundError):
                if target.is_symlink() or target.is_file():
                    target.unlink()
        except OSError as exc:
            result.waiting.append(entry.path)
            result.problems.append(
                f"A withdrawn file could not be deleted yet ({exc.strerror or exc}); it is "
                "tried again at the next sync."
            )
            continue
        _mark_done(uow, entry.path, entry.bundle_id, actor, gone=True)
        result.done.append(entry.path)
    if result.done:
        log.info("withdrew %d file(s) from the share", len(result.done))
    return result


def _mark_done(uow: UnitOfWork, path: str, bundle_id: str, actor: str, gone: bool) -> None:
    with uow.write() as tx:
        tx.retention.withdrawal_done(path, datetime.now(UTC).isoformat(timespec="seconds"))
        tx.audit(actor, AUDIT_WITHDRAW, "", {"bundle_id": bundle_id, "deleted": gone})


def pending_paths(uow: UnitOfWork) -> list[str]:
    with uow.read() as tx:
        return [w.path for w in tx.retention.withdrawals()]
