"""Operations for reports and sharing, through the session's report service.

A report is built from one request, read once: `prepare_report` reads it on the store worker;
`render_report` lays out the PDF in memory from it as a Job beside the store worker (it
touches no store); `save_report` writes the file, its audit entry and, for a share report,
the decision to share in one transaction, describing what was shared from that same request
(a file on disk always has its entry; a failed save leaves neither). The preview the dialog
shows is made from a request too (`read_share_preview`, and again from the request a PDF is
built from), never from a second read of the content. The subject access "records held"
export goes the same three steps: prepare_access_export, render_access_export,
save_access_export."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from aim3desk.ui.operations.base import Change, Changes, Job, Query, Record

if TYPE_CHECKING:
    from aim3desk.domain.sharing import SharingDecision
    from aim3desk.services.reports import (
        AccessRequest,
        ProducedReport,
        ReportKind,
        ReportRequest,
        ShareAnswers,
    )
    from aim3desk.services.session import Session
    from aim3desk.services.sharing import SharePreview
    from aim3desk.ui.tasks import TaskRunner


@dataclass(frozen=True)
class PreparedReport:
    """The one request a report is built from, and what a share report from it would hold."""

    request: ReportRequest
    preview: SharePreview | None


def _shared(case_id: str) -> Changes:
    return Changes(case_id=case_id, records=frozenset({Record.SHARING}))


def read_share_preview(
    runner: TaskRunner, session: Session, case_id: str, audience: str
) -> Query[SharePreview]:
    """What a share report for `audience` would include and leave out, now."""
    reports = session.reports
    return Query(
        runner,
        lambda: reports.preview(reports.prepare(case_id, audience)),
        "reading what would be shared",
    )


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
) -> Query[PreparedReport]:
    """Read everything the report needs at once (checking a share report's answers)."""
    reports = session.reports

    def read() -> PreparedReport:
        request = reports.prepare(case_id, kind, answers)
        return PreparedReport(request, reports.preview(request) if kind.is_share else None)

    return Query(runner, read, "reading the case for the report")


def render_report(runner: TaskRunner, session: Session, request: ReportRequest) -> Job[bytes]:
    """Lay out the PDF in memory from the request alone: no store, so not on the store
    worker, and a long report never holds up a save. Cancelling writes nothing."""
    reports = session.reports

    def render(progress: Callable[[float, str], None], cancelled: Callable[[], bool]) -> bytes:
        return reports.render(request, progress, cancelled)

    return Job(runner, render, "making the report")


def save_report(
    runner: TaskRunner,
    session: Session,
    request: ReportRequest,
    data: bytes,
    path: Path,
    answers: ShareAnswers | None,
) -> Change[ProducedReport]:
    """Write the rendered report and record it, in one transaction."""
    reports = session.reports
    return Change(
        runner,
        lambda: reports.save(request, data, path, answers),
        "saving the report",
        _shared(request.case.id),
    )


def record_not_shared(
    runner: TaskRunner, session: Session, case_id: str, audience: str, answers: ShareAnswers
) -> Change[ProducedReport]:
    reports = session.reports
    return Change(
        runner,
        lambda: reports.record_not_shared(case_id, audience, answers),
        "recording the decision not to share",
        _shared(case_id),
    )


def prepare_access_export(
    runner: TaskRunner, session: Session, case_id: str
) -> Query[AccessRequest]:
    """Read everything the profile holds about the case for a subject access request."""
    reports = session.reports
    return Query(runner, lambda: reports.prepare_access(case_id), "reading the case's records")


def render_access_export(
    runner: TaskRunner, session: Session, request: AccessRequest
) -> Job[bytes]:
    """Lay out the records held in memory from the request alone, beside the store worker."""
    reports = session.reports

    def render(progress: Callable[[float, str], None], cancelled: Callable[[], bool]) -> bytes:
        return reports.render_access(request, progress, cancelled)

    return Job(runner, render, "making the records held export")


def save_access_export(
    runner: TaskRunner, session: Session, request: AccessRequest, data: bytes, path: Path
) -> Change[Path]:
    """Write the rendered records held and record it, in one transaction."""
    reports = session.reports
    return Change(
        runner,
        lambda: reports.save_access(request, data, path),
        "saving the records held export",
        Changes(case_id=request.case.id),
    )
