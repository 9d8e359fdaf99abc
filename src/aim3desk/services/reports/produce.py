"""Producing a report from an open session, as the CLI and the GUI both do: gather, build,
then audit (report.export) and, for a share report, log the decision to share."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from aim3desk.domain.cases import Case, ValidationError
from aim3desk.domain.sharing import SharingDecision
from aim3desk.services.reports.build import build_report
from aim3desk.services.reports.document import CancelCheck, ProgressCallback
from aim3desk.services.reports.request import (
    ReportKind,
    ReportRequest,
    ShareDetails,
    gather_request,
)

if TYPE_CHECKING:
    from aim3desk.services.profile import Session

AUDIT_EXPORT = "report.export"


@dataclass(frozen=True)
class ShareAnswers:
    """What the practitioner said before sharing: to whom, why, on what lawful basis."""

    recipient: str
    reason: str
    lawful_basis: str  # a lawful basis id of forms/sharing.toml
    lawful_basis_text: str = ""  # the basis in words when the id is "other"


@dataclass(frozen=True)
class ProducedReport:
    case: Case
    path: Path | None
    kind: ReportKind
    decision: SharingDecision | None = None


def resolve_lawful_basis(session: Session, given: str) -> tuple[str, str]:
    """(id, text) from what a user typed: a lawful basis id or label of the policy, else the
    text of an "other" basis."""
    policy = session.sharing.policy
    wanted = given.strip()
    for basis in policy.lawful_bases:
        if wanted.casefold() in (basis.id.casefold(), basis.label.casefold()):
            return basis.id, ""
    other = next(b for b in policy.lawful_bases if b.needs_text)
    return other.id, wanted


def check_answers(session: Session, kind: ReportKind, answers: ShareAnswers | None) -> None:
    """ValidationError before anything is built if a share report lacks its answers."""
    if not kind.is_share:
        return
    problems = {}
    if answers is None or not answers.recipient.strip():
        problems["recipient"] = "Say who receives it."
    if answers is None or not answers.reason.strip():
        problems["reason"] = "Say why it is shared."
    if answers is None or not answers.lawful_basis.strip():
        problems["lawful_basis"] = "Choose the lawful basis."
    if problems:
        raise ValidationError(problems)


def prepare(
    session: Session, case_ref_or_id: str, kind: ReportKind | str, answers: ShareAnswers | None
) -> ReportRequest:
    """Everything the report needs, read from the store (the store's thread)."""
    kind = ReportKind(kind)
    check_answers(session, kind, answers)
    share = None
    if kind.is_share and answers is not None:
        words = session.sharing.lawful_basis_words(answers.lawful_basis, answers.lawful_basis_text)
        share = ShareDetails(answers.recipient.strip(), answers.reason.strip(), words)
    return gather_request(session, case_ref_or_id, kind, share)


def record(
    session: Session, request: ReportRequest, path: Path, answers: ShareAnswers | None
) -> ProducedReport:
    """Audit a written report and, for a share report, log the decision to share."""
    case, kind = request.case, request.kind
    assessment = case.current_assessment
    version = assessment.version if assessment else 0
    session.audit.append(
        session.sharing.actor,
        AUDIT_EXPORT,
        case.reference,
        {"kind": kind.value, "version": version, "draft": request.is_draft},
    )
    decision = None
    if kind.is_share and answers is not None:
        what = session.sharing.preview(case, kind.value).describe()
        decision = session.sharing.record_decision(
            case.id,
            kind.value,
            answers.recipient,
            answers.reason,
            answers.lawful_basis,
            True,
            what=what,
            lawful_basis_text=answers.lawful_basis_text,
            assessment_version=version,
        )
    return ProducedReport(case, path, kind, decision)


def produce_report(
    session: Session,
    case_ref_or_id: str,
    kind: ReportKind | str,
    out_path: Path,
    answers: ShareAnswers | None = None,
    progress: ProgressCallback | None = None,
    cancelled: CancelCheck | None = None,
) -> ProducedReport:
    """Gather, build and record in one call (the CLI)."""
    request = prepare(session, case_ref_or_id, kind, answers)
    path = build_report(request, out_path, progress, cancelled)
    return record(session, request, path, answers)


def record_not_shared(
    session: Session, case_ref_or_id: str, audience: str, answers: ShareAnswers
) -> ProducedReport:
    """Log a decision NOT to share with an audience, the same way as a decision to share."""
    kind = ReportKind(audience)
    check_answers(session, kind, answers)
    case = session.cases.find_case(case_ref_or_id)
    assessment = case.current_assessment
    what = (
        session.sharing.preview(case, kind.value)
        .describe()
        .replace("Share report", "Not shared: share report", 1)
    )
    decision = session.sharing.record_decision(
        case.id,
        kind.value,
        answers.recipient,
        answers.reason,
        answers.lawful_basis,
        False,
        what=what,
        lawful_basis_text=answers.lawful_basis_text,
        assessment_version=assessment.version if assessment else None,
    )
    return ProducedReport(case, None, kind, decision)
