"""Operations on the shared-folder sync (`session.sync`): one round, and the status for the
status bar.

A round runs beside the store worker, not on it: reading and writing files on a network
drive can be slow, and saves must keep flowing meanwhile. Its own reads and writes of the
store are short transactions through the unit of work's lock, so they queue with the store
worker's like any other. A round that took something in publishes `case_list` (a handed-over
case, a bundle for the lists) so open views refresh.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aim3desk.ui.operations.base import Change, Changes, Query

if TYPE_CHECKING:
    from aim3desk.services.session import Session
    from aim3desk.services.sync import SyncRound, SyncStatus
    from aim3desk.ui.tasks import TaskRunner


class SyncRoundChange(Change["SyncRound"]):
    """A change that runs beside the store worker (see the module's note)."""

    def run(self) -> None:
        self._submit(self._runner.run_beside_store)


def _round_changes(result: SyncRound) -> Changes:
    return Changes(case_list=True) if result.changed_anything else Changes()


def sync_round(runner: TaskRunner, session: Session) -> SyncRoundChange:
    """Deliver what is due and collect what is addressed to this profile (one round)."""
    sync = session.sync
    return SyncRoundChange(runner, sync.round, "syncing with the shared folder", _round_changes)


def read_sync_status(runner: TaskRunner, session: Session) -> Query[SyncStatus]:
    sync = session.sync
    return Query(runner, sync.status, "reading the sync status")
