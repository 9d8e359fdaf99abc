"""Operations for reports and sharing: what a share report would include, reading the case
for a report, laying it out (a Job beside the store worker), recording it, recording a
decision not to share, and the sharing log."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from aim3desk.ui.operations.base import Change, Changes, Job, Query, Record

if TYPE_CHECKING:
    from aim3desk.domain.cases import Case
    from aim3desk.domain.sharing import SharingDecision
    from aim3desk.services.profile import Session
    from aim3desk.services.reports import ProducedReport, ReportKind, ReportRequest, ShareAnswers
    from aim3desk.services.sharing import SharePreview
    from aim3desk.ui.tasks import TaskRunner


def _shared(case_id: str) -> Changes:
    return Changes(case_id=case_id, records=frozenset({Record.SHARING}))


def read_share_preview(
    runner: TaskRunner, session: Session, case: Case, audience: str
) -> Query[SharePreview]:
    sharing = session.sharing
    return Query(runner, lambda: sharing.preview(case, audience), "reading what would be shared")


def read_sharing_log(
    runner: TaskRunner, session: Session, case_id: str
) -> Query[list[SharingDecision]]:
    sharing = session.sharing
    return Query(runner, lambda: sharing.sharing_log(case_id), "reading the sharing log")


def prepare_report(
    runner: TaskRunner,
    session: Session,
    case_id: str,
    kind: ReportKind,
    answers: ShareAnswers | None,
) -> Query[ReportRequest]:
    def read() -> ReportRequest:
        from aim3desk.services.reports import prepare

        return prepare(session, case_id, kind, answers)

    return Query(runner, read, "reading the case for the report")


def build_report(runner: TaskRunner, request: ReportRequest, path: Path) -> Job[Path]:
    """Lays out the PDF from the request alone: no store, so not on the store worker."""

    def build(progress: Callable[[float, str], None], cancelled: Callable[[], bool]) -> Path:
        from aim3desk.services.reports import build_report as build_pdf

        return build_pdf(request, path, progress=progress, cancelled=cancelled)

    return Job(runner, build, "making the report")


def record_report(
    runner: TaskRunner,
    session: Session,
    request: ReportRequest,
    path: Path,
    answers: ShareAnswers | None,
) -> Change[ProducedReport]:
    def write() -> ProducedReport:
        from aim3desk.services.reports import record

        return record(session, request, path, answers)

    return Change(runner, write, "recording the report", _shared(request.case.id))


def record_not_shared(
    runner: TaskRunner, session: Session, case_id: str, audience: str, answers: ShareAnswers
) -> Change[ProducedReport]:
    def write() -> ProducedReport:
        from aim3desk.services.reports import record_not_shared as record_decision

        return record_decision(session, case_id, audience, answers)

    return Change(runner, write, "recording the decision not to share", _shared(case_id))
