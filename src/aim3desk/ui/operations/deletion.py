"""Operations for deleting a case and the copies of deleted cases others hold."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aim3desk.ui.operations.base import Change, Changes, Query

if TYPE_CHECKING:
    from aim3desk.services.deletion import DeletionPreview, DeletionResult, HeldCopy
    from aim3desk.services.session import Session
    from aim3desk.ui.tasks import TaskRunner


def read_deletion_preview(
    runner: TaskRunner, session: Session, case_id: str
) -> Query[DeletionPreview]:
    deletion = session.deletion
    return Query(runner, lambda: deletion.preview(case_id), "reading what deleting removes")


def delete_case(
    runner: TaskRunner, session: Session, case_id: str, reason: str
) -> Change[DeletionResult]:
    deletion = session.deletion
    return Change(
        runner,
        lambda: deletion.delete_case(case_id, reason),
        "deleting the case",
        Changes(case_id=case_id, case_details=True, case_list=True),
    )


def read_held_copies(runner: TaskRunner, session: Session) -> Query[list[HeldCopy]]:
    deletion = session.deletion
    return Query(runner, deletion.copies, "reading the copies of deleted cases")


def mark_asked(
    runner: TaskRunner, session: Session, deleted_case_id: str, fingerprint: str
) -> Change[int]:
    deletion = session.deletion
    return Change(
        runner,
        lambda: deletion.mark_asked(deleted_case_id, fingerprint),
        "recording that they were asked",
        Changes(),
    )
